"""Best program so far: candidate 254, fitness 2.21854 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.899998664855957)
  v7 = w * -0.02003384567797184
  v8 = g + v7
  v9 = abs(v8)
  m = interp(v9, m, 1.0)
  v3 = square(m)
  v = interp(v3, v, -5.323409482116404e-07)
  v4 = sqrt(v)
  v5 = lr / v4
  update = m * v5
  return update, m, v
