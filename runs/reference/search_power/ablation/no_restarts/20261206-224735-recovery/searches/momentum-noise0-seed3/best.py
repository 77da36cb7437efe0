"""Best program so far: candidate 278, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = g * 1.0
  v3 = v + v2
  v = interp(g, v3, 0.8999999761581421)
  update = v * lr
  return update, m, v
