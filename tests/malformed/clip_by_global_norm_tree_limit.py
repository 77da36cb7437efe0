def train(w, g, lr):
  c = clip_by_global_norm(g, g)
  update = c * lr
  return update
