"""Best program so far: candidate 380, fitness 4.16544 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v4 = sign(g)
  v2 = cbrt(v4)
  v3 = norm(lr)
  v6 = g * 40431.18359375
  v8 = sign(v)
  m = interp(v6, m, 0.8000228404998779)
  v9 = g * 5565.751953125
  v = interp(v9, v, 7.15134028383968e-12)
  v10 = m + v
  v7 = v8 + v10
  v12 = v6 * -1.7003999346343335e-06
  v13 = v2 + v12
  v = interp(v13, v7, 1.236298066942254e-05)
  update = v * v3
  return update, m, v
