def train(w, g, lr=0.1):
  update = g * lr
  return update
