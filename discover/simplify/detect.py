"""Known-optimizer detection: is a program one of the baselines, up to its hyperparameters?

``detect`` says when a (usually simplified) discovered program is a hand-coded baseline of
``discover.dsl.baselines.BASELINES`` with some hyperparameters and an overall learning-rate
factor, e.g. "Lion with b1=0.899, b2=0.997, weight_decay=0.46 (learning rate x 0.0003)".

The test is behavioural, so it does not care how the program is written (``x / sqrt(x*x)``
for ``sign(x)``, ``interp`` written out, statements reordered): the program and each
baseline run on the gradient and weight streams of ``behaviour.probe_streams`` (noisy,
sparse, ill-conditioned and sign-flipping gradients, weights on a random walk) with a
learning rate decaying from 1 to about 0.5 (so ``lr`` is told apart from a constant) and the
step counter from 1, and the baseline's hyperparameters and the factor are fitted so that
its updates match the program's:

* the factor is solved in closed form for given hyperparameters (variable projection);
* hyperparameters start at their defaults and move, by steepest coordinate descent, over
  candidates read off the program's constants (``c``, ``1 - c``, ``c / (1 + c)``,
  ``1 / (1 + c)``); Levenberg-Marquardt then refines their logarithms;
* each is finally snapped, where that changes nothing on the probe, to the program's own
  constant, else to its default, else to 0 (a decay fitted at 1e-13 reads 0).

The candidates matter for sign-based optimizers: their updates are piecewise constant in
the betas, so only a candidate in the right interval agrees, and refinement fits the rest.

Everything runs in float64 (``jax.enable_x64``), so an exact match shows an error near
1e-13 rather than float32 rounding (which reaches 3e-5 in Adam's bias correction). The
error is the largest ``|p - q| / (max(|p|, |q|) + FLOOR * rms)`` over the probe, ``p`` the
program's update, ``q`` the fitted baseline's and ``rms`` that of ``p`` in the same step and
gradient regime. Matches within the tolerance are ranked by number of hyperparameters, the
simplest explanation first (signsgd before signum before lion), then by error.

Programs and baselines are traced with their constants lifted into an argument: a
baseline compiles once (vmapped over candidates) for every hyperparameter value, on first
use, and a program once per shape.

Limitations:

* Hyperparameters are fitted as positive numbers, and reach 0 only by snapping.
* Hyperparameters that reach the program only together (adagrad's
  ``initial_accumulator_value + eps``) cannot be told apart: all but the first keep their
  defaults (``fitted_hyperparameters``).
* What the probe cannot see is reported from the program's constants or the default, e.g.
  an ``eps`` of 1e-8 where no ``sqrt(v)`` on the probe comes near 1e-8.
* A sign-based optimizer is found only when its betas are among the candidates.
* Only the baselines as written: Adam without bias correction is a baseline only as
  ``adamw_paper`` with its fixed constants, so paper-style AdamW with other betas, or
  without weight decay, is not detected; nor is Adam with eps inside the square root.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
import scipy.optimize

from discover.dsl import analysis
from discover.execute import behaviour
from discover.execute import interpreter
from discover.dsl.baselines import BASELINES, Baseline
from discover.dsl.program import Const, Program, Var
from primitives import REGISTRY

DEFAULT_TOLERANCE = 1e-4
FLOOR = 1e-3  # relative to the rms of the program's update in a step and regime
BATCH = 32  # candidates per compiled call; more are evaluated in chunks
PROMISING = 0.5  # mean relative deviation below which a start is worth refining
RANGE = (1e-30, 1e4)  # positive hyperparameter values tried (0 is reached by snapping)
MAX_COMPILED = 256  # program shapes whose compiled rollout is kept

DISPLAY_NAMES = {
    "sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov", "adam": "Adam",
    "adamw": "AdamW", "rmsprop": "RMSProp", "adagrad": "Adagrad", "adabelief": "AdaBelief",
    "lion": "Lion", "signsgd": "signSGD", "signum": "Signum", "adamw_paper": "AdamW (paper)",
}


@dataclasses.dataclass(frozen=True)
class Match:
  """A program recognised as a baseline.

  Attributes:
    baseline: the baseline's registry name, e.g. "lion".
    hyperparameters: the baseline's hyperparameter names -> fitted values.
    lr_scale: the program's update is ``lr_scale`` times the baseline's.
    error: the largest relative deviation on the probe (see the module docstring).
  """

  baseline: str
  hyperparameters: dict[str, float]
  lr_scale: float
  error: float

  def describe(self) -> str:
    """E.g. "Lion with b1=0.899, b2=0.997, weight_decay=0.46 (learning rate x 0.0003)"."""
    text = DISPLAY_NAMES.get(self.baseline, self.baseline)
    if self.hyperparameters:
      text += " with " + ", ".join(f"{name}={_format(value)}"
                                   for name, value in self.hyperparameters.items())
    if abs(self.lr_scale - 1.0) > 1e-6:
      text += f" (learning rate x {_format(self.lr_scale)})"
    return text


def _format(value: float) -> str:
  """The fewest significant digits (at least 3) that keep the value, and 1 - value, to 1e-4."""
  scale = min(abs(value), abs(1.0 - value)) if 0.5 < value < 1.0 else abs(value)
  for digits in range(3, 10):
    text = f"{value:.{digits}g}"
    if abs(float(text) - value) <= 1e-4 * scale:
      return text
  return repr(float(value))


# -- Running programs with lifted constants ----------------------------------------------


def _lifted(program: Program):
  """``run(w, g, slots, lr, step, consts) -> (update, slots)`` for a checked program.

  ``interpreter.runner`` with the live statements' constants read in order from ``consts``
  instead of the text, so a trace serves every value of them.
  """
  index = {site: n for n, site in enumerate(_constant_sites(program))}
  return interpreter.runner(program, lambda consts, site, _: consts[index[site]])


def _constant_sites(program: Program) -> list[tuple[int, int]]:
  """The live statements' constants' sites (statement, argument) in statement order."""
  live = sorted(analysis.live_statements(program))
  return [(i, k) for i in live for k, a in enumerate(program.statements[i].args)
          if isinstance(a, Const)]


def _constants(program: Program) -> list[float]:
  """The live statements' constants in statement order (what ``_lifted`` reads)."""
  return [program.statements[i].args[k].value for i, k in _constant_sites(program)]


