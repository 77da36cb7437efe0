"""The one training loop every task and every optimizer goes through.

``make_trainer(task, make_transform)`` returns a jitted ``run(opt_args, key)``. The
optimizer is built inside the trace from ``opt_args`` (a pytree of arrays), so one compiled
loop can serve many optimizers when ``make_transform`` reads them as data, and a plain
``make_transform`` that ignores ``opt_args`` gives the compile-per-optimizer path.

The loop is a ``lax.while_loop`` that stops early once the training loss is non-finite or
past the task's divergence threshold: a diverging candidate costs little and is reported
as diverged, never as a score. Non-finite final parameters or metric also count as
diverged.
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


def train(task: Task, tx: optax.GradientTransformation, key: jax.Array,
          steps: int | None = None) -> TrainResult:
  """Trains ``task`` with ``tx`` from the parameters drawn with ``key`` (traceable)."""
  steps = task.steps if steps is None else steps
  init_key, data_key = jax.random.split(key)
  params = task.init(init_key)
  stream = task.stream(data_key)
  grad_fn = jax.value_and_grad(task.loss)

  def keep_going(carry):
    step, _, _, _, bad = carry
    return (step < steps) & ~bad

  def one_step(carry):
    step, params, state, _, _ = carry
    loss, grads = grad_fn(params, task.batch(stream, step))
    updates, state = tx.update(grads, state, params)
    params = optax.apply_updates(params, updates)
    bad = ~jnp.isfinite(loss) | (loss > task.diverged_above)
    return step + 1, params, state, loss, bad

  carry = (jnp.zeros([], jnp.int32), params, tx.init(params), jnp.zeros([], jnp.float32),
           jnp.zeros([], bool))
  step, params, _, loss, bad = jax.lax.while_loop(keep_going, one_step, carry)
  metrics = {k: jnp.asarray(v, jnp.float32) for k, v in task.evaluate(params).items()}
  metric = metrics[task.metric]
  finite_params = jnp.all(jnp.array([jnp.all(jnp.isfinite(p)) for p in jax.tree.leaves(params)]))
  return TrainResult(metric, metrics, loss, step, bad | ~jnp.isfinite(metric) | ~finite_params)


def make_trainer(task: Task, make_transform: Callable[[Any], optax.GradientTransformation],
                 steps: int | None = None) -> Callable[[Any, jax.Array], TrainResult]:
  """A jitted ``run(opt_args, key) -> TrainResult`` with the optimizer built in-trace."""

  @jax.jit
  def run(opt_args, key):
    return train(task, make_transform(opt_args), key, steps)

  return run
