def train(w, g, lr: float):
  update = g * lr
  return update
