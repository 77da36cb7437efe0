"""Best program so far: candidate 132, fitness 0.00698293 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  m = interp(v1, m, 0.21472086012363434)
  v2 = g / m
  v4 = g * -0.0001799868477974087
  v5 = v2 + v4
  update = v5 * lr
  return update, m, v
