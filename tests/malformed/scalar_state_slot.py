def train(w, g, m, lr):
  m = lr * 0.9
  update = g * lr
  return update, m
