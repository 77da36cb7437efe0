"""Winner: candidate 5145: the best min(funnel, meta-validation) fitness of 4 finalists (-0.0203; the start program -0.0241)."""

def train(w, g, m, v, lr):
  lr = lr * 4.560501575469971
  g2 = square(g)
  v11 = g2 * -0.18200646340847015
  v12 = m - v11
  m = interp(g, v12, 0.9)
  v = interp(g2, v, 0.999)
  sqrt_v = sqrt(v)
  update = m / sqrt_v
  wd = w * 0.01
  v10 = max(update, wd)
  update = update + v10
  lr = lr * 0.001
  v13 = v11 * -0.029250262305140495
  v15 = -0.1492438167333603 * v11
  v14 = update + v15
  update = v14 * lr
  return update, m, v
