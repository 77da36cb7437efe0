"""Best program so far: candidate 280, fitness 2.00175 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = v * 0.9000042676925659
  v3 = g + v2
  v = interp(v3, v, 4.4194708607392386e-05)
  update = v * lr
  return update, m, v
