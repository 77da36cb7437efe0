"""Whether a program recovers a target: a numeric check, then a symbolic one.

* numeric (first: milliseconds): on fresh streams the search never saw
  (``match.FRESH_SEEDS``), at most ``NUMERIC_SHARE`` of the candidate's update
  elements may differ from the target's by more than ``NUMERIC_REL`` (relative); the share
  allows the rare element where a ``sign`` meets a value near zero.
* symbolic: both programs are simplified by the exact steps of ``discover.simplify.steps``
  (constant folding, dead code, the SymPy canonical form of ``discover.simplify.algebra``; no
  measured pruning). Each output (the update, each state slot) becomes a SymPy expression
  over the step's inputs, in a normal form: fully expanded; a sum inside ``|.|`` or
  ``sign`` divided by the coefficient of its first term (that factor taken outside);
  terms below ``NEGLIGIBLE`` of the largest in their sum dropped, and every float within
  ``SIMPLE_TOL`` (relative) of a simple number (a decimal of at most ``SIMPLE_DIGITS``
  significant digits, or a fraction ``p / q`` with ``q <= SIMPLE_DENOMINATOR`` and
  ``|p| <= SIMPLE_NUMERATOR``)
  made that number, the rest rounded to ``DIGITS`` digits: float32 rounding and the
  7-digit constants of simplification (``0.9 * 1.111111``) are not differences. Every
  constant of the candidate's normal form within ``REL_TOL`` (relative) of a number of the
  target's is replaced by it, and the expressions must then be equal.

  Only the state slots a program uses count: a slot that stays zero at every step (never
  written, or written from itself alone; found by running the program from zero state on
  inputs of scales 1e-3 to 1e3) is read as 0, and a slot the update does not then depend
  on, at once or through other slots, is dropped. Two slots that every form reads only as
  one linear combination are merged into it (``merge_slots``). The slots left may be renamed,
  reordered and rescaled (``m' = 10 m`` with the update divided by 10 is the same
  optimizer): each slot's scale is read from one step of both programs from zero state.

  When the forms differ, the check is run again on the candidate with its negligible
  statements pruned (``pruned``): a statement is replaced by one of its arguments
  (``steps.prunings``) while no more than ``PRUNE_SHARE`` of the candidate's update
  elements on the fresh streams move by more than ``PRUNE_REL`` (relative) from the
  candidate as found, the smallest move first. Under noise, every program that matches to
  the noise scores the same, so a search's best may carry terms far below it (``5e-6 *
  g``) or an exact identity (``sign(max(-0.02, m) + m)``) that the normal form keeps. The
  pruning moves the updates far less than the numeric check allows, so it cannot credit
  a program that behaves differently from the target.

What the tolerance means: a constant is within ``REL_TOL`` of the target's, and one near
1 (a decay ``b``) within ``REL_TOL`` of ``1 - b`` as well, since ``1 - b`` sets its horizon
and a form may hold ``b`` alone (``1 - b`` multiplied into another constant): 0.99919 for
0.999 fails, as does 0.909 for 0.9. Inside a ``sign`` or ``|.|`` a weight shows as the
ratio ``b / (1 - b)``. The numeric check then bounds what a constant within tolerance may
still change. Snapping to
simple numbers moves a float by at most ``SIMPLE_TOL``, far below the spacing of the
simple numbers (1e-5 relative and more), so two constants that differ by more than float
rounding never become equal by it.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math

import jax.numpy as jnp
import numpy as np
import sympy as sp

from discover.simplify import algebra
from primitives import REGISTRY
from discover.simplify import steps as simplify
from discover.execute.interpreter import step_function
from discover.dsl.program import Program
from discover.bench.recovery.match import FRESH_SEEDS, FRESH_STEPS, shared_streams

REL_TOL = 1e-2  # constants: relative distance to the target's
NEGLIGIBLE = 1e-6  # a term this small against the largest in its sum is rounding
DIGITS = 12  # significant digits floats keep in a normal form
SIMPLE_TOL = 1e-6  # a float this close (relative) to a simple number is that number ...
SIMPLE_DIGITS = 5  # ... a decimal of at most this many significant digits ...
SIMPLE_DENOMINATOR = 16  # ... or a fraction with a denominator up to this ...
SIMPLE_NUMERATOR = 1000  # ... and a numerator up to this (else they lie too close)
IDLE_STEPS = 8  # steps from zero state that find the slots that stay zero
NUMERIC_REL = 2e-2  # an update element agrees within this relative error ...
NUMERIC_SHARE = 0.01  # ... and at most this share of the elements may disagree
PRUNE_REL = 1e-3  # pruning: an update element that moves by less than this (relative) ...
PRUNE_SHARE = 0.005  # ... on all but this share of the elements has not moved


@dataclasses.dataclass(frozen=True)
class Verdict:
  """The outcome of a recovery check.

  Attributes:
    symbolic: the symbolic check passed (False, not run, when the numeric one failed).
    numeric: the numeric check passed.
    detail: why it failed, or how it matched.
    program: the simplified candidate (the candidate itself when not simplified).
  """

  symbolic: bool
  numeric: bool
  detail: str
  program: Program

  @property
  def recovered(self) -> bool:
    return self.symbolic and self.numeric


def simplified(program: Program) -> Program:
  """The exact simplification steps only (no training, no detector)."""
  return _simplified(program)


@functools.lru_cache(maxsize=256)  # the target is simplified once, not at every check
def _simplified(program: Program) -> Program:
  return simplify.simplify(program, scorer=None, detect=False).program


def check(candidate: Program, target: Program) -> Verdict:
  """Whether ``candidate`` recovers ``target`` (see the module docstring). The numeric
  check runs first: it costs milliseconds, simplification and SymPy a large fraction of
  a second, and a search asks at every new best and at programs that tie it."""
  share = disagreeing_share(candidate, target)
  numeric = (f"{share:.2%} of the update elements on fresh streams differ by more than "
             f"{NUMERIC_REL:g}")
  if share > NUMERIC_SHARE:
    return Verdict(False, False, f"numeric check failed: {numeric} (allowed: "
                   f"{NUMERIC_SHARE:.0%}); not checked symbolically", candidate)
  try:
    cand = simplified(candidate)
    matched, detail = symbolic_match(cand, simplified(target))
    if not matched:
      short, dropped = pruned(candidate)
      if dropped:
        short = simplified(short)
        matched, after = symbolic_match(short, simplified(target))
        if matched:
          cand, detail = short, f"{after} after pruning {dropped} negligible statement" + (
              "s" * (dropped > 1))
  except Exception as e:  # SymPy on an odd form: not recovered, and the search goes on
    first = str(e).strip().splitlines()[0][:200] if str(e).strip() else ""
    return Verdict(False, True, f"symbolic check raised {type(e).__name__}: {first}; "
                   f"{numeric}", candidate)
  return Verdict(matched, True, f"{detail}; {numeric}", cand)


# -- symbolic -----------------------------------------------------------------------------


def symbolic_match(cand: Program, targ: Program) -> tuple[bool, str]:
  """Whether two simplified programs have equal normal forms, constants within
  ``REL_TOL``, under some renaming and rescaling of the state slots."""
  try:
    cand_out, targ_out = live_forms(cand), live_forms(targ)
    cand_combos, targ_combos = _unmerged(cand_out), _unmerged(targ_out)
    if len(cand_out) != len(targ_out):  # merging costs SymPy time: only where it may help
      cand_out, cand_combos = merge_slots(cand_out, algebra.input_symbols(cand))
      targ_out, targ_combos = merge_slots(targ_out, algebra.input_symbols(targ))
  except algebra.NotExpressible as e:
    return False, f"no symbolic form: {e}"
  if any(sp.count_ops(e) > algebra.MAX_OPS for e in cand_out.values()):
    return False, f"a form longer than {algebra.MAX_OPS} operations after simplification"
  cand_slots = [k for k in cand_out if k != "update"]
  targ_slots = [k for k in targ_out if k != "update"]
  if len(cand_slots) != len(targ_slots):
    return False, (f"{len(cand_slots)} state slots in use, the target has "
                   f"{len(targ_slots)}")
  targ_forms = {k: normal_form(e) for k, e in targ_out.items()}
  references = _reference_numbers(targ_forms.values())
  cand_symbols, targ_symbols = algebra.input_symbols(cand), algebra.input_symbols(targ)
  closest = list(targ_forms)
  for order in itertools.permutations(targ_slots):
    pairs = dict(zip(cand_slots, order))
    scales = slot_scales((cand, cand_combos), (targ, targ_combos), pairs)
    swap = {cand_symbols[c]: scales[c] * targ_symbols[t] for c, t in pairs.items()}
    forms = {"update": cand_out["update"].subs(swap, simultaneous=True)}
    forms.update({t: cand_out[c].subs(swap, simultaneous=True) / scales[c]
                  for c, t in pairs.items()})
    forms = {k: normal_form(snap(normal_form(e), references)) for k, e in forms.items()}
    differs = [k for k in targ_forms if not _equal(forms[k], targ_forms[k])]
    if not differs:
      scaled = {c: round(s, 6) for c, s in scales.items() if abs(s - 1.0) > REL_TOL}
      note = f" (slots rescaled: {scaled})" if scaled else ""
      return True, f"normal forms agree, constants within {REL_TOL:g}{note}"
    closest = min(closest, differs, key=len)
  return False, f"normal forms differ in {', '.join(closest)}"


def live_forms(program: Program) -> dict[str, sp.Expr]:
  """``algebra.to_expressions`` with the idle slots (``idle_slots``) read as 0, and only
  the slots the update then depends on, at once or through other slots."""
  forms = algebra.to_expressions(program)
  symbols = algebra.input_symbols(program)
  idle = idle_slots(program)
  if idle:
    zero = {symbols[s]: sp.Integer(0) for s in idle}
    forms = {k: e.xreplace(zero) for k, e in forms.items() if k not in idle}
  used, frontier = set(), {"update"}
  while frontier:  # the slots whose symbols the forms read, from the update outwards
    reads = set().union(*(forms[k].free_symbols for k in frontier))
    frontier = {s for s in forms if s != "update" and symbols[s] in reads} - used
    used |= frontier
  return {k: e for k, e in forms.items() if k == "update" or k in used}


Combos = dict[str, dict[str, float]]  # a slot in use: the program's slots it weighs


def _unmerged(forms: dict[str, sp.Expr]) -> Combos:
  return {k: {k: 1.0} for k in forms if k != "update"}


def merge_slots(forms: dict[str, sp.Expr], symbols) -> tuple[dict[str, sp.Expr], Combos]:
  """Pairs of slots ``a``, ``b`` that every form reads only as ``r a + b`` (``r`` a number)
  merged into one slot ``s = r a + b`` under ``a``'s name, while any pair merges; with
  each slot's combination of the program's slots.

  A program may carry more state than it needs: ``v = interp(m, v, 0.9); m = interp(g,
  v, 0.9)`` keeps Lion's momentum (``v``, one step late) and Lion's interpolation (``m``),
  and reads them only as ``0.1 m + 0.9 v``, which is Lion's momentum now."""
  combos = _unmerged(forms)
  merged = True
  while merged:
    merged = False
    for a, b in itertools.combinations(combos, 2):
      new = _merged(forms, symbols[a], symbols[b], a, b)
      if new is not None:
        forms, r = new
        combos[a] = {k: r * combos[a].get(k, 0.0) + combos[b].get(k, 0.0)
                     for k in combos[a].keys() | combos[b].keys()}
        del combos[b]
        merged = True
        break
  return forms, combos


