"""Best program so far: candidate 24952, fitness 0.384698 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = min(2.441906213760376, g)
  m = arctan(m)
  lr = lr * 1.5059303045272827
  update = m * lr
  return update, m, v
