"""Best program so far: candidate 6990, fitness 1.99931 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v10 = clip(w, 1.972069003386423e-05)
  v11 = m * v10
  v6 = g * 4.0001825254876167e-05
  v8 = v11 + 0.00017078475502785295
  v9 = v6 - m
  v7 = g + v9
  lr = lr / 0.890647292137146
  v1 = square(v7)
  v = interp(v1, v, 0.9989784359931946)
  v2 = sqrt(v)
  m = interp(g, m, 0.8999724984169006)
  v3 = m / v2
  v13 = v11 + 0.0001686000032350421
  v15 = arcsinh(v13)
  v14 = v3 + v8
  update = v14 * lr
  return update, m, v
