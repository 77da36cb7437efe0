def train(w, g, lr):
  update = g * lr
  update *= 2.0
  return update
