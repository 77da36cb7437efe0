"""Best program so far: candidate 192, fitness 1.99949 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  m = interp(v1, m, -0.00014521008415613323)
  v4 = square(m)
  v = interp(v4, v, 0.900024950504303)
  v5 = sqrt(v)
  v2 = g / v5
  update = v2 * lr
  return update, m, v
