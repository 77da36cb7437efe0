"""The static lr-degree analysis: each op's declared ``lr_rule`` holds for its ``fn``, and
``analysis.lr_linear`` is sound: a program it calls linear doubles its updates when ``lr``
doubles (``behaviour.lr_proportional``), on known programs and on random mutants.
"""

from __future__ import annotations

import re
from fractions import Fraction

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from discover.dsl import analysis
from discover.dsl.baselines import BASELINES, baseline_program
from discover.dsl.parse import parse
from discover.execute.behaviour import lr_proportional
from discover.search.mutate import mutate
from primitives import REGISTRY, Kind
from primitives.registry import LR_RULES

_FACTORS = (2.0, 0.37)
_HALF = Fraction(1, 2)


def _candidate_degrees(arity: int) -> list[tuple[Fraction, ...]]:
  """Argument degrees to try: the rule says which it accepts, and what the result is."""
  zero, one = Fraction(0), Fraction(1)
  candidates = [(one,) * arity, (_HALF,) * arity, (Fraction(2),) * arity,
                tuple(Fraction(i + 1) for i in range(arity))]
  if arity:
    candidates.append((one,) + (zero,) * (arity - 1))
    candidates.append((one,) * (arity - 1) + (zero,))
  return candidates


def _value(kind: Kind, column: np.ndarray, dtype):
  """One argument: a two-leaf tree, one number, or the column (leafwise ops broadcast)."""
  if kind is Kind.TREE:
    return {"a": jnp.asarray(column[:16], dtype),
            "b": jnp.asarray(column[16:], dtype).reshape(4, 6)}
  return jnp.asarray(column[0] if kind is Kind.SCALAR else column, dtype)


def _scaled(value, factor: float):
  return jax.tree.map(lambda x: x * jnp.asarray(factor, x.dtype), value)


def _check_homogeneous(op, degrees, dtype, seed: int) -> None:
  rng = np.random.default_rng(seed)
  columns = [rng.normal(size=40) * 2.0 for _ in op.arg_kinds]
  args = [_value(k, c, dtype) for k, c in zip(op.arg_kinds, columns)]
  kinds = [Kind.SCALAR if k is Kind.SCALAR else Kind.TREE for k in op.arg_kinds]
  result_degree = op.lr_degree(degrees)
  base = op.apply(args, kinds)
  for factor in _FACTORS:
    scaled = [_scaled(a, factor ** float(d)) for a, d in zip(args, degrees)]
    got = op.apply(scaled, kinds)
    for g, b in zip(jax.tree.leaves(got), jax.tree.leaves(base), strict=True):
      want = np.asarray(b, np.float64) * factor ** float(result_degree)
      # Sums may cancel: the error is relative to the operands' size, not the result's.
      np.testing.assert_allclose(np.asarray(g, np.float64), want, rtol=1e-5,
                                 atol=1e-5 * float(np.max(np.abs(want), initial=1.0)),
                                 err_msg=f"{op.name} degrees {degrees} factor {factor}")


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_op_declares_a_known_rule(name):
  rule = REGISTRY[name].lr_rule
  assert rule in LR_RULES or re.fullmatch(r"power:-?\d+(/\d+)?", rule), rule


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(REGISTRY))
def test_declared_rule_holds_numerically(name, dtype):
  op = REGISTRY[name]
  accepted = [d for d in _candidate_degrees(op.arity) if op.lr_degree(d) is not None]
  if op.lr_rule != "none":
    assert any(any(d) for d in accepted), "a homogeneous rule that accepts no lr degree"
  with jax.enable_x64(dtype == "float64"):
    for i, degrees in enumerate(accepted):
      _check_homogeneous(op, degrees, dtype, seed=len(name) + i)


def test_rules_combine_degrees():
  one, two = Fraction(1), Fraction(2)
  assert REGISTRY["mul"].lr_degree([one, two]) == 3
  assert REGISTRY["add"].lr_degree([one, Fraction(0)]) is None
  assert REGISTRY["interp"].lr_degree([one, one, Fraction(0)]) == 1
  assert REGISTRY["interp"].lr_degree([one, one, one]) is None
  assert REGISTRY["div"].lr_degree([one, one]) is None  # the floored denominator
  assert REGISTRY["sqrt"].lr_degree([one]) == _HALF
  assert REGISTRY["sign"].lr_degree([two]) == 0
  assert REGISTRY["sign"].lr_degree([None]) is None
  assert REGISTRY["exp"].lr_degree([one]) is None
  assert REGISTRY["pi"].lr_degree([]) == 0


