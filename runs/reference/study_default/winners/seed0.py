"""Winner: candidate 3313: the best min(funnel, meta-validation) fitness of 5 finalists (-0.0130; the start program -0.0241)."""

def train(w, g, m, v, lr):
  lr = lr * 243.0
  v11 = tanh(g)
  g2 = square(v11)
  v14 = v11 * 0.053089797496795654
  v15 = g + v14
  v9 = expm1(v15)
  m = interp(v9, m, 0.9)
  v12 = g2 * 0.011405269615352154
  v13 = v + v12
  v = interp(g2, v13, 0.999)
  sqrt_v = sqrt(m)
  update = m / sqrt_v
  wd = w * 0.01
  update = update + wd
  lr = lr * 0.001
  update = update * lr
  return update, m, v
