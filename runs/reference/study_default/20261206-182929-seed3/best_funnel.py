"""Best on the funnel: candidate 3372, funnel fitness 0.316039, proxy fitness 0.252803."""

def train(w, g, m, v, lr):
  lr = lr * 9.0
  g2 = square(g)
  m = interp(g, m, 0.9)
  v = interp(g2, v, 0.8057748675346375)
  v11 = g * -0.0120865348726511
  v13 = v * w
  v12 = v13 + v11
  sqrt_v = sqrt(v12)
  update = m / sqrt_v
  wd = w * 0.01
  v9 = sqrt(wd)
  update = update + v9
  lr = lr * 0.001
  update = update * lr
  return update, m, v
