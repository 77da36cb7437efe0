def train(w, g, lr):
  import os
  update = g * lr
  return update
