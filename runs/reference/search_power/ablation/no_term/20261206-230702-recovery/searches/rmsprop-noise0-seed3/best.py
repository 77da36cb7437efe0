"""Best program so far: candidate 120, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  v = interp(v1, v, 0.8999999761581421)
  v2 = sqrt(v)
  v3 = lr / v2
  update = g * v3
  return update, m, v
