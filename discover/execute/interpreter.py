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

``runner`` is the one statement loop of the project: the exporter (constants as named
hyperparameters) and the detector (constants as a traced vector) run programs through it
with their own constant lookup, and ``transformation`` is the one optax init/update body.
"""

from __future__ import annotations

from typing import Any, NamedTuple
from collections.abc import Callable

import jax
import jax.numpy as jnp
import optax

from discover.dsl import analysis
from discover.dsl.program import GRADIENT, LEARNING_RATE, STEP, WEIGHTS, Const, Program, Var
from primitives import REGISTRY, Kind

# constant(constants, site, value): the value of the constant at site (statement index,
# argument index), written ``value`` in the text; ``constants`` is what run was passed.
Constant = Callable[[Any, tuple[int, int], float], Any]


class ProgramState(NamedTuple):
  """Optimizer state: the update count and one tree per state slot."""

  count: jax.Array
  slots: tuple[Any, ...]


def _literal(constants, site, value):
  """The constant as the program's text writes it."""
  return value


def runner(program: Program, constant: Constant = _literal) -> Callable:
  """Returns ``run(w, g, slots, lr, step, constants=None) -> (update, new_slots)``.

  Runs the live statements with the registry's ops; slots that never influence the update
  keep their old value. ``constant`` looks each constant up (by default, its text), so a
  caller may feed traced values for them through ``constants``.
  """
  schedule = _schedule(program)
  useful = set(analysis.useful_slots(program))

  def run(w, g, slots, lr, step, constants=None):
    env = {WEIGHTS: w, GRADIENT: g, LEARNING_RATE: lr, STEP: step,
           **dict(zip(program.slots, slots))}
    for i, stmt, op, arg_kinds in schedule:
      args = [env[a.name] if isinstance(a, Var) else constant(constants, (i, k), a.value)
              for k, a in enumerate(stmt.args)]
      env[stmt.target] = op.apply(args, arg_kinds)
    new_slots = tuple(env[name] if name in useful else old
                      for name, old in zip(program.slots, slots))
    return env[program.update], new_slots

  return run


def _schedule(program: Program) -> list[tuple]:
  """``(index, statement, op, argument kinds)`` of each live statement, in order."""
  kinds = analysis.check(program, analysis.MAX_RUN_STATEMENTS)
  live = analysis.live_statements(program)
  env_kinds = analysis.input_kinds(program)
  schedule = []
  for i, stmt in enumerate(program.statements):
    if i in live:
      arg_kinds = tuple(Kind.SCALAR if isinstance(a, Const) else env_kinds[a.name]
                        for a in stmt.args)
      schedule.append((i, stmt, REGISTRY[stmt.op], arg_kinds))
      env_kinds[stmt.target] = kinds[i]
  return schedule


def step_function(program: Program) -> Callable:
  """Returns ``f(w, g, slots, lr, step) -> (update, new_slots)`` for one optimizer step."""
  return runner(program)


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
  return transformation(program, learning_rate, step_function(program))


def _unpack(state: ProgramState) -> tuple[jax.Array, tuple]:
  return state.count, state.slots


def transformation(program: Program, learning_rate: float | Callable[[jax.Array], Any],
                   run: Callable, pack: Callable = ProgramState, unpack: Callable = _unpack,
                   scales_update: bool = False) -> optax.GradientTransformation:
  """The optax ``(init, update)`` pair around ``run`` (a ``runner``): the one body both
  ``as_transform`` and ``export.to_optax`` use.

  Args:
    program: the program ``run`` runs (its slots shape the state).
    learning_rate: a number or an optax schedule, passed to ``run`` as ``lr``.
    run: ``run(w, g, slots, lr, step) -> (update, new_slots)``.
    pack: ``pack(count, slots) -> state``; ``unpack`` is its inverse.
    scales_update: multiply the update by ``lr`` (for a program that never reads it).
  """
  def init(params):
    # Explicit dtypes: zeros_like would inherit weak types, which the first update drops,
    # and the changed state signature would make jit compile a second time.
    zeros = tuple(jax.tree.map(lambda p: jnp.zeros(jnp.shape(p), jnp.result_type(p)), params)
                  for _ in program.slots)
    return pack(jnp.zeros([], jnp.int32), zeros)

  def update(updates, state, params=None):
    if params is None:
      raise ValueError("a discovered program may read the weights: pass params to update")
    count, slots = unpack(state)
    lr = learning_rate(count) if callable(learning_rate) else learning_rate
    lr = jnp.asarray(lr, jnp.float32)
    step = (count + 1).astype(jnp.float32)
    delta, new = run(params, updates, slots, lr, step)
    if scales_update:
      delta = jax.tree.map(lambda d: d * lr, delta)
    delta = jax.tree.map(lambda d, p: jnp.negative(d).astype(p.dtype), delta, params)
    new = tuple(_cast_like(n, old) for n, old in zip(new, slots))
    return delta, pack(optax.safe_increment(count), new)

  return optax.GradientTransformation(init, update)
