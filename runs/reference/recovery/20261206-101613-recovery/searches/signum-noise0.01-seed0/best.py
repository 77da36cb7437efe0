"""Best program so far: candidate 6462, fitness 1.99953 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999978303909302)
  v2 = sin(m)
  v3 = v / -4.079378754795471e-07
  v4 = v2 - v3
  v15 = v2 * w
  v11 = v15 + 2.068818866973743e-05
  v12 = v4 + v11
  v5 = square(v12)
  v13 = invert(m)
  v14 = interp(m, v2, -20.06121063232422)
  m = interp(v5, v14, 3.228015511141935e-12)
  v9 = v2 * 5.345057161321165e-06
  v10 = max(m, v4)
  v6 = sqrt(v5)
  v7 = v4 / v6
  update = v7 * lr
  return update, m, v
