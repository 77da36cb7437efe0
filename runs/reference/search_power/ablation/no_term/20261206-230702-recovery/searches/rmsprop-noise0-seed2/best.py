"""Best program so far: candidate 1196, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  v4 = square(v1)
  m = interp(v4, m, 0.8999999761581421)
  v5 = sqrt(m)
  v = interp(v5, v1, 5.480794040835235e-09)
  v2 = lr / v
  update = g * v2
  return update, m, v
