"""Tests driven by the op registry: every op in ``primitives.REGISTRY`` is checked here.

The per-op tests are parametrised over the registry itself, so an op added to
``primitives/ops.py`` is tested for its finiteness promise, its structure and result kinds,
jit, and printing/parsing without touching this file. Semantics are spot-checked against
independent NumPy/optax references, and the registry's contents (the paper's 45 functions
plus ``clip``) are pinned explicitly.

Speed: compiling dominates (XLA CPU takes tens of milliseconds per executable), so each op
is compiled once, for all forms of its arguments at once, over one batch of rows (vmap)
that holds every combination of edge values, random values, and a few random trees; the
finiteness and jit tests share that compile.
"""

import dataclasses
import functools
import itertools
import zlib

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from discover.dsl.parse import parse
from discover.dsl.program import Program, Statement, Var, to_text
from primitives import DIV_EPS, LOG_FLOOR, REGISTRY, Kind, Op, Registry
from primitives.ops import OPS

T, S, A = Kind.TREE, Kind.SCALAR, Kind.ANY
NAMES = list(REGISTRY)

# The test tree: nested dict/list, leaves of mixed shapes including a 0-d leaf.
SHAPES = {"dense": {"kernel": (3, 4), "bias": (5,)}, "layers": [(), (2, 3, 2)]}
_is_shape = lambda s: isinstance(s, tuple)
TREEDEF = jax.tree.structure(SHAPES, is_leaf=_is_shape)
LEAF_SHAPES = jax.tree.leaves(SHAPES, is_leaf=_is_shape)

# Edge values (as float32, since that is what programs run at), plus a few fixed normals.
EDGES = np.array([0.0, 1e-30, -1e-30, 1e30, -1e30, 1.0, -1.0], np.float32)
EDGE_VALUES = np.concatenate(
    [EDGES, np.random.default_rng(0).normal(size=3).astype(np.float32)])


def _tree(fn):
  """A tree shaped like SHAPES whose leaf of shape s is fn(s)."""
  return jax.tree.map(fn, SHAPES, is_leaf=_is_shape)


def _filled(value) -> dict:
  return _tree(lambda s: jnp.asarray(np.full(s, value, np.float32)))


def _random_tree(rng: np.random.Generator, scale: float = 1.0) -> dict:
  return _tree(lambda s: jnp.asarray(scale * rng.normal(size=s), jnp.float32))


TREE_SIZE = sum(int(np.prod(s)) for s in LEAF_SHAPES)


def _trees_of(values: np.ndarray) -> list[dict]:
  """Consecutive values laid out as trees (len(values) must be a multiple of TREE_SIZE)."""
  chunks = np.asarray(values, np.float32).reshape(-1, TREE_SIZE)
  ends = np.cumsum([int(np.prod(s)) for s in LEAF_SHAPES])
  return [jax.tree.unflatten(TREEDEF, [jnp.asarray(part.reshape(shape)) for part, shape in
                                       zip(np.split(chunk, ends[:-1]), LEAF_SHAPES)])
          for chunk in chunks]


def _flat(tree) -> np.ndarray:
  return np.concatenate([np.asarray(x).ravel() for x in jax.tree.leaves(tree)])


def _args_for(kinds, rng: np.random.Generator) -> list:
  """Arguments of the given kinds: random nested trees and random 0-d scalars."""
  return [_random_tree(rng) if k is T else jnp.asarray(rng.normal(), jnp.float32)
          for k in kinds]


def _arg_forms(op: Op) -> list[tuple[Kind, ...]]:
  """Every assignment of concrete kinds to the op's arguments (ANY gives both)."""
  choices = [(T, S) if k is A else (k,) for k in op.arg_kinds]
  return list(itertools.product(*choices))


def _forms_id(kinds) -> str:
  return "-".join(k.value for k in kinds) or "none"


OP_FORMS = [pytest.param(name, kinds, id=f"{name}[{_forms_id(kinds)}]")
            for name in NAMES for kinds in _arg_forms(REGISTRY[name])]


