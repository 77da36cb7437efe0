"""Names for a program's constants, so that an exported optimizer takes ``b1``, not ``c3``.

Hyperparameters (``hyperparameters``) are named by their role, with optax's names: the
decay of a first-moment slot is ``b1`` and of a second-moment slot (built from squared
gradients) ``b2``; in a Lion-shaped program, the interpolation read by the update is
``b1`` and the one that writes the momentum ``b2``, as in ``optax.lion``; a bias
correction ``power(b, step)`` joins the moment decay of the same value; a constant
multiplying ``w`` whose product is added on the way to the update is ``weight_decay``, one
added in a denominator ``eps``, one multiplying an old slot ``momentum`` and one
multiplying ``lr`` ``lr_scale`` (kept apart from the learning rate so that the program's
``lr`` means what it means in the search). A baseline's own names win where its structure
matches. Other constants are ``c0, c1, ...``, except small integers (the 1 of ``1 - b1**t``),
which are structure, not tuning knobs, and stay literal.
"""

from __future__ import annotations

import dataclasses
import functools

from discover.dsl import analysis
from discover.dsl.baselines import BASELINES
from discover.dsl.program import LEARNING_RATE, STEP, WEIGHTS, Const, Program, Var

Site = tuple[int, int]  # (statement index, argument index) of a constant
_MAX_LITERAL = 2.0  # integral constants up to this magnitude stay literal


@dataclasses.dataclass(frozen=True)
class Hyperparameter:
  """A named constant of a program.

  Attributes:
    name: the keyword it is passed by (``b1``, ``weight_decay``, ``c0``, ...).
    value: its value in the program, the default.
    sites: ``(statement index, argument index)`` of every constant it stands for.
    role: what it does, in a few words.
  """

  name: str
  value: float
  sites: tuple[Site, ...]
  role: str


_ROLES = {
    "b1": "decay rate of the first moment",
    "b2": "decay rate of the second moment",
    "weight_decay": "decoupled weight decay, added to the update as weight_decay * w",
    "eps": "added to a denominator for numerical stability",
    "momentum": "decay of the momentum slot",
    "lr_scale": "factor on the learning rate",
}
_LION_ROLES = {"b1": "interpolation between the gradient and the momentum in the update",
               "b2": "decay rate of the momentum"}


def hyperparameters(program: Program) -> list[Hyperparameter]:
  """The program's tunable constants, named by role, in order of first appearance.

  Only constants of live statements count; the same value in one role (``b1`` in an
  ``interp`` and in its bias correction ``power(b1, step)``) is one hyperparameter.

  Raises:
    ProgramError: if the program is invalid.
  """
  return list(named(program))


@functools.lru_cache(maxsize=256)
def named(program: Program) -> tuple[Hyperparameter, ...]:
  analysis.check(program)
  roles = _conventional_names(program)
  roles.update(_baseline_names(program, roles))
  groups: dict[tuple[str, float], list[Site]] = {}
  taken: dict[str, float] = {}
  generic: list[Site] = []
  for site in _constant_sites(program):
    value = program.statements[site[0]].args[site[1]].value
    name, _ = roles.get(site, (None, None))
    if name is not None and taken.setdefault(name, value) == value:
      groups.setdefault((name, value), []).append(site)
    elif name is not None or not _is_literal(value):
      generic.append(site)
  found = [(sites[0], name, value, sites, roles[sites[0]][1])
           for (name, value), sites in groups.items()]
  found += [(site, f"c{n}", program.statements[site[0]].args[site[1]].value, [site],
             "a constant of the program") for n, site in enumerate(generic)]
  return tuple(Hyperparameter(name, value, tuple(sites), role)
               for _, name, value, sites, role in sorted(found))


def _constant_sites(program: Program) -> list[Site]:
  live = analysis.live_statements(program)
  return [(i, k) for i, stmt in enumerate(program.statements) if i in live
          for k, arg in enumerate(stmt.args) if isinstance(arg, Const)]


def _is_literal(value: float) -> bool:
  return value == round(value) and abs(value) <= _MAX_LITERAL


