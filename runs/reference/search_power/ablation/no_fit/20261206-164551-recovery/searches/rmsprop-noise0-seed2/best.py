"""Best program so far: candidate 5116, fitness 2.91612 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  m = interp(v1, m, 0.8996466994285583)
  v2 = sqrt(m)
  v3 = g / v2
  update = v3 * lr
  return update, m, v
