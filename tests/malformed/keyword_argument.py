def train(w, g, lr):
  c = clip(g, limit=1.0)
  update = c * lr
  return update
