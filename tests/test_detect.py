"""Known-optimizer detection: every baseline, however written, is found with its values."""

import numpy as np
import pytest

from discover.simplify import detect
from discover.dsl.baselines import BASELINES, baseline_program
from discover.execute.interpreter import step_function
from discover.dsl.parse import parse
from discover.dsl.program import Const, Program, Statement, Var

# Values distinct from the defaults and visible on the probe (an eps of 1e-8 is not); a new
# baseline with a new hyperparameter name adds its value here.
NON_DEFAULT = {"momentum": 0.8, "b1": 0.85, "b2": 0.98, "eps": 1e-3, "weight_decay": 0.46,
               "decay": 0.95, "initial_accumulator_value": 0.2, "eps_root": 1e-4, "beta": 0.8}
LR_FACTOR = 3e-4


@pytest.fixture(scope="module")
def detector():
  return detect._default_detector()


def _hyperparameters(name: str) -> dict[str, float]:
  """Non-default values for the hyperparameters detection fits (the rest keep defaults)."""
  return {k: NON_DEFAULT[k] for k in detect.fitted_hyperparameters(name)}


def _assert_recovers(match, name, expected, lr_scale=1.0):
  assert match is not None, f"{name} not detected"
  assert match.baseline == name, match.describe()
  for key, value in BASELINES[name].defaults.items():
    np.testing.assert_allclose(match.hyperparameters[key], expected.get(key, value),
                               rtol=1e-3, err_msg=f"{name}.{key}: {match.describe()}")
  np.testing.assert_allclose(match.lr_scale, lr_scale, rtol=1e-3)
  assert match.error <= detect.DEFAULT_TOLERANCE


# -- Rewrites that keep a program's behaviour ---------------------------------------------


def _scale_lr(program: Program, factor: float = LR_FACTOR) -> Program:
  scaled = Statement("lr", "mul", (Var("lr"), Const(factor)))
  return program.replace(statements=(scaled,) + program.statements)


def _commute(program: Program) -> Program:
  return program.replace(statements=tuple(
      Statement(s.target, s.op, s.args[::-1]) if s.op in ("add", "mul") else s
      for s in program.statements))


def _with_dead_code(program: Program) -> Program:
  dead = (Statement("_dead", "exp", (Var("g"),)),
          Statement("_dead", "mul", (Var("_dead"), Const(7.0))))
  return program.replace(statements=dead + program.statements)


def _written_out(program: Program) -> Program:
  """``sign(x)`` as ``x / sqrt(x * x)``, ``interp(x, y, a)`` as ``x * (1 - a) + y * a``."""
  out = []
  for i, s in enumerate(program.statements):
    if s.op == "sign":
      x = s.args[0]
      out += [Statement(f"_sq{i}", "mul", (x, x)),
              Statement(f"_abs{i}", "sqrt", (Var(f"_sq{i}"),)),
              Statement(s.target, "div", (x, Var(f"_abs{i}")))]
    elif s.op == "interp":
      x, y, a = s.args
      if isinstance(a, Const):
        keep = Const(1.0 - a.value)
      else:
        keep = Var(f"_keep{i}")
        out.append(Statement(keep.name, "sub", (Const(1.0), a)))
      out += [Statement(f"_new{i}", "mul", (x, keep)), Statement(f"_old{i}", "mul", (y, a)),
              Statement(s.target, "add", (Var(f"_new{i}"), Var(f"_old{i}")))]
    else:
      out.append(s)
  return program.replace(statements=tuple(out))


def _reordered(program: Program, seed: int = 0) -> Program:
  """A random order of the statements that keeps every read-write dependency."""
  rng = np.random.default_rng(seed)
  stmts = program.statements
  reads = [{a.name for a in s.args if isinstance(a, Var)} for s in stmts]
  before = [{i for i in range(j) if stmts[i].target in reads[j] | {stmts[j].target}
             or stmts[j].target in reads[i]} for j in range(len(stmts))]
  order, left = [], set(range(len(stmts)))
  while left:
    ready = sorted(j for j in left if not before[j] & left)
    order.append(ready[rng.integers(len(ready))])
    left.remove(order[-1])
  return program.replace(statements=tuple(stmts[j] for j in order))


