"""Every hand-coded baseline against optax's own implementation (or a NumPy reference)."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from discover import as_transform
from discover.dsl.baselines import BASELINES, baseline_program

# Non-default values for every hyperparameter any baseline has.
NON_DEFAULT = {"momentum": 0.8, "b1": 0.85, "b2": 0.98, "eps": 1e-6, "weight_decay": 0.05,
               "decay": 0.95, "initial_accumulator_value": 0.2, "eps_root": 1e-12, "beta": 0.8}
STEPS = 200


def _trajectory(tx, params, seed, steps=STEPS):
  """Params after each step on a noisy quadratic, whose gradient depends on the params.
  The noise is drawn by NumPy up front: jax.random inside the scan would put a threefry
  graph per leaf into every compile, which cost most of this test's time."""
  leaves, treedef = jax.tree.flatten(params)
  rng = np.random.default_rng(seed)
  noise = [rng.normal(size=(steps, *np.shape(x))).astype(np.float32) for x in leaves]

  def body(carry, step_noise):
    p, s = carry
    grads = jax.tree.unflatten(treedef, [0.3 * x + n for x, n in
                                         zip(jax.tree.leaves(p), step_noise)])
    updates, s = tx.update(grads, s, p)
    p = optax.apply_updates(p, updates)
    return (p, s), p

  run = jax.jit(lambda p, xs: jax.lax.scan(body, (p, tx.init(p)), xs)[1])
  return run(params, noise)


@pytest.mark.parametrize("name", [n for n, b in BASELINES.items() if b.twin])
def test_matches_optax_twin_over_200_steps(name, nested_params):
  baseline = BASELINES[name]
  hyper = {k: NON_DEFAULT[k] for k in baseline.defaults}
  assert all(hyper[k] != v for k, v in baseline.defaults.items())
  schedule = optax.cosine_decay_schedule(0.02, STEPS)
  ours = _trajectory(as_transform(baseline.program(**hyper), schedule), nested_params, 0)
  theirs = _trajectory(baseline.twin(schedule, **hyper), nested_params, 0)
  for a, b in zip(jax.tree.leaves(ours), jax.tree.leaves(theirs)):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
  moved = max(float(jnp.abs(a[-1] - p).max())
              for a, p in zip(jax.tree.leaves(ours), jax.tree.leaves(nested_params)))
  assert moved > 1e-3  # the comparison is not between two frozen trajectories


def test_paper_adamw_matches_a_numpy_reference():
  """Program 2 of Chen et al. (2023): no bias correction, no epsilon."""
  rng = np.random.default_rng(0)
  w = rng.normal(size=(7,)).astype(np.float32)
  m, v = np.zeros_like(w), np.zeros_like(w)
  tx = as_transform(BASELINES["adamw_paper"].program(), 0.5)
  params, state = jnp.asarray(w), None
  state = tx.init(params)
  for _ in range(50):
    g = rng.normal(size=w.shape).astype(np.float32)
    m = 0.1 * g + 0.9 * m
    v = 0.001 * g * g + 0.999 * v
    w = w - (m / np.sqrt(v) + 0.01 * w) * (0.5 * 0.001)
    updates, state = tx.update(jnp.asarray(g), state, params)
    params = params + updates
  np.testing.assert_allclose(params, w, rtol=1e-5)


@pytest.mark.parametrize("name", list(BASELINES))
def test_every_baseline_documents_its_conventions_and_takes_its_hyperparameters(name):
  baseline = BASELINES[name]
  assert len(baseline.conventions) > 10
  program = baseline.program()
  assert baseline_program(name) == program
  for key, value in baseline.defaults.items():
    changed = baseline.program(**{key: value * 0.5})
    assert changed != program
  with pytest.raises(ValueError, match="has no hyperparameter"):
    baseline.program(not_a_hyperparameter=1.0)


def test_unknown_baseline_names_the_known_ones():
  with pytest.raises(KeyError, match="adamw"):
    baseline_program("adamx")


@pytest.mark.parametrize("name", list(BASELINES))
def test_every_baseline_descends_a_quadratic(name):
  # adamw_paper scales lr by 0.001 inside; adagrad's steps shrink as 1/sqrt(t).
  learning_rate = {"adamw_paper": 10.0, "adagrad": 0.5}.get(name, 0.05)
  tx = as_transform(BASELINES[name].program(), learning_rate)
  params = jnp.array([2.0, -1.5, 0.7])
  state = tx.init(params)
  step = jax.jit(tx.update)
  for _ in range(200):
    updates, state = step(params, state, params)
    params = params + updates
  assert float(jnp.sum(params**2)) < 0.1 * float(jnp.sum(jnp.array([2.0, -1.5, 0.7])**2))