def _shape(program: Program) -> tuple:
  """A program with its constants' values blanked: what must not change with them."""
  statements = tuple((s.target, s.op, tuple(a if isinstance(a, Var) else None for a in s.args))
                     for s in program.statements)
  return statements, program.slots, program.update, program.uses_step


@dataclasses.dataclass(frozen=True)
class _Probe:
  """The behaviour probe's streams: (steps, size) weights and gradients, per-step lr."""

  params: np.ndarray
  grads: np.ndarray
  lrs: np.ndarray
  segments: np.ndarray


def _rollout(program: Program, probe: _Probe):
  """``consts -> (steps, size)`` updates of the program on the probe, in consts' dtype."""
  run = _lifted(program)

  def rollout(consts):
    dtype = consts.dtype
    xs = (jnp.asarray(probe.params, dtype), jnp.asarray(probe.grads, dtype),
          jnp.asarray(probe.lrs, dtype), jnp.arange(1, len(probe.lrs) + 1, dtype=dtype))

    def step(slots, x):
      update, slots = run(*x[:2], slots, *x[2:], consts)
      return slots, update

    zeros = tuple(jnp.zeros(probe.grads.shape[1], dtype) for _ in program.slots)
    return jax.lax.scan(step, zeros, xs)[1]

  return rollout


# -- Baselines as functions of their hyperparameters -------------------------------------


