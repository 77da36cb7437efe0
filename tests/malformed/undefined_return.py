def train(w, g, lr):
  u = g * lr
  return update
