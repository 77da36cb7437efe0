def train(w, g, lr, *rest):
  update = g * lr
  return update
