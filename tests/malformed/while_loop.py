def train(w, g, lr):
  update = g * lr
  while update:
    update = update * 0.5
  return update
