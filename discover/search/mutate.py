"""Mutations: one random edit of a program, as in the paper.

Three kinds, weighted by configuration:

* ``insert``: a random statement at a random position, calling an enabled op on variables
  in scope there (or constants), assigned to a fresh name or to an existing one (which is
  how state slots get new update rules);
* ``delete``: remove one statement;
* ``modify``: change one argument: a variable to another variable in scope, or a constant
  either resampled from N(0, 1) or multiplied by 2^N(0, 1).

Dead statements are allowed: they are staging for later edits. A child that fails
``analysis.check`` is discarded and the parent mutated again, so ``mutate`` always returns
a valid program.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
from collections.abc import Mapping

import numpy as np

from discover.dsl import analysis
from discover.dsl.program import (Arg, Const, Program, ProgramError, Statement, Var,
                              format_statement)
from primitives import REGISTRY

KINDS = ("insert", "delete", "modify")


class MutationError(RuntimeError):
  """No valid child could be made (the configuration leaves no valid edit)."""


@dataclasses.dataclass(frozen=True)
class MutationConfig:
  """How children are made.

  Attributes:
    ops: the ops an inserted statement may call.
    weights: relative frequency of insert, delete and modify.
    constant_probability: chance that an inserted argument is a constant.
    resample_probability: chance a modified constant is resampled (else rescaled).
    max_statements: inserts stop here.
    max_tries: how many invalid children to discard before giving up.
  """

  ops: tuple[str, ...] = tuple(REGISTRY)
  weights: Mapping[str, float] = dataclasses.field(
      default_factory=lambda: {"insert": 1.0, "delete": 1.0, "modify": 1.0})
  constant_probability: float = 0.25
  resample_probability: float = 0.5
  max_statements: int = 30
  max_tries: int = 1000

  def __post_init__(self):
    unknown = [op for op in self.ops if op not in REGISTRY]
    if unknown:
      raise ValueError(f"unknown ops: {unknown}")
    if set(self.weights) - set(KINDS) or not any(w > 0 for w in self.weights.values()):
      raise ValueError(f"weights must be positive for some of {KINDS}")


@dataclasses.dataclass(frozen=True)
class Mutation:
  """What was done to the parent: kind and a one-line description."""

  kind: str
  detail: str


def mutate(program: Program, rng: np.random.Generator,
           config: MutationConfig = MutationConfig()) -> tuple[Program, Mutation]:
  """A valid child of ``program`` with one mutation.

  Raises:
    MutationError: if ``config.max_tries`` children in a row were invalid.
  """
  kinds, cdf = _kind_cdf(tuple(config.weights.get(k, 0) for k in KINDS))
  for _ in range(config.max_tries):
    # The draw of rng.choice(len(kinds), p=...), which inverts this cdf at one
    # rng.random() without its argument checks (costly per child): the same kind, the same
    # stream.
    kind = kinds[bisect.bisect_right(cdf, rng.random())]
    made = _MAKERS[kind](program, rng, config)
    if made is None:
      continue
    child, detail, position = made
    try:
      analysis.check_edit(child, program, position)
    except ProgramError:
      continue
    return child, Mutation(kind, detail)
  raise MutationError(f"no valid child after {config.max_tries} tries: the enabled ops "
                      f"and mutation weights cannot change this program")


@functools.lru_cache(maxsize=64)
def _kind_cdf(weights: tuple[float, ...]) -> tuple[tuple[str, ...], tuple[float, ...]]:
  """The kinds with positive weight and their cumulative distribution, computed as
  ``numpy.random.Generator.choice`` computes it."""
  kinds = tuple(k for k, w in zip(KINDS, weights) if w > 0)
  p = np.array([w for w in weights if w > 0], float)
  cdf = (p / p.sum()).cumsum()
  cdf /= cdf[-1]
  return kinds, tuple(cdf.tolist())


def _names_before(program: Program, position: int) -> list[str]:
  names = list(program.inputs)
  for stmt in program.statements[:position]:
    if stmt.target not in names:
      names.append(stmt.target)
  return names


def _random_constant(rng) -> float:
  return float(np.float32(rng.normal()))


def _insert(program, rng, config):
  if len(program.statements) >= config.max_statements:
    return None
  position = int(rng.integers(len(program.statements) + 1))
  names = _names_before(program, position)
  op = REGISTRY[config.ops[rng.integers(len(config.ops))]]
  args: list[Arg] = [Const(_random_constant(rng)) if rng.random() < config.constant_probability
                     else Var(names[rng.integers(len(names))]) for _ in range(op.arity)]
  if rng.random() < 0.5:
    target = names[rng.integers(2, len(names))] if len(names) > 2 else _fresh(program)
  else:
    target = _fresh(program)
  stmt = Statement(target, op.name, tuple(args))
  statements = program.statements[:position] + (stmt,) + program.statements[position:]
  child = program.replace(statements=statements)
  return child, f"insert at {position}: {_show(stmt)}", position


def _delete(program, rng, config):
  if len(program.statements) <= 1:
    return None
  position = int(rng.integers(len(program.statements)))
  removed = program.statements[position]
  statements = program.statements[:position] + program.statements[position + 1:]
  child = program.replace(statements=statements)
  return child, f"delete {position}: {_show(removed)}", position


def _modify(program, rng, config):
  picked = _pick_argument(program, rng)
  if picked is None:
    return None
  i, k = picked
  stmt = program.statements[i]
  old = stmt.args[k]
  if isinstance(old, Const):
    if rng.random() < config.resample_probability:
      new: Arg = Const(_random_constant(rng))
    else:
      new = Const(float(np.float32(old.value * 2.0 ** rng.normal())))
  else:
    names = _names_before(program, i)
    new = Var(names[rng.integers(len(names))])
  if new == old:
    return None
  args = stmt.args[:k] + (new,) + stmt.args[k + 1:]
  changed = Statement(stmt.target, stmt.op, args)
  statements = program.statements[:i] + (changed,) + program.statements[i + 1:]
  return program.replace(statements=statements), f"modify {i}: {_show(changed)}", i


def _pick_argument(program: Program, rng) -> tuple[int, int] | None:
  """A uniformly drawn (statement, argument) position, or None if there is none."""
  ends = list(itertools.accumulate(len(s.args) for s in program.statements))
  if not ends or not ends[-1]:
    return None
  # One draw over the flattened positions, found without building them all.
  k = int(rng.integers(ends[-1]))
  i = bisect.bisect_right(ends, k)
  return i, k - (ends[i - 1] if i else 0)


def _fresh(program: Program) -> str:
  used = set(program.inputs) | {s.target for s in program.statements}
  n = len(program.statements)
  while f"v{n}" in used:
    n += 1
  return f"v{n}"


def _show(stmt: Statement) -> str:
  return format_statement(stmt)


_MAKERS = {"insert": _insert, "delete": _delete, "modify": _modify}


def redo(program: Program, detail: str) -> Program:
  """The child that the mutation described by ``detail`` (``Mutation.detail``: "insert at
  3: ...", "delete 3: ...", "modify 3: ...") makes of ``program``.

  The detail names the position and the whole new (or removed) statement, so it is the
  edit itself: an event log can keep it instead of the child's text.

  Raises:
    ProgramError: the detail does not describe a mutation of this program.
  """
  from discover.dsl.parse import parse
  from discover.dsl.program import to_text

  head, _, statement = detail.partition(": ")
  kind, _, position = head.rpartition(" ")
  lines = to_text(program).split("\n")
  line = int(position) + 1 if position.isdigit() else len(lines)  # after the signature
  if line >= len(lines) - 2 + (kind == "insert at"):  # past the last statement
    raise ProgramError(f"not a mutation of this program: {detail!r}")
  if kind == "insert at":
    lines.insert(line, "  " + statement)
  elif kind == "delete" and lines[line] == "  " + statement:
    del lines[line]
  elif kind == "modify":
    lines[line] = "  " + statement
  else:
    raise ProgramError(f"not a mutation of this program: {detail!r}")
  return parse("\n".join(lines))
