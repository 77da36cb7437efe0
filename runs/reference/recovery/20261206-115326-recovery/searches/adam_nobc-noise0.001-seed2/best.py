"""Best program so far: candidate 1425, fitness 3.00212 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v10 = w / -1052132.75
  v11 = g + v10
  v9 = g + v11
  v12 = square(v11)
  m = interp(v12, m, 0.9990000128746033)
  v13 = sqrt(m)
  v14 = v9 / v13
  v1 = abs(v14)
  v6 = m / w
  v2 = lr / v13
  v4 = lr * -1.979954156183794e-08
  v5 = v2 + v4
  v = interp(g, v, 0.9000009894371033)
  v7 = v + 4.515909740880793e-14
  update = v7 * v2
  return update, m, v
