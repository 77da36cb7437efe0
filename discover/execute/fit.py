"""Fitting a program's constants to an objective: a batched local search.

Mutation moves a constant by one random draw, and a match or a training run rewards a
constant only when it is nearly exact, so a search that relies on mutation alone loses
right structures with wrong constants to wrong structures. An evaluator that can score
many settings of one program's constants at once (the register machine takes constants as
data, so a batch is one ``vmap``) fits them here once per new structure.

The search is derivative free first, since ``sign`` and ``max`` make many objectives flat
or broken in their constants: each round draws a batch of proposals around the best point
so far (all constants moved together, one constant alone, or ``1 - b`` moved for an interp
weight ``b``) on a log scale, and the step grows after a round that improved and shrinks
after one that did not, down to float32 resolution. Where the objective is a sum of
squares with a Jacobian (``least_squares``), Levenberg-Marquardt steps then take a smooth
fit to the last digits, which random proposals approach only slowly.

``live_constants`` and ``with_constants`` read and write a program's constants in the
order ``machine.encode`` lays them out, so a fitted vector maps back to the program.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from discover.dsl import analysis
from discover.dsl.program import Const, Program, Statement

BATCH = 8  # proposals per round
ROUNDS = 12  # at most; a search ends sooner once its step is below float32 resolution
FIRST_STEP = 0.5  # log-scale step of the first round
MIN_STEP = 3e-8


def live_constants(program: Program) -> list[tuple[int, int]]:
  """(statement, argument) of each constant a live statement reads, in encode's order."""
  return [(i, k) for i in sorted(analysis.live_statements(program))
          for k, a in enumerate(program.statements[i].args) if isinstance(a, Const)]


def with_constants(program: Program, values) -> Program:
  """``program`` with its live constants (``live_constants``' order) set to ``values``."""
  statements = list(program.statements)
  for (i, k), value in zip(live_constants(program), values, strict=True):
    stmt = statements[i]
    args = stmt.args[:k] + (Const(float(np.float32(value))),) + stmt.args[k + 1:]
    statements[i] = Statement(stmt.target, stmt.op, args)
  return program.replace(statements=tuple(statements))


def local_search(start: np.ndarray, loss: Callable[[np.ndarray], np.ndarray],
                 rng: np.random.Generator, batch: int = BATCH, rounds: int = ROUNDS,
                 step: float = FIRST_STEP,
                 min_step: float = MIN_STEP) -> tuple[np.ndarray, float]:
  """The constants that minimise ``loss`` near ``start``, and their loss.

  Args:
    start: the starting constants, shape (n,).
    loss: (batch, n) float32 constants -> (batch,) losses (non-finite: worse than any).
    rng: draws the proposals.
    batch: proposals per round.
    rounds: rounds at most.
    step: the first round's log-scale step.
    min_step: the search ends once its step is below this.
  """
  best = np.asarray(start, np.float32)
  best_loss = _finite(loss(best[None]))[0]
  if best.size == 0:
    return best, best_loss
  for _ in range(rounds):
    proposals = _proposals(best, step, rng, batch)
    losses = _finite(loss(proposals))
    j = int(np.argmin(losses))
    if losses[j] < best_loss:
      best, best_loss, step = proposals[j], losses[j], min(step * 2.0, 2.0)
    else:
      step *= 0.5
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


def _proposals(best: np.ndarray, step: float, rng: np.random.Generator,
               batch: int) -> np.ndarray:
  """Proposals around ``best``: a third move every constant, a third one constant, a
  third ``1 - b`` of one constant (a weight near 1 needs its distance to 1 exact)."""
  n = best.size
  x = np.repeat(best[None].astype(np.float64), batch, axis=0)
  kind = np.arange(batch) % 3
  noise = rng.normal(size=(batch, n)) * step
  one = rng.integers(n, size=batch)
  mask = np.where(kind[:, None] == 0, 1.0, np.eye(n)[one])
  scale = np.where(np.abs(x) > 1e-6, x, 1e-3)  # a zero constant moves additively
  moved = x + scale * np.expm1(noise * mask)
  gap = 1.0 - x
  gap = np.where(np.abs(gap) > 1e-6, gap, 1e-3)
  complement = 1.0 - gap * np.exp(noise * mask)
  out = np.where((kind == 2)[:, None], complement, moved)
  return out.astype(np.float32)
