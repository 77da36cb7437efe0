def train(w, g, lr):
  g2 = g ** 2
  update = g2 * lr
  return update
