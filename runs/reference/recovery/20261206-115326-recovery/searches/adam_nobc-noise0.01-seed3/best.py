"""Best program so far: candidate 137, fitness 1.99926 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  v = interp(v1, v, 0.998999834060669)
  v2 = sqrt(v)
  m = interp(g, m, 0.8999837636947632)
  v3 = m / v2
  update = v3 * lr
  return update, m, v
