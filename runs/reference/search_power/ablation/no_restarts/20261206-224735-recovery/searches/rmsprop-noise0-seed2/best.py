"""Best program so far: candidate 185, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  v4 = square(v1)
  v = interp(v4, v, 0.8999998569488525)
  v5 = sqrt(v)
  m = interp(v5, m, 6.279122430896678e-07)
  v2 = lr / m
  update = g * v2
  return update, m, v
