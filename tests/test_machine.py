"""The register machine against the reference interpreter, step for step."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from jax.flatten_util import ravel_pytree

from discover import as_transform
from discover.dsl.parse import parse
from discover.execute import machine
from discover.dsl.baselines import BASELINES
from support import random_program

SCHEDULE = optax.linear_schedule(0.05, 0.01, 30)


def _segments(params):
  sizes = [np.size(x) for x in jax.tree.leaves(params)]
  return np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)


@functools.cache
def _machine(size, segments):
  """The machine's jitted (init, update), the program passed as data: one compile serves
  every program (as in the evaluator), where a closure over each would cost seconds each."""
  def transform(encoded):
    return machine.machine_transform(encoded, SCHEDULE, size, np.asarray(segments, np.int32))
  return (jax.jit(lambda encoded, flat: transform(encoded)[0](flat)),
          jax.jit(lambda encoded, g, state, flat: transform(encoded)[1](g, state, flat)))


def _compare(program, params, steps=30, rtol=2e-5):
  """Runs both on the same gradient stream; asserts the same updates every step."""
  flat, unravel = ravel_pytree(params)
  reference = as_transform(program, SCHEDULE)
  encoded = machine.encode(program)
  init, update = _machine(flat.size, tuple(_segments(params).tolist()))
  ref_state, state = reference.init(params), init(encoded, flat)
  ref_update = jax.jit(reference.update)
  m_update = functools.partial(update, encoded)
  key = jax.random.key(0)
  for _ in range(steps):
    key, sub = jax.random.split(key)
    g = jax.random.normal(sub, flat.shape)
    expected, ref_state = ref_update(unravel(g), ref_state, params)
    got, state = m_update(g, state, flat)
    expected = ravel_pytree(expected)[0]
    scale = float(jnp.max(jnp.abs(expected))) + 1e-30
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol * scale)
    params = jax.tree.map(jnp.add, params, unravel(expected))
    flat = ravel_pytree(params)[0]


@pytest.mark.parametrize("name", list(BASELINES))
def test_machine_matches_interpreter_on_baselines(name, nested_params):
  _compare(BASELINES[name].program(), nested_params)


MIXED_OPS = ("norm", "global_norm", "dot", "cosine_sim", "clip_by_global_norm", "interp",
             "mul", "add", "sub", "div", "sign", "sqrt", "tanh", "clip", "power", "abs",
             "max", "min", "square", "log", "arctan")


@pytest.mark.slow
def test_machine_matches_interpreter_on_random_programs(nested_params):
  compared = 0
  for seed in range(10):
    program = random_program(np.random.default_rng(seed), n_statements=10, n_slots=2,
                             ops=MIXED_OPS, uses_step=seed % 2 == 0)
    if _finite_reference(program, nested_params):  # blow-ups compare nothing useful
      _compare(program, nested_params, steps=5, rtol=1e-4)
      compared += 1
  assert compared >= 6


def _finite_reference(program, params):
  tx = as_transform(program, SCHEDULE)
  state = tx.init(params)
  key = jax.random.key(0)
  for _ in range(5):
    key, sub = jax.random.split(key)
    flat, unravel = ravel_pytree(params)
    updates, state = tx.update(unravel(jax.random.normal(sub, flat.shape)), state, params)
    if not all(bool(jnp.all(jnp.isfinite(u))) for u in jax.tree.leaves(updates)):
      return False
    if max(float(jnp.max(jnp.abs(u))) for u in jax.tree.leaves(updates)) > 1e6:
      return False
    params = jax.tree.map(jnp.add, params, updates)
  return True


def test_norm_is_per_leaf_for_trees_and_abs_for_scalars(nested_params):
  program = parse("def train(w, g, lr):\n  n = norm(g)\n  s = norm(lr)\n  u = g / n\n"
                  "  u = u * s\n  update = u * 0.1\n  return update\n")
  _compare(program, nested_params, steps=3)


def test_encoding_respects_capacity():
  big = parse("def train(w, g, lr):\n" + "".join(
      f"  t{i} = g * {i + 0.5}\n" for i in range(20)) + "".join(
      f"  t0 = t0 + t{i}\n" for i in range(1, 20)) + "  update = t0 * lr\n  return update\n")
  with pytest.raises(machine.TooLarge, match="constants"):
    machine.encode(big, machine.Capacity(statements=48, constants=8))
  with pytest.raises(machine.TooLarge, match="live statements"):
    machine.encode(big, machine.Capacity(statements=16, constants=32))
  encoded = machine.encode(big, machine.Capacity(statements=48, registers=24, constants=32))
  assert int(encoded.count) == 40


def test_dead_statements_are_not_encoded():
  program = parse("def train(w, g, m, lr):\n  junk = exp(g)\n  m = g * 2.0\n"
                  "  update = m * lr\n  return update, m\n")
  assert int(machine.encode(program).count) == 2
