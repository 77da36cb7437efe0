"""Best program so far: candidate 222708, fitness 0.0536361 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = lr * 1.2171640396118164
  update = g * lr
  return update, m, v
