def train(w, g, lr):
  update = g * lr
  return update


scale = 0.5
