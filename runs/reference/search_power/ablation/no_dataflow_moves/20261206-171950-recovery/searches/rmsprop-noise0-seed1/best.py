"""Best program so far: candidate 142171, fitness 0.393257 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = min(2.464667320251465, g)
  v = sign(g)
  v = v + 0.7319526672363281
  m = interp(m, v, 0.09523672610521317)
  m = arctan(m)
  v = cube(m)
  lr = lr * 0.0019203148549422622
  m = sinh(m)
  m = interp(g, 678.3955078125, m)
  m = m + -24.830387115478516
  update = m * lr
  return update, m, v
