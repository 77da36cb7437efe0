def train(w, g, lr):
  update = g * lr * 2.0
  return update
