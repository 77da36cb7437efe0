"""Best program so far: candidate 363, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = m * 0.8999999761581421
  v4 = g + v3
  m = interp(v4, m, 4.36088232191878e-09)
  v = interp(m, v, -4.724814761658536e-09)
  update = v * lr
  return update, m, v
