"""Best program so far: candidate 192, fitness 2.99947 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  m = interp(v1, m, -1.4034912055649329e-05)
  v4 = square(m)
  v = interp(v4, v, 0.9000024795532227)
  v5 = sqrt(v)
  v2 = g / v5
  update = v2 * lr
  return update, m, v
