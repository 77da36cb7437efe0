"""The op table's fields agree: each registry entry's JAX form, export template and SymPy form.

``primitives`` is the one table of op semantics: the interpreter runs ``fn``, the exporter
writes ``template`` and the algebra rewrites ``algebra``. Parametrised over the registry,
so an entry whose fields drift apart fails here, on sample values in the op's finite domain.
"""

from __future__ import annotations

import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import sympy as sp

from discover.export.module import _HELPERS
from primitives import REGISTRY, Kind

_SAMPLES = 64


def _samples(op, seed: int) -> list[np.ndarray]:
  """float32 sample columns, one per argument, away from the division floor."""
  rng = np.random.default_rng(seed)
  columns = [np.asarray(2.0 * rng.normal(size=_SAMPLES), np.float32) for _ in op.arg_kinds]
  return [np.where(np.abs(c) < 1e-3, np.float32(0.5), c) for c in columns]


def _inputs(op, columns: list[np.ndarray]) -> list:
  """The op's arguments: a tree (two leaves) or one number where it wants that kind, else
  the whole column (a leafwise op broadcasts)."""
  def value(kind, c):
    if kind is Kind.TREE:
      return {"a": jnp.asarray(c[:40]), "b": jnp.asarray(c[40:]).reshape(6, 4)}
    return jnp.asarray(c[0] if kind is Kind.SCALAR else c)
  return [value(k, c) for k, c in zip(op.arg_kinds, columns)]


def _exported(source: str, args: list):
  """``source`` evaluated as the exported module would, with its helpers defined."""
  namespace = {"jax": jax, "jnp": jnp}
  for helper_source, _ in _HELPERS.values():
    exec(helper_source, namespace)  # noqa: S102 (our own generated helpers)
  namespace.update({f"x{i}": a for i, a in enumerate(args)})
  return eval(source.format(*(f"x{i}" for i in range(len(args)))), namespace)  # noqa: S307


@pytest.mark.parametrize("name", list(REGISTRY))
def test_template_computes_the_jax_form(name):
  op = REGISTRY[name]
  args = _inputs(op, _samples(op, seed=len(name)))
  expected = op.fn(*args)
  forms = [op.template.source] + ([op.template.on_python_floats]
                                  if op.template.on_python_floats else [])
  for source in forms:
    actual = _exported(source, args)
    for a, b in zip(jax.tree.leaves(actual), jax.tree.leaves(expected), strict=True):
      np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=0,
                                 err_msg=source)


@pytest.mark.parametrize("name", [n for n in REGISTRY if REGISTRY[n].algebra is not None])
def test_algebra_computes_the_jax_form(name):
  op = REGISTRY[name]
  assert op.leafwise, "SymPy forms are elementwise"
  columns = _samples(op, seed=len(name))
  wide = [c.astype(np.float64) for c in columns]
  domain = (np.ones(_SAMPLES, bool) if op.finite_when is None
            else np.broadcast_to(op.finite_when(*wide), (_SAMPLES,)))
  assert domain.sum() >= _SAMPLES // 4, "too few samples in the op's finite domain"
  symbols = sp.symbols(f"x0:{op.arity}")
  formula = sp.lambdify(symbols, op.algebra(sp, *symbols), "numpy")
  expected = np.broadcast_to(np.asarray(formula(*wide), np.float64), (_SAMPLES,))
  actual = np.broadcast_to(np.asarray(op.fn(*map(jnp.asarray, columns)), np.float64),
                           (_SAMPLES,))
  np.testing.assert_allclose(actual[domain], expected[domain], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", [n for n in REGISTRY if REGISTRY[n].keeps_sign])
def test_an_op_that_keeps_sign_has_its_arguments_sign(name):
  x = np.concatenate([-np.logspace(-10, 10, 81), [0.0], np.logspace(-10, 10, 81)])
  x = x.astype(np.float32)
  op = REGISTRY[name]
  assert op.arity == 1
  with np.errstate(all="ignore"):
    out = np.asarray(op.fn(jnp.asarray(x)))
  finite = np.isfinite(out)  # sinh overflows at 1e10: the sign still holds
  np.testing.assert_array_equal(np.sign(out[finite]), np.sign(x[finite]))


def test_every_op_has_a_template():
  assert [n for n, op in REGISTRY.items() if op.template is None] == []


def test_importing_the_registry_does_not_import_sympy():
  code = "import sys, primitives; assert 'sympy' not in sys.modules"
  subprocess.run([sys.executable, "-c", code], check=True)
