def train(w, g, lr):
  pass
  update = g * lr
  return update
