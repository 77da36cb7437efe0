"""Best on the funnel: candidate 842, funnel fitness 0.130578, proxy fitness 0.0937591."""

def train(w, g, m, v, lr):
  lr = lr * 7.691611289978027
  g2 = square(g)
  m = interp(g, g, 0.9)
  v14 = g2 * 0.19098886847496033
  v15 = m + v14
  v9 = m * 0.014165105298161507
  v12 = v9 * -0.4646734595298767
  v13 = g2 + v12
  v10 = v13 + g2
  v = interp(v10, v14, 0.2747691571712494)
  sqrt_v = sqrt(v)
  update = m / sqrt_v
  wd = v13 * 0.01
  update = update + wd
  lr = lr * 0.001
  update = update * lr
  return update, m, v
