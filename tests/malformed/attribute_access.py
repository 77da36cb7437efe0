def train(w, g, lr):
  r = jnp.sqrt(g)
  update = r * lr
  return update
