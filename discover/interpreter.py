"""The reference interpreter: a program becomes an optax-style ``(init, update)`` pair.

The program's statements are traced into JAX once per program (so ``jit`` compiles one
XLA computation per program); only live statements are executed, and state slots that
never influence the update stay at zero. This is the plain, obviously-correct path: the
fast evaluator of the search must agree with it, and baselines are checked through it
against optax.

Conventions (shared with the exporter):

* ``lr`` is the schedule's value at the current count (0 on the first update), like
  ``optax.scale_by_learning_rate``; ``step`` is the 1-based update number, as in optax's
  bias correction.
* The program returns the amount to *subtract*; optax adds updates, so ``update`` returns
  its negation.
* Results and state keep the dtype of the parameters (scalar math may run in float32).
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import optax

from discover import analysis
from discover.program import GRADIENT, LEARNING_RATE, STEP, WEIGHTS, Const, Program
from primitives import REGISTRY, Kind


class ProgramState(NamedTuple):
  """Optimizer state: the update count and one tree per state slot."""

  count: jax.Array
  slots: tuple[Any, ...]


def step_function(program: Program) -> Callable:
  """Returns ``f(w, g, slots, lr, step) -> (update, new_slots)`` for one optimizer step."""
  kinds = analysis.check(program)
  live = analysis.live_statements(program)
  schedule = [(s, kinds[i], i) for i, s in enumerate(program.statements) if i in live]
  useful = set(analysis.useful_slots(program))

  def run(w, g, slots, lr, step):
    env = {WEIGHTS: w, GRADIENT: g, LEARNING_RATE: lr, STEP: step, **dict(zip(program.slots, slots))}
    env_kinds = {name: Kind.TREE for name in (WEIGHTS, GRADIENT, *program.slots)}
    env_kinds.update({LEARNING_RATE: Kind.SCALAR, STEP: Kind.SCALAR})
    for stmt, kind, _ in schedule:
      args = [a.value if isinstance(a, Const) else env[a.name] for a in stmt.args]
      arg_kinds = [Kind.SCALAR if isinstance(a, Const) else env_kinds[a.name]
                   for a in stmt.args]
      env[stmt.target] = REGISTRY[stmt.op].apply(args, arg_kinds)
      env_kinds[stmt.target] = kind
    new_slots = tuple(env[name] if name in useful else old
                      for name, old in zip(program.slots, slots))
    return env[program.update], new_slots

  return run


def _cast_like(tree, like):
  return jax.tree.map(lambda x, ref: jnp.asarray(x).astype(ref.dtype), tree, like)


def as_transform(program: Program,
                 learning_rate: float | Callable[[jax.Array], Any] = 1.0
                 ) -> optax.GradientTransformation:
  """The program as an ``optax.GradientTransformation``.

  Args:
    program: a valid program.
    learning_rate: a number or an optax schedule; the program sees its value as ``lr``.

  Returns:
    A transformation whose ``update`` needs ``params`` (programs may read ``w``).
  """
  run = step_function(program)

  def init(params):
    # Explicit dtypes: zeros_like would inherit weak types, which the first update drops,
    # and the changed state signature would make jit compile a second time.
    zeros = tuple(jax.tree.map(lambda p: jnp.zeros(jnp.shape(p), jnp.result_type(p)), params)
                  for _ in program.slots)
    return ProgramState(count=jnp.zeros([], jnp.int32), slots=zeros)

  def update(updates, state, params=None):
    if params is None:
      raise ValueError("a discovered program may read the weights: pass params to update")
    count = state.count
    lr = learning_rate(count) if callable(learning_rate) else learning_rate
    lr = jnp.asarray(lr, jnp.float32)
    step = (count + 1).astype(jnp.float32)
    delta, slots = run(params, updates, state.slots, lr, step)
    delta = jax.tree.map(lambda d, p: jnp.negative(d).astype(p.dtype), delta, params)
    slots = tuple(_cast_like(new, old) for new, old in zip(slots, state.slots))
    return delta, ProgramState(count=optax.safe_increment(count), slots=slots)

  return optax.GradientTransformation(init, update)
