"""The op registry: the one place where the DSL's primitives are defined.

Every op is an :class:`Op` entry: its name, its arity, the kind of each argument, its JAX
implementation, how it prints, how an exported module writes it (a :class:`Template`) and
its SymPy form. The parser, the type checker, the interpreter, the mutator, the hasher,
the exporter and the algebra all read this table and nothing else, so adding an op is one
entry (in ``primitives/ops.py``) plus the tests that the registry drives; one test checks
that an entry's JAX form, template and SymPy form agree.

Values in a program have one of two kinds (docs/architecture.md, "The DSL"):

* ``TREE``: a pytree with the structure of the weights ``w`` (the gradient, a state slot);
* ``SCALAR``: one number (a constant, the learning rate, a global norm).

Leafwise ops map over the leaves of their tree arguments; scalar arguments broadcast. The
result of a leafwise op is a tree if any argument is a tree, else a scalar. Tree-level ops
reduce over (or rescale) the whole tree and declare their result kind.

Each op also states how it transforms degrees in the learning rate (``Op.lr_rule``), so that
``discover.dsl.analysis.lr_linear`` can prove a program's update linear in ``lr``.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
from fractions import Fraction
from typing import Any
from collections.abc import Callable, Mapping, Sequence

import jax


class Kind(enum.Enum):
  """The kind of a value, or of an argument slot."""

  TREE = "tree"
  SCALAR = "scalar"
  ANY = "any"  # only as an argument kind: accepts either, scalars broadcast.

  # Members are singletons compared by identity; Enum's own hash hashes the name in Python,
  # and checking a search's children hashes kinds millions of times.
  __hash__ = object.__hash__

  def accepts(self, kind: Kind) -> bool:
    return self is Kind.ANY or self is kind


@dataclasses.dataclass(frozen=True)
class Template:
  """How an exported module (``discover.export.transform``) writes one op.

  Attributes:
    source: a Python expression over the arguments ``{0}``, ``{1}``, ... (leaves or
      scalars for a leafwise op; whole values for a tree-level one).
    math: the op in the docstring's notation.
    helpers: module-level functions ``source`` calls (their text is the exporter's).
    on_python_floats: the source to use where every argument may be a Python float (a
      constant), where ``source`` would compute in float64 and the registry in float32.
    python_arithmetic: ``source`` is Python arithmetic, as the op's ``fn`` is: on Python
      floats it gives a Python float, which later templates must know about.
  """

  source: str
  math: str
  helpers: tuple[str, ...] = ()
  on_python_floats: str | None = None
  python_arithmetic: bool = False


@dataclasses.dataclass(frozen=True)
class Op:
  """One primitive of the DSL.

  Attributes:
    name: the name programs call it by.
    arg_kinds: the kind each argument must have; its length is the arity.
    fn: the JAX implementation. For a leafwise op it takes arrays (one leaf of each
      argument, or a scalar) and broadcasts; for a tree-level op it takes whole values.
    leafwise: whether ``fn`` is mapped over the leaves of tree arguments.
    result: the result kind of a tree-level op (leafwise ops derive theirs).
    symbol: an infix operator (``+``) the op prints as, or None for call syntax.
    finite_when: where the op promises a finite result for finite inputs: None means
      everywhere, else a predicate over NumPy float64 arguments returning a bool mask.
    doc: the op's semantics in one line, stating any safe form.
    template: how an exported module writes the op.
    algebra: the op as SymPy arithmetic, ``algebra(sympy, *args)``, or None where the safe
      form is no plain algebra (``discover.simplify.algebra`` keeps it an opaque function). It
      takes the module so that importing the registry does not import SymPy.
    lr_rule: how the op transforms degrees in the learning rate. A value has degree d when
      scaling ``lr`` by any k > 0 scales it by exactly k ** d (a ``Fraction``), or no degree
      (None) when it is not positively homogeneous in ``lr``. A rule maps its arguments'
      degrees to the result's, None when they break its condition (or one is None):

      * ``"none"``: every argument has degree 0; the result has degree 0. The default, and
        the rule of every op that is not exactly homogeneous (exp, log, tanh, power, an
        epsilon or a floor anywhere, ...); an op with no arguments (a constant) has degree 0.
      * ``"same"``: every argument has one degree d; the result has d (add, max, clip).
      * ``"interp"``: the last argument (the weight) has degree 0, the others one degree d;
        the result has d (``(1 - a) * x + a * y``).
      * ``"product"``: the result's degree is the sum of the arguments' (mul, dot).
      * ``"keep"``: the first argument has degree d, any others degree 0; the result has d
        (abs, a norm; ``x / y``, whose floored denominator must not depend on ``lr``).
      * ``"scale_free"``: any degrees; the result has degree 0 (sign).
      * ``"power:p"``, p a fraction (``"power:1/2"``): the first argument has degree d, any
        others degree 0; the result has p * d (square, sqrt of ``|x|``).

      Declare a rule only where the op's ``fn`` is exactly homogeneous (``tests/test_lr_degree.py``
      checks each numerically); "none" is always sound.
    keeps_sign: a unary op whose result always has its argument's sign, zero at zero
      (``sign(tanh(x)) = sign(x)``): the recovery check's normal form looks through it
      inside ``sign`` (``tests/test_ops.py`` checks each numerically).
  """

  name: str
  arg_kinds: tuple[Kind, ...]
  fn: Callable[..., Any]
  doc: str
  leafwise: bool = True
  result: Kind | None = None
  symbol: str | None = None
  finite_when: Callable[..., Any] | None = None
  template: Template | None = None
  algebra: Callable[..., Any] | None = None
  lr_rule: str = "none"
  keeps_sign: bool = False

  def __post_init__(self):
    # When the table is built: every rule must map lr-free arguments to an lr-free result,
    # and an unknown rule, or one that needs more arguments than the op has, fails here.
    try:
      lr_free = self.lr_degree((_ZERO,) * self.arity) == 0
    except IndexError:
      lr_free = False
    if not lr_free:
      raise ValueError(f"lr_rule {self.lr_rule!r} does not fit '{self.name}'")

  @property
  def arity(self) -> int:
    return len(self.arg_kinds)

  def lr_degree(self, degrees: Sequence[Fraction | None]) -> Fraction | None:
    """The degree in ``lr`` of this op's result, given its arguments' (``lr_rule``)."""
    return lr_rule_fn(self.lr_rule)(degrees)

  def result_kind(self, kinds: Sequence[Kind]) -> Kind:
    """The kind of this op's result, given its arguments' kinds (already checked)."""
    if not self.leafwise:
      return self.result
    return Kind.TREE if Kind.TREE in kinds else Kind.SCALAR

  def check(self, kinds: Sequence[Kind]) -> str | None:
    """Returns why arguments of these kinds are invalid, or None if they are valid."""
    if len(kinds) != self.arity:
      return f"'{self.name}' takes {self.arity} argument{'s' * (self.arity != 1)}, got {len(kinds)}"
    for i, (want, got) in enumerate(zip(self.arg_kinds, kinds)):
      if not want.accepts(got):
        return (f"argument {i + 1} of '{self.name}' must be a {want.value}, "
                f"got a {got.value}")
    return None

  def apply(self, args: Sequence[Any], kinds: Sequence[Kind]) -> Any:
    """Applies the op to values of the given (static) kinds."""
    if not self.leafwise or Kind.TREE not in kinds:
      return self.fn(*args)
    trees = [i for i, k in enumerate(kinds) if k is Kind.TREE]

    def on_leaves(*leaves):
      full = list(args)
      for i, leaf in zip(trees, leaves):
        full[i] = leaf
      return self.fn(*full)

    return jax.tree.map(on_leaves, *[args[i] for i in trees])


LR_RULES = ("none", "same", "interp", "product", "keep", "scale_free")  # and "power:p"
_ZERO = Fraction(0)


def _lr_none(degrees):
  return _ZERO if all(d == 0 for d in degrees) else None


def _lr_same(degrees):
  first = degrees[0] if degrees else _ZERO
  # Fraction == None is False, so one undefined degree fails the test.
  return first if all(d == first for d in degrees) else None


def _lr_interp(degrees):
  return _lr_same(degrees[:-1]) if degrees[-1] == 0 else None


def _lr_product(degrees):
  if None in degrees:
    return None
  # Fraction addition costs a microsecond; most products add a zero degree (x * 0.9).
  terms = [d for d in degrees if d]
  return sum(terms[1:], terms[0]) if terms else _ZERO


def _lr_keep(degrees):
  return degrees[0] if all(d == 0 for d in degrees[1:]) else None


def _lr_scale_free(degrees):
  return None if None in degrees else _ZERO


def _lr_power(exponent, degrees):
  kept = _lr_keep(degrees)
  return None if kept is None else kept * exponent


_LR_RULE_FNS = {"none": _lr_none, "same": _lr_same, "interp": _lr_interp,
                "product": _lr_product, "keep": _lr_keep, "scale_free": _lr_scale_free}


@functools.cache  # few rules; the search asks for every statement
def lr_rule_fn(rule: str) -> Callable[[Sequence[Fraction | None]], Fraction | None]:
  """The degree function of an ``Op.lr_rule``; ValueError for an unknown rule."""
  if rule in _LR_RULE_FNS:
    return _LR_RULE_FNS[rule]
  if isinstance(rule, str) and rule.startswith("power:"):
    try:
      return functools.partial(_lr_power, Fraction(rule[len("power:"):]))
    except (ValueError, ZeroDivisionError):
      pass
  raise ValueError(f"unknown lr_rule {rule!r} (one of {', '.join(LR_RULES)} or 'power:p')")


class Registry(Mapping[str, Op]):
  """An immutable name -> Op table with a content hash for run manifests."""

  def __init__(self, ops: Sequence[Op]):
    names = [op.name for op in ops]
    duplicated = {n for n in names if names.count(n) > 1}
    if duplicated:
      raise ValueError(f"ops defined twice: {sorted(duplicated)}")
    self._ops = {op.name: op for op in ops}
    self._by_symbol = {op.symbol: op for op in ops if op.symbol}

  def __getitem__(self, name: str) -> Op:
    return self._ops[name]

  def __contains__(self, name) -> bool:  # Mapping's goes through __getitem__ and a try
    return name in self._ops

  def __iter__(self):
    return iter(self._ops)

  def __len__(self) -> int:
    return len(self._ops)

  def by_symbol(self, symbol: str) -> Op | None:
    return self._by_symbol.get(symbol)

  def fingerprint(self) -> str:
    """A short hash of every op's name, kinds, printing and documented semantics.

    It changes when an op is added, removed or redefined (its doc states its
    semantics), so a run manifest can tell whether a replay uses the same DSL.
    """
    text = "\n".join(
        f"{op.name}|{[k.value for k in op.arg_kinds]}|{op.leafwise}|"
        f"{op.result}|{op.symbol}|{op.doc}" for op in self._ops.values())
    return hashlib.sha256(text.encode()).hexdigest()[:16]
