import jax.numpy as jnp


def train(w, g, lr):
  update = g * lr
  return update