def _promise(op: Op, cols: list[np.ndarray]) -> np.ndarray:
  """The op's finite_when, evaluated on the float64 values of float32 inputs."""
  n = len(cols[0]) if cols else 1
  if op.finite_when is None:
    return np.ones(n, bool)
  with np.errstate(all="ignore"):
    mask = op.finite_when(*[np.asarray(c, np.float32).astype(np.float64) for c in cols])
  mask = np.asarray(mask)
  assert mask.dtype == bool, f"{op.name}: finite_when must return a bool mask"
  return np.broadcast_to(mask, (n,))


# --- The shared batch: one compile per op. --------------------------------------------------

BATCH = 4096  # rows per op: the edge grid, then random fill values, then N_VARIED rows
N_VARIED = 4  # rows of random trees that vary element by element (for jit vs eager)
N_FILLED = BATCH - N_VARIED


def _random_values(rng: np.random.Generator, n: int) -> np.ndarray:
  """Normals, log-uniform magnitudes over float32's normal range, and [-100, 100]."""
  normal = rng.normal(size=n)
  sign = rng.choice([-1.0, 1.0], size=n)
  log_uniform = sign * 10.0 ** rng.uniform(-37, 37, size=n)  # no subnormals: CPU flushes them
  uniform = rng.uniform(-100, 100, size=n)
  which = rng.integers(3, size=n)
  return np.choose(which, [normal, log_uniform, uniform]).astype(np.float32)


def _fill_columns(op: Op, rng: np.random.Generator) -> list[np.ndarray]:
  """Column k holds argument k's fill value for each filled row: every combination of
  edge values first, then random values."""
  grid = list(itertools.product(EDGE_VALUES, repeat=op.arity))
  assert len(grid) <= N_FILLED
  return [np.concatenate([np.array(edge, np.float32), _random_values(rng, N_FILLED - len(grid))])
          for edge in zip(*grid)]


def _batched_arg(kind: Kind, col: np.ndarray, rng: np.random.Generator):
  """Row i < len(col) is an argument filled with col[i] (a whole tree, or a 0-d scalar);
  the N_VARIED rows after them are random normals that vary element by element."""
  def leaf(shape):
    filled = np.broadcast_to(col.reshape((-1,) + (1,) * len(shape)), (len(col),) + shape)
    varied = rng.normal(size=(N_VARIED,) + shape)
    return jnp.asarray(np.concatenate([filled, varied]), jnp.float32)
  return leaf(()) if kind is S else _tree(leaf)


def _row(batch, i: int):
  """Row i of a batch (indexed in NumPy: eager jax indexing compiles per shape)."""
  return jax.tree.map(lambda x: jnp.asarray(np.asarray(x)[i]), batch)


@dataclasses.dataclass
class Evaluation:
  """One jit compile of an op over the batch, for every form of its arguments.

  cols: the fill value of each argument in each filled row (rows < N_FILLED).
  args[kinds]: the batched arguments (row i is one call's arguments).
  rows[kinds]: the jitted op applied to each row (vmap: every row sees unbatched values,
    as a program would).
  """

  cols: list
  args: dict
  rows: dict


def _evaluate(op: Op, rng: np.random.Generator) -> Evaluation:
  forms = _arg_forms(op)
  cols = _fill_columns(op, rng)
  # Built outside jit, so XLA sees the arguments as plain data.
  args = {kinds: [_batched_arg(k, c, rng) for k, c in zip(kinds, cols)] for kinds in forms}

  def run(args):  # a list, in the order of forms (Kind tuples are no pytree keys)
    return [jax.vmap(lambda *a, kinds=kinds: op.apply(a, kinds))(*form_args) if op.arity
            else jax.tree.map(lambda x: x[None], op.apply((), ()))
            for kinds, form_args in zip(forms, args)]

  rows = jax.jit(run)([args[kinds] for kinds in forms])
  return Evaluation(cols, args, dict(zip(forms, rows)))


