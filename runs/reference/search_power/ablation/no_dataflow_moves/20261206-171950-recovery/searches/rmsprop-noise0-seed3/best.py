"""Best program so far: candidate 226443, fitness 0.38439 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = arctan(g)
  m = arcsinh(m)
  m = arcsin(m)
  lr = interp(lr, lr, g)
  m = m + 0.012909330427646637
  m = arcsinh(m)
  lr = lr * 1.5661035776138306
  update = m * lr
  return update, m, v
