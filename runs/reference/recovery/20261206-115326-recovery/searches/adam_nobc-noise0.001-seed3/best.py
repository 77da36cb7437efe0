"""Best program so far: candidate 137, fitness 2.99924 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  v = interp(v1, v, 0.9990000128746033)
  v2 = sqrt(v)
  m = interp(g, m, 0.8999987840652466)
  v3 = m / v2
  update = v3 * lr
  return update, m, v
