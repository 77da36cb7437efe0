def train(w, g, m, lr):
  m = interp(g, m)
  update = m * lr
  return update, m