class _Template:
  """One baseline: hyperparameters -> its updates on the probe, for a batch at a time.

  Attributes:
    baseline: the baseline.
    defaults: (k,) default values, in ``baseline.defaults`` order.
    free: indices of the hyperparameters that are fitted; the others keep their defaults.
  """

  def __init__(self, baseline: Baseline, probe: _Probe):
    self.baseline = baseline
    self.defaults = np.array(list(baseline.defaults.values()), np.float64)
    program = baseline.program()
    self._base, self._slope = self._constant_map(program)
    self.free = _independent_columns(self._slope)
    self._run = jax.jit(jax.vmap(_rollout(program, probe)))

  def named(self, values) -> dict[str, float]:
    """Hyperparameter names -> values."""
    return {name: float(v) for name, v in zip(self.baseline.defaults, values)}

  def _constants_at(self, values) -> np.ndarray:
    return np.array(_constants(self.baseline.program(**self.named(values))), np.float64)

  def _constant_map(self, program: Program):
    """(base, slope): the constants as ``base + slope @ h``, checked at a third point."""
    # Parsing a template costs milliseconds, too slow inside the fit; every template so
    # far is affine in its hyperparameters, and one that is not is refused here.
    k = len(self.defaults)
    bumps = 0.5 * self.defaults + 0.1
    at_default = self._constants_at(self.defaults)
    slope = np.zeros((len(at_default), k))
    for j in range(k):
      bumped = self.defaults.copy()
      bumped[j] += bumps[j]
      slope[:, j] = (self._constants_at(bumped) - at_default) / bumps[j]
    base = at_default - slope @ self.defaults
    probe_point = 1.37 * self.defaults + 0.013
    checked = self.baseline.program(**self.named(probe_point))
    if (_shape(checked) != _shape(program)
        or not np.allclose(self._constants_at(probe_point), base + slope @ probe_point,
                           rtol=1e-9, atol=1e-15)):
      raise ValueError(f"baseline '{self.baseline.name}': its template is not affine in "
                       "its hyperparameters, which detection needs")
    return base, slope

  def updates(self, values: np.ndarray) -> np.ndarray:
    """(n, steps, size) float64 updates for (n, k) hyperparameter values."""
    consts = self._base + np.asarray(values, np.float64) @ self._slope.T
    n = len(consts)
    padded = np.concatenate([consts, np.repeat(consts[-1:], -n % BATCH, axis=0)])
    with jax.enable_x64(True):
      out = [np.asarray(self._run(jnp.asarray(padded[i:i + BATCH])))
             for i in range(0, len(padded), BATCH)]
    return np.concatenate(out)[:n]


def _independent_columns(slope: np.ndarray) -> tuple[int, ...]:
  """Greedily, the hyperparameters that move the constants in a new direction."""
  chosen: list[int] = []
  for j in range(slope.shape[1]):
    trial = slope[:, chosen + [j]]
    if np.linalg.matrix_rank(trial, tol=1e-9 * max(1.0, np.abs(slope).max())) > len(chosen):
      chosen.append(j)
  return tuple(chosen)


def fitted_hyperparameters(name: str) -> tuple[str, ...]:
  """The hyperparameters of a baseline that detection fits; the others keep defaults."""
  template = _default_detector().templates[name]
  names = list(template.baseline.defaults)
  return tuple(names[j] for j in template.free)


# -- Fitting ------------------------------------------------------------------------------


class _Target:
  """The program's updates on the probe and the per-element weights the fit uses."""

  def __init__(self, updates: np.ndarray, segments: np.ndarray):
    self.p = updates.astype(np.float64)
    n_segments = int(segments.max()) + 1
    sums = np.stack([np.mean(self.p[:, segments == s] ** 2, axis=1)
                     for s in range(n_segments)], axis=1)
    self.floor = FLOOR * np.sqrt(sums)[:, segments] + 1e-30
    self.weights = 1.0 / (np.abs(self.p) + self.floor)

  def scales(self, q: np.ndarray) -> np.ndarray:
    """(n,) the least-squares lr factor for each of (n, steps, size) baseline updates."""
    wq = self.weights * q
    denominator = np.sum(wq * wq, axis=(1, 2))
    numerator = np.sum(wq * (self.weights * self.p), axis=(1, 2))
    return np.divide(numerator, denominator, out=np.zeros_like(numerator),
                     where=denominator > 0)

  def residuals(self, q: np.ndarray) -> np.ndarray:
    """(n, steps * size) weighted residuals after the best lr factor."""
    r = self.weights * (self.p - self.scales(q)[:, None, None] * q)
    return np.nan_to_num(r, nan=1e6, posinf=1e6, neginf=-1e6).reshape(len(q), -1)

  def scores(self, q: np.ndarray) -> np.ndarray:
    """(n,) the mean relative deviation (each at most 1) after a robust lr factor.

    For comparing starting points, which may blow up on a few elements (an eps of 1e-16
    where the program has 1e-3): the least-squares factor would chase those.
    """
    valid = (q != 0) & (np.abs(self.p) > self.floor)
    ratios = np.where(valid, self.p / np.where(valid, q, 1.0), np.nan).reshape(len(q), -1)
    ratios[~valid.reshape(len(q), -1).any(axis=1)] = 0.0  # no evidence: factor 0
    fitted = np.nanmedian(ratios, axis=1)[:, None, None] * q
    with np.errstate(invalid="ignore"):
      deviation = np.abs(self.p - fitted) / (
          np.maximum(np.abs(self.p), np.abs(fitted)) + self.floor)
    return np.nan_to_num(deviation, nan=1.0).mean(axis=(1, 2))

  def errors(self, q: np.ndarray) -> np.ndarray:
    """(n,) the largest relative deviation after the best lr factor (see the docstring)."""
    fitted = self.scales(q)[:, None, None] * q
    deviation = np.abs(self.p - fitted) / (
        np.maximum(np.abs(self.p), np.abs(fitted)) + self.floor)
    return np.nan_to_num(deviation.max(axis=(1, 2)), nan=np.inf)


