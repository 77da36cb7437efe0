"""Winner: the start program: no finalist beat it on min(funnel, meta-validation) fitness (the start program -0.0241; the best other, candidate 3985, -0.0511)."""

def train(w, g, m, v, lr):
  g2 = square(g)
  m = interp(g, m, 0.9)
  v = interp(g2, v, 0.999)
  sqrt_v = sqrt(v)
  update = m / sqrt_v
  wd = w * 0.01
  update = update + wd
  lr = lr * 0.001
  update = update * lr
  return update, m, v
