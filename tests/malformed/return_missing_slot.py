def train(w, g, m, lr):
  m = interp(g, m, 0.9)
  update = m * lr
  return update