def _merged(forms, sa: sp.Symbol, sb: sp.Symbol, a: str, b: str):
  """The forms with slots ``a`` and ``b`` merged (``merge_slots``) and the weight ``r``;
  None where they are not read as one. ``r`` is read from the update, where both slots
  must appear."""
  da, db = sp.diff(forms["update"], sa), sp.diff(forms["update"], sb)
  if da == 0 or db == 0:
    return None
  r = sp.cancel(da / db)  # simplify() can take a minute on a long form
  if not r.is_Number or r == 0:
    return None
  combined = {k: e for k, e in forms.items() if k not in (a, b)}
  combined[a] = r * forms[a] + forms[b]
  back = {sa: (sa - sb) / r}  # s = r a + b, under a's symbol
  combined = {k: _drop_negligible(_expand(e.xreplace(back))) for k, e in combined.items()}
  if any(sb in e.free_symbols for e in combined.values()):
    return None
  return combined, float(r)


@functools.lru_cache(maxsize=256)  # the target's, once per check otherwise
def idle_slots(program: Program) -> frozenset[str]:
  """The slots that stay exactly zero for ``IDLE_STEPS`` steps from zero state, on weights
  and gradients with scales from 1e-3 to 1e3: whatever reads them reads 0."""
  if not program.slots:
    return frozenset()
  rng = np.random.default_rng(1)
  scales = np.logspace(-3, 3, 16)
  run = step_function(program)
  slots = tuple(jnp.zeros(16, jnp.float32) for _ in program.slots)
  moved = np.zeros(len(program.slots), bool)
  for step in range(1, IDLE_STEPS + 1):
    w, g = (jnp.asarray(rng.normal(size=16) * scales, jnp.float32) for _ in range(2))
    lr = jnp.float32(rng.uniform(0.1, 1.0))
    _, slots = run(w, g, slots, lr, jnp.float32(step))
    moved |= [not np.all(np.asarray(s) == 0) for s in slots]
  return frozenset(name for name, m in zip(program.slots, moved) if not m)


