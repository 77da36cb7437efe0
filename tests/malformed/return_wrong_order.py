def train(w, g, m, v, lr):
  m = interp(g, m, 0.9)
  v = interp(g, v, 0.99)
  update = m * lr
  return update, v, m
