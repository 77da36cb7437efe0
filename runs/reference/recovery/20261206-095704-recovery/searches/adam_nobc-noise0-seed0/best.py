"""Best program so far: candidate 171, fitness 0.0751782 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  m = interp(v1, m, 0.9066195487976074)
  v2 = sqrt(m)
  v3 = lr / v2
  v5 = m * 0.00669233500957489
  v7 = abs(v5)
  v6 = g + v7
  update = v6 * v3
  return update, m, v
