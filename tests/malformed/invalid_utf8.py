def train(w, g, lr):
  # café ÿş
  update = g * lr
  return update
