"""Best program so far: candidate 100, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  m = interp(v1, m, 0.8999999761581421)
  v2 = sqrt(m)
  v3 = g / v2
  update = v3 * lr
  return update, m, v
