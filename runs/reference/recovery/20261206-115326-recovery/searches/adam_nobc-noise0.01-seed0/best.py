"""Best program so far: candidate 243, fitness 1.99948 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  m = interp(v1, m, 0.9990000128746033)
  v2 = sqrt(m)
  v3 = lr / v2
  v = interp(g, v, 0.9000011086463928)
  update = v * v3
  return update, m, v
