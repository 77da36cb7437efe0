def train(w, g, m, m, lr):
  update = g * lr
  return update, m, m
