def train(w, g, lr):
  update = g * mom
  update = update * lr
  return update
