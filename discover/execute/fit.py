"""Fitting a program's constants to an objective: a batched local search.

Mutation moves a constant by one random draw, and a match or a training run rewards a
constant only when it is nearly exact, so a search that relies on mutation alone loses
right structures with wrong constants to wrong structures. An evaluator that can score
many settings of one program's constants at once (the register machine takes constants as
data, so a batch is one ``vmap``) fits them here once per new structure.

The search is derivative free first, since ``sign`` and ``max`` make many objectives flat
or broken in their constants: each round draws a batch of proposals around the best point
so far (all constants moved together, one constant alone or far, or further along the
last move that succeeded), and the step grows after a round that improved and shrinks after one that
did not. It moves an interp weight ``b`` on a logit scale, so a weight stays in (0, 1) and
one near 1 moves by a share of ``1 - b``, and other constants on a log scale. Where the
objective is a sum of squares with a Jacobian (``least_squares``), Levenberg-Marquardt
steps then take a smooth fit to the last digits, which random proposals approach only
slowly.

``live_constants`` and ``with_constants`` read and write a program's constants in the
order ``machine.encode`` lays them out, so a fitted vector maps back to the program.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from discover.dsl import analysis
from discover.dsl.program import Const, Program, Statement

BATCH = 8  # proposals per round
ROUNDS = 16  # at most; a search ends sooner once its step is below min_step
FIRST_STEP = 1.5  # the first round's step (logit or log scale): a weight of 0.5 is 7 from 0.999
MIN_STEP = 3e-8
JUMP = 6.0  # one constant's long jump, whatever the step: out of a local minimum


def live_constants(program: Program) -> list[tuple[int, int]]:
  """(statement, argument) of each constant a live statement reads, in encode's order."""
  return [(i, k) for i in sorted(analysis.live_statements(program))
          for k, a in enumerate(program.statements[i].args) if isinstance(a, Const)]


def with_constants(program: Program, values) -> Program:
  """``program`` with its live constants (``live_constants``' order) set to ``values``,
  each rounded to float32 and held within the DSL's range (a fit may run far)."""
  statements = list(program.statements)
  for (i, k), value in zip(live_constants(program), values, strict=True):
    stmt = statements[i]
    value = np.clip(np.float32(value), -_FLOAT32_LIMIT, _FLOAT32_LIMIT)
    args = stmt.args[:k] + (Const(float(value)),) + stmt.args[k + 1:]
    statements[i] = Statement(stmt.target, stmt.op, args)
  return program.replace(statements=tuple(statements))


def interp_weights(program: Program) -> np.ndarray:
  """Which live constants (``live_constants``' order) are interp weights strictly between
  0 and 1: the local search moves them on a logit scale, so they stay weights."""
  flags = []
  for i, k in live_constants(program):
    stmt = program.statements[i]
    flags.append(stmt.op == "interp" and k == 2 and 0.0 < stmt.args[k].value < 1.0)
  return np.array(flags, bool)


def local_search(start: np.ndarray, loss: Callable[[np.ndarray], np.ndarray],
                 rng: np.random.Generator, weights: np.ndarray | None = None,
                 batch: int = BATCH, rounds: int = ROUNDS, step: float = FIRST_STEP,
                 min_step: float = MIN_STEP) -> tuple[np.ndarray, float]:
  """The constants that minimise ``loss`` near ``start``, and their loss.

  Args:
    start: the starting constants, shape (n,).
    loss: (batch, n) float32 constants -> (batch,) losses (non-finite: worse than any).
    rng: draws the proposals.
    weights: (n,) which constants are weights in (0, 1), moved on a logit scale (the
      others on a log scale, their sign kept); None: none are.
    batch: proposals per round.
    rounds: rounds at most.
    step: the first round's step on those scales.
    min_step: the search ends once its step is below this.
  """
  best = np.asarray(start, np.float32)
  best_loss = _finite(loss(best[None]))[0]
  if best.size == 0:
    return best, best_loss
  space = _Space(best, np.zeros(best.size, bool) if weights is None else weights)
  z, direction = space.to_z(best), np.zeros(best.size)
  for _ in range(rounds):
    moves = _moves(direction, step, rng, batch)
    proposals = space.from_z(z[None] + moves)
    losses = _finite(loss(proposals))
    j = int(np.argmin(losses))
    if losses[j] < best_loss:
      direction = space.to_z(proposals[j]) - z
      z, best, best_loss, step = z + direction, proposals[j], losses[j], min(step * 1.5, 2.0)
    else:
      direction, step = direction * 0.5, step * 0.6
    if step < min_step:
      break
  return best, float(best_loss)


