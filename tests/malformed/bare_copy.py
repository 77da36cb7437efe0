def train(w, g, lr):
  x = g
  update = x * lr
  return update
