"""Best program so far: candidate 1686, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.900001585483551)
  v = interp(m, m, 0.9999451637268066)
  v3 = sign(v)
  update = v3 * lr
  return update, m, v