def normal_form(expr: sp.Expr) -> sp.Expr:
  """Expanded, with ops that keep their argument's sign looked through inside ``sign``
  (``sign_through``), primitive sums inside ``|.|`` and ``sign``, negligible terms dropped,
  floats made simple numbers or rounded (``_rounded``)."""
  expr = _rounded(_expand(sign_through(expr)))
  expr = expr.replace(lambda e: isinstance(e, (sp.Abs, sp.sign)) and e.args[0].is_Add,
                      _primitive)
  expr = expr.replace(lambda e: e.is_Pow and e.base.is_Add and e.exp.is_Number,
                      _primitive_power)
  return _rounded(_drop_negligible(_expand(expr)))


def sign_through(expr: sp.Expr) -> sp.Expr:
  """``sign(f(x))`` -> ``sign(x)`` for every op ``f`` that keeps its argument's sign
  (``Op.keeps_sign``: tanh, expm1, an odd power...), however deeply nested."""
  def inner(e: sp.Expr) -> sp.Expr | None:
    if isinstance(e, sp.Function) and type(e).__name__ in _KEEPS_SIGN and len(e.args) == 1:
      return e.args[0]
    if e.is_Pow and e.exp.is_Integer and e.exp > 0 and e.exp % 2 == 1:
      return e.base
    return None

  def through(call: sp.Expr) -> sp.Expr:
    arg = call.args[0]
    while (deeper := inner(arg)) is not None:
      arg = deeper
    return sp.sign(arg)

  return expr.replace(lambda e: isinstance(e, sp.sign) and inner(e.args[0]) is not None,
                      through)


