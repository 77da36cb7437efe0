def train(w, g, step, lr):
  update = g * lr
  return update, step
