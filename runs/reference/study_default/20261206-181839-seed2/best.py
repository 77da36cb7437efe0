"""Best program so far: candidate 4616, fitness 0.2784 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = lr * 5.324620723724365
  g2 = square(g)
  m = interp(g, g, 0.9)
  v14 = g2 * 0.19098886847496033
  v15 = m + v14
  v9 = m * 0.014165105298161507
  v12 = v9 * -0.4646734595298767
  v13 = g2 + v12
  v10 = v13 + g2
  v16 = v14 - v10
  v = interp(v10, v16, 0.2747691571712494)
  sqrt_v = sqrt(v)
  update = m / sqrt_v
  wd = v13 * 0.01
  lr = lr * 0.001
  update = update * lr
  return update, m, v
