"""Mutations: one random edit of a program.

The paper's three kinds:

* ``insert``: a random statement at a random position, calling an enabled op on variables
  in scope there (or constants), assigned to a fresh name or to an existing one (which is
  how state slots get new update rules);
* ``delete``: remove one statement;
* ``modify``: change one argument: a variable to another variable in scope, or a constant
  either resampled from N(0, 1) or multiplied by 2^N(0, 1).

Three that follow the dataflow, so that a step which needs a statement *and* a use of it
is one edit rather than a path through neutral dead code (which rarely survives):

* ``wrap``: insert a statement ``t = op(x, ...)`` right before a live use of ``x`` and
  make that use read ``t`` (or, for a returned value, rewrite it in place at the end);
* ``slot``: insert ``s = interp(x, s, b)`` for a state slot ``s`` before a live use of a
  tree ``x`` and make that use read ``s``: an exponential moving average in one edit (or
  the RMS of ``x``: ``s`` the average of ``x^2``, read through ``sqrt``; or its mean
  ``|x|``; a scale is read half the time as ``x`` divided by it, a scale of ``x`` or of
  the gradient: ``SLOT_FORMS``);
* ``swap_op``: change a live statement's op to another of the same arity, keeping its
  arguments;
* ``term``: make a live use of ``x`` read ``x + c * y``, ``y`` a value in scope and ``c`` a
  constant of random sign that fitting then sets: a weight decay ``+ c * w``, or
  ``g - m`` from ``g``, in one edit.

Inserted ops are drawn by ``op_weights`` (a prior: uniform when None). Dead statements are
allowed: they are staging for later edits. A child that fails ``analysis.check`` (or, with
``protect_lr``, whose update is not linear in ``lr``: ``analysis.lr_linear``) is discarded
and the parent mutated again, so ``mutate`` always returns a valid program.

A mutation's ``detail`` is the edit itself, one or more of ``insert at i: STATEMENT``,
``delete i: STATEMENT`` and ``modify i: STATEMENT`` joined by ``"; "``, each on the program
the ones before it made: ``redo`` rebuilds the child from its parent and the detail.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
from collections.abc import Mapping

import numpy as np

from discover.dsl import analysis
from discover.dsl.program import (GRADIENT, Arg, Const, Program, ProgramError, Statement,
                                  Var, format_statement)
from primitives import REGISTRY

KINDS = ("insert", "delete", "modify", "wrap", "slot", "swap_op", "term")


class MutationError(RuntimeError):
  """No valid child could be made (the configuration leaves no valid edit)."""


@dataclasses.dataclass(frozen=True)
class MutationConfig:
  """How children are made.

  Attributes:
    ops: the ops an inserted statement may call.
    weights: relative frequency of each kind (``KINDS``; a kind left out is never made).
    op_weights: relative frequency of each op in ``ops`` for inserts, wraps and op swaps
      (ops left out weigh 1); None: uniform, drawn as the paper's search drew them.
    constant_probability: chance that an inserted argument is a constant.
    resample_probability: chance a modified constant is resampled (else rescaled).
    max_statements: inserts stop here.
    protect_lr: refuse children whose update is not linear in ``lr``.
    second_edit: the chance that a child gets a second edit on top of its first.
    max_tries: how many invalid children to discard before giving up.
  """

  ops: tuple[str, ...] = tuple(REGISTRY)
  weights: Mapping[str, float] = dataclasses.field(
      default_factory=lambda: {"insert": 1.0, "delete": 1.0, "modify": 1.0})
  op_weights: Mapping[str, float] | None = None
  constant_probability: float = 0.25
  resample_probability: float = 0.5
  max_statements: int = 30
  protect_lr: bool = False
  second_edit: float = 0.0
  max_tries: int = 1000

  def __post_init__(self):
    unknown = [op for op in (*self.ops, *(self.op_weights or ())) if op not in REGISTRY]
    if unknown:
      raise ValueError(f"unknown ops: {unknown}")
    if set(self.weights) - set(KINDS) or not any(w > 0 for w in self.weights.values()):
      raise ValueError(f"weights must be positive for some of {KINDS}")
    if self.op_weights and any(not w >= 0 for w in self.op_weights.values()):
      raise ValueError("op_weights must be >= 0")


@dataclasses.dataclass(frozen=True)
class Mutation:
  """What was done to the parent: kind and a one-line description."""

  kind: str
  detail: str


def mutate(program: Program, rng: np.random.Generator,
           config: MutationConfig = MutationConfig()) -> tuple[Program, Mutation]:
  """A valid child of ``program`` with one mutation, or with ``config.second_edit``'s
  probability two (kinds joined by "+", details by "; "): a step across a valley that
  one edit at a time would have to cross through a worse program.

  Raises:
    MutationError: if ``config.max_tries`` children in a row were invalid.
  """
  if not (config.second_edit and rng.random() < config.second_edit):
    return _edited(program, rng, config, config.protect_lr)
  for _ in range(config.max_tries):
    middle, first = _edited(program, rng, config, protect_lr=False)
    try:
      child, second = _edited(middle, rng, config, config.protect_lr, tries=10)
    except MutationError:
      continue
    if child != program:
      return child, Mutation(f"{first.kind}+{second.kind}", f"{first.detail}; {second.detail}")
  raise MutationError(f"no valid child after {config.max_tries} tries: the enabled ops "
                      f"and mutation weights cannot change this program")


def _edited(program: Program, rng: np.random.Generator, config: MutationConfig,
            protect_lr: bool, tries: int | None = None) -> tuple[Program, Mutation]:
  """A valid child of ``program`` with one edit (``protect_lr``: linear in lr)."""
  kinds, cdf = _kind_cdf(tuple(config.weights.get(k, 0) for k in KINDS))
  for _ in range(tries or config.max_tries):
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
    if protect_lr and not analysis.lr_linear(child):
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


def _draw_op(rng, config, arity: int | None = None):
  """An op for an insert (any arity) or an op swap (this arity), drawn by the prior."""
  ops = config.ops if arity is None else tuple(o for o in config.ops
                                                if REGISTRY[o].arity == arity)
  if not ops:
    return None
  if config.op_weights is None:  # the paper's uniform draw, the same stream as before
    return REGISTRY[ops[rng.integers(len(ops))]]
  _, cdf = _op_cdf(ops, tuple(sorted(config.op_weights.items())))
  if cdf is None:
    return None
  return REGISTRY[ops[bisect.bisect_right(cdf, rng.random())]]


@functools.lru_cache(maxsize=256)
def _op_cdf(ops: tuple[str, ...], weights: tuple[tuple[str, float], ...]):
  table = dict(weights)
  p = np.array([table.get(op, 1.0) for op in ops], float)
  if not p.sum() > 0:
    return ops, None
  cdf = (p / p.sum()).cumsum()
  cdf /= cdf[-1]
  return ops, tuple(cdf.tolist())


def _arguments(op, names, rng, config) -> list[Arg]:
  return [Const(_random_constant(rng)) if rng.random() < config.constant_probability
          else Var(names[rng.integers(len(names))]) for _ in range(op.arity)]


def _insert(program, rng, config):
  if len(program.statements) >= config.max_statements:
    return None
  position = int(rng.integers(len(program.statements) + 1))
  names = _names_before(program, position)
  op = _draw_op(rng, config)
  if op is None:
    return None
  args = _arguments(op, names, rng, config)
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


def _live_uses(program: Program) -> list[tuple[int, int]]:
  """(statement, argument) of every variable a live statement reads."""
  live = analysis.live_statements(program)
  return [(i, k) for i in sorted(live)
          for k, a in enumerate(program.statements[i].args) if type(a) is Var]


def _use_of(program: Program, rng, outputs: bool) -> tuple[int, int | None] | None:
  """A live use drawn uniformly: (statement, argument), or (len(statements), None) for the
  returned update when ``outputs`` (which is then rewritten in place at the end)."""
  uses = _live_uses(program)
  if outputs:
    uses.append((len(program.statements), None))
  return uses[rng.integers(len(uses))] if uses else None


def _read_from(program: Program, i: int, k: int, name: str,
               *inserted: Statement) -> tuple[Program, str, int]:
  """``inserted`` put before statement ``i``, whose argument ``k`` then reads ``name``."""
  stmt = program.statements[i]
  changed = Statement(stmt.target, stmt.op, stmt.args[:k] + (Var(name),) + stmt.args[k + 1:])
  statements = (program.statements[:i] + inserted + (changed,) + program.statements[i + 1:])
  edits = [f"insert at {i + n}: {_show(s)}" for n, s in enumerate(inserted)]
  detail = "; ".join(edits + [f"modify {i + len(inserted)}: {_show(changed)}"])
  return program.replace(statements=statements), detail, i


def _wrap(program, rng, config):
  if len(program.statements) >= config.max_statements:
    return None
  use = _use_of(program, rng, outputs=True)
  op = _draw_op(rng, config)
  if use is None or op is None or op.arity == 0:
    return None
  i, k = use
  x = program.update if k is None else program.statements[i].args[k].name
  args = _arguments(op, _names_before(program, i), rng, config)
  args[rng.integers(op.arity)] = Var(x)
  if k is None:  # the returned update: rewritten in place, after everything
    stmt = Statement(x, op.name, tuple(args))
    child = program.replace(statements=program.statements + (stmt,))
    return child, f"insert at {i}: {_show(stmt)}", i
  fresh = _fresh(program)
  return _read_from(program, i, k, fresh, Statement(fresh, op.name, tuple(args)))


# What a slot move keeps in the slot and how the use reads it: an EMA of x, the RMS of x
# (the EMA of x^2, read through sqrt) or the mean |x|, as optimizers keep them; a scale
# (RMS, mean |x|) is read half the time as x divided by it, as adaptive methods do, the
# scale then of x or of the gradient.
SLOT_FORMS = (("ema", None, None, 0.4), ("rms", "square", "sqrt", 0.3),
              ("mean_abs", "abs", None, 0.3))
NORMALISE = 0.5


def _slot(program, rng, config):
  if len(program.statements) + 4 > config.max_statements or not program.slots:
    return None
  use = _use_of(program, rng, outputs=False)
  if use is None:
    return None
  i, k = use
  idle = [s for s in program.slots if s not in analysis.useful_slots(program)]
  pool = idle or list(program.slots)
  slot = pool[rng.integers(len(pool))]
  x = program.statements[i].args[k].name
  if x == slot:
    return None
  # An EMA weight spread evenly over 1 - b in [0.001, 0.3]: horizons of 3 to 1000 steps.
  weight = float(np.float32(1.0 - 10.0 ** rng.uniform(-3.0, np.log10(0.3))))
  form, before, after, _ = SLOT_FORMS[bisect.bisect_right(_SLOT_CDF, rng.random())]
  normalise = form != "ema" and rng.random() < NORMALISE
  # x over a scale of x itself, or of the gradient (Adam's m over the RMS of g).
  source = GRADIENT if normalise and rng.random() < 0.5 else x
  statements, fed = [], source
  names = iter(_fresh_names(program))
  if before is not None:
    fed = next(names)
    statements.append(Statement(fed, before, (Var(source),)))
  statements.append(Statement(slot, "interp", (Var(fed), Var(slot), Const(weight))))
  read = slot
  if after is not None:
    read = next(names)
    statements.append(Statement(read, after, (Var(slot),)))
  if normalise:
    scale, read = read, next(names)
    statements.append(Statement(read, "div", (Var(x), Var(scale))))
  return _read_from(program, i, k, read, *statements)


_SLOT_CDF = tuple(np.cumsum([f[3] for f in SLOT_FORMS]) / sum(f[3] for f in SLOT_FORMS))


def _term(program, rng, config):
  if len(program.statements) + 2 > config.max_statements:
    return None
  use = _use_of(program, rng, outputs=False)
  if use is None:
    return None
  i, k = use
  x = program.statements[i].args[k].name
  others = [name for name in _names_before(program, i) if name != x]
  if not others:
    return None
  y = others[rng.integers(len(others))]
  # Fitting keeps a constant's sign and moves its size on a log scale: the sign is drawn.
  c = float(np.float32(rng.choice((-1.0, 1.0)) * 10.0 ** rng.uniform(-2.0, 0.0)))
  scaled, total = itertools.islice(_fresh_names(program), 2)
  return _read_from(program, i, k, total, Statement(scaled, "mul", (Var(y), Const(c))),
                    Statement(total, "add", (Var(x), Var(scaled))))


def _fresh_names(program: Program):
  """Fresh names, one after another."""
  used = set(program.inputs) | {s.target for s in program.statements}
  n = len(program.statements)
  while True:
    if f"v{n}" not in used:
      yield f"v{n}"
    n += 1


def _swap_op(program, rng, config):
  live = sorted(analysis.live_statements(program))
  if not live:
    return None
  i = live[rng.integers(len(live))]
  stmt = program.statements[i]
  op = _draw_op(rng, config, arity=len(stmt.args))
  if op is None or op.name == stmt.op:
    return None
  changed = Statement(stmt.target, op.name, stmt.args)
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
  return next(_fresh_names(program))


def _show(stmt: Statement) -> str:
  return format_statement(stmt)


_MAKERS = {"insert": _insert, "delete": _delete, "modify": _modify, "wrap": _wrap,
           "slot": _slot, "swap_op": _swap_op, "term": _term}


def redo(program: Program, detail: str) -> Program:
  """The child that the mutation described by ``detail`` (``Mutation.detail``: "insert at
  3: ...", "delete 3: ...", "modify 3: ...", or several joined by "; ") makes of
  ``program``.

  The detail names the position and the whole new (or removed) statement, so it is the
  edit itself: an event log can keep it instead of the child's text.

  Raises:
    ProgramError: the detail does not describe a mutation of this program.
  """
  for edit in detail.split("; "):
    program = _redo_one(program, edit)
  return program


def _redo_one(program: Program, detail: str) -> Program:
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
