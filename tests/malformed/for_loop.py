def train(w, g, lr):
  update = g * lr
  for i in range(3):
    update = update * 0.5
  return update
