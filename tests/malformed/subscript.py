def train(w, g, lr):
  first = g[0]
  update = g * lr
  return update
