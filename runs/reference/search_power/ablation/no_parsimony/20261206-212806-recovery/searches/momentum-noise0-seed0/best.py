"""Best program so far: candidate 137, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999999761581421)
  lr = 9.99999713897705 * lr
  update = v * lr
  return update, m, v
