"""Best program so far: candidate 6092, fitness 0.525104 (log10 improvement over tuned AdamW)."""

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
  v14 = w * -0.4018807113170624
  wd = v14 * 0.01
  v9 = sqrt(wd)
  update = update + v9
  lr = lr * 0.001
  update = update * lr
  return update, m, v
