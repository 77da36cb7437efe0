"""Best program so far: candidate 122959, fitness 1.68061 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = m + g
  m = 1.087893009185791 * m
  v = arcsin(v)
  v = sign(v)
  m = interp(g, m, 0.91001957654953)
  v = v * 0.03314250335097313
  lr = lr * 3.7073757994221523e-05
  v = interp(w, 903.7655029296875, v)
  v = cube(v)
  update = v * lr
  return update, m, v
