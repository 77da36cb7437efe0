def train(w, g, lr):
  gg = g @ g
  update = gg * lr
  return update
