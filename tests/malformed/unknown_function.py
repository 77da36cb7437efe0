def train(w, g, lr):
  d = frobnicate(g)
  update = d * lr
  return update
