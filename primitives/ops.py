"""The DSL's ops: the paper's 45 functions plus ``clip`` (docs/architecture.md, "The DSL").

Safe forms, fixed once for the whole project so that no program can produce NaN from a
domain error:

* ``sqrt``, ``log``, ``log2``, ``log10`` act on ``|x|``; the logs floor ``|x|`` at 1e-30.
* ``div(x, y)`` and ``reciprocal(y)`` raise ``|y|`` to at least ``DIV_EPS`` (1e-10), keeping
  its sign (0 counts as positive). Unlike ``x / (y + eps)`` this is exact wherever
  ``|y| >= 1e-10``, so hand-coded baselines match optax to the last bit, and it never
  divides by zero.
* ``power(x, y)`` is ``|x| ** y``.
* ``arcsin``/``arccos`` clip into [-1, 1], ``arctanh`` into the open interval, ``arccosh``
  raises its argument to 1, ``log1p`` raises its argument above -1.
* ``invert(x)`` is ``1 - x`` (the complement; a bitwise not has no meaning on floats).
* ``norm(x)`` is the L2 norm of each leaf, broadcast to the leaf's shape.
* ``interp(x, y, a)`` is ``(1 - a) * x + a * y``, in optax's ``update_moment`` order.
* ``clip(x, c)`` clips elementwise into ``[-|c|, |c|]``.

Each op's ``finite_when`` states where it promises a finite float32 result; the registry's
tests check every promise on edge inputs.
"""

from __future__ import annotations

import numpy as np
import jax
import jax.numpy as jnp

from primitives.registry import Kind, Op, Registry, Template

DIV_EPS = 1e-10
LOG_FLOOR = 1e-30
EPS = 1e-8  # the value of the ``eps`` constant op
_ONE_BELOW = 1.0 - 2.0**-23  # the largest float32 below 1
_F32_MAX = 3.0e38  # a margin under float32's largest finite value (3.4e38)
# Reductions sum squares: |x| <= 1e15 keeps a sum over up to ~3e8 elements finite.
_REDUCTION_BOUND = 1e15

T, S, A = Kind.TREE, Kind.SCALAR, Kind.ANY


def _fits(x):
  """True where a float64 value is finite and fits in float32."""
  with np.errstate(all="ignore"):
    return np.isfinite(x) & (np.abs(x) < _F32_MAX)


def _safe_denominator(y):
  """``y`` with its magnitude raised to at least DIV_EPS, keeping its sign."""
  floor = jnp.where(y < 0, -DIV_EPS, DIV_EPS).astype(jnp.result_type(y))
  return jnp.where(jnp.abs(y) < DIV_EPS, floor, y)


def _safe_log(log_fn):
  return lambda x: log_fn(jnp.maximum(jnp.abs(x), LOG_FLOOR))


def _leaf_norm(x):
  x = jnp.asarray(x)
  return jnp.broadcast_to(jnp.sqrt(jnp.sum(x * x)), x.shape)


def _tree_sum(fn, *trees):
  return sum(jnp.sum(fn(*leaves)) for leaves in zip(*map(jax.tree.leaves, trees)))


def _global_norm(x):
  return jnp.sqrt(_tree_sum(lambda a: a * a, x))


def _dot(x, y):
  return _tree_sum(lambda a, b: a * b, x, y)


def _cosine_sim(x, y):
  return _dot(x, y) / jnp.maximum(_global_norm(x) * _global_norm(y), LOG_FLOOR)


def _clip_by_global_norm(x, c):
  norm, bound = _global_norm(x), jnp.abs(c)
  scale = jnp.where(norm <= bound, 1.0, bound / jnp.maximum(norm, LOG_FLOOR))
  return jax.tree.map(lambda a: (a * scale).astype(a.dtype), x)


def _power(x, y):
  """``|x| ** y``; integral exponents take lax.pow's integer-exponent path, the one optax's
  jitted ``b1 ** count`` (int32 count) takes, so bias corrections match it bit for bit."""
  base = jnp.abs(x)
  rounded = jnp.round(y)
  integral = (y == rounded) & (jnp.abs(y) < 2.0**24)
  exact = jax.lax.pow(base, rounded.astype(jnp.int32))
  return jnp.where(integral, exact, jnp.power(base, y))


def _within(limit):
  """A promise that holds where every argument's magnitude is at most ``limit``."""
  return lambda *args: np.all([np.abs(a) <= limit for a in args], axis=0)


