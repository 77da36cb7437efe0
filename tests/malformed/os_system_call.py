def train(w, g, lr):
  x = __import__('os')
  update = g * lr
  return update
