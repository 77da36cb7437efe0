def train(w, g, lr):
  update = g if lr else w
  return update