def _conventional_names(program: Program) -> dict[Site, tuple[str, str]]:
  """Role names by dataflow: which constants are b1, b2, weight_decay, eps, ..."""
  flow = analysis.Dataflow(program)
  live = sorted(analysis.live_statements(program))
  slot_inputs = {("in", s) for s in program.slots}
  writes = {flow.output(s) for s in program.slots}
  toward_update = flow.reach([flow.output(program.update)])[0]
  names: dict[Site, tuple[str, str]] = {}
  reads, firsts, seconds, corrections, denominators = [], [], [], [], []
  for i in live:
    stmt, sources = program.statements[i], flow.sources[i]
    consts = [k for k, a in enumerate(stmt.args) if isinstance(a, Const)]
    if stmt.op == "interp" and consts == [2] and sources[1] in slot_inputs:
      if ("stmt", i) not in writes:
        reads.append((i, 2))
      elif _from_squares(program, flow, sources[0]):
        seconds.append((i, 2))
      else:
        firsts.append((i, 2))
    elif stmt.op == "mul" and len(consts) == 1:
      other = sources[1 - consts[0]]
      if other == ("in", WEIGHTS) and _added_toward(program, flow, i, toward_update):
        names[(i, consts[0])] = ("weight_decay", _ROLES["weight_decay"])
      elif other == ("in", LEARNING_RATE):
        names[(i, consts[0])] = ("lr_scale", _ROLES["lr_scale"])
      elif other in slot_inputs:
        names[(i, consts[0])] = ("momentum", _ROLES["momentum"])
    elif stmt.op == "power" and consts == [0] and sources[1] == ("in", STEP):
      corrections.append((i, 0))
    elif stmt.op in ("div", "reciprocal"):
      denominators.append(sources[-1])
  lion_shaped = bool(reads) and not seconds
  first, second = (reads, firsts) if lion_shaped else (firsts, seconds)
  role_text = _LION_ROLES if lion_shaped else _ROLES
  for name, sites in (("b1", first), ("b2", second)):
    names.update({site: (name, role_text[name]) for site in sites})
  moments = {program.statements[i].args[k].value: names[(i, k)] for i, k in first + second}
  for i, k in corrections:  # a bias correction 1 - b ** step joins the moment's b
    value = program.statements[i].args[k].value
    if value in moments:
      names[(i, k)] = moments[value]
  for site in _denominator_offsets(program, flow, denominators):
    names[site] = ("eps", _ROLES["eps"])
  return names


def _from_squares(program: Program, flow: analysis.Dataflow, ref) -> bool:
  """Whether a value is built from a square (``square``, ``x * x`` or ``power(x, 2)``)."""
  statements, _ = flow.reach([ref])
  for i in statements:
    stmt, sources = program.statements[i], flow.sources[i]
    if (stmt.op == "square" or (stmt.op == "mul" and sources[0] == sources[1])
        or (stmt.op == "power" and stmt.args[1] == Const(2.0))):
      return True
  return False


def _added_toward(program, flow, i: int, toward_update: set[int]) -> bool:
  """Whether statement i's result is added (``+``) by a statement the update depends on."""
  return any(program.statements[j].op == "add" and ("stmt", i) in flow.sources[j]
             for j in toward_update)


def _denominator_offsets(program, flow, denominators) -> list[Site]:
  """Constants added in a denominator, looking through ``sqrt`` and ``abs``."""
  found, todo, seen = [], list(denominators), set()
  while todo:
    ref = todo.pop()
    if ref[0] != "stmt" or ref in seen:
      continue
    seen.add(ref)
    stmt, sources = program.statements[ref[1]], flow.sources[ref[1]]
    if stmt.op == "add":
      for k, (arg, source) in enumerate(zip(stmt.args, sources)):
        if isinstance(arg, Const):
          found.append((ref[1], k))
        else:
          todo.append(source)
    elif stmt.op in ("sqrt", "abs"):
      todo.append(sources[0])
  return found


def _baseline_names(program: Program, roles: dict[Site, tuple[str, str]]
                    ) -> dict[Site, tuple[str, str]]:
  """A baseline's own hyperparameter names (described by ``roles``), if the program has
  its structure."""
  for name in BASELINES:
    base, key_sites = _baseline_sites(name)
    if _structure(base) != _structure(program):
      continue
    names = {}
    for key, sites in key_sites.items():
      values = {program.statements[i].args[k].value for i, k in sites}
      if len(values) == 1:
        first = roles.get(min(sites), (None, f"{name}'s {key}"))
        names.update({site: (key, first[1]) for site in sites})
    return names
  return {}


@functools.cache
def _baseline_sites(name: str) -> tuple[Program, dict[str, frozenset[Site]]]:
  """The baseline's default program, and the constants each hyperparameter sets.

  A hyperparameter's sites are found by changing it alone; one that shares a constant
  with another (adagrad adds its initial accumulator to eps) names nothing.
  """
  baseline = BASELINES[name]
  base = baseline.program()
  changed = {}
  for key, value in baseline.defaults.items():
    probe = baseline.program(**{key: value * 0.5 + 0.0123})
    changed[key] = frozenset(
        (i, k) for i, (a, b) in enumerate(zip(base.statements, probe.statements))
        for k, (x, y) in enumerate(zip(a.args, b.args)) if x != y)
  shared = {site for key, sites in changed.items() for other, more in changed.items()
            if other != key for site in sites & more}
  return base, {key: sites for key, sites in changed.items() if sites and not sites & shared}


def _structure(program: Program) -> tuple:
  """The program with its constants' values left out."""
  body = tuple((s.target, s.op, tuple(a if isinstance(a, Var) else Const for a in s.args))
               for s in program.statements)
  return program.slots, program.uses_step, program.update, body
