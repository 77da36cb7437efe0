def train(w, g, lr):
  n = global_norm(lr)
  update = g * n
  return update