# Every entry states its lr_rule (primitives.registry.Op): it is part of what an op means.
def _unary(name, fn, doc, template, *, lr_rule, algebra=None, finite_when=None,
           keeps_sign=False):
  return Op(name, (A,), fn, doc, finite_when=finite_when, template=template, algebra=algebra,
            lr_rule=lr_rule, keeps_sign=keeps_sign)


def _binary(name, fn, doc, template, *, lr_rule, algebra=None, symbol=None, finite_when=None):
  return Op(name, (A, A), fn, doc, symbol=symbol, finite_when=finite_when, template=template,
            algebra=algebra, lr_rule=lr_rule)


def _constant(name, value, doc, source, math_form):
  return Op(name, (), lambda: jnp.asarray(value, jnp.float32), doc,
            template=Template(f"jnp.asarray({source}, jnp.float32)", math_form),
            algebra=lambda sp: sp.Float(value), lr_rule="none")


# Export templates (primitives.registry.Template): the same numbers, written as source.

def _call(fn, math_form=None):
  return Template(f"jnp.{fn}({{0}})", math_form or f"{fn}({{0}})")


def _log_template(fn):
  return Template(f"jnp.{fn}(jnp.maximum(jnp.abs({{0}}), {LOG_FLOOR!r}))",
                  f"{fn}(max(|{{0}}|, {LOG_FLOOR:g}))")


def _infix(symbol, fn):
  return Template(f"{{0}} {symbol} {{1}}", f"{{0}} {symbol} {{1}}",
                  on_python_floats=f"jnp.{fn}({{0}}, {{1}})")


def _arithmetic(source, math_form):
  return Template(source, math_form, python_arithmetic=True)


_LN10 = float(np.log(10.0))

