"""Best program so far: candidate 306, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = g * 9.999998092651367
  v = interp(v1, v, 0.8999999761581421)
  update = v * lr
  return update, m, v
