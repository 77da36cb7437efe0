"""Best on the funnel: candidate 4846, funnel fitness 0.140551, proxy fitness 0.104714."""

def train(w, g, m, v, lr):
  lr = lr * 5.672665119171143
  g2 = square(g)
  m = interp(g, m, 0.9)
  v = interp(g2, v, 0.999)
  sqrt_v = sqrt(v)
  update = m / sqrt_v
  v14 = v * 0.09138152748346329
  v15 = update + m
  wd = max(v15, 0.01)
  v10 = v * -0.041236184537410736
  v11 = wd + v10
  update = update + wd
  lr = lr * 0.001
  v12 = v * 0.08534718304872513
  v13 = update + v
  update = v13 * lr
  return update, m, v
