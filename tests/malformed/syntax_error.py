def train(w, g, lr)
  update = g * lr
  return update