_KEEPS_SIGN = frozenset(name for name, op in REGISTRY.items() if op.keeps_sign)


def _rounded(expr: sp.Expr) -> sp.Expr:
  """Each float made the simple number within ``SIMPLE_TOL`` of it (``simple_number``:
  float32 rounding, 0.9999999 for 1) or else rounded to ``DIGITS`` digits (float64 noise,
  9.0000000000000018), whole ones integers, so equal forms compare equal. Fractions
  become floats too (``x / 19`` against ``0.05 x / 0.95``, ``x ** 0.5`` against
  ``sqrt(x)``)."""
  swap = {}
  for value in expr.atoms(sp.Float, sp.Rational):
    if value.is_Integer:
      continue
    simple = simple_number(float(value))
    short = float(f"{float(value) if simple is None else simple:.{DIGITS}g}")
    swap[value] = sp.Integer(int(short)) if short.is_integer() else sp.Float(short)
  return expr.xreplace(swap)


@functools.lru_cache(maxsize=4096)
def simple_number(x: float) -> float | None:
  """The shortest decimal of at most ``SIMPLE_DIGITS`` significant digits, else the
  fraction ``p / q`` with the smallest ``q <= SIMPLE_DENOMINATOR`` (``|p| <=
  SIMPLE_NUMERATOR``), within ``SIMPLE_TOL`` (relative) of ``x``; None if none is."""
  if x == 0 or not math.isfinite(x):
    return None
  tol = SIMPLE_TOL * abs(x)
  for digits in range(SIMPLE_DIGITS):
    decimal = float(f"{x:.{digits}e}")
    if abs(decimal - x) <= tol:
      return decimal
  for q in range(2, SIMPLE_DENOMINATOR + 1):
    p = round(x * q)
    if abs(p) <= SIMPLE_NUMERATOR and abs(p / q - x) <= tol:
      return p / q
  return None


