"""Programs as SymPy expressions, and back: the algebra behind ``discover.simplify.steps``.

``to_expressions`` turns a program into one expression per output (the update and each
state slot's new value) over its inputs (``w``, ``g``, ``lr``, ``step`` and the slots' old
values). ``canonical`` rewrites those expressions into a short form, and ``to_program``
writes them back as statements in a fixed order with canonical names.

Only ops whose safe DSL form is plain algebra become SymPy arithmetic, as their registry
entry's ``algebra`` field writes them (``sqrt(x)`` is ``sqrt(|x|)``, ``power(x, y)`` is
``|x|**y``, ``interp`` is ``(1-a)*x + a*y``); every other op stays an opaque function,
so SymPy cannot apply an identity the DSL's safe forms break (``log(exp(x))`` for large
x, ``arcsin(sin(x))``). The safe division floor is the
one liberty taken: ``x / y`` is treated as exact, and every rewrite is checked on the
probe streams by the caller, so a rewrite that changes behaviour is never kept.

The rewrites: ``x / |x|`` -> ``sign(x)``; ``sign(c*x)`` -> ``sign(x)`` for ``c > 0``
(SymPy's own rule); linear combinations expanded, so constant products and quotients fold
and composed ``interp``s that share their first argument merge into one; a common factor
pulled out (``lr * c * (...)``). ``to_program`` recognises ``a*x + b*y`` with ``a + b = 1``
as ``interp(x, y, b)``.

Budgets: SymPy walks an expression as a tree, so a value read twice is walked twice, and
``u = u + u*u`` repeated 25 times (51 statements) is a tree of about 2**25 nodes that
``count_ops``, ``subs`` and ``expand`` take many minutes over (each repeat doubles it);
SymPy also recurses once or more per level of nesting. Sizes are therefore measured by
walks that visit each shared subexpression once, before the SymPy call they protect:
``check_program`` estimates each output's tree (nodes and depth) from the program's
dataflow before any SymPy object exists, ``check_expressions`` measures the built
expressions, ``canonical`` bounds the terms an expansion can produce, and a ``Deadline``
bounds the wall time between steps. Past a limit they raise ``OverBudget`` with a one-line
reason, and the caller keeps the program it had. ``merge_slots`` tries cheap tests before
``sp.simplify``, and hands it only small quotients without max, min, sign or abs (see
``_constant_ratio``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import time

import sympy as sp

from discover.dsl import analysis
from discover.dsl.program import (GRADIENT, LEARNING_RATE, STEP, WEIGHTS, Const, Program,
                              Statement, Var)
from primitives import REGISTRY

# Expressions bigger than this (SymPy's operation count) are left as they are: expanding
# them costs more than the shorter text is worth.
MAX_OPS = 300
# Budgets (see the module docstring). Tree sizes count a shared subexpression at each use,
# as SymPy's walks do; 20,000 nodes is about a second of SymPy walking on a busy core, and
# far above MAX_OPS, so every expression that canonical form would shorten fits.
MAX_NODES = 20_000  # an output's expression tree, built
MAX_ESTIMATED_NODES = 200_000  # an output's tree estimated from the program, before building
MAX_TERMS = 1_000  # terms an expansion can produce (MAX_OPS-sized results need far fewer)
MAX_SIMPLIFY_NODES = 500  # a quotient merge_slots hands to sp.simplify
MAX_DEPTH = 200  # levels of nesting: SymPy recurses at least once per level
SECONDS = 15.0  # one rewrite's algebra (a few seconds at most on search results)
_SATURATED = 10**15  # sizes stop growing here: only "too large" matters past the limits
SLOT_NAMES = ("m", "v")  # canonical names of the first two state slots; then s3, s4, ...

_FUNCTIONS = {"Abs": "abs", "sign": "sign", "exp": "exp", "Max": "max", "Min": "min"}


class NotExpressible(ValueError):
  """An expression the DSL cannot write exactly (the caller keeps the old program)."""


class OverBudget(Exception):
  """The algebra would take too long; the message is the one-line reason."""


class Deadline:
  """A wall-time budget for a sequence of SymPy steps, checked between them (a SymPy call
  cannot be interrupted; the size limits keep each one short)."""

  def __init__(self, seconds: float = SECONDS):
    self.seconds = seconds
    self.end = time.monotonic() + seconds

  def check(self, before: str) -> None:
    if time.monotonic() > self.end:
      raise OverBudget(f"over its time budget ({self.seconds:g} s, before {before})")


def check_program(program: Program) -> None:
  """Raises OverBudget when an output's expression tree, estimated from the program's
  dataflow without building it, has more than ``MAX_ESTIMATED_NODES`` nodes or more than
  ``MAX_DEPTH`` levels (building one that deep can overflow SymPy's recursion)."""
  for output, (nodes, depth) in estimated_trees(program).items():
    if nodes > MAX_ESTIMATED_NODES:
      raise OverBudget(f"expression too large ({output}: {_about(nodes)} nodes estimated "
                       f"from the program, limit {MAX_ESTIMATED_NODES})")
    if depth > MAX_DEPTH:
      raise OverBudget(f"expression too deep ({output}: {depth} levels estimated from the "
                       f"program, limit {MAX_DEPTH})")


def check_expressions(outputs: dict[str, sp.Expr]) -> None:
  """Raises OverBudget when a built output's tree has more than ``MAX_NODES`` nodes or
  more than ``MAX_DEPTH`` levels."""
  for output, expr in outputs.items():
    nodes = tree_size(expr)
    if nodes > MAX_NODES:
      raise OverBudget(f"expression too large ({output}: {_about(nodes)} nodes, "
                       f"limit {MAX_NODES})")
    depth = tree_depth(expr)
    if depth > MAX_DEPTH:
      raise OverBudget(f"expression too deep ({output}: {depth} levels, limit {MAX_DEPTH})")


def estimated_trees(program: Program) -> dict[str, tuple[int, int]]:
  """Each output's expression tree as ``to_expressions`` would build it, as (nodes, depth),
  from one pass over the statements: a statement's tree is its op's SymPy form with each
  argument's tree put in at every place the form uses it. An upper estimate: SymPy's
  evaluation can make the real tree smaller (``x * x`` is ``x**2``, ``|(|x|)|`` is
  ``|x|``)."""
  trees = {name: (1, 1) for name in input_symbols(program)}
  live = analysis.live_statements(program)
  for i, stmt in enumerate(program.statements):
    if i not in live:
      continue
    form = _form(stmt.op)
    args = [(1, 1) if isinstance(a, Const) else trees[a.name] for a in stmt.args]
    nodes = form.nodes + sum(n * uses for (n, _), uses in zip(args, form.uses))
    depth = max([form.depth] + [d + level for (_, d), level in zip(args, form.levels)
                                if level is not None])
    trees[stmt.target] = (min(_SATURATED, nodes), depth)
  outputs = {"update": trees[program.update]}
  outputs.update({s: trees[s] for s in analysis.useful_slots(program)})
  return outputs


@dataclasses.dataclass(frozen=True)
class _Form:
  """An op's SymPy form over placeholder arguments, as ``estimated_trees`` needs it."""

  nodes: int  # its own nodes, the arguments' left out
  depth: int  # with each argument a leaf
  uses: tuple[int, ...]  # how many times it uses each argument
  levels: tuple[int | None, ...]  # how deep each argument sits at its deepest use


@functools.cache
def _form(op: str) -> _Form:
  entry = REGISTRY[op]
  args = [sp.Dummy(real=True) for _ in entry.arg_kinds]
  form = entry.algebra(sp, *args) if entry.algebra else sp.Function(op, real=True)(*args)
  uses = tuple(_occurrences(form, a) for a in args)
  return _Form(tree_size(form) - sum(uses), tree_depth(form), uses,
               tuple(_level(form, a) for a in args))


def _occurrences(expr: sp.Basic, symbol: sp.Symbol) -> int:
  if expr == symbol:
    return 1
  return sum(_occurrences(a, symbol) for a in expr.args)


def _level(expr: sp.Basic, symbol: sp.Symbol) -> int | None:
  if expr == symbol:
    return 0
  below = [level for a in expr.args if (level := _level(a, symbol)) is not None]
  return 1 + max(below) if below else None


def tree_size(expr: sp.Basic) -> int:
  """Nodes of ``expr`` as a tree (what SymPy's walks visit), each shared subexpression
  visited once."""
  return _fold(expr, lambda node, inner: min(_SATURATED, 1 + sum(inner)))


def tree_depth(expr: sp.Basic) -> int:
  return _fold(expr, lambda node, inner: 1 + max(inner, default=0))


def expanded_terms(expr: sp.Basic) -> int:
  """A bound on the terms ``sp.expand`` (products multiplied out, powers kept) makes of
  ``expr`` or of any subexpression."""
  def terms(node, inner):
    if node.is_Add:
      own = sum(inner)
    elif node.is_Mul:
      own = math.prod(inner)
    else:  # a power, a function or a leaf is one term (its arguments expand inside)
      own = 1
    return min(_SATURATED, max([own, *inner]))
  return _fold(expr, terms)


def _fold(expr: sp.Basic, combine):
  """``combine(node, [value of each argument])`` for ``expr``, arguments first, each shared
  subexpression once; a loop, not recursion, so deep expressions cannot overflow the
  stack."""
  values: dict[int, int] = {}  # by id: every node stays alive inside expr
  stack = [(expr, False)]
  while stack:
    node, children_done = stack.pop()
    if id(node) in values:
      continue
    if children_done:
      values[id(node)] = combine(node, [values[id(a)] for a in node.args])
    else:
      stack.append((node, True))
      stack.extend((a, False) for a in node.args if id(a) not in values)
  return values[id(expr)]


def _about(count: int) -> str:
  return f"over {_SATURATED:.0e}" if count >= _SATURATED else f"about {count:.2g}"


def input_symbols(program: Program) -> dict[str, sp.Symbol]:
  symbols = {name: sp.Symbol(name, real=True) for name in (WEIGHTS, GRADIENT, *program.slots)}
  symbols[LEARNING_RATE] = sp.Symbol(LEARNING_RATE, nonnegative=True)
  symbols[STEP] = sp.Symbol(STEP, positive=True)
  return symbols


def to_expressions(program: Program) -> dict[str, sp.Expr]:
  """``{"update": expr, slot: expr, ...}``: each output over the step's inputs."""
  env: dict[str, sp.Expr] = dict(input_symbols(program))
  live = analysis.live_statements(program)
  for i, stmt in enumerate(program.statements):
    if i not in live:
      continue
    args = [_number(a.value) if isinstance(a, Const) else env[a.name] for a in stmt.args]
    algebra = REGISTRY[stmt.op].algebra
    env[stmt.target] = (algebra(sp, *args) if algebra
                        else sp.Function(stmt.op, real=True)(*args))
  outputs = {"update": env[program.update]}
  outputs.update({s: env[s] for s in analysis.useful_slots(program)})
  return outputs


def _number(value: float) -> sp.Number:
  # Whole numbers as integers, so that 1.0 * x is x and x ** 2.0 is a square.
  if value.is_integer() and abs(value) < 2**24:
    return sp.Integer(int(value))
  return sp.Float(value)


def canonical(expr: sp.Expr) -> sp.Expr:
  """The short form of one expression (see the module docstring).

  Raises:
    OverBudget: when expanding it could make more than ``MAX_TERMS`` terms.
  """
  if tree_size(expr) > MAX_NODES or sp.count_ops(expr) > MAX_OPS:
    return expr  # the cheap walk first: count_ops walks the tree without sharing
  terms = expanded_terms(expr)
  if terms > MAX_TERMS:
    raise OverBudget(f"expansion too large ({_about(terms)} terms, limit {MAX_TERMS})")
  expr = _signs(expr)
  expanded = _expand(expr)
  if sp.count_ops(expanded) <= 2 * sp.count_ops(expr) + 4:
    expr = expanded
  return _lead_coefficient_out(_unit_signs(_signs(sp.factor_terms(expr))))


def _unit_signs(expr: sp.Expr) -> sp.Expr:
  """``sign(a*x + b*y)`` -> ``sign(interp(x, y, b/(a+b)))`` for ``a + b > 0``: the sign
  ignores a positive scale, and the interp form shows the momentum's weight."""
  def rewrite(sign):
    arg = sign.args[0]
    if not arg.is_Add:
      return sign
    coefficients = [t.as_coeff_Mul()[0] for t in sp.Add.make_args(arg)]
    if not all(c.is_Number for c in coefficients):
      return sign
    total = sum(float(c) for c in coefficients)
    if total <= 0 or abs(total - 1.0) < 1e-12:
      return sign
    return sp.sign(sp.expand(arg / total), evaluate=False)
  return expr.replace(lambda e: isinstance(e, sp.sign), rewrite)


def _lead_coefficient_out(expr: sp.Expr) -> sp.Expr:
  """``c * (x + (d/c) * y)`` for ``c*x + d*y`` where ``x`` is the biggest term, so the main
  direction reads without a factor (``(sign(...) + 0.46 * w) * lr * 0.0002``)."""
  factors = sp.Mul.make_args(expr)
  sums = [f for f in factors if f.is_Add]
  if len(sums) != 1:
    return expr
  terms = sp.Add.make_args(sums[0])
  if len(terms) == 2 and _as_interp(terms) is not None:
    return expr
  lead = max(terms, key=sp.count_ops)
  c, _ = lead.as_coeff_Mul()
  if not c.is_Number or c in (0, 1):
    return expr
  rest = [f for f in factors if f is not sums[0]]
  scaled = [t.as_coeff_Mul()[1] if t is lead else t / c for t in terms]
  return sp.Mul(c, *rest, sp.Add(*scaled), evaluate=False)


def _signs(expr: sp.Expr) -> sp.Expr:
  """``x * |x|**-1`` -> ``sign(x)``, wherever it occurs."""
  def rewrite(mul):
    factors = list(mul.args)
    for f in factors:
      if f.is_Pow and f.exp == -1 and isinstance(f.base, sp.Abs) and f.base.args[0] in factors:
        inner = f.base.args[0]
        factors.remove(inner)
        factors.remove(f)
        return sp.Mul(sp.sign(inner), *factors)
    return mul
  return expr.replace(lambda e: e.is_Mul, rewrite)


def merge_slots(outputs: dict[str, sp.Expr], symbols: dict[str, sp.Symbol],
                deadline: Deadline | None = None
                ) -> tuple[dict[str, sp.Expr], list[tuple[str, str, float]]]:
  """Drops a slot whose new value is a constant multiple of another slot's: its old value
  is that multiple of the other's old value. Returns the outputs and ``(dropped, kept,
  factor)`` for each merge.

  Raises:
    OverBudget: past ``deadline``.
  """
  merges = []
  changed = True
  while changed:
    changed = False
    slots = [s for s in outputs if s != "update"]
    for dropped in slots:
      for kept in slots:
        if dropped == kept or outputs[kept] == 0:
          continue
        if deadline is not None:
          deadline.check(f"comparing slots {dropped} and {kept}")
        ratio = _constant_ratio(outputs[dropped], outputs[kept])
        if ratio is None:
          continue
        factor = float(ratio)
        old = {symbols[dropped]: factor * symbols[kept]}
        outputs = {k: e.subs(old) for k, e in outputs.items() if k != dropped}
        merges.append((dropped, kept, factor))
        changed = True
        break
      if changed:
        break
  return outputs, merges


def _constant_ratio(a: sp.Expr, b: sp.Expr) -> sp.Number | None:
  """``a / b`` if it is a constant, cheapest test first. ``sp.simplify`` comes last, on a
  small quotient without max, min, sign or abs only: it rewrites those as piecewise
  functions, and took over a minute on a 30-statement search result with a few of them. A
  constant it would have found past these limits is missed, and the slots stay apart."""
  ratio = a / b
  if ratio.is_Number:
    return ratio
  if a.free_symbols != b.free_symbols:
    return None
  proportional = _proportional_terms(a, b)
  if proportional is not None:
    return proportional
  if ratio.has(*_PIECEWISE) or tree_size(ratio) > MAX_SIMPLIFY_NODES:
    return None
  ratio = sp.simplify(ratio)
  return ratio if ratio.is_Number else None


_PIECEWISE = (sp.Max, sp.Min, sp.sign, sp.Abs)


def _proportional_terms(a: sp.Expr, b: sp.Expr) -> sp.Number | None:
  """The ratio of the coefficients of ``a`` and ``b`` expanded, if they have the same
  terms and one ratio (a momentum and its scaled copy)."""
  if max(expanded_terms(a), expanded_terms(b)) > MAX_TERMS:
    return None
  terms_a = _expand(a).as_coefficients_dict()
  terms_b = _expand(b).as_coefficients_dict()
  if not terms_a or terms_a.keys() != terms_b.keys():
    return None
  ratios = [terms_a[t] / terms_b[t] for t in terms_a]
  first = ratios[0]
  if not first.is_Number or not all(
      r.is_Number and abs(float(r - first)) <= 1e-12 * abs(float(first)) for r in ratios):
    return None
  return first


def _expand(expr: sp.Expr) -> sp.Expr:
  """Products multiplied out, nothing else (powers, logarithms and bases kept)."""
  return sp.expand(expr, multinomial=False, power_base=False, power_exp=False, log=False)


def to_program(outputs: dict[str, sp.Expr], slots: list[str], uses_step: bool) -> Program:
  """Statements computing ``outputs`` (old slot values as symbols named ``slots``), with
  slots renamed to ``m, v, s3, ...`` in order and temporaries ``t1, t2, ...``.

  Raises:
    NotExpressible: for a form the DSL's ops cannot write exactly.
  """
  names = {s: _slot_name(i) for i, s in enumerate(slots)}
  rename = {sp.Symbol(s, real=True): _slot_symbol(names[s]) for s in slots}
  exprs = {k: e.subs(rename, simultaneous=True) for k, e in outputs.items()}
  exprs = {("update" if k == "update" else names[k]): e for k, e in exprs.items()}
  writer = _Writer()
  early, late = _slot_order(exprs, [names[s] for s in slots])
  for slot in early:  # new values the update reads: written first, under the slot's name
    writer.assign(slot, exprs[slot])
  writer.assign("update", exprs["update"])
  for slot in late:
    writer.assign(slot, exprs[slot])
  program = Program(tuple(names[s] for s in slots), _number_temporaries(writer.statements),
                    "update", uses_step)
  try:
    analysis.check(program)
  except ValueError as e:
    raise NotExpressible(str(e)) from None
  return program


def _number_temporaries(statements: list[Statement]) -> tuple[Statement, ...]:
  """Temporaries renamed t1, t2, ... in the order they are defined."""
  names: dict[str, str] = {}
  for stmt in statements:
    if stmt.target.startswith("t") and stmt.target not in names:
      names[stmt.target] = f"t{len(names) + 1}"
  rename = lambda a: Var(names.get(a.name, a.name)) if isinstance(a, Var) else a
  return tuple(Statement(names.get(s.target, s.target), s.op, tuple(map(rename, s.args)))
               for s in statements)


def _slot_name(index: int) -> str:
  return SLOT_NAMES[index] if index < len(SLOT_NAMES) else f"s{index + 1}"


def _slot_symbol(name: str) -> sp.Symbol:
  return sp.Symbol(f"__slot_{name}", real=True)


def _slot_order(exprs: dict[str, sp.Expr], slots: list[str]) -> tuple[list[str], list[str]]:
  """Slots to write before the update (its new value appears in the others, which read
  the old value nowhere else) and after it (in an order that reads no overwritten slot)."""
  early = []
  for slot in slots:
    new = exprs[slot]
    others = [e for k, e in exprs.items() if k != slot]
    if new.free_symbols and any(e.has(new) for e in others) and not any(
        e.subs(new, sp.Symbol("__new")).has(_slot_symbol(slot)) for e in others):
      early.append(slot)
  late, pending = [], [s for s in slots if s not in early]
  while pending:
    ready = [s for s in pending
             if not any(exprs[o].has(_slot_symbol(s)) for o in pending if o != s)]
    if not ready:
      raise NotExpressible("the state slots' new values read each other's old values")
    late.append(ready[0])
    pending.remove(ready[0])
  return early, late


class _Writer:
  """Emits statements for expressions, sharing common subexpressions."""

  def __init__(self):
    self.statements: list[Statement] = []
    self.memo: dict[sp.Expr, Var | Const] = {}
    self.count = 0

  def assign(self, target: str, expr: sp.Expr) -> None:
    arg = self.emit(expr, target)
    if not (self.statements and self.statements[-1].target == target
            and self.memo.get(expr) == Var(target)):
      # The value already has another name (or is an input or constant): copy it.
      self._add(target, "mul", (arg, Const(1.0)))
    self.memo[expr] = Var(target)

  def emit(self, expr: sp.Expr, target: str | None = None) -> Var | Const:
    if expr in self.memo:
      return self.memo[expr]
    if expr.is_Number:
      # Seven significant digits: float32's precision, without the float64 noise of
      # folded products (0.46020000000000005).
      value = float(f"{float(expr):.7g}")
      if not math.isfinite(value):
        raise NotExpressible(f"non-finite constant {expr}")
      return Const(value)
    if expr.is_Symbol:
      name = expr.name.removeprefix("__slot_")
      return Var(name)
    op, args = self._call(expr)
    result = self._add(target or self._temp(), op, tuple(self.emit(a) for a in args))
    self.memo[expr] = result
    return result

  def _temp(self) -> str:
    self.count += 1
    return f"t{self.count}"

  def _add(self, target: str, op: str, args: tuple) -> Var:
    self.statements.append(Statement(target, op, args))
    return Var(target)

  def _call(self, expr: sp.Expr) -> tuple[str, tuple]:
    """The op and argument expressions of the outermost operation of ``expr``."""
    if expr.is_Add:
      return self._sum(expr)
    if expr.is_Mul:
      return self._product(expr)
    if expr.is_Pow:
      return self._power(expr)
    func = type(expr).__name__
    if func in _FUNCTIONS:
      args = expr.args
      if func in ("Max", "Min") and len(args) > 2:
        return _FUNCTIONS[func], (args[0], type(expr)(*args[1:]))
      return _FUNCTIONS[func], args
    if isinstance(expr, sp.core.function.AppliedUndef):
      return func, expr.args
    raise NotExpressible(f"no DSL op for {func}")

  def _sum(self, expr: sp.Expr) -> tuple[str, tuple]:
    terms = sp.Add.make_args(expr)
    if len(terms) == 2:
      interp = _as_interp(terms)
      if interp is not None:
        return "interp", interp
    first, rest = terms[0], sp.Add(*terms[1:])
    coefficient, _ = rest.as_coeff_Mul() if len(terms) == 2 else (1, None)
    if len(terms) == 2 and coefficient.is_Number and coefficient < 0:
      return "sub", (first, -rest)
    return "add", (first, rest)

  def _product(self, expr: sp.Expr) -> tuple[str, tuple]:
    coefficient, rest = expr.as_coeff_Mul()
    if coefficient == -1:
      return "negative", (rest,)
    if coefficient != 1:
      return "mul", (rest, coefficient)
    factors = sp.Mul.make_args(expr)
    denominators = [f for f in factors if f.is_Pow and f.exp.is_Number and f.exp < 0]
    if denominators:
      numerator = sp.Mul(*[f for f in factors if f not in denominators])
      denominator = sp.Mul(*[f.base**(-f.exp) for f in denominators])
      return "div", (numerator, denominator)
    # Tree factors first, then the scalar ones (the learning rate and step), so the
    # result reads "direction * scale".
    scalar = [f for f in factors if f.free_symbols <= _SCALARS]
    tree = [f for f in factors if f not in scalar]
    if tree and scalar:
      return "mul", (sp.Mul(*tree), sp.Mul(*scalar))
    return "mul", (factors[0], sp.Mul(*factors[1:]))

  def _power(self, expr: sp.Expr) -> tuple[str, tuple]:
    base, exponent = expr.args
    if exponent == -1:
      return "reciprocal", (base,)
    if exponent == 2:
      return "square", (base,)
    if exponent == 3:
      return "cube", (base,)
    if isinstance(base, sp.Abs):
      if exponent == sp.Rational(1, 2):
        return "sqrt", base.args
      return "power", (base.args[0], exponent)
    if base.is_nonnegative:
      if exponent == sp.Rational(1, 2):
        return "sqrt", (base,)
      return "power", (base, exponent)
    if base.is_Number and base > 0:  # 2**x, 10**x
      return "power", (base, exponent)
    raise NotExpressible(f"{expr}: a power of a value that may be negative")


_SCALARS = {sp.Symbol(LEARNING_RATE, nonnegative=True), sp.Symbol(STEP, positive=True)}


def _as_interp(terms) -> tuple | None:
  """``(x, y, b)`` when ``terms`` are ``a*x`` and ``b*y`` with ``a + b = 1``; the term with
  a state slot in it is ``y``, as in ``interp(g, m, b)``."""
  (a, x), (b, y) = (t.as_coeff_Mul() for t in terms)
  if not (a.is_Number and b.is_Number) or abs(float(a) + float(b) - 1.0) > 1e-9:
    return None
  if a == 1 or b == 1:
    return None
  if _has_slot(x) and not _has_slot(y):
    (a, x), (b, y) = (b, y), (a, x)
  return x, y, b


def _has_slot(expr: sp.Expr) -> bool:
  return any(s.name.startswith("__slot_") for s in expr.free_symbols)
