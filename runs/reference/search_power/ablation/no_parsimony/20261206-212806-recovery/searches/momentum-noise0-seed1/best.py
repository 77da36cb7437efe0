"""Best program so far: candidate 236, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v4 = g + m
  m = interp(g, v4, 0.8999999761581421)
  v2 = norm(lr)
  update = m * v2
  return update, m, v