@functools.cache
def _evaluation(name: str) -> Evaluation:
  return _evaluate(REGISTRY[name], np.random.default_rng(zlib.crc32(name.encode())))


def _assert_eager_matches(op: Op, ev: Evaluation, kinds, i: int, rtol: float, atol: float):
  """A plain eager call on row i's arguments gives the jitted row i."""
  eager = op.apply(_row(ev.args[kinds], i), kinds)
  jitted = _row(ev.rows[kinds], i)
  assert jax.tree.structure(eager) == jax.tree.structure(jitted)
  for e, j in zip(jax.tree.leaves(eager), jax.tree.leaves(jitted)):
    assert e.dtype == j.dtype and e.shape == j.shape
    np.testing.assert_allclose(np.asarray(e), np.asarray(j), rtol=rtol, atol=atol,
                               err_msg=f"{op.name}{kinds} at row {i}: eager != jit")


def _rows_finite(result, n: int) -> np.ndarray:
  ok = np.ones(n, bool)
  for leaf in jax.tree.leaves(result):
    leaf = np.asarray(leaf)[:n]
    assert leaf.dtype == np.float32, leaf.dtype
    ok &= np.isfinite(leaf.reshape(n, -1)).all(axis=1)
  return ok


def _check_promise(op: Op, ev: Evaluation, eager_rows: list[int]):
  """Asserts that every filled row the promise covers is finite, in every form of the
  arguments, and that eager calls give the jitted rows at ``eager_rows``."""
  n = N_FILLED if op.arity else 1
  promised = _promise(op, ev.cols)
  for kinds, result in ev.rows.items():
    broken = np.flatnonzero(promised & ~_rows_finite(result, n))
    assert broken.size == 0, (
        f"{op.name}{tuple(k.value for k in kinds)} promises a finite result but is not "
        f"finite at: {[tuple(float(c[i]) for c in ev.cols) for i in broken[:10]]}")
    # Outside the promise the two may legitimately differ (under jit XLA may rewrite
    # sqrt(x * x) to |x|, which does not overflow), so compare only where it holds.
    for i in [i for i in eager_rows if promised[i]]:
      _assert_eager_matches(op, ev, kinds, i, rtol=1e-5, atol=1e-25)


# --- 1. The finiteness promise holds on edge and random inputs. -----------------------------


