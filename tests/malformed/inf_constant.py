def train(w, g, lr):
  update = g * 1e999
  return update
