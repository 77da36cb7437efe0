def train(w, g, lr):
  update = g * lr
  update = update * 2.0