OPS = (
    # Constants.
    _constant("pi", np.pi, "pi = 3.14159...", "jnp.pi", "pi"),
    _constant("e", np.e, "e = 2.71828...", "jnp.e", "e"),
    _constant("eps", EPS, "eps = 1e-8", repr(EPS), f"{EPS:g}"),
    # Unary elementwise.
    _unary("abs", jnp.abs, "|x|", _call("abs", "|{0}|"), lr_rule="keep",
           algebra=lambda sp, x: sp.Abs(x)),
    _unary("sign", jnp.sign, "sign(x) in {-1, 0, 1}", _call("sign"), lr_rule="scale_free",
           algebra=lambda sp, x: sp.sign(x), keeps_sign=True),
    _unary("square", lambda x: x * x, "x * x", _arithmetic("{0} * {0}", "{0}^2"),
           lr_rule="power:2", algebra=lambda sp, x: x**2, finite_when=_within(1e19)),
    # No epsilon inside: sqrt(|k x|) = sqrt(k) sqrt(|x|) exactly.
    _unary("sqrt", lambda x: jnp.sqrt(jnp.abs(x)), "sqrt(|x|)",
           Template("jnp.sqrt(jnp.abs({0}))", "sqrt(|{0}|)"), lr_rule="power:1/2",
           algebra=lambda sp, x: sp.sqrt(sp.Abs(x))),
    _unary("cube", lambda x: x * x * x, "x * x * x", _arithmetic("{0} * {0} * {0}", "{0}^3"),
           lr_rule="power:3", algebra=lambda sp, x: x**3, finite_when=_within(6e12),
           keeps_sign=True),
    _unary("cbrt", jnp.cbrt, "real cube root of x", _call("cbrt"), lr_rule="power:1/3",
           keeps_sign=True),
    _unary("exp", jnp.exp, "e ** x", _call("exp"), lr_rule="none",
           algebra=lambda sp, x: sp.exp(x), finite_when=lambda x: _fits(np.exp(x))),
    _unary("exp2", jnp.exp2, "2 ** x", _call("exp2", "2^{0}"), lr_rule="none",
           algebra=lambda sp, x: sp.Integer(2)**x, finite_when=lambda x: _fits(np.exp2(x))),
    _unary("exp10", lambda x: jnp.exp(x * _LN10), "10 ** x",
           Template(f"jnp.exp({{0}} * {_LN10!r})", "10^{0}"), lr_rule="none",
           algebra=lambda sp, x: sp.Integer(10)**x,
           finite_when=lambda x: _fits(np.power(10.0, x))),
    _unary("expm1", jnp.expm1, "e ** x - 1", _call("expm1", "exp({0}) - 1"), lr_rule="none",
           finite_when=lambda x: _fits(np.expm1(x)), keeps_sign=True),
    _unary("log", _safe_log(jnp.log), "log(max(|x|, 1e-30))", _log_template("log"),
           lr_rule="none"),
    _unary("log2", _safe_log(jnp.log2), "log2(max(|x|, 1e-30))", _log_template("log2"),
           lr_rule="none"),
    _unary("log10", _safe_log(jnp.log10), "log10(max(|x|, 1e-30))", _log_template("log10"),
           lr_rule="none"),
    _unary("log1p", lambda x: jnp.log1p(jnp.maximum(x, -_ONE_BELOW)),
           "log(1 + max(x, -1 + 2**-23))",
           Template(f"jnp.log1p(jnp.maximum({{0}}, -{_ONE_BELOW!r}))",
                    "log(1 + max({0}, -1 + 2^-23))"), lr_rule="none", keeps_sign=True),
    _unary("sin", jnp.sin, "sin(x)", _call("sin"), lr_rule="none"),
    _unary("cos", jnp.cos, "cos(x)", _call("cos"), lr_rule="none"),
    _unary("tan", jnp.tan, "tan(x)", _call("tan"), lr_rule="none"),
    _unary("arcsin", lambda x: jnp.arcsin(jnp.clip(x, -1.0, 1.0)), "arcsin(clip(x, -1, 1))",
           Template("jnp.arcsin(jnp.clip({0}, -1.0, 1.0))", "arcsin(clip({0}, -1, 1))"),
           lr_rule="none", keeps_sign=True),
    _unary("arccos", lambda x: jnp.arccos(jnp.clip(x, -1.0, 1.0)), "arccos(clip(x, -1, 1))",
           Template("jnp.arccos(jnp.clip({0}, -1.0, 1.0))", "arccos(clip({0}, -1, 1))"),
           lr_rule="none"),
    _unary("arctan", jnp.arctan, "arctan(x)", _call("arctan"), lr_rule="none", keeps_sign=True),
    _unary("sinh", jnp.sinh, "sinh(x)", _call("sinh"), lr_rule="none",
           finite_when=lambda x: _fits(np.sinh(x)), keeps_sign=True),
    _unary("cosh", jnp.cosh, "cosh(x)", _call("cosh"), lr_rule="none",
           finite_when=lambda x: _fits(np.cosh(x))),
    _unary("tanh", jnp.tanh, "tanh(x)", _call("tanh"), lr_rule="none", keeps_sign=True),
    _unary("arcsinh", jnp.arcsinh, "arcsinh(x)", _call("arcsinh"), lr_rule="none", keeps_sign=True),
    _unary("arccosh", lambda x: jnp.arccosh(jnp.maximum(x, 1.0)), "arccosh(max(x, 1))",
           Template("jnp.arccosh(jnp.maximum({0}, 1.0))", "arccosh(max({0}, 1))"),
           lr_rule="none"),
    _unary("arctanh", lambda x: jnp.arctanh(jnp.clip(x, -_ONE_BELOW, _ONE_BELOW)),
           "arctanh(clip(x, -1 + 2**-23, 1 - 2**-23))",
           Template(f"jnp.arctanh(jnp.clip({{0}}, -{_ONE_BELOW!r}, {_ONE_BELOW!r}))",
                    "arctanh(clip({0}, -1 + 2^-23, 1 - 2^-23))"), lr_rule="none", keeps_sign=True),
    # The floor at DIV_EPS is not homogeneous: 1 / (k y) != 1 / (k y) floored, for tiny y.
    _unary("reciprocal", lambda x: 1.0 / _safe_denominator(x),
           "1 / y, |y| raised to at least 1e-10",
           Template("1.0 / _safe_denominator({0})", "1 / {0}", ("_safe_denominator",)),
           lr_rule="none", algebra=lambda sp, x: 1 / x),
    _unary("negative", jnp.negative, "-x",
           Template("-{0}", "-{0}", on_python_floats="jnp.negative({0})"), lr_rule="keep",
           algebra=lambda sp, x: -x),
    _unary("norm", _leaf_norm, "L2 norm of each leaf, broadcast to its shape",
           Template("_leaf_norm({0})", "||{0}|| (per leaf)", ("_leaf_norm",)), lr_rule="keep",
           finite_when=_within(_REDUCTION_BOUND)),
    _unary("invert", lambda x: 1.0 - x, "1 - x", _arithmetic("1.0 - {0}", "1 - {0}"),
           lr_rule="none", algebra=lambda sp, x: 1 - x, finite_when=_within(1e38)),
    # Binary elementwise.
    _binary("add", jnp.add, "x + y", _infix("+", "add"), lr_rule="same",
            algebra=lambda sp, x, y: x + y, symbol="+", finite_when=_within(1e38)),
    _binary("sub", jnp.subtract, "x - y", _infix("-", "subtract"), lr_rule="same",
            algebra=lambda sp, x, y: x - y, symbol="-", finite_when=_within(1e38)),
    _binary("mul", jnp.multiply, "x * y", _infix("*", "multiply"), lr_rule="product",
            algebra=lambda sp, x, y: x * y, symbol="*",
            finite_when=lambda x, y: _fits(x * y)),
    # "keep": the floored denominator must not depend on lr (see reciprocal).
    _binary("div", lambda x, y: x / _safe_denominator(y),
            "x / y, |y| raised to at least 1e-10",
            Template("{0} / _safe_denominator({1})", "{0} / {1}", ("_safe_denominator",)),
            lr_rule="keep", algebra=lambda sp, x, y: x / y, symbol="/",
            finite_when=lambda x, y: _fits(x / np.maximum(np.abs(y), DIV_EPS))),
    _binary("max", jnp.maximum, "max(x, y)",
            Template("jnp.maximum({0}, {1})", "max({0}, {1})"), lr_rule="same",
            algebra=lambda sp, x, y: sp.Max(x, y)),
    _binary("min", jnp.minimum, "min(x, y)",
            Template("jnp.minimum({0}, {1})", "min({0}, {1})"), lr_rule="same",
            algebra=lambda sp, x, y: sp.Min(x, y)),
    # |k x| ** y = k ** y |x| ** y: a degree that depends on y's value, not a static one.
    _binary("power", _power, "|x| ** y",
            Template("_power({0}, {1})", "|{0}|^{1}", ("_power",)), lr_rule="none",
            algebra=lambda sp, x, y: sp.Abs(x)**y,
            finite_when=lambda x, y: (np.abs(x) > 0) & _fits(np.power(np.abs(x), y))),
    # Interpolation and clipping (elementwise).
    Op("interp", (A, A, A), lambda x, y, a: (1.0 - a) * x + a * y,
       "(1 - a) * x + a * y", finite_when=lambda x, y, a: _fits(
           np.abs(1.0 - a) * np.abs(x) + np.abs(a) * np.abs(y)),
       template=_arithmetic("(1.0 - {2}) * {0} + {2} * {1}", "(1 - {2}) * {0} + {2} * {1}"),
       algebra=lambda sp, x, y, a: (1 - a) * x + a * y, lr_rule="interp"),
    # The bounds scale with c: clip(k x, k c) = k clip(x, c) for k > 0.
    Op("clip", (A, A), lambda x, c: jnp.clip(x, -jnp.abs(c), jnp.abs(c)),
       "x clipped into [-|c|, |c|]",
       template=Template("jnp.clip({0}, -jnp.abs({1}), jnp.abs({1}))",
                         "clip({0}, -|{1}|, |{1}|)"), lr_rule="same"),
    # Tree-level: reduce over, or rescale, the whole tree.
    Op("global_norm", (T,), _global_norm, "sqrt of the sum of squares over the tree",
       leafwise=False, result=S, finite_when=_within(_REDUCTION_BOUND),
       template=Template("_global_norm({0})", "||{0}|| (over the tree)", ("_global_norm",)),
       lr_rule="keep"),
    Op("dot", (T, T), _dot, "sum over the tree of x * y", leafwise=False, result=S,
       finite_when=_within(_REDUCTION_BOUND),
       template=Template("_dot({0}, {1})", "<{0}, {1}> (over the tree)", ("_dot",)),
       lr_rule="product"),
    # The 1e-30 floor on |x| |y| (and on the norm below) breaks exact scale invariance near
    # zero trees, so these two are "none" rather than "scale_free" and "same".
    Op("cosine_sim", (T, T), _cosine_sim, "dot(x, y) / (|x| |y|), 0 for a zero tree",
       leafwise=False, result=S, finite_when=_within(_REDUCTION_BOUND),
       template=Template("_cosine_sim({0}, {1})", "<{0}, {1}> / (||{0}|| ||{1}||)",
                         ("_cosine_sim",)), lr_rule="none"),
    Op("clip_by_global_norm", (T, S), _clip_by_global_norm,
       "x scaled down so its global norm is at most |c|", leafwise=False, result=T,
       finite_when=_within(_REDUCTION_BOUND),
       template=Template("_clip_by_global_norm({0}, {1})", "{0} * min(1, |{1}| / ||{0}||)",
                         ("_clip_by_global_norm",)), lr_rule="none"),
)

REGISTRY = Registry(OPS)
