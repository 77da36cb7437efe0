"""Tests for discover.execute.interpreter: the optax-style (init, update) pair of a program."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from discover import as_transform
from discover.dsl.parse import parse
from discover.dsl.baselines import BASELINES
from discover.execute.interpreter import ProgramState


def test_state_is_a_pytree_of_slots_shaped_like_params(nested_params):
  tx = as_transform(BASELINES["adam"].program(), 1e-3)
  state = tx.init(nested_params)
  assert isinstance(state, ProgramState) and len(state.slots) == 2
  for slot in state.slots:
    assert jax.tree.structure(slot) == jax.tree.structure(nested_params)
    assert all(float(jnp.abs(x).max()) == 0.0 for x in jax.tree.leaves(slot))


def test_learning_rate_schedule_and_step_counter_reach_the_program(nested_params):
  # update = g * lr * step: with g = 1 the update is -(schedule(count) * (count + 1)).
  program = parse("def train(w, g, lr, step):\n  a = g * lr\n  update = a * step\n"
                  "  return update\n")
  schedule = optax.linear_schedule(1.0, 0.0, transition_steps=10)
  tx = as_transform(program, schedule)
  state = tx.init(nested_params)
  ones = jax.tree.map(jnp.ones_like, nested_params)
  update = jax.jit(tx.update)
  for count in range(4):
    updates, state = update(ones, state, nested_params)
    expected = -float(schedule(count)) * (count + 1)
    for leaf in jax.tree.leaves(updates):
      np.testing.assert_allclose(leaf, expected, rtol=1e-6)
  assert int(state.count) == 4


def test_updates_keep_parameter_dtypes(nested_params):
  params = jax.tree.map(lambda p: p.astype(jnp.bfloat16), nested_params)
  tx = as_transform(BASELINES["adamw"].program(), optax.constant_schedule(1e-3))
  state = tx.init(params)
  grads = jax.tree.map(jnp.ones_like, params)
  updates, new_state = jax.jit(tx.update)(grads, state, params)
  assert all(u.dtype == jnp.bfloat16 for u in jax.tree.leaves(updates))
  assert jax.tree.map(lambda x: x.dtype, new_state) == jax.tree.map(lambda x: x.dtype, state)


def test_jit_compiles_once_across_updates(nested_params):
  tx = as_transform(BASELINES["lion"].program(), 1e-3)
  traces = []

  @jax.jit
  def step(grads, state, params):
    traces.append(1)
    return tx.update(grads, state, params)

  state = tx.init(nested_params)
  for _ in range(3):
    updates, state = step(nested_params, state, nested_params)
  assert len(traces) == 1


def test_dead_slots_stay_zero_and_do_not_change_updates(nested_params):
  with_dead = parse("def train(w, g, m, v, lr):\n  m = interp(g, m, 0.9)\n"
                    "  v = v + g\n  update = m * lr\n  return update, m, v\n")
  without = parse("def train(w, g, m, lr):\n  m = interp(g, m, 0.9)\n"
                  "  update = m * lr\n  return update, m\n")
  a, b = as_transform(with_dead, 0.1), as_transform(without, 0.1)
  sa, sb = a.init(nested_params), b.init(nested_params)
  for _ in range(3):
    ua, sa = a.update(nested_params, sa, nested_params)
    ub, sb = b.update(nested_params, sb, nested_params)
    assert jax.tree.all(jax.tree.map(lambda x, y: bool(jnp.all(x == y)), ua, ub))
  assert all(float(jnp.abs(x).max()) == 0.0 for x in jax.tree.leaves(sa.slots[1]))


def test_update_without_params_is_a_clear_error(nested_params):
  tx = as_transform(BASELINES["sgd"].program(), 0.1)
  with pytest.raises(ValueError, match="pass params"):
    tx.update(nested_params, tx.init(nested_params))


def test_paper_adamw_warm_start_descends_a_quadratic():
  tx = as_transform(BASELINES["adamw_paper"].program(), 10.0)  # lr is scaled by 0.001 inside
  params = jnp.array([3.0, -2.0, 1.0])
  state = tx.init(params)
  for _ in range(300):
    updates, state = tx.update(params, state, params)  # gradient of |p|^2 / 2
    params = params + updates
  assert float(jnp.abs(params).max()) < 0.2
