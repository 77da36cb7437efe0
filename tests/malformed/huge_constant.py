def train(w, g, lr):
  update = g * 1e40
  return update
