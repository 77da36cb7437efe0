def train(w, g, lr):
  u = g * lr
  update = u + later
  later = g * 2.0
  return update