def _candidates(program: Program) -> np.ndarray:
  """Positive values a hyperparameter might take, read off the program's constants."""
  live = sorted(analysis.live_statements(program))
  values = _constants(program) + [
      float(REGISTRY[program.statements[i].op].fn()) for i in live
      if REGISTRY[program.statements[i].op].arity == 0]
  c = np.abs(np.array(values, np.float64))
  with np.errstate(divide="ignore", invalid="ignore"):
    derived = np.concatenate([c, 1.0 - c, c / (1.0 + c), 1.0 / (1.0 + c)])
  derived = derived[np.isfinite(derived) & (derived >= RANGE[0]) & (derived <= RANGE[1])]
  return np.unique(derived)


class Detector:
  """Holds the probe and the compiled baselines; ``detect`` reuses them.

  A baseline compiles on its first use (about a second); a program once per shape
  (constants lifted), so programs that differ only in constants share the compiled code.
  """

  def __init__(self):
    params, grads, segments = behaviour.probe_streams()
    lrs = 0.5 + 0.5 * np.cos(np.pi * np.arange(len(grads)) / (2 * len(grads)))  # 1 -> 0.52
    self.probe = _Probe(params, grads, lrs, segments)
    self.templates = {name: _Template(b, self.probe) for name, b in BASELINES.items()}
    self._runs: dict[tuple, Callable] = {}  # program shape -> compiled rollout

  def _run(self, program: Program) -> Callable:
    key = _shape(program)
    if key not in self._runs:
      if len(self._runs) >= MAX_COMPILED:
        del self._runs[next(iter(self._runs))]  # the oldest
      self._runs[key] = jax.jit(_rollout(program, self.probe))
    return self._runs[key]

  def program_updates(self, program: Program) -> np.ndarray:
    """(steps, size) float64 updates of the program on the probe (the amount subtracted)."""
    run = self._run(program)
    with jax.enable_x64(True):
      return np.asarray(run(jnp.asarray(_constants(program), jnp.float64)))

  def detect(self, program: Program, tolerance: float = DEFAULT_TOLERANCE) -> Match | None:
    """The simplest baseline the program is, within ``tolerance``; see ``detect``."""
    p = self.program_updates(program)
    if not np.all(np.isfinite(p)) or not np.any(p):
      return None
    target, candidates = _Target(p, self.probe.segments), _candidates(program)
    # Fewest hyperparameters first: a match there ends the search, the simplest explanation.
    for size in sorted({len(t.defaults) for t in self.templates.values()}):
      # Candidates that overflow are scored as misfits (nan_to_num), not reported.
      with np.errstate(all="ignore"):
        fits = [_fit(t, target, candidates, tolerance)
                for t in self.templates.values() if len(t.defaults) == size]
      matches = [m for m in fits if m is not None]
      if matches:
        return min(matches, key=lambda m: m.error)
    return None


def _fit(template: _Template, target: _Target, candidates: np.ndarray,
         tolerance: float) -> Match | None:
  """The baseline fitted to the target, if it comes within tolerance."""
  starts = _starts(template, target, candidates)
  best = None
  for start in starts:
    values = _refine(template, target, start) if template.free else start
    values = _snap(template, target, values, candidates, tolerance)
    q = template.updates(values[None])
    error = float(target.errors(q)[0])
    if best is None or error < best[1]:
      best = (values, error, float(target.scales(q)[0]))
    if error <= tolerance:
      break
  if best is None:
    return None
  values, error, scale = best
  if error > tolerance or scale == 0.0:
    return None
  return Match(template.baseline.name, template.named(values), scale, error)


