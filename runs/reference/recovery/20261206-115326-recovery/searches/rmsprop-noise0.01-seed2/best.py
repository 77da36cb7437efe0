"""Best program so far: candidate 185, fitness 2.00331 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  v4 = square(v1)
  v = interp(v4, v, 0.8999820351600647)
  v5 = sqrt(v)
  m = interp(v5, m, 0.00016378828149754554)
  v2 = lr / m
  update = g * v2
  return update, m, v
