"""A register machine that runs any program passed as data: no compile per candidate.

The evaluator compiles one training loop per task and worker; each candidate arrives as
arrays (:class:`Encoded`) and runs at once. The machine works on the
*flattened* parameter vector (``jax.flatten_util.ravel_pytree``), so a statement is one op
on one vector, however many leaves the model has.

Layout: one register per variable name, each a vector as long as the parameters, plus one
register per constant, filled once per run. Executing statements in order on named
registers is exactly the program's sequential semantics, so state slots are simply the
slots' registers carried from step to step. Only live statements run (``lax.fori_loop``
over them, ``lax.switch`` on the op id, arguments read inside the branch, which measured
fastest); a dead slot's register is never written and stays zero, as in the reference
interpreter.

Values live in two register files over one index space: vectors (``T``, one row per
register) and scalars (``S``). A scalar value is written to both, its row holding it
broadcast, so leafwise ops on trees read every argument from ``T``, while statements whose
arguments are all scalars (bias corrections, scaled learning rates) compute once on ``S``
(computing ``power(b1, step)`` on every element instead cost 4x the whole step).
``norm`` of a scalar is ``|x|`` (of a tree, per leaf); tree-level ops read scalar
arguments from ``S``. Sums over the flat vector add in a different order than sums over
leaves, so tree-level ops can differ from the reference in the last bits.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from discover.dsl import analysis
from discover.dsl.program import Const, Program
from primitives import REGISTRY, Kind

# Branches: every op on vectors, then every leafwise op on scalars.
OP_NAMES = tuple(REGISTRY)
VECTOR_IDS = {name: i for i, name in enumerate(OP_NAMES)}
SCALAR_NAMES = tuple(n for n in OP_NAMES if REGISTRY[n].leafwise)
SCALAR_IDS = {name: len(OP_NAMES) + i for i, name in enumerate(SCALAR_NAMES)}
MAX_ARITY = 3


@dataclasses.dataclass(frozen=True)
class Capacity:
  """The fixed sizes one compiled machine serves; larger programs take the compiled path."""

  # Every register costs time each step (the file is rewritten as the loop carries it):
  # on the digits MLP, 90 registers made SGD 45% slower than 48.
  statements: int = 32  # live statements
  registers: int = 24  # distinct variable names besides the inputs and slots
  constants: int = 16
  slots: int = 4


class Encoded(NamedTuple):
  """A program as arrays (a pytree, so it passes through ``jit`` as an argument)."""

  ops: np.ndarray  # (statements,) int32 op ids
  args: np.ndarray  # (statements, MAX_ARITY) int32 register ids
  targets: np.ndarray  # (statements,) int32 register ids
  count: np.ndarray  # () int32: live statements to run
  constants: np.ndarray  # (constants,) float32
  update: np.ndarray  # () int32: the register holding the update


class TooLarge(ValueError):
  """The program does not fit the machine's capacity."""


# Fixed registers: inputs first, then the slots, then the program's own names.
W, G, LR, STEP = 0, 1, 2, 3
FIRST_SLOT = 4


def encode(program: Program, capacity: Capacity = Capacity()) -> Encoded:
  """Encodes a checked program's live statements for the machine.

  Raises:
    TooLarge: if it needs more statements, registers, constants or slots than fit.
  """
  kinds = analysis.check(program, analysis.MAX_RUN_STATEMENTS)
  live = sorted(analysis.live_statements(program))
  if len(program.slots) > capacity.slots:
    raise TooLarge(f"{len(program.slots)} state slots (capacity {capacity.slots})")
  if len(live) > capacity.statements:
    raise TooLarge(f"{len(live)} live statements (capacity {capacity.statements})")
  registers = {"w": W, "g": G, "lr": LR, "step": STEP}
  registers.update({s: FIRST_SLOT + i for i, s in enumerate(program.slots)})
  first_free = FIRST_SLOT + capacity.slots
  constants: list[float] = []
  env_kinds = analysis.input_kinds(program)
  ops = np.zeros(capacity.statements, np.int32)
  args = np.zeros((capacity.statements, MAX_ARITY), np.int32)
  targets = np.zeros(capacity.statements, np.int32)
  const_base = first_free + capacity.registers

  def register(name):
    if name not in registers:
      registers[name] = first_free + len(registers) - FIRST_SLOT - len(program.slots)
      if registers[name] >= const_base:
        raise TooLarge(f"more than {capacity.registers} variables")
    return registers[name]

  for row, index in enumerate(live):
    stmt = program.statements[index]
    arg_kinds = []
    for k, arg in enumerate(stmt.args):
      if isinstance(arg, Const):
        if len(constants) >= capacity.constants:
          raise TooLarge(f"more than {capacity.constants} constants")
        args[row, k] = const_base + len(constants)
        constants.append(arg.value)
        arg_kinds.append(Kind.SCALAR)
      else:
        args[row, k] = register(arg.name)
        arg_kinds.append(env_kinds[arg.name])
    op = REGISTRY[stmt.op]
    scalar = op.leafwise and op.result_kind(arg_kinds) is Kind.SCALAR
    ops[row] = SCALAR_IDS["abs" if op.name == "norm" else op.name] if scalar else VECTOR_IDS[op.name]
    targets[row] = register(stmt.target)
    env_kinds[stmt.target] = kinds[index]
  values = np.zeros(capacity.constants, np.float32)
  values[:len(constants)] = constants
  return Encoded(ops, args, targets, np.int32(len(live)), values,
                 np.int32(registers[program.update]))


