"""Best program so far: candidate 160762, fitness 0.384125 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = arctan(g)
  m = arcsinh(m)
  m = arcsin(m)
  m = arcsinh(m)
  lr = lr * 1.5683858394622803
  update = m * lr
  return update, m, v
