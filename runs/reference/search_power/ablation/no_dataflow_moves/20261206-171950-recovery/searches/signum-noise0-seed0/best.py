"""Best program so far: candidate 188818, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = 13645098.0 * g
  m = g + v
  v = arcsinh(v)
  v = interp(g, m, 0.8999894857406616)
  m = tanh(m)
  m = sign(v)
  update = m * lr
  m = sin(v)
  return update, m, v
