"""Best program so far: candidate 156, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999999761581421)
  v2 = v / 0.10000002384185791
  update = v2 * lr
  return update, m, v