# -- Every baseline ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_every_baseline_is_detected_with_its_hyperparameters(detector, name):
  expected = _hyperparameters(name)
  match = detector.detect(BASELINES[name].program(**expected))
  _assert_recovers(match, name, expected)


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_rearranged_baselines_with_a_scaled_lr_are_detected(detector, name):
  expected = _hyperparameters(name)
  program = BASELINES[name].program(**expected)
  program = _reordered(_with_dead_code(_commute(_scale_lr(program))), seed=1)
  _assert_recovers(detector.detect(program), name, expected, LR_FACTOR)


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_baselines_written_out_are_detected(detector, name):
  expected = _hyperparameters(name)
  program = _reordered(_written_out(_scale_lr(BASELINES[name].program(**expected))), seed=2)
  _assert_recovers(detector.detect(program), name, expected, LR_FACTOR)


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_lifted_constants_run_like_the_interpreter(detector, name):
  # detect runs programs with their constants as arguments: the reference must agree.
  import jax.numpy as jnp
  program = BASELINES[name].program(**_hyperparameters(name))
  probe, steps = detector.probe, 8
  ours = detector.program_updates(program)[:steps]
  run = step_function(program)
  slots = tuple(jnp.zeros(probe.grads.shape[1]) for _ in program.slots)
  for t in range(steps):
    update, slots = run(jnp.asarray(probe.params[t]), jnp.asarray(probe.grads[t]), slots,
                        jnp.float32(probe.lrs[t]), jnp.float32(t + 1))
    np.testing.assert_allclose(ours[t], np.asarray(update), rtol=2e-4, atol=1e-6)


# -- The simplest explanation, and programs that are not baselines -------------------------


LION = """def train(w, g, m, lr):
  u = interp(g, m, {b1})
  update = sign(u)
  m = interp(g, m, {b2})
  decay = w * {wd}
  update = update + decay
  update = update * lr
  return update, m
"""


def test_the_example_description():
  program = _scale_lr(parse(LION.format(b1=0.899, b2=0.997, wd=0.46)))
  assert detect.detect(program).describe() == (
      "Lion with b1=0.899, b2=0.997, weight_decay=0.46 (learning rate x 0.0003)")


def test_describe_formats_values_that_matter():
  assert detect.Match("sgd", {}, 1.0, 0.0).describe() == "SGD"
  match = detect.Match("adam", {"b1": 0.9, "b2": 0.9995, "eps": 1e-08}, 2.5, 1e-9)
  assert match.describe() == "Adam with b1=0.9, b2=0.9995, eps=1e-08 (learning rate x 2.5)"
  assert detect.Match("new", {"x": 0.0}, 1.0, 0.0).describe() == "new with x=0"


@pytest.mark.parametrize("text, expected", [
    (LION.format(b1=0.9, b2=0.99, wd=0.0), "Lion with b1=0.9, b2=0.99, weight_decay=0"),
    (LION.format(b1=0.9, b2=0.9, wd=0.0), "Signum with beta=0.9"),  # b1 == b2
    (LION.format(b1=0.0, b2=0.9, wd=0.0), "signSGD"),
    ("def train(w, g, m, lr):\n  m = m * 0.0\n  m = m + g\n  update = m * lr\n"
     "  return update, m\n", "SGD"),
    ("def train(w, g, lr):\n  a = g * 2.0\n  update = lr * a\n  return update\n",
     "SGD (learning rate x 2)"),
])
def test_the_simplest_baseline_wins(text, expected):
  assert detect.detect(parse(text)).describe() == expected


def test_adamw_without_decay_is_adam():
  match = detect.detect(baseline_program("adamw", weight_decay=0.0, b1=0.8))
  assert match.describe() == "Adam with b1=0.8, b2=0.999, eps=1e-08"


def test_an_eps_the_program_lacks_reads_zero():
  text = str(baseline_program("adam")).replace("  denom = denom + 1e-08\n", "")
  assert detect.detect(parse(text)).hyperparameters["eps"] == 0.0


TANH_ADAM = str(baseline_program("adam")).replace(
    "  update = m_hat / denom\n", "  update = m_hat / denom\n  update = tanh(update)\n")


@pytest.mark.parametrize("text", [
    "def train(w, g, lr):\n  a = g * g\n  update = a * lr\n  return update\n",
    "def train(w, g, lr):\n  update = g * 0.01\n  return update\n",
    "def train(w, g, lr):\n  a = g * lr\n  update = a * lr\n  return update\n",
    "def train(w, g, lr):\n  update = g * 0.0\n  return update\n",
    TANH_ADAM,
    # Paper-style AdamW (no bias correction) with other betas: not a baseline (a limit).
    str(baseline_program("adamw_paper")).replace("0.9)", "0.8)"),
], ids=["g*g", "ignores lr", "lr squared", "zero", "tanh(adam)", "paper adamw, b1=0.8"])
def test_other_programs_are_not_baselines(text):
  assert detect.detect(parse(text)) is None


def test_hyperparameters_that_only_act_together_are_fitted_once():
  assert detect.fitted_hyperparameters("adagrad") == ("initial_accumulator_value",)
  assert detect.fitted_hyperparameters("adam") == ("b1", "b2", "eps")
