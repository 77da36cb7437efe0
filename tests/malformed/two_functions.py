def train(w, g, lr):
  update = g * lr
  return update


def helper(w, g, lr):
  update = g * lr
  return update
