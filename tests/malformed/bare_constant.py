def train(w, g, lr):
  half = 0.5
  update = g * half
  return update
