def train(w, g, lr):
  update = g * 'fast'
  return update
