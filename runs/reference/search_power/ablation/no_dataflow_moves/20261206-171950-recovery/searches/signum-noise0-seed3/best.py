"""Best program so far: candidate 61591, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = 0.9007265567779541 * m
  v = tanh(g)
  v = interp(g, m, 0.9991788268089294)
  m = arcsinh(v)
  v = sign(m)
  update = v * lr
  return update, m, v