def n_registers(capacity: Capacity) -> int:
  return FIRST_SLOT + capacity.slots + capacity.registers + capacity.constants


def _vector_branch(op, segments, n_segments):
  """Returns (row, scalar) for an op with at least one tree argument, or a tree-level op."""
  def run(rows, scalars, arg_ids):
    if op.leafwise:
      xs = [rows[arg_ids[k]] for k in range(op.arity)]
      if op.name == "norm":
        value = jnp.sqrt(jax.ops.segment_sum(xs[0] * xs[0], segments, n_segments))[segments]
      else:
        value = op.fn(*xs)
      return jnp.broadcast_to(value, rows.shape[1:]), jnp.zeros([], rows.dtype)
    xs = [rows[arg_ids[k]] if kind is Kind.TREE else scalars[arg_ids[k]]
          for k, kind in enumerate(op.arg_kinds)]
    value = op.fn(*xs)
    if op.result is Kind.SCALAR:
      return jnp.broadcast_to(value, rows.shape[1:]), value
    return value, jnp.zeros([], rows.dtype)
  return run


def _scalar_branch(op):
  """Returns (broadcast row, scalar) for a leafwise op whose arguments are all scalars."""
  def run(rows, scalars, arg_ids):
    value = op.fn(*[scalars[arg_ids[k]] for k in range(op.arity)])
    return jnp.broadcast_to(value, rows.shape[1:]), value
  return run


class MachineState(NamedTuple):
  rows: jax.Array  # (n_registers, size): slots persist, temporaries are rewritten
  scalars: jax.Array  # (n_registers,)
  count: jax.Array


def machine_transform(encoded: Encoded, schedule, size: int, segments: np.ndarray,
                      capacity: Capacity = Capacity()):
  """An optax-style ``(init, update)`` over flat parameter vectors of length ``size``.

  Args:
    encoded: the program (traced arrays when called inside ``jit``).
    schedule: ``count -> lr``.
    size: the flat parameter vector's length.
    segments: (size,) int32, the leaf each element belongs to (for ``norm``).
    capacity: the capacity ``encoded`` was made with.
  """
  encoded = Encoded(*map(jnp.asarray, encoded))  # numpy constants index badly with tracers
  n_segments = int(segments.max()) + 1 if segments.size else 1
  segments = jnp.asarray(segments)
  branches = ([_vector_branch(REGISTRY[n], segments, n_segments) for n in OP_NAMES]
              + [_scalar_branch(REGISTRY[n]) for n in SCALAR_NAMES])
  const_base = n_registers(capacity) - capacity.constants

  def init(params):
    del params
    n = n_registers(capacity)
    consts = jnp.asarray(encoded.constants, jnp.float32)
    rows = jnp.zeros((n, size), jnp.float32).at[const_base:].set(
        jnp.broadcast_to(consts[:, None], (capacity.constants, size)))
    scalars = jnp.zeros((n,), jnp.float32).at[const_base:].set(consts)
    return MachineState(rows, scalars, jnp.zeros([], jnp.int32))

  def update(grads, state, params):
    lr = jnp.asarray(schedule(state.count), jnp.float32)
    step = (state.count + 1).astype(jnp.float32)
    rows = state.rows.at[W].set(params).at[G].set(grads)
    rows = rows.at[LR].set(jnp.broadcast_to(lr, (size,)))
    rows = rows.at[STEP].set(jnp.broadcast_to(step, (size,)))
    scalars = state.scalars.at[LR].set(lr).at[STEP].set(step)

    def statement(k, files):
      rows, scalars = files
      row, scalar = jax.lax.switch(encoded.ops[k], branches, rows, scalars, encoded.args[k])
      target = encoded.targets[k]
      return rows.at[target].set(row), scalars.at[target].set(scalar)

    rows, scalars = jax.lax.fori_loop(0, encoded.count, statement, (rows, scalars))
    return -rows[encoded.update], MachineState(rows, scalars, state.count + 1)

  return init, update
