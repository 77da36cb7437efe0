def train(w, g, lr):
  a, b = g, lr
  update = a * b
  return update
