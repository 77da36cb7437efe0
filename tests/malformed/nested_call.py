def train(w, g, lr):
  r = sqrt(square(g))
  update = r * lr
  return update
