def train(g, w, lr):
  update = g * lr
  return update
