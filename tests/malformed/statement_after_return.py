def train(w, g, lr):
  update = g * lr
  return update
  update = update * 2.0
