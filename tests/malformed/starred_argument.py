def train(w, g, lr):
  c = clip(*g)
  update = c * lr
  return update
