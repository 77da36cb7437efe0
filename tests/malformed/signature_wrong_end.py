def train(w, g, m, lr, extra):
  update = g * lr
  return update, m