def _expand(expr: sp.Expr) -> sp.Expr:
  return sp.expand(expr, deep=True, power_base=False, power_exp=False, log=False)


def _leading_coefficient(total: sp.Expr) -> sp.Number:
  """The coefficient of the term of a sum whose symbolic part sorts first (coefficients
  aside, so two programs that differ only in constants pick the same term)."""
  terms = sorted(sp.Add.make_args(total), key=lambda t: sp.default_sort_key(t.as_coeff_Mul()[1]))
  return terms[0].as_coeff_Mul()[0]


def _primitive(call: sp.Expr) -> sp.Expr:
  """``|c x + d y|`` -> ``|c| |x + (d/c) y|``; ``sign(c x + d y)`` -> ``sign(c) sign(...)``."""
  arg = call.args[0]
  c = sp.Float(_leading_coefficient(arg))  # a float: exact division would be undone later
  if c == 0:
    return call
  inner = _expand(arg / c)
  return sp.Abs(c) * sp.Abs(inner) if isinstance(call, sp.Abs) else sp.sign(c) * sp.sign(inner)


def _primitive_power(power: sp.Expr) -> sp.Expr:
  """``(c x + d y)**p`` -> ``|c|**p (x sign(c) + (d/|c|) y)**p`` (exact for any real p,
  since |c| > 0): a denominator rescaled by a constant compares equal."""
  # A float: an exact 1/19 would be multiplied back into the base by expansion.
  c = sp.Float(abs(_leading_coefficient(power.base)))
  if c == 0 or c == 1:
    return power
  return c**power.exp * _expand(power.base / c)**power.exp


def _drop_negligible(expr: sp.Expr) -> sp.Expr:
  def drop(add):
    terms = sp.Add.make_args(add)
    sizes = [abs(float(t.as_coeff_Mul()[0])) for t in terms]
    keep = [t for t, s in zip(terms, sizes) if s >= NEGLIGIBLE * max(sizes)]
    return sp.Add(*keep) if len(keep) < len(terms) else add
  return expr.replace(lambda e: e.is_Add, drop)


def _reference_numbers(forms) -> list[sp.Number]:
  numbers = {sp.Integer(1), sp.Integer(-1)}
  for form in forms:
    numbers |= form.atoms(sp.Number)
  return sorted(numbers, key=float)


def snap(expr: sp.Expr, references: list[sp.Number]) -> sp.Expr:
  """Each float of ``expr`` replaced by the nearest reference within ``REL_TOL``
  (``close``)."""
  swap = {}
  for value in expr.atoms(sp.Float):
    near = [r for r in references if close(float(value), float(r))]
    if near:
      swap[value] = min(near, key=lambda r: abs(float(value) - float(r)))
  return expr.xreplace(swap)


def close(value: float, reference: float) -> bool:
  """Within ``REL_TOL`` of the reference, and for a reference near 1 (a decay ``b``) within
  ``REL_TOL`` of its distance to 1 as well: ``1 - b`` sets the horizon, and a form may hold
  ``b`` without ``1 - b`` beside it (when ``1 - b`` is multiplied into another constant)."""
  distance = abs(value - reference)
  gap = abs(1.0 - reference)
  return distance <= REL_TOL * abs(reference) and (gap == 0 or gap >= 0.5
                                                   or distance <= REL_TOL * gap)


