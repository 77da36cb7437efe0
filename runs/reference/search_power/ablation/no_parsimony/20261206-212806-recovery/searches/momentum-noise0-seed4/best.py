"""Best program so far: candidate 335, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = w * -0.00035462933010421693
  v8 = w * 0.02027399279177189
  v12 = interp(w, v8, g)
  v9 = w + v12
  v3 = v9 * 3.546527659636922e-05
  v13 = v12 * -3.546760854078457e-05
  v14 = g + v13
  v4 = v14 + v3
  v2 = v4 + v1
  v10 = v4 * 8.999998092651367
  v11 = v2 + v10
  v = interp(v11, v, 0.8999999761581421)
  update = v * lr
  v6 = negative(v2)
  m = interp(g, -27132.541015625, v6)
  return update, m, v
