"""Best program so far: candidate 736, fitness 2.00154 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  v2 = g + v
  v4 = sign(v2)
  m = interp(v2, m, 0.8000689148902893)
  v5 = m * 0.5000607967376709
  v6 = v4 + v5
  update = v6 * lr
  return update, m, v