def _program(body: str, slots: str = "") -> str:
  signature = f"w, g, {slots}, lr" if slots else "w, g, lr"
  returned = f"update, {slots}" if slots else "update"
  lines = "".join(f"  {line.strip()}\n" for line in body.strip().splitlines())
  return f"def train({signature}):\n{lines}  return {returned}\n"


ADAMW = _program("""
    g2 = square(g)
    m = interp(g, m, 0.9)
    v = interp(g2, v, 0.999)
    denom = sqrt(v)
    update = m / denom
    lr = lr * 0.001
    update = update * lr
""", "m, v")

KNOWN = {
    "sgd": (_program("update = g * lr"), True),
    "adamw": (ADAMW, True),
    "plus_lr": (_program("update = g + lr"), False),
    "no_lr": (_program("update = g * 0.01"), False),
    "lr_overwritten": (_program("lr = w * 0.3\nupdate = g * lr"), False),
    "reassigned_without_lr": (_program("update = g * lr\nupdate = g * 0.5"), False),
    "slot_mixes_update": (_program("update = g * lr\nm = interp(update, m, 0.9)", "m"), False),
    "slot_of_degree_one": (_program("update = g * lr\nm = update * 0.5", "m"), False),
    "sign_of_scaled": (_program("s = g * lr\ns = sign(s)\nupdate = s * lr"), True),
    "scaled_lr": (_program("lr = lr * 0.001\nupdate = sign(g)\nupdate = update * lr"), True),
    "lr_squared": (_program("update = g * lr\nupdate = update * lr"), False),
    "sqrt_lr_twice": (_program("r = sqrt(lr)\nupdate = g * r\nupdate = update * r"), True),
    "lr_in_denominator": (_program("d = g * lr\nupdate = g / d\nupdate = update * lr"), False),
    "clip_to_scaled_bound": (_program("u = g * lr\nb = lr * 0.1\nupdate = clip(u, b)"), True),
    "clip_to_fixed_bound": (_program("u = g * lr\nupdate = clip(u, 0.1)"), False),
}


@pytest.mark.parametrize("name", list(KNOWN))
def test_known_programs(name):
  text, linear = KNOWN[name]
  program = parse(text)
  assert analysis.lr_linear(program) is linear
  if linear:
    assert lr_proportional(program) is True


def test_degrees_of_each_output():
  degrees = analysis.lr_degrees(parse(KNOWN["slot_of_degree_one"][0]))
  assert degrees == {"update": 1, "m": 1}
  assert analysis.lr_degrees(parse(ADAMW)) == {"update": 1, "m": 0, "v": 0}
  assert analysis.lr_degrees(parse(KNOWN["plus_lr"][0])) == {"update": None}
  assert analysis.lr_degrees(parse(_program("r = sqrt(lr)\nupdate = g * r"))) == {
      "update": _HALF}


@pytest.mark.parametrize("name", list(BASELINES))
def test_baselines_are_linear_and_proportional(name):
  program = baseline_program(name)
  assert analysis.lr_linear(program)  # every baseline returns lr * direction
  assert lr_proportional(program) is True


_STARTS = ("sgd", "momentum", "adam", "lion", "rmsprop", "adamw_paper")
_MUTANTS = 600


def _new_linear_mutants(rng: np.random.Generator):
  """Linear mutants with a dataflow not seen before (a repeat behaves the same). Each is
  bred from a random member of a growing pool: every new linear program joins it, and a
  fifth of the others, so walks also cross non-linear programs back into linear ones."""
  pool = [baseline_program(name) for name in _STARTS]
  seen = {analysis.dataflow_hash(p) for p in pool}
  for _ in range(_MUTANTS):
    child, _ = mutate(pool[rng.integers(len(pool))], rng)
    key = analysis.dataflow_hash(child)
    if key in seen:
      continue
    seen.add(key)
    linear = analysis.lr_linear(child)
    if linear or rng.random() < 0.2:
      pool.append(child)
    if linear:
      yield child


def test_static_linearity_is_sound_on_random_mutants():
  checked = 0
  for program in _new_linear_mutants(np.random.default_rng(20240611)):
    # None: updates not finite on the probe, nothing to compare.
    assert lr_proportional(program) is not False, program
    checked += 1
  assert checked >= 150
