"""Winner: candidate 3798: the best min(funnel, meta-validation) fitness of 5 finalists (-0.0222; the start program -0.0241)."""

def train(w, g, m, v, lr):
  lr = lr * 9.0
  g2 = square(g)
  v8 = v * 0.0378456749022007
  v9 = min(g, g)
  v12 = g * -0.2707051932811737
  v15 = abs(v12)
  v13 = v9 + v15
  m = interp(v13, m, 0.9)
  v = interp(g2, v, 0.999)
  sqrt_v = sqrt(v)
  v14 = sin(sqrt_v)
  v11 = abs(v14)
  update = m / v11
  wd = w * 0.01
  lr = lr * 0.001
  update = update * lr
  return update, m, v
