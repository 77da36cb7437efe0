"""Best program so far: candidate 539, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v5 = abs(g)
  v4 = sign(v)
  v1 = v4 - -9.999998092651367
  v3 = g * v1
  m = interp(v3, m, 0.8999999761581421)
  update = m * lr
  return update, m, v
