"""Best program so far: candidate 192, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  m = interp(v1, m, -1.1560455703829575e-08)
  v4 = square(m)
  v = interp(v4, v, 0.8999999761581421)
  v5 = sqrt(v)
  v2 = g / v5
  update = v2 * lr
  return update, m, v
