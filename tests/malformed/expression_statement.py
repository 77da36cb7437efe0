def train(w, g, lr):
  update = g * lr
  sqrt(g)
  return update
