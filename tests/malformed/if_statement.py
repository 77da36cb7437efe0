def train(w, g, lr):
  update = g * lr
  if lr:
    update = g * 2.0
  return update
