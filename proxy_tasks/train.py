"""The one training loop every task and every optimizer goes through.

``make_trainer(task, make_transform)`` returns a jitted ``run(opt_args, key)``. The
optimizer is built inside the trace from ``opt_args`` (a pytree of arrays), so one compiled
loop can serve many optimizers when ``make_transform`` reads them as data, and a plain
``make_transform`` that ignores ``opt_args`` gives the compile-per-optimizer path.

The loop is a ``lax.while_loop`` that stops early once the training loss is non-finite or
past the task's divergence threshold: a diverging candidate costs little and is reported
as diverged, never as a score. Non-finite final parameters or metric also count as
diverged.

Two extras, off by default (the search never pays for them, and with them off the loop
is traced exactly as without them): ``curve_points`` records the training loss averaged
over that many equal spans of steps, and ``test`` also evaluates the task's test split.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import optax

from proxy_tasks.base import Task


class TrainResult(NamedTuple):
  """What one training run reports (all arrays, so it can leave a jit)."""

  metric: jax.Array  # the task's validation metric after training
  metrics: dict  # every validation metric the task reports
  train_loss: jax.Array  # the last training loss seen
  steps: jax.Array  # the number of steps run
  diverged: jax.Array  # bool: stopped early, or a non-finite metric
  curve: jax.Array | None = None  # mean training loss per span of steps (NaN: not reached)
  test_metrics: dict | None = None  # every test metric, when asked for


def train(task: Task, tx: optax.GradientTransformation, key: jax.Array,
          steps: int | None = None, curve_points: int = 0, test: bool = False) -> TrainResult:
  """Trains ``task`` with ``tx`` from the parameters drawn with ``key`` (traceable).

  Args:
    curve_points: record the mean training loss over this many equal spans of steps.
    test: also evaluate the task's test split (``Task.test``).
  """
  steps = task.steps if steps is None else steps
  if test and task.test is None:
    raise ValueError(f"task {task.name} has no test split")
  init_key, data_key = jax.random.split(key)
  params = task.init(init_key)
  stream = task.stream(data_key)
  grad_fn = jax.value_and_grad(task.loss)

  def keep_going(carry):
    step, _, _, _, bad, _ = carry
    return (step < steps) & ~bad

  def one_step(carry):
    step, params, state, _, _, curve = carry
    loss, grads = grad_fn(params, task.batch(stream, step))
    updates, state = tx.update(grads, state, params)
    params = optax.apply_updates(params, updates)
    bad = ~jnp.isfinite(loss) | (loss > task.diverged_above)
    return step + 1, params, state, loss, bad, _record(curve, step, loss, steps, curve_points)

  # With no curve, its slot holds an empty tuple: no leaves, nothing traced.
  curve = (jnp.zeros([curve_points], jnp.float32),) * 2 if curve_points else ()
  carry = (jnp.zeros([], jnp.int32), params, tx.init(params), jnp.zeros([], jnp.float32),
           jnp.zeros([], bool), curve)
  step, params, _, loss, bad, curve = jax.lax.while_loop(keep_going, one_step, carry)
  metrics = {k: jnp.asarray(v, jnp.float32) for k, v in task.evaluate(params).items()}
  metric = metrics[task.metric]
  finite_params = jnp.all(jnp.array([jnp.all(jnp.isfinite(p)) for p in jax.tree.leaves(params)]))
  diverged = bad | ~jnp.isfinite(metric) | ~finite_params
  return TrainResult(metric, metrics, loss, step, diverged,
                     curve=curve[0] / curve[1] if curve_points else None,
                     test_metrics={k: jnp.asarray(v, jnp.float32)
                                   for k, v in task.test(params).items()} if test else None)


def _record(curve, step, loss, steps: int, points: int):
  """Adds the loss at ``step`` to its span's (sum, count); nothing when not recording."""
  if not points:
    return curve
  sums, counts = curve
  span = step * points // steps
  return sums.at[span].add(loss), counts.at[span].add(1.0)


def make_trainer(task: Task, make_transform: Callable[[Any], optax.GradientTransformation],
                 steps: int | None = None, curve_points: int = 0,
                 test: bool = False) -> Callable[[Any, jax.Array], TrainResult]:
  """A jitted ``run(opt_args, key) -> TrainResult`` with the optimizer built in-trace
  (``curve_points`` and ``test`` as for ``train``)."""

  @jax.jit
  def run(opt_args, key):
    return train(task, make_transform(opt_args), key, steps, curve_points, test)

  return run
