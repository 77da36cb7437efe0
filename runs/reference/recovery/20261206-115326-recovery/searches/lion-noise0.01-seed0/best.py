"""Best program so far: candidate 9280, fitness 1.93802 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, 0.9000329375267029)
  m = interp(v, m, 0.00019507946853991598)
  m = interp(g, m, 0.8999912738800049)
  v4 = sign(m)
  v1 = tanh(v4)
  v6 = w * 0.0999874696135521
  v7 = v4 + v6
  update = v7 * lr
  return update, m, v