def _eager_rows(op: Op) -> list[int]:
  """Filled rows to re-check with eager calls: spread over the edge grid, plus random."""
  if not op.arity:
    return [0]
  n_edges = len(EDGE_VALUES) ** op.arity
  return sorted({*np.linspace(0, n_edges - 1, min(n_edges, 12)).astype(int).tolist(),
                 n_edges, N_FILLED // 2, N_FILLED - 1})


@pytest.mark.parametrize("name", NAMES)
def test_finite_where_promised_on_edge_and_random_values(name):
  op = REGISTRY[name]
  ev = _evaluation(name)
  assert set(ev.rows) == set(_arg_forms(op))  # every form: ANY arguments as tree and scalar
  if op.arity:
    n_edges = len(EDGE_VALUES) ** op.arity
    # Every combination of edge values is there, each argument filled with one value.
    assert len({tuple(float(c[i]) for c in ev.cols) for i in range(n_edges)}) == n_edges
    for kinds, args in ev.args.items():
      for _kind, arg, col in zip(kinds, args, ev.cols):
        for leaf in jax.tree.leaves(arg):
          np.testing.assert_array_equal(
              np.asarray(leaf)[:N_FILLED].reshape(N_FILLED, -1).T, np.broadcast_to(
                  col, (int(np.prod(leaf.shape[1:])), N_FILLED)))
  _check_promise(op, ev, _eager_rows(op))


def test_the_promise_check_catches_a_false_promise():
  # A deliberately false promise (log without its floor, promised finite everywhere).
  bad = Op("bad_log", (A,), jnp.log, "log(x)")
  with pytest.raises(AssertionError, match="promises a finite result"):
    _check_promise(bad, _evaluate(bad, np.random.default_rng(0)), [])


# --- 2. Promises are not vacuous. ------------------------------------------------------------

# Ops whose promise may exclude an exact zero argument, and why.
ZERO_NOT_PROMISED = {"power": "|x| ** y is infinite at x = 0 for y < 0"}
MODERATE = np.array([-2.0, -1.5, -1.0, -0.5, -1e-3, 1e-3, 0.5, 1.0, 1.5, 2.0], np.float32)


@pytest.mark.parametrize("name", NAMES)
def test_promise_holds_on_moderate_inputs(name):
  op = REGISTRY[name]
  rng = np.random.default_rng(1)
  values = np.concatenate([MODERATE, rng.uniform(-2, 2, size=4).astype(np.float32)])
  if name not in ZERO_NOT_PROMISED:
    values = np.append(values, np.float32(0.0))
  grid = list(itertools.product(values, repeat=op.arity))
  cols = [np.array(c, np.float32) for c in zip(*grid)] if op.arity else []
  promised = _promise(op, cols)
  assert promised.all(), (
      f"{name}'s promise fails on moderate inputs: "
      f"{[tuple(float(c[i]) for c in cols) for i in np.flatnonzero(~promised)[:10]]}")


def test_zero_is_promised_for_the_safe_forms():
  for name in ("sqrt", "log", "log2", "log10", "reciprocal", "norm", "global_norm",
               "cosine_sim", "clip_by_global_norm"):
    op = REGISTRY[name]
    zero = [np.zeros(1)] * op.arity
    assert _promise(op, zero).all(), name
  assert _promise(REGISTRY["div"], [np.ones(1), np.zeros(1)]).all()
  assert _promise(REGISTRY["power"], [np.zeros(1), np.ones(1)]).sum() == 0


def test_promises_are_not_trivially_true():
  # The promises that restrict anything must exclude the obvious overflows.
  huge = np.array([1e30])
  for name in ("square", "cube", "exp", "exp2", "exp10", "expm1", "sinh", "cosh", "norm",
               "global_norm"):
    assert not _promise(REGISTRY[name], [huge]).any(), name
  for name in ("mul", "dot", "cosine_sim", "clip_by_global_norm"):
    assert not _promise(REGISTRY[name], [huge, huge]).any(), name
  assert not _promise(REGISTRY["div"], [huge, np.array([1e-30])]).any()
  assert not _promise(REGISTRY["interp"], [huge, huge, huge]).any()


# --- 3. Structure and result kinds. ---------------------------------------------------------


@pytest.mark.parametrize("name,kinds", OP_FORMS)
def test_result_has_the_declared_kind_and_structure(name, kinds):
  op = REGISTRY[name]
  assert op.check(kinds) is None
  result = op.apply(_args_for(kinds, np.random.default_rng(2)), kinds)
  if op.result_kind(kinds) is T:
    assert jax.tree.structure(result) == TREEDEF
    assert [np.shape(x) for x in jax.tree.leaves(result)] == LEAF_SHAPES
  else:
    assert isinstance(result, jax.Array) and result.shape == ()
  assert all(x.dtype == jnp.float32 for x in jax.tree.leaves(result))
  if op.leafwise:
    assert op.result_kind(kinds) is (T if T in kinds else S)


@pytest.mark.parametrize("name", NAMES)
def test_kinds_are_checked(name):
  op = REGISTRY[name]
  assert op.check((S,) * (op.arity + 1)) is not None  # wrong arity
  for i, want in enumerate(op.arg_kinds):
    if want is not A:
      wrong = list(_arg_forms(op)[0])
      wrong[i] = S if want is T else T
      assert op.check(wrong) is not None
  if not op.leafwise:
    assert op.result in (T, S)


# --- 4. jit gives what eager gives. ---------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_jit_matches_eager(name):
  op = REGISTRY[name]
  ev = _evaluation(name)  # every form of the arguments, jitted in one compile
  for kinds in _arg_forms(op):
    # The rows of random trees that vary element by element (the constants have one row).
    for i in range(N_FILLED, BATCH) if op.arity else [0]:
      _assert_eager_matches(op, ev, kinds, i, rtol=1e-6, atol=1e-7)
    if op.result_kind(kinds) is T:
      assert jax.tree.structure(_row(ev.rows[kinds], 0)) == TREEDEF


# --- 5. Printing and parsing. ---------------------------------------------------------------

_TREES, _CONSTANTS = ("g", "w", "g"), ("0.9", "-2.5", "1e-08")


def _arg_texts(op: Op, variant: str) -> list[str]:
  """Argument texts of the right kinds: trees, scalars (lr, constants), or mixed."""
  texts = []
  for i, kind in enumerate(op.arg_kinds):
    as_tree = kind is T or (kind is A and (variant == "trees" or (variant == "mixed" and i == 0)))
    if as_tree:
      texts.append(_TREES[i])
    elif variant == "trees" or (variant == "mixed" and i == 1):
      texts.append("lr")
    else:
      texts.append(_CONSTANTS[i])
  return texts


def _program_text(statement: str) -> str:
  return f"def train(w, g, lr):\n  {statement}\n  update = x * g\n  return update\n"


def _statement_text(op: Op, args: list[str]) -> str:
  if op.symbol:
    return f"x = {args[0]} {op.symbol} {args[1]}"
  return f"x = {op.name}({', '.join(args)})"


@pytest.mark.parametrize("variant", ["trees", "scalars", "mixed"])
@pytest.mark.parametrize("name", NAMES)
def test_prints_then_parses_back(name, variant):
  op = REGISTRY[name]
  args = _arg_texts(op, variant)
  text = _program_text(_statement_text(op, args))
  program = parse(text)
  assert to_text(program) == text
  stmt = program.statements[0]
  assert stmt.op == name and stmt.target == "x"
  for arg, arg_text in zip(stmt.args, args):
    if isinstance(arg, Var):
      assert arg.name == arg_text
    else:
      assert arg.value == float(arg_text)
  assert len(stmt.args) == op.arity


@pytest.mark.parametrize("name", [n for n in NAMES if REGISTRY[n].symbol])
def test_infix_ops_print_infix_even_when_called_by_name(name):
  op = REGISTRY[name]
  program = parse(_program_text(f"x = {name}(g, lr)"))
  assert program.statements[0] == Statement("x", name, (Var("g"), Var("lr")))
  assert to_text(program) == _program_text(f"x = g {op.symbol} lr")
  assert REGISTRY.by_symbol(op.symbol) is op


def test_only_the_four_arithmetic_ops_are_infix():
  assert {n: REGISTRY[n].symbol for n in NAMES if REGISTRY[n].symbol} == {
      "add": "+", "sub": "-", "mul": "*", "div": "/"}
  direct = Program((), (Statement("x", "add", (Var("g"), Var("lr"))),
                        Statement("update", "mul", (Var("x"), Var("g")))), "update")
  assert to_text(direct) == _program_text("x = g + lr")


# --- 6. Semantics against independent references. ------------------------------------------

_F32_ONE_BELOW = 1.0 - 2.0**-23


def _safe_den(y):
  return np.where(np.abs(y) < np.float32(DIV_EPS), np.where(y < 0, -DIV_EPS, DIV_EPS), y)


# NumPy float64 references for the elementwise ops, written from ops.py's docstring.
REFERENCES = {
    "abs": np.abs, "sign": np.sign, "square": lambda x: x * x,
    "sqrt": lambda x: np.sqrt(np.abs(x)), "cube": lambda x: x**3, "cbrt": np.cbrt,
    "exp": np.exp, "exp2": np.exp2, "exp10": lambda x: 10.0**x, "expm1": np.expm1,
    "log": lambda x: np.log(np.maximum(np.abs(x), LOG_FLOOR)),
    "log2": lambda x: np.log2(np.maximum(np.abs(x), LOG_FLOOR)),
    "log10": lambda x: np.log10(np.maximum(np.abs(x), LOG_FLOOR)),
    "log1p": lambda x: np.log1p(np.maximum(x, -_F32_ONE_BELOW)),
    "sin": np.sin, "cos": np.cos, "tan": np.tan,
    "arcsin": lambda x: np.arcsin(np.clip(x, -1, 1)),
    "arccos": lambda x: np.arccos(np.clip(x, -1, 1)), "arctan": np.arctan,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "arcsinh": np.arcsinh,
    "arccosh": lambda x: np.arccosh(np.maximum(x, 1.0)),
    "arctanh": lambda x: np.arctanh(np.clip(x, -_F32_ONE_BELOW, _F32_ONE_BELOW)),
    "reciprocal": lambda y: 1.0 / _safe_den(y), "negative": np.negative,
    "invert": lambda x: 1.0 - x,
    "add": np.add, "sub": np.subtract, "mul": np.multiply,
    "div": lambda x, y: x / _safe_den(y), "max": np.maximum, "min": np.minimum,
    "power": lambda x, y: np.abs(x) ** y,
    "interp": lambda x, y, a: (1.0 - a) * x + a * y,
    "clip": lambda x, c: np.clip(x, -np.abs(c), np.abs(c)),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_elementwise_semantics_match_numpy(name):
  op = REGISTRY[name]
  rng = np.random.default_rng(4)
  n = 10 * TREE_SIZE
  cols = [rng.uniform(-3, 3, size=n).astype(np.float32) for _ in range(op.arity)]
  cols[0][:6] = [0.0, 1e-35, -1e-35, 1e-12, -1e-12, 1.0]  # below the log/div floors
  if name == "power":  # exponents where results stay in range, so rtol is meaningful
    cols[0][:3] = [0.5, -0.25, 2.0]
    cols[1] = np.clip(cols[1], -2, 2)
  # Applied to trees (the shapes the other tests compile for), ten at a time.
  trees = [_trees_of(c) for c in cols]
  got = np.concatenate([_flat(op.apply(args, (T,) * op.arity)) for args in zip(*trees)])
  with np.errstate(all="ignore"):
    want = REFERENCES[name](*[c.astype(np.float64) for c in cols]).astype(np.float32)
  # atol: float32 sums of O(1) terms (add, sub, interp) may cancel to a tiny result.
  np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-6)


def test_reference_table_names_real_ops():
  assert set(REFERENCES) <= set(REGISTRY)
  assert all(REGISTRY[n].leafwise for n in REFERENCES)


def test_sqrt_and_logs_use_abs_and_the_floor():
  x = jnp.asarray([-4.0, 4.0, 0.0, -1e-35, 1e-35], jnp.float32)
  apply = lambda name: np.asarray(REGISTRY[name].apply((x,), (S,)))
  tiny = np.sqrt(np.float32(1e-35))
  np.testing.assert_array_equal(apply("sqrt"), np.float32([2, 2, 0, tiny, tiny]))
  floor = np.log(np.float32(LOG_FLOOR))
  np.testing.assert_allclose(apply("log"), [np.log(4), np.log(4), floor, floor, floor], rtol=1e-6)
  np.testing.assert_allclose(apply("log2")[2:], np.log2(np.float32(LOG_FLOOR)), rtol=1e-6)
  np.testing.assert_allclose(apply("log10")[2:], np.log10(np.float32(LOG_FLOOR)), rtol=1e-6)


def test_division_floor_keeps_sign_and_is_exact_above_it():
  rng = np.random.default_rng(5)
  x = rng.normal(size=12).astype(np.float32)
  y = np.float32([1e-10, -1e-10, 3e-7, -2.5, 1e3, 7e-11, -7e-11, 0.0, -0.0, 1e-30, -1e-30, 5e-11])
  div, rec = REGISTRY["div"], REGISTRY["reciprocal"]
  as_leaf = lambda v: jnp.asarray(v.reshape(3, 4))  # a shape the other tests compile for
  got = np.asarray(div.apply((as_leaf(x), as_leaf(y)), (S, S))).ravel()
  got_rec = np.asarray(rec.apply((as_leaf(y),), (S,))).ravel()
  exact = np.abs(y) >= np.float32(DIV_EPS)
  assert exact[:5].all() and not exact[5:].any()
  np.testing.assert_array_equal(got[exact], x[exact] / y[exact])
  np.testing.assert_array_equal(got_rec[exact], np.float32(1) / y[exact])
  floor = np.where(np.signbit(y) & (y != 0), -np.float32(DIV_EPS), np.float32(DIV_EPS))
  np.testing.assert_array_equal(got[~exact], x[~exact] / floor[~exact])
  np.testing.assert_array_equal(got_rec[~exact], np.float32(1) / floor[~exact])
  assert (np.sign(got_rec) == np.where(y < 0, -1, 1)).all()  # 0 and -0 count as positive


def test_power_is_abs_base_and_exact_for_integer_steps():
  power = REGISTRY["power"]
  x, y = jnp.float32([-8.0, 8.0, -0.25, 0.5, -1.0]), jnp.float32([1 / 3, 1 / 3, -2, 2, 7])
  np.testing.assert_allclose(power.apply((x, y), (S, S)), [2, 2, 16, 0.25, 1], rtol=1e-6)
  # Bias correction: power(b, step) with a float32 step must equal optax's b ** count, which
  # runs under jit with an int32 count (a traced integer exponent).
  optax_style = jax.jit(lambda count: 0.999 ** count)
  steps = np.arange(1, 51)
  got = [power.apply((jnp.float32(0.999), jnp.float32(s)), (S, S)) for s in steps]
  want = [optax_style(jnp.asarray(s, jnp.int32)) for s in steps]
  np.testing.assert_array_equal(np.float32(got), np.float32(want))
  jitted = jax.jit(lambda b, s: power.apply((b, s), (S, S)))
  np.testing.assert_array_equal(
      np.float32([jitted(jnp.float32(0.999), jnp.float32(s)) for s in steps]), np.float32(want))


def test_interp_is_optax_update_moment_and_clip_uses_abs():
  # (The elementwise formulas of interp, clip and invert are checked against REFERENCES.)
  rng = np.random.default_rng(6)
  # interp(g, m, 0.9) is optax's update_moment: 0.1 * g + 0.9 * m, not the other way.
  g, m = _random_tree(rng), _random_tree(rng)
  got = REGISTRY["interp"].apply((g, m, jnp.float32(0.9)), (T, T, S))
  want = optax.tree_utils.tree_update_moment(g, m, 0.9, 1)
  for u, v in zip(jax.tree.leaves(got), jax.tree.leaves(want)):
    np.testing.assert_allclose(u, v, rtol=1e-6, atol=1e-7)
  for c in (0.5, -0.5):
    clipped = REGISTRY["clip"].apply((g, jnp.float32(c)), (T, S))
    for leaf, out in zip(jax.tree.leaves(g), jax.tree.leaves(clipped)):
      np.testing.assert_array_equal(out, np.clip(leaf, -0.5, 0.5))


def test_norm_is_per_leaf_and_broadcast():
  tree = _random_tree(np.random.default_rng(7))
  got = REGISTRY["norm"].apply((tree,), (T,))
  for leaf, out in zip(jax.tree.leaves(tree), jax.tree.leaves(got)):
    want = np.linalg.norm(np.asarray(leaf, np.float64).ravel())
    assert out.shape == leaf.shape
    np.testing.assert_allclose(out, np.full(leaf.shape, want), rtol=1e-6)


@pytest.mark.filterwarnings("ignore:optax.global_norm is deprecated")
def test_tree_level_ops_match_optax_and_numpy():
  rng = np.random.default_rng(8)
  x, y = _random_tree(rng), _random_tree(rng, scale=3.0)
  flat = lambda t: np.concatenate([np.asarray(leaf, np.float64).ravel() for leaf in jax.tree.leaves(t)])
  np.testing.assert_allclose(REGISTRY["global_norm"].apply((x,), (T,)), optax.global_norm(x),
                             rtol=1e-6)
  np.testing.assert_allclose(REGISTRY["dot"].apply((x, y), (T, T)), flat(x) @ flat(y),
                             rtol=1e-5)
  cos = flat(x) @ flat(y) / (np.linalg.norm(flat(x)) * np.linalg.norm(flat(y)))
  np.testing.assert_allclose(REGISTRY["cosine_sim"].apply((x, y), (T, T)), cos, rtol=1e-5)
  np.testing.assert_allclose(REGISTRY["cosine_sim"].apply((x, x), (T, T)), 1.0, rtol=1e-6)
  zero = _filled(0.0)
  assert float(REGISTRY["cosine_sim"].apply((zero, y), (T, T))) == 0.0
  norm = float(optax.global_norm(x))
  for c in (norm / 4, -norm / 4, 2 * norm, -2 * norm):
    got = REGISTRY["clip_by_global_norm"].apply((x, jnp.float32(c)), (T, S))
    want, _ = optax.clip_by_global_norm(abs(c)).update(x, optax.EmptyState())
    assert jax.tree.structure(got) == jax.tree.structure(x)
    for u, v in zip(jax.tree.leaves(got), jax.tree.leaves(want)):
      np.testing.assert_allclose(u, v, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(optax.global_norm(got), min(norm, abs(c)), rtol=1e-5)


# --- 7. The registry. -----------------------------------------------------------------------

CONSTANTS = ["pi", "e", "eps"]
UNARY = ["abs", "sign", "square", "sqrt", "cube", "cbrt", "exp", "exp2", "exp10", "expm1",
         "log", "log2", "log10", "log1p", "sin", "cos", "tan", "arcsin", "arccos", "arctan",
         "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "reciprocal", "negative",
         "norm", "invert"]
BINARY = ["add", "sub", "mul", "div", "max", "min", "power"]
TREE_LEVEL = ["global_norm", "interp", "dot", "cosine_sim", "clip_by_global_norm"]
PAPER = CONSTANTS + UNARY + BINARY + TREE_LEVEL


def test_registry_is_the_papers_45_functions_plus_clip():
  assert len(PAPER) == len(set(PAPER)) == 45
  names = [op.name for op in OPS]
  assert len(names) == len(set(names)) == len(REGISTRY)
  assert sorted(REGISTRY) == sorted(PAPER + ["clip"])
  assert all(REGISTRY[n].name == n for n in REGISTRY)
  arity = {**{n: 0 for n in CONSTANTS}, **{n: 1 for n in UNARY}, **{n: 2 for n in BINARY},
           "global_norm": 1, "interp": 3, "dot": 2, "cosine_sim": 2,
           "clip_by_global_norm": 2, "clip": 2}
  assert {n: REGISTRY[n].arity for n in REGISTRY} == arity
  for name in ("global_norm", "dot", "cosine_sim", "clip_by_global_norm"):
    assert not REGISTRY[name].leafwise
  np.testing.assert_allclose([float(REGISTRY[n].apply((), ())) for n in CONSTANTS],
                             [np.pi, np.e, 1e-8], rtol=1e-7)


def test_registry_rejects_duplicate_names():
  with pytest.raises(ValueError, match="defined twice"):
    Registry(list(OPS) + [REGISTRY["abs"]])


def test_fingerprint_tracks_the_op_set():
  fingerprint = REGISTRY.fingerprint()
  assert len(fingerprint) == 16 and int(fingerprint, 16) >= 0
  assert Registry(list(OPS)).fingerprint() == fingerprint
  extra = Op("double", (A,), lambda x: 2.0 * x, "2 * x")
  assert Registry(list(OPS) + [extra]).fingerprint() != fingerprint
  assert Registry(list(OPS)[:-1]).fingerprint() != fingerprint
  redefined = [dataclasses.replace(op, doc=op.doc + "!") if op.name == "div" else op
               for op in OPS]
  assert Registry(redefined).fingerprint() != fingerprint
