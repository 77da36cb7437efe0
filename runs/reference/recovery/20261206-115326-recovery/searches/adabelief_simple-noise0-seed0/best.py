"""Best program so far: candidate 5968, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v6 = m * -0.8895588517189026
  v7 = g + v6
  v8 = m * 0.2054528146982193
  v9 = v7 + v8
  v14 = m * -0.010441165417432785
  v15 = v7 + v14
  v1 = square(v15)
  v = interp(v1, v, 0.9990000128746033)
  v2 = sqrt(v)
  v10 = v2 * 5.8536686992738396e-05
  v11 = g + v9
  v12 = v11 * -0.10385752469301224
  v13 = v11 + v12
  m = interp(v13, m, 0.9380058646202087)
  v3 = m / v2
  update = v3 * lr
  return update, m, v
