"""Analysis without training: checking, liveness and the canonical dataflow hash.

* ``check`` is abstract execution over the kind algebra of ``primitives.registry``
  (tree or scalar): every op known, called with the right number and kinds of arguments,
  every variable defined before use and named by a non-keyword identifier, every
  constant finite and in range, the update and the state slots trees. It costs
  microseconds, so invalid children never reach training.
* ``dataflow`` resolves each argument to the statement or input that produced it.
* ``useful_slots`` is cross-step liveness: a slot matters only if the update depends on it,
  directly or through other slots that matter, in some later step. A slot whose value is
  overwritten before it is read is therefore dead, and so is its write.
* ``live_statements``: those that reach the update or the write of a useful slot.
* ``reads_lr``: whether the update depends on the ``lr`` input at all (the step size is the
  user's only if it does; ``discover.export.transform`` and ``evaluate.scale_learning_rate`` scale the
  update itself when it does not).
* ``lr_degrees`` and ``lr_linear``: each output's degree in ``lr`` from the op registry's
  ``lr_rule`` (``primitives.registry.Op``), and whether that proves the update linear in
  ``lr`` with a state that never depends on it (so doubling ``lr`` doubles every update).
* ``dataflow_hash``: equal for programs that differ only in variable names, slot names and
  order, or dead statements; different when an op, a constant or an argument position
  changes. Constants hash at float32 precision, the precision they run at.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import hashlib
import keyword
import math
import unicodedata
from fractions import Fraction
from functools import cached_property

import numpy as np

from discover.dsl.program import (GRADIENT, LEARNING_RATE, RESERVED, STEP, WEIGHTS,
                              Program, ProgramError, Var)
from primitives import REGISTRY, Kind

MAX_STATEMENTS = 1000
# Running a program may take one statement more: the evaluator tunes a rule's step size by
# adding one (``evaluate.scale_learning_rate``), to a program at the cap too.
MAX_RUN_STATEMENTS = MAX_STATEMENTS + 1
MAX_SLOTS = 16
MAX_NAME_LENGTH = 64
MAX_ABS_CONSTANT = 1e30


# A reference to where a value comes from: ("in", name), ("stmt", index) or ("const", v).
Ref = tuple


def check(program: Program, max_statements: int = MAX_STATEMENTS) -> list[Kind]:
  """Abstract execution: raises ProgramError unless the program is valid.

  Errors carry the line the problem has in the canonical text (statement i on line i + 2).

  Args:
    program: the program.
    max_statements: its longest allowed length (``MAX_RUN_STATEMENTS`` to run one).

  Returns:
    The kind of each statement's result.
  """
  if len(program.slots) > MAX_SLOTS:
    raise ProgramError(f"too many state slots: {len(program.slots)} (at most {MAX_SLOTS})", 1)
  # Before the memo, which may hold a program checked under a larger limit.
  if len(program.statements) > max_statements:
    raise ProgramError(f"program too long: {len(program.statements)} statements "
                       f"(at most {max_statements})")
  known = _KINDS.get(program)  # checked already (a search's children are, on creation)
  if known is not None:
    return list(known)
  if len(set(program.slots)) != len(program.slots):
    raise ProgramError("state slot names must be distinct", 1)
  for name in program.slots:
    _check_name(name, 1)
    if name in RESERVED:
      raise ProgramError(f"'{name}' is reserved and cannot name a state slot", 1)
  return _check_body(program, 0, input_kinds(program), [])


def check_edit(child: Program, parent: Program, position: int) -> list[Kind]:
  """``check(child)`` for a child that is the valid ``parent`` with its statements from
  ``position`` on edited (a mutation): the same result or error, but the signature and the
  statements before ``position``, which it shares with the parent, are not checked again.
  A search checks every child, and this halves the cost on average."""
  if (child.slots != parent.slots or child.uses_step != parent.uses_step
      or child.statements[:position] != parent.statements[:position]):
    raise ValueError("check_edit: the child must share the parent's signature and prefix")
  if len(child.statements) > MAX_STATEMENTS:
    return check(child)  # the error, as check words it
  parent_kinds = _KINDS.get(parent) or check(parent)
  env = input_kinds(parent)
  for stmt, kind in zip(parent.statements[:position], parent_kinds):
    env[stmt.target] = kind
  kinds = _check_rejoining(child, parent, parent_kinds, position, env)
  _EDITS.put(child, (parent, position))
  return kinds


def _check_rejoining(child: Program, parent: Program, parent_kinds: list[Kind],
                     position: int, env: dict) -> list[Kind]:
  """Checks the child from ``position`` on (``env``: the kinds there). A one-statement
  edit rejoins the parent's statements right after it. From there on, a statement that
  reads no name whose kind the edit changed checks as it did in the (valid) parent and
  has the kind it had there, so only statements reading a changed name are checked again,
  and once no name differs from the parent's, the rest is the parent's. (A name only the
  child has cannot matter: the parent's statements read no name before defining it.)"""
  grown = len(child.statements) - len(parent.statements)
  ours = position + 1 if grown >= 0 else position  # the child's first rejoined statement
  theirs = ours - grown
  if (abs(grown) > 1 or child.update != parent.update
      or child.statements[ours:] != parent.statements[theirs:]):
    return _check_body(child, position, env, list(parent_kinds[:position]))
  parent_env = dict(env)
  for i in range(position, theirs):
    parent_env[parent.statements[i].target] = parent_kinds[i]
  statements, kinds = child.statements, list(parent_kinds[:position])
  for i in range(position, ours):
    kinds.append(_check_statement(statements[i], env, line=i + 2))
    env[statements[i].target] = kinds[-1]
  changed = {name for name, kind in parent_env.items() if env.get(name) is not kind}
  i = ours
  while changed and i < len(statements):
    stmt, theirs_kind = statements[i], parent_kinds[i - grown]
    kind = theirs_kind
    if any(type(a) is Var and a.name in changed for a in stmt.args):
      kind = _check_statement(stmt, env, line=i + 2)
    kinds.append(kind)
    env[stmt.target] = kind
    if kind is theirs_kind:
      changed.discard(stmt.target)
    else:
      changed.add(stmt.target)
    i += 1
  if changed:
    _check_return(child, env)
  kinds.extend(parent_kinds[i - grown:])
  _KINDS.put(child, kinds)
  return list(kinds)


def input_kinds(program: Program) -> dict[str, Kind]:
  """The kind of each input the program may read (w, g, slots: trees; lr, step: scalars)."""
  return {n: Kind.SCALAR if n in (LEARNING_RATE, STEP) else Kind.TREE for n in program.inputs}


def _check_body(program: Program, start: int, env: dict, kinds: list) -> list[Kind]:
  statements = program.statements
  for i in range(start, len(statements)):
    stmt = statements[i]
    kinds.append(_check_statement(stmt, env, line=i + 2))
    env[stmt.target] = kinds[-1]
  _check_return(program, env)
  _KINDS.put(program, kinds)
  return list(kinds)


def _check_return(program: Program, env: dict) -> None:
  return_line = len(program.statements) + 2
  if program.update not in env:
    raise ProgramError(f"undefined variable '{program.update}'", return_line)
  for name in program.outputs:
    if env[name] is not Kind.TREE:
      role = "the update" if name == program.update else f"state slot '{name}'"
      raise ProgramError(f"{role} must be a tree shaped like w, but '{name}' is a scalar",
                         return_line)


class _ByIdentity:
  """A small memo keyed by program identity, for values that a search asks about the same
  program objects again and again (a parent is tournament winner many times). Each entry
  holds its program, so an id is never reused while it is here; the oldest entries go."""

  def __init__(self, size: int = 4096):
    self.size, self.entries = size, collections.OrderedDict()

  def get(self, program: Program):
    entry = self.entries.get(id(program))
    return entry[1] if entry is not None and entry[0] is program else None

  def put(self, program: Program, value) -> None:
    self.entries[id(program)] = (program, value)
    self.entries.move_to_end(id(program))
    if len(self.entries) > self.size:
      self.entries.popitem(last=False)


_KINDS = _ByIdentity()  # check's result: check_edit starts from a parent's
_EDITS = _ByIdentity()  # child -> (parent, position), from check_edit
_SUMMARIES = _ByIdentity()  # program -> (live statement count, dataflow hash)
_FLOWS = _ByIdentity()  # program -> its Dataflow
_LIVE = _ByIdentity()  # program -> its live statements (a parent's decide for its edits)
_LR_DEGREES = _ByIdentity()  # program -> its outputs' degrees in lr


def _check_name(name: str, line: int) -> None:
  if not isinstance(name, str) or len(name) > MAX_NAME_LENGTH or not _valid_name(name):
    raise ProgramError(f"invalid variable name {_shown_name(name)}", line)


def _shown_name(name) -> str:
  # A name can be any length: the error quotes its start and says how long it is.
  if not isinstance(name, str) or len(name) <= MAX_NAME_LENGTH:
    return repr(name)
  return f"{name[:MAX_NAME_LENGTH]!r}... ({len(name)} characters, at most {MAX_NAME_LENGTH})"


@functools.lru_cache(maxsize=4096)  # a search checks the same few names millions of times
def _valid_name(name: str) -> bool:
  # Names must survive the canonical text: no keywords, and already in the NFKC form that
  # Python's parser normalises identifiers to (relevant to programs built from JSON).
  return (name.isidentifier() and not keyword.iskeyword(name)
          and unicodedata.normalize("NFKC", name) == name)


def _valid_constant(value) -> bool:
  if type(value) is float:  # the common case, without NumPy's per-call overhead
    return math.isfinite(value) and abs(value) <= MAX_ABS_CONSTANT
  return bool(np.isfinite(value)) and abs(value) <= MAX_ABS_CONSTANT


def _check_statement(stmt, env: dict, line: int) -> Kind:
  _check_name(stmt.target, line)
  if stmt.op not in REGISTRY:
    raise ProgramError(f"unknown function '{stmt.op}'", line)
  kinds = []
  for arg in stmt.args:
    if isinstance(arg, Var):
      if arg.name not in env:
        raise ProgramError(f"undefined variable '{arg.name}'", line)
      kinds.append(env[arg.name])
    else:
      if not _valid_constant(arg.value):
        raise ProgramError(f"constant {arg.value!r} is out of range "
                           f"(|c| <= {MAX_ABS_CONSTANT:g})", line)
      kinds.append(Kind.SCALAR)
  problem, kind = _verdict(stmt.op, tuple(kinds))
  if problem:
    raise ProgramError(problem, line)
  return kind


@functools.lru_cache(maxsize=4096)  # few (op, argument kinds) pairs, checked very often
def _verdict(op_name: str, kinds: tuple[Kind, ...]) -> tuple[str | None, Kind | None]:
  """Why an op cannot take arguments of these kinds (or None), and its result's kind."""
  op = REGISTRY[op_name]
  problem = op.check(kinds)
  return problem, None if problem else op.result_kind(kinds)


@dataclasses.dataclass(frozen=True)
class Dataflow:
  """Where every argument and output of a (checked) program comes from, and what follows
  from it: the useful slots, the live statements and the dataflow hash. Each is computed
  once per Dataflow, so a caller that needs several (the search needs the live count and
  the hash of every child) resolves the program once."""

  program: Program

  @cached_property
  def _resolved(self) -> tuple[tuple[tuple[Ref, ...], ...], dict[str, Ref]]:
    where: dict[str, Ref] = {name: ("in", name) for name in self.program.inputs}
    sources = []
    for i, stmt in enumerate(self.program.statements):
      sources.append(tuple([where[a.name] if type(a) is Var else ("const", a.value)
                            for a in stmt.args]))
      where[stmt.target] = ("stmt", i)
    return tuple(sources), where

  @property
  def sources(self) -> tuple[tuple[Ref, ...], ...]:
    """sources[i][k]: where argument k of statement i comes from."""
    return self._resolved[0]

  def output(self, name: str) -> Ref:
    """Where the final value of variable ``name`` comes from."""
    return self._resolved[1][name]

  def reach(self, roots) -> tuple[set[int], set[str]]:
    """The statements and inputs that the refs ``roots`` depend on within one step."""
    sources = self.sources
    statements, inputs, todo = set(), set(), list(roots)
    while todo:
      kind, value = todo.pop()
      if kind == "in":
        inputs.add(value)
      elif kind == "stmt" and value not in statements:
        statements.add(value)
        todo.extend(sources[value])
    return statements, inputs

  @cached_property
  def useful_slots(self) -> tuple[str, ...]:
    """The state slots whose value can influence a later update (cross-step liveness)."""
    slots = set(self.program.slots)
    _, useful = self.reach([self.output(self.program.update)])
    useful &= slots
    frontier = set(useful)
    while frontier:
      _, reads = self.reach([self.output(s) for s in frontier])
      frontier = (reads & slots) - useful
      useful |= frontier
    return tuple(s for s in self.program.slots if s in useful)

  @cached_property
  def _live_reach(self) -> tuple[frozenset[int], frozenset[str]]:
    roots = [self.output(self.program.update)] + [self.output(s) for s in self.useful_slots]
    statements, inputs = self.reach(roots)
    return frozenset(statements), frozenset(inputs)

  @property
  def live(self) -> frozenset[int]:
    """Indices of statements that reach the update or the write of a useful slot."""
    return self._live_reach[0]

  @property
  def live_inputs(self) -> frozenset[str]:
    """The inputs whose value on entry reaches the update, now or in a later step
    (through a useful slot). An input overwritten before it is read is not among them."""
    return self._live_reach[1]

  def hash(self, constants: bool = True) -> str:
    """The canonical dataflow hash (``dataflow_hash``).

    A statement's digest is its op's with its arguments' digests, and a statement reads
    only earlier ones, so digests are computed in program order: no recursion, however
    long the dependency chain (a recursive walk overflows the stack on long programs)."""
    slots = self.useful_slots
    slot_roots = [self.output(s) for s in slots]
    update_root = self.output(self.program.update)
    slot_order = sorted(self.reach(slot_roots)[0])
    labels = {s: _digest("slot") for s in slots}
    # Slots are recursive (a slot's new value reads its old one), so their labels are
    # refined to a fixed depth, like Weisfeiler-Lehman colours; names and order drop out.
    for _ in range(len(slots) + 1):
      digests = self._digests(slot_order, labels, constants)
      labels = {s: _digest("slot", _ref_digest(root, labels, digests, constants))
                for s, root in zip(slots, slot_roots)}
    digests = self._digests(sorted(self.reach([update_root])[0]), labels, constants)
    return _digest("program", _ref_digest(update_root, labels, digests, constants))

  def _digests(self, order: list[int], labels: dict[str, str],
               constants: bool) -> dict[int, str]:
    """The digest of each statement in ``order`` (ascending, closed under reading)."""
    statements, sources, digests = self.program.statements, self.sources, {}
    for i in order:
      digests[i] = _digest(statements[i].op, *[_ref_digest(r, labels, digests, constants)
                                                for r in sources[i]])
    return digests


def useful_slots(program: Program) -> tuple[str, ...]:
  """The state slots whose value can influence a later update (cross-step liveness)."""
  return Dataflow(program).useful_slots


def live_statements(program: Program) -> frozenset[int]:
  """Indices of statements that reach the update or the write of a useful slot."""
  return _live(program)


def reads_lr(program: Program) -> bool:
  """Whether the update depends on the ``lr`` input, now or through a state slot later.

  False for a rule that never reads it, or overwrites it first (``lr = w * 0.3``): such a
  rule carries its whole step size in its constants, so scaling ``lr`` (a schedule, a
  tuned learning rate) changes nothing unless the update itself is scaled instead.
  """
  return LEARNING_RATE in _flow(program).live_inputs


def lr_degrees(program: Program) -> dict[str, Fraction | None]:
  """The degree in ``lr`` of each output of a checked program: ``"update"``, then each
  slot's name (a slot itself named ``update`` takes that key: ``lr_linear`` tells them
  apart).

  A value has degree d when scaling ``lr`` by any k > 0 scales it by exactly k ** d, and
  None when the op rules (``primitives.registry.Op.lr_rule``) cannot show it homogeneous.
  ``lr`` has degree 1; ``w``, ``g``, ``step``, constants and the slots on entry degree 0.
  """
  update, *slots = _output_lr_degrees(program)
  return {"update": update, **dict(zip(program.slots, slots))}


def lr_linear(program: Program) -> bool:
  """Whether doubling ``lr`` provably doubles every update of a checked program: the
  update has degree 1 in ``lr`` and every slot's new value degree 0, so the state, and
  by induction every later step, never depends on ``lr``. Sound, not complete: True
  implies ``behaviour.lr_proportional``; a rule it rejects may still be proportional."""
  update, *slots = _output_lr_degrees(program)
  return update == 1 and all(d == 0 for d in slots)


_LR_FREE, _LR_ONE = Fraction(0), Fraction(1)


def _output_lr_degrees(program: Program) -> tuple[Fraction | None, ...]:
  """The degrees of ``program.outputs``, in order, by one pass over the statements."""
  degrees = _LR_DEGREES.get(program)
  if degrees is None:
    env = dict.fromkeys(program.inputs, _LR_FREE)  # slots on entry too: degree 0 by induction
    env[LEARNING_RATE] = _LR_ONE
    for stmt in program.statements:
      env[stmt.target] = REGISTRY[stmt.op].lr_degree(
          [env[a.name] if type(a) is Var else _LR_FREE for a in stmt.args])
    degrees = tuple(env[name] for name in program.outputs)
    _LR_DEGREES.put(program, degrees)
  return degrees


def dead_fraction(program: Program) -> float:
  """The share of statements that reach no output."""
  n = len(program.statements)
  return 0.0 if n == 0 else 1.0 - len(live_statements(program)) / n


def _digest(*parts) -> str:
  return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _ref_digest(ref: Ref, labels: dict[str, str], digests: dict[int, str],
                constants: bool) -> str:
  """A reference's digest: a constant's value (or "c"), a useful slot's label, another
  input's role, or the digest already computed for the statement it names."""
  kind, value = ref
  if kind == "const":
    return _digest("const", constant_key(value) if constants else "c")
  if kind == "in":
    return labels[value] if value in labels else _digest("in", _role(value))
  return digests[value]


def constant_key(value: float) -> str:
  """How a constant enters a hash: at float32 precision, the precision it runs at."""
  return repr(float(np.float32(value)))


def dataflow_hash(program: Program, constants: bool = True) -> str:
  """The canonical dataflow hash of a checked program.

  Args:
    program: the program.
    constants: hash constants' values; False gives the structure hash (constants
      abstracted), the key under which compiled code can be shared.

  Returns:
    A 32-character hex digest.
  """
  return Dataflow(program).hash(constants)


def live_count_and_hash(program: Program) -> tuple[int, str]:
  """``(len(live_statements(program)), dataflow_hash(program))`` of a checked program,
  which a search needs for every child. For a child that ``check_edit`` passed, an edit
  that cannot reach an output leaves both as the parent's, and they are taken from it
  without resolving the child: an inserted statement assigning a name the parent never
  had (nothing can read it), or a statement that is dead in the parent deleted or
  modified (whatever read it is dead too, and no slot's usefulness depends on it)."""
  summary = _SUMMARIES.get(program)
  if summary is None:
    edit = _EDITS.get(program)
    summary = _inherited(program, *edit) if edit is not None else None
    if summary is None:
      summary = _resolved_summary(program)
    _SUMMARIES.put(program, summary)
  return summary


def _resolved_summary(program: Program) -> tuple[int, str]:
  summary = _SUMMARIES.get(program)
  if summary is None:
    flow = _flow(program)
    summary = (len(flow.live), flow.hash())
    _SUMMARIES.put(program, summary)
  return summary


def _inherited(child: Program, parent: Program, position: int) -> tuple[int, str] | None:
  """The parent's summary if ``child`` is one neutral edit of it at ``position``; the
  child's live statements are then the parent's, renumbered around the edit."""
  ours, theirs = child.statements, parent.statements
  if child.update != parent.update:
    return None
  if len(ours) == len(theirs) + 1:  # an insert: neutral if its name is new
    if position >= len(ours):
      return None
    target = ours[position].target
    if (ours[position + 1:] != theirs[position:] or target in parent.inputs
        or any(s.target == target for s in theirs)):
      return None
    live = frozenset(i + (i >= position) for i in _live(parent))
  elif len(ours) == len(theirs) - 1:  # a delete
    if ours[position:] != theirs[position + 1:] or position in _live(parent):
      return None
    live = frozenset(i - (i > position) for i in _live(parent))
  elif len(ours) == len(theirs):  # a modify
    if (ours[position + 1:] != theirs[position + 1:] or position >= len(ours)
        or ours[position].target != theirs[position].target
        or position in _live(parent)):
      return None
    live = _live(parent)
  else:
    return None
  _LIVE.put(child, live)  # its children ask, and resolving it would cost more
  return _resolved_summary(parent)  # not live_count_and_hash: no recursion up the lineage


def _live(program: Program) -> frozenset[int]:
  live = _LIVE.get(program)
  if live is None:
    live = _flow(program).live
    _LIVE.put(program, live)
  return live


def _flow(program: Program) -> Dataflow:
  flow = _FLOWS.get(program)
  if flow is None:
    flow = Dataflow(program)
    _FLOWS.put(program, flow)
  return flow


def _role(name: str) -> str:
  # Inputs other than slots are identified by their role, which is their fixed name.
  assert name in (WEIGHTS, GRADIENT, LEARNING_RATE, STEP), name
  return name