def _starts(template: _Template, target: _Target, candidates: np.ndarray) -> list:
  """Promising starting points: the defaults, and the best found by steepest coordinate
  descent over the candidates (each round makes the one change that helps most, so a
  parameter that dominates the misfit, such as weight decay, is set before the others)."""
  current = template.defaults.copy()
  score = float(target.scores(template.updates(current[None]))[0])
  starts = [(score, current)]
  options = {j: _options(template.defaults[j], candidates) for j in template.free}
  options = {j: values for j, values in options.items() if len(values)}
  for _ in range(2 * len(options)):
    trials = np.concatenate([_with(current, j, values) for j, values in options.items()])
    scores = target.scores(template.updates(trials))
    if scores.min() >= score:
      break
    current, score = trials[np.argmin(scores)], float(scores.min())
  if current is not starts[0][1]:
    starts.insert(0, (score, current))
  return [values for score, values in starts if score < PROMISING]


def _options(default: float, candidates: np.ndarray) -> np.ndarray:
  # A default in (0, 1) marks a beta or a small coefficient: a beta of exactly 1 freezes
  # a moment at zero, a degenerate fit (pure weight decay) that traps the search.
  return candidates[candidates != 1.0] if default < 1.0 else candidates


def _with(values: np.ndarray, j: int, options: np.ndarray) -> np.ndarray:
  """Copies of ``values``, one per option, with the ``j``-th set to it."""
  trials = np.repeat(values[None], len(options), axis=0)
  trials[:, j] = options
  return trials


def _refine(template: _Template, target: _Target, start: np.ndarray) -> np.ndarray:
  """Levenberg-Marquardt on the logs of the free hyperparameters."""
  free = list(template.free)

  def values(theta):
    v = start.copy()
    v[free] = np.exp(np.clip(theta, *np.log(RANGE)))
    return v

  def residuals(theta):
    return target.residuals(template.updates(values(theta)[None]))[0]

  def jacobian(theta, step=1e-6):
    points = np.repeat(values(theta)[None], len(free) + 1, axis=0)
    for row, j in enumerate(free, 1):
      points[row, j] *= np.exp(step)
    r = target.residuals(template.updates(points))
    return ((r[1:] - r[0]) / step).T

  theta0 = np.log(np.clip(start[free], *RANGE))
  result = scipy.optimize.least_squares(residuals, theta0, jac=jacobian, method="lm",
                                        max_nfev=60, xtol=1e-10, ftol=1e-12)
  return values(result.x)


def _snap(template: _Template, target: _Target, values: np.ndarray,
          candidates: np.ndarray, tolerance: float) -> np.ndarray:
  """Each free hyperparameter moved where that changes nothing on the probe: to the
  program's constant nearest its fitted value (on a log scale), else to its default, else
  to 0 (so a decay fitted at 1e-13 reads 0, and a sign-based beta the program's value)."""
  values = values.copy()
  error = float(target.errors(template.updates(values[None]))[0])
  limit = max(2.0 * error, tolerance / 100)
  for j in template.free:
    trials = _with(values, j, np.concatenate([candidates, [template.defaults[j], 0.0]]))
    ok = target.errors(template.updates(trials)) <= limit
    if ok[:-2].any():
      with np.errstate(divide="ignore"):
        distance = np.abs(np.log(candidates / values[j]))
      values = trials[np.argmin(np.where(ok[:-2], distance, np.inf))]
    elif ok[-2:].any():
      values = trials[-2] if ok[-2] else trials[-1]
  return values


@functools.cache
def _default_detector() -> Detector:
  # Compiling the probe and the baselines takes seconds: done once per process.
  return Detector()


def detect(program: Program, tolerance: float = DEFAULT_TOLERANCE) -> Match | None:
  """Says whether a program is a known baseline, up to hyperparameters and lr factor.

  Args:
    program: a valid program.
    tolerance: the largest relative deviation on the probe that still counts as a match.

  Returns:
    The match with the fewest hyperparameters (then the smallest error) within
    ``tolerance``, or None.
  """
  return _default_detector().detect(program, tolerance)
