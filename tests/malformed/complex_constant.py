def train(w, g, lr):
  update = g * 2j
  return update
