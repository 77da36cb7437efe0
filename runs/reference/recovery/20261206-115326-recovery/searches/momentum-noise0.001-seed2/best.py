"""Best program so far: candidate 363, fitness 3.0033 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = m * 0.9000005125999451
  v4 = g + v3
  m = interp(v4, m, 2.7145301828568336e-06)
  v = interp(m, v, 5.557746135309571e-06)
  update = v * lr
  return update, m, v