def least_squares(start: np.ndarray, residuals: Callable[[np.ndarray], tuple],
                  iterations: int = 15) -> tuple[np.ndarray, float]:
  """Levenberg-Marquardt from ``start`` on ``residuals(x) -> (r, J)`` (r: (m,), J: (m, n));
  returns the constants with the smallest ``|r|`` seen and that norm."""
  x = np.asarray(start, np.float64)
  r, jac = (np.asarray(a, np.float64) for a in residuals(x.astype(np.float32)))
  cost = float(r @ r) if np.all(np.isfinite(r)) else np.inf
  damping = 1e-3
  for _ in range(iterations):
    with np.errstate(all="ignore"):  # a non-finite residual ends the loop just below
      gradient = jac.T @ r
    if not (np.isfinite(cost) and np.all(np.isfinite(jac))) or not np.any(gradient):
      break  # nothing to follow (a sign() makes the objective flat)
    normal = jac.T @ jac
    step = np.linalg.lstsq(normal + damping * np.diag(np.diag(normal) + 1e-12),
                           -gradient, rcond=None)[0]
    trial = (x + step).astype(np.float32)
    r_new, jac_new = (np.asarray(a, np.float64) for a in residuals(trial))
    cost_new = float(r_new @ r_new) if np.all(np.isfinite(r_new)) else np.inf
    if cost_new < cost:
      x, r, jac, cost, damping = trial.astype(np.float64), r_new, jac_new, cost_new, damping / 3
    else:
      damping *= 4
      if damping > 1e8:
        break
  return x.astype(np.float32), float(np.sqrt(cost))


def _finite(losses) -> np.ndarray:
  losses = np.asarray(losses, np.float64)
  return np.where(np.isfinite(losses), losses, np.inf)


class _Space:
  """The local search's coordinates: a weight's logit, another constant's log magnitude
  (its sign kept); a constant at zero moves additively, from a scale of 1e-3."""

  def __init__(self, start: np.ndarray, weights: np.ndarray):
    self.weights = weights & (start > 0) & (start < 1)
    self.sign = np.where(start < 0, -1.0, 1.0)
    self.zero = ~self.weights & (np.abs(start) <= 1e-6)

  def to_z(self, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float64)
    w = np.clip(np.where(self.weights, x, 0.5), 1e-12, 1 - 1e-12)
    magnitude = np.log(np.maximum(np.abs(x), 1e-30))
    return np.where(self.weights, np.log(w / (1 - w)),
                    np.where(self.zero, x / 1e-3, magnitude))

  def from_z(self, z: np.ndarray) -> np.ndarray:
    magnitude = np.exp(np.clip(z, -_LOG_LIMIT, _LOG_LIMIT))
    with np.errstate(over="ignore"):
      x = np.where(self.weights, 1 / (1 + np.exp(-z)),
                   np.where(self.zero, 1e-3 * z, self.sign * magnitude))
    return np.clip(x, -analysis.MAX_ABS_CONSTANT, analysis.MAX_ABS_CONSTANT).astype(np.float32)


_LOG_LIMIT = float(np.log(analysis.MAX_ABS_CONSTANT))
# The largest float32 in the DSL's range (float32(1e30) itself lies just above it).
_FLOAT32_LIMIT = np.nextafter(np.float32(analysis.MAX_ABS_CONSTANT), np.float32(0))


def _moves(direction: np.ndarray, step: float, rng: np.random.Generator,
           batch: int) -> np.ndarray:
  """A round's moves: every constant at once, one constant alone, one constant far (up to
  ``JUMP`` whatever the step), or (once a round has succeeded) further along the last
  successful move, which follows a ridge that independent steps keep falling off."""
  n = direction.size
  kind = np.arange(batch) % 4
  noise = rng.normal(size=(batch, n)) * step
  one = np.eye(n)[rng.integers(n, size=batch)]
  moves = np.where((kind == 1)[:, None], noise * one, noise)
  jump = rng.uniform(-JUMP, JUMP, size=(batch, 1)) * one
  moves = np.where((kind == 3)[:, None], jump, moves)
  if np.any(direction):
    along = direction[None] * rng.uniform(0.5, 3.0, size=(batch, 1)) + 0.1 * noise
    moves = np.where((kind == 2)[:, None], along, moves)
  return moves