def _equal(a: sp.Expr, b: sp.Expr) -> bool:
  return a == b or sp.expand(a - b) == 0


def slot_scales(cand: tuple[Program, Combos], targ: tuple[Program, Combos],
                pairs: dict[str, str]) -> dict[str, float]:
  """For each candidate slot, its ratio to the paired target slot after one step from
  zero state (1.0 where the target's is zero or the ratio is not one number); each
  program comes with its merged slots' combinations (``merge_slots``)."""
  rng = np.random.default_rng(0)
  w, g = (jnp.asarray(rng.normal(size=8), jnp.float32) for _ in range(2))

  def first_slots(program, combos):
    zeros = tuple(jnp.zeros(8, jnp.float32) for _ in program.slots)
    _, slots = step_function(program)(w, g, zeros, jnp.float32(0.5), jnp.float32(1.0))
    values = {name: np.asarray(jnp.broadcast_to(s, (8,)), np.float64)
              for name, s in zip(program.slots, slots)}
    return {name: sum(weight * values[part] for part, weight in combo.items())
            for name, combo in combos.items()}

  cand_slots, targ_slots = first_slots(*cand), first_slots(*targ)
  scales = {}
  for c, t in pairs.items():
    mine, theirs = cand_slots[c], targ_slots[t]
    ratio = np.divide(mine, theirs, out=np.zeros_like(mine), where=theirs != 0)
    good = np.all(theirs != 0) and np.ptp(ratio) <= 1e-4 * np.abs(ratio).max() and ratio[0]
    scales[c] = float(np.median(ratio)) if good else 1.0
  return scales


def pruned(program: Program) -> tuple[Program, int]:
  """The program with negligible statements pruned (see the module docstring), and how
  many were."""
  reference = _fresh_outputs(program)
  if reference is None:
    return program, 0
  dropped = 0
  while True:
    moves = [(_moved_share(short, reference), len(short.statements), short)
             for short, _ in simplify.prunings(program)]
    moves = [m for m in moves if m[0] <= PRUNE_SHARE]
    if not moves:
      return program, dropped
    program = min(moves, key=lambda m: m[:2])[2]
    dead = simplify.remove_dead(program)
    program, dropped = (dead.program if dead else program), dropped + 1


def _moved_share(program: Program, reference: np.ndarray) -> float:
  """The share of update elements on the fresh streams that move by more than
  ``PRUNE_REL`` from ``reference``."""
  return _differing_share(_fresh_outputs(program), reference, PRUNE_REL)


# -- numeric ------------------------------------------------------------------------------


def disagreeing_share(candidate: Program, target: Program) -> float:
  """The share of update elements on the fresh streams where the two programs differ by
  more than ``NUMERIC_REL`` relative (1.0 if either has no finite updates there)."""
  return _differing_share(_fresh_outputs(candidate), _target_outputs(target), NUMERIC_REL)


def _differing_share(x: np.ndarray | None, y: np.ndarray | None, rel: float) -> float:
  """The share of elements of ``x`` that differ from ``y`` by more than ``rel`` relative
  (1.0 if either is missing or not finite everywhere)."""
  if x is None or y is None or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
    return 1.0
  x, y = x.astype(np.float64), y.astype(np.float64)
  scale = np.sqrt(np.mean(y**2, axis=0, keepdims=True))
  error = np.abs(x - y) / np.maximum(np.maximum(np.abs(x), np.abs(y)), 1e-6 * scale + 1e-30)
  return float(np.mean(error > rel))


def _fresh_outputs(program: Program) -> np.ndarray | None:
  return shared_streams(FRESH_SEEDS, FRESH_STEPS).outputs(program)


@functools.lru_cache(maxsize=16)  # a search checks many candidates against one target
def _target_outputs(target: Program) -> np.ndarray | None:
  return _fresh_outputs(target)
