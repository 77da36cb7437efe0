"""Synthetic problems with known structure: cheap, exact, and revealing.

* ``quadratic``: an ill-conditioned quadratic (condition number 1e3), minimum 0 at 0.
* ``noisy_quadratic``: the same with Gaussian gradient noise (a stochastic-optimization
  model that separates momentum and averaging behaviours).
* ``rosenbrock``: the 10-dimensional Rosenbrock valley, minimum 0 at (1, ..., 1).
* ``logistic``: logistic regression on generated, linearly structured data, scored on a
  held-out split; its test split is 1000 fresh samples from the same model.

All data is generated from fixed seeds; nothing is downloaded. The objectives (quadratics,
Rosenbrock) have no data to hold out: their test metric is the objective itself.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax

from proxy_tasks.base import Task, register

DIM = 64
CONDITION = 1e3


def _curvatures() -> jax.Array:
  return jnp.asarray(np.logspace(0.0, np.log10(CONDITION), DIM), jnp.float32)


def _quadratic_task(name: str, noise: float) -> Task:
  curv = _curvatures()

  def init(key):
    return {"x": jax.random.normal(key, (DIM,))}

  def value(params):
    return 0.5 * jnp.sum(curv * params["x"] ** 2)

  def loss(params, batch):
    # Noise enters through a random shift of the minimum: E[grad] is the true gradient.
    return 0.5 * jnp.sum(curv * (params["x"] - batch) ** 2)

  def stream(key):
    return noise * jax.random.normal(key, (300, DIM)) / jnp.sqrt(curv)

  return Task(name, "proxy", 300, init, loss, stream, lambda shifts, step: shifts[step], lambda p: {"loss": value(p)},
              metric="loss", higher_is_better=False,
              schedule=optax.cosine_decay_schedule(1.0, 300), diverged_above=1e8,
              description=f"quadratic, dim {DIM}, condition {CONDITION:g}, noise {noise}",
              test=lambda p: {"loss": value(p)})


@register("quadratic")
def _quadratic():
  return _quadratic_task("quadratic", 0.0)


@register("noisy_quadratic")
def _noisy_quadratic():
  return _quadratic_task("noisy_quadratic", 0.3)


@register("rosenbrock")
def _rosenbrock():
  dim = 10

  def value(params):
    x = params["x"]
    return jnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

  def init(key):
    return {"x": -1.0 + 0.1 * jax.random.normal(key, (dim,))}

  return Task("rosenbrock", "proxy", 500, init, lambda p, b: value(p), lambda k: (), lambda s, i: (),
              lambda p: {"loss": value(p)}, metric="loss", higher_is_better=False,
              schedule=optax.cosine_decay_schedule(1.0, 500), diverged_above=1e8,
              description=f"Rosenbrock valley, dim {dim}, from near (-1, ..., -1)",
              test=lambda p: {"loss": value(p)})


@register("logistic")
def _logistic():
  rng = np.random.default_rng(1)
  n, d = 1200, 20
  w_true = rng.normal(size=d)
  x, y = _logistic_samples(rng, n, w_true)
  x_tr, y_tr, x_val, y_val = map(jnp.asarray, (x[:1000], y[:1000], x[1000:], y[1000:]))
  # Drawn from a generator of its own, so the training and validation data stay as they were.
  x_test, y_test = map(jnp.asarray, _logistic_samples(np.random.default_rng(2), 1000, w_true))

  def init(key):
    return {"w": jnp.zeros((d,)), "b": jnp.zeros(())}

  def mean_loss(params, xs, ys):
    logits = xs @ params["w"] + params["b"]
    return optax.sigmoid_binary_cross_entropy(logits, ys).mean()

  def stream(key):
    return jax.random.randint(key, (300, 64), 0, len(x_tr))

  def batch(indices, step):
    return x_tr[indices[step]], y_tr[indices[step]]

  def metrics_on(xs, ys):
    def evaluate(params):
      logits = xs @ params["w"] + params["b"]
      return {"loss": mean_loss(params, xs, ys),
              "accuracy": jnp.mean((logits > 0) == (ys > 0.5))}
    return evaluate

  return Task("logistic", "proxy", 300, init, lambda p, b: mean_loss(p, *b), stream, batch,
              metrics_on(x_val, y_val),
              metric="loss", higher_is_better=False,
              schedule=optax.cosine_decay_schedule(1.0, 300), diverged_above=1e3,
              description=f"logistic regression, {d} features of unequal scale, batch 64",
              test=metrics_on(x_test, y_test))


def _logistic_samples(rng: np.random.Generator, n: int, w_true: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
  """(x, y): ``n`` samples of the logistic task's model, as its training data is drawn."""
  d = len(w_true)
  x = rng.normal(size=(n, d)) * np.logspace(0, 1, d)  # unequal feature scales
  y = (rng.random(n) < 1 / (1 + np.exp(-x @ w_true / np.sqrt(d)))).astype(np.float32)
  return x.astype(np.float32), y
