def train(w, g):
  update = g * 0.01
  return update
