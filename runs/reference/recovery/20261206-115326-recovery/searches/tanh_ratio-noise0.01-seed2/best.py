"""Best program so far: candidate 7281, fitness 0.826096 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = square(g)
  v7 = 1.1430753469467163 * v
  v8 = abs(v7)
  v = interp(v3, v7, 0.856262743473053)
  v4 = sqrt(v)
  v12 = abs(v4)
  v5 = g / v4
  m = interp(v5, m, 0.3129328489303589)
  v9 = v5 / 19.737438201904297
  v10 = m + v9
  v11 = arcsinh(v10)
  v13 = v10 * -0.17008908092975616
  v15 = arcsinh(v5)
  v14 = v15 - v13
  m = interp(v11, v15, -2.0697546005249023)
  update = m * lr
  return update, m, v
