"""Best program so far: candidate 106, fitness 2.99923 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  v = interp(v1, v, 0.9000000953674316)
  v2 = sqrt(v)
  v3 = g / v2
  update = v3 * lr
  return update, m, v
