"""Hand-coded baseline optimizers, written in the DSL.

Each baseline is a program template over its hyperparameters, with the optax optimizer it
reproduces (its twin) where optax has one. Conventions are optax's throughout, stated per
baseline: the program returns ``lr * direction`` (the amount to subtract); weight decay is
decoupled and scaled by the learning rate (``optax.add_decayed_weights`` before
``scale_by_learning_rate``); bias correction divides by ``1 - b ** step`` with ``step``
1-based; ``interp(g, m, b) = (1 - b) * g + b * m`` is optax's ``update_moment``.

Tests run every baseline with a twin against it for 200 steps (``tests/test_baselines``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import optax

from discover.dsl.parse import parse
from discover.dsl.program import Program

_ADAM_BODY = """\
  m = interp(g, m, {b1})
  g2 = square(g)
  v = interp(g2, v, {b2})
  b1t = power({b1}, step)
  bc1 = 1.0 - b1t
  b2t = power({b2}, step)
  bc2 = 1.0 - b2t
  m_hat = m / bc1
  v_hat = v / bc2
  denom = sqrt(v_hat)
  denom = denom + {eps}
  update = m_hat / denom
"""


def _sgd() -> str:
  return "def train(w, g, lr):\n  update = g * lr\n  return update\n"


def _momentum(momentum: float) -> str:
  return (f"def train(w, g, m, lr):\n  decayed = m * {momentum!r}\n  m = g + decayed\n"
          f"  update = m * lr\n  return update, m\n")


def _nesterov(momentum: float) -> str:
  return (f"def train(w, g, m, lr):\n  decayed = m * {momentum!r}\n  m = g + decayed\n"
          f"  ahead = m * {momentum!r}\n  update = g + ahead\n  update = update * lr\n"
          f"  return update, m\n")


def _adam(b1: float, b2: float, eps: float) -> str:
  body = _ADAM_BODY.format(b1=repr(b1), b2=repr(b2), eps=repr(eps))
  return f"def train(w, g, m, v, lr, step):\n{body}  update = update * lr\n  return update, m, v\n"


def _adamw(b1: float, b2: float, eps: float, weight_decay: float) -> str:
  body = _ADAM_BODY.format(b1=repr(b1), b2=repr(b2), eps=repr(eps))
  return (f"def train(w, g, m, v, lr, step):\n{body}  decay = w * {weight_decay!r}\n"
          f"  update = update + decay\n  update = update * lr\n  return update, m, v\n")


def _rmsprop(decay: float, eps: float) -> str:
  return (f"def train(w, g, v, lr):\n  g2 = square(g)\n  v = interp(g2, v, {decay!r})\n"
          f"  denom = v + {eps!r}\n  denom = sqrt(denom)\n  update = g / denom\n"
          f"  update = update * lr\n  return update, v\n")


def _adagrad(initial_accumulator_value: float, eps: float) -> str:
  # Slots start at zero, so the initial accumulator joins eps as one added constant.
  offset = initial_accumulator_value + eps
  return (f"def train(w, g, v, lr):\n  g2 = square(g)\n  v = g2 + v\n"
          f"  denom = v + {offset!r}\n  denom = sqrt(denom)\n  update = g / denom\n"
          f"  update = update * lr\n  return update, v\n")


def _adabelief(b1: float, b2: float, eps: float, eps_root: float) -> str:
  return (f"def train(w, g, m, v, lr, step):\n  m = interp(g, m, {b1!r})\n"
          f"  surprise = g - m\n  s2 = square(surprise)\n  v = interp(s2, v, {b2!r})\n"
          f"  v = v + {eps_root!r}\n  b1t = power({b1!r}, step)\n  bc1 = 1.0 - b1t\n"
          f"  b2t = power({b2!r}, step)\n  bc2 = 1.0 - b2t\n  m_hat = m / bc1\n"
          f"  v_hat = v / bc2\n  denom = sqrt(v_hat)\n  denom = denom + {eps!r}\n"
          f"  update = m_hat / denom\n  update = update * lr\n  return update, m, v\n")


def _lion(b1: float, b2: float, weight_decay: float) -> str:
  return (f"def train(w, g, m, lr):\n  update = interp(g, m, {b1!r})\n"
          f"  update = sign(update)\n  m = interp(g, m, {b2!r})\n"
          f"  decay = w * {weight_decay!r}\n  update = update + decay\n"
          f"  update = update * lr\n  return update, m\n")


def _sign_sgd() -> str:
  return "def train(w, g, lr):\n  update = sign(g)\n  update = update * lr\n  return update\n"


def _signum(beta: float) -> str:
  return (f"def train(w, g, m, lr):\n  m = interp(g, m, {beta!r})\n  update = sign(m)\n"
          f"  update = update * lr\n  return update, m\n")


def _paper_adamw() -> str:
  return ("def train(w, g, m, v, lr):\n  g2 = square(g)\n  m = interp(g, m, 0.9)\n"
          "  v = interp(g2, v, 0.999)\n  sqrt_v = sqrt(v)\n  update = m / sqrt_v\n"
          "  wd = w * 0.01\n  update = update + wd\n  lr = lr * 0.001\n"
          "  update = update * lr\n  return update, m, v\n")


@dataclasses.dataclass(frozen=True)
class Baseline:
  """A hand-coded optimizer.

  Attributes:
    name: registry key.
    template: hyperparameters -> program text.
    defaults: the hyperparameters' default values (optax's, where it has a twin).
    conventions: how it is written, where conventions differ between libraries.
    twin: ``(learning_rate, **hyperparameters) -> optax transformation``, or None.
  """

  name: str
  template: Callable[..., str]
  defaults: dict[str, float]
  conventions: str
  twin: Callable[..., optax.GradientTransformation] | None = None

  def program(self, **hyperparameters: float) -> Program:
    unknown = set(hyperparameters) - set(self.defaults)
    if unknown:
      raise ValueError(f"{self.name} has no hyperparameter {sorted(unknown)}; "
                       f"it has {sorted(self.defaults)}")
    return parse(self.template(**{**self.defaults, **hyperparameters}))


_BASELINES = (
    Baseline("sgd", _sgd, {}, "update = lr * g.",
             lambda lr: optax.sgd(lr)),
    Baseline("momentum", _momentum, {"momentum": 0.9},
             "Heavy ball, optax.trace form: m = g + momentum * m (no 1 - momentum factor); "
             "update = lr * m.",
             lambda lr, momentum: optax.sgd(lr, momentum=momentum)),
    Baseline("nesterov", _nesterov, {"momentum": 0.9},
             "optax.trace(nesterov=True): m = g + momentum * m; update = lr * (g + momentum * m).",
             lambda lr, momentum: optax.sgd(lr, momentum=momentum, nesterov=True)),
    Baseline("adam", _adam, {"b1": 0.9, "b2": 0.999, "eps": 1e-8},
             "Bias-corrected moments; eps outside the square root: "
             "m_hat / (sqrt(v_hat) + eps); no eps_root.",
             lambda lr, b1, b2, eps: optax.adam(lr, b1=b1, b2=b2, eps=eps)),
    Baseline("adamw", _adamw, {"b1": 0.9, "b2": 0.999, "eps": 1e-8, "weight_decay": 1e-4},
             "Adam plus decoupled weight decay added to the direction before the learning "
             "rate scales both: update = lr * (adam + weight_decay * w), as optax.adamw.",
             lambda lr, b1, b2, eps, weight_decay: optax.adamw(
                 lr, b1=b1, b2=b2, eps=eps, weight_decay=weight_decay)),
    Baseline("rmsprop", _rmsprop, {"decay": 0.9, "eps": 1e-8},
             "Uncentered, no momentum, eps inside the square root: g / sqrt(v + eps), "
             "v = interp(g*g, v, decay) starting at 0 (optax's defaults).",
             lambda lr, decay, eps: optax.rmsprop(lr, decay=decay, eps=eps)),
    Baseline("adagrad", _adagrad, {"initial_accumulator_value": 0.1, "eps": 1e-7},
             "v = sum of g*g; update = lr * g / sqrt(v + initial_accumulator_value + eps), "
             "optax's form with the initial accumulator moved out of the zero-initialised slot.",
             lambda lr, initial_accumulator_value, eps: optax.adagrad(
                 lr, initial_accumulator_value=initial_accumulator_value, eps=eps)),
    Baseline("adabelief", _adabelief,
             {"b1": 0.9, "b2": 0.999, "eps": 1e-16, "eps_root": 1e-16},
             "optax's AdaBelief: the surprise g - m uses the new m; eps_root is added to the "
             "stored v each step; bias correction on both; eps outside the square root.",
             lambda lr, b1, b2, eps, eps_root: optax.adabelief(
                 lr, b1=b1, b2=b2, eps=eps, eps_root=eps_root)),
    Baseline("lion", _lion, {"b1": 0.9, "b2": 0.99, "weight_decay": 1e-3},
             "update = lr * (sign(interp(g, m, b1)) + weight_decay * w), then "
             "m = interp(g, m, b2); decoupled weight decay as optax.lion.",
             lambda lr, b1, b2, weight_decay: optax.lion(
                 lr, b1=b1, b2=b2, weight_decay=weight_decay)),
    Baseline("signsgd", _sign_sgd, {}, "update = lr * sign(g).",
             lambda lr: optax.sign_sgd(lr)),
    Baseline("signum", _signum, {"beta": 0.9},
             "update = lr * sign(m), m = interp(g, m, beta) updated first, no debiasing "
             "(the sign ignores it), as optax.signum.",
             lambda lr, beta: optax.signum(lr, beta=beta)),
    Baseline("adamw_paper", _paper_adamw, {},
             "The paper's warm-start AdamW (Chen et al. 2023, Program 2): no bias correction, "
             "no epsilon (the safe division floors |sqrt(v)| at 1e-10), weight decay 0.01 and "
             "learning-rate factor 0.001 written as constants. No optax twin."),
)

BASELINES: dict[str, Baseline] = {b.name: b for b in _BASELINES}


def baseline_program(name: str, **hyperparameters: float) -> Program:
  """The program of a named baseline; KeyError names the known baselines."""
  if name not in BASELINES:
    raise KeyError(f"no baseline '{name}' (known: {', '.join(BASELINES)})")
  return BASELINES[name].program(**hyperparameters)
