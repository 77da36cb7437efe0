"""Best program so far: candidate 133, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999944925308228)
  v1 = sign(v)
  m = interp(v1, m, 1.1358644691483732e-08)
  update = m * lr
  return update, m, v
