def train(w, g, lr, **options):
  update = g * lr
  return update
