"""Constant fitting for the match objective: a batch of constant settings in one call.

``MatchEvaluator.fit`` hands a program here: its live constants are searched by
``discover.execute.fit.local_search`` against the match's normalised error, each round's
proposals run together (the register machine's constants are data, so the batch is a
``vmap`` of the streams' runner, compiled once per process and batch size).
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from discover.dsl.program import Program
from discover.execute import fit, machine

WIDTH = 8  # constants differentiated per call
PURSUE_ROUNDS = 96  # rounds of a longer random search after the least squares: a
PURSUE_STEP = 0.3  # constant inside a sign() has no gradient, and needs them to come close
LEAST_SQUARES_BELOW = 0.5  # normalised error (fitness 0.3) under which the least squares
                           # run: most structures end above it, and it halves their cost
SMOOTH = 0.1  # least squares that cut the error tenfold found a smooth basin: no pursuit
PURSUE_BELOW = 0.3  # normalised error (fitness 0.5) under which pursuit is worth its time
COARSE = 1e-2  # the first random search stops at this step: least squares and the pursuit
               # take it on from there


def fitted(program: Program, streams, observed: np.ndarray, seed: int = 0) -> Program:
  """``program`` with its live constants fitted to match ``observed`` on ``streams``; the
  program itself where it has none or does not fit the machine."""
  positions = fit.live_constants(program)
  if not positions:
    return program
  try:
    encoded = machine.encode(program, streams.capacity)
  except machine.TooLarge:
    return program
  count = len(positions)
  errors = _batched_errors(streams.runner)
  target = jnp.asarray(observed, jnp.float32)

  def loss(values: np.ndarray) -> np.ndarray:
    constants = np.repeat(encoded.constants[None], len(values), axis=0)
    constants[:, :count] = values
    return np.asarray(errors(encoded, constants, streams.params, streams.grads, target))

  jacobian = _residuals(streams.runner)

  def residuals(values: np.ndarray):
    constants = np.array(encoded.constants)
    constants[:count] = values
    columns = []
    for first in range(0, count, WIDTH):  # WIDTH directions a call: one compile serves all
      basis = np.zeros((WIDTH, constants.size), np.float32)
      ours = np.arange(first, min(first + WIDTH, count))
      basis[ours - first, ours] = 1.0
      r, jac = jacobian(encoded, constants, basis, streams.params, streams.grads, target)
      columns.append(np.asarray(jac)[:, :len(ours)])
    return np.asarray(r), np.concatenate(columns, axis=1)

  rng = np.random.default_rng(seed)
  start = np.asarray(encoded.constants[:count], np.float32)
  weights = fit.interp_weights(program)
  best, error = fit.local_search(start, loss, rng, weights, min_step=COARSE)  # the right basin
  if error > LEAST_SQUARES_BELOW:  # far off: no structure worth the last digits
    return fit.with_constants(program, best)
  polished, polished_error = fit.least_squares(best, residuals)  # smooth: to the last digits
  if polished_error < SMOOTH * error:
    return fit.with_constants(program, polished)
  if polished_error < error:
    best, error = polished, polished_error
  if error > PURSUE_BELOW:  # a structure this far off gains nothing from a longer search
    return fit.with_constants(program, best)
  # Little gradient to follow (a constant inside sign()): a longer random search instead.
  best, _ = fit.local_search(best, loss, rng, weights, rounds=PURSUE_ROUNDS, step=PURSUE_STEP)
  return fit.with_constants(program, best)


def _normalised_residuals(run, encoded, constants, params, grads, observed):
  """The residuals whose norm is the match's normalised error: each element's error over
  its column's RMS, scaled so that the sum of squares is the mean over columns."""
  outputs = run(encoded._replace(constants=constants), params, grads)
  scale = jnp.sqrt(jnp.mean(jnp.square(observed), axis=0))
  floor = 1e-8 * jnp.sqrt(jnp.mean(jnp.square(scale))) + 1e-30
  ratios = (outputs - observed) / jnp.maximum(scale, floor)
  return ratios.ravel() / np.sqrt(ratios.size)


@functools.cache
def _residuals(run):
  """``(r, J)``: the normalised residuals and their derivatives along each row of
  ``basis`` (forward mode: a program has a few constants and thousands of residuals)."""
  def both(encoded, constants, basis, params, grads, observed):
    f = lambda c: _normalised_residuals(run, encoded, c, params, grads, observed)
    r, tangents = jax.vmap(lambda d: jax.jvp(f, (constants,), (d,)), out_axes=(None, 1))(basis)
    return r, tangents

  return jax.jit(both)


@functools.cache
def _batched_errors(run):
  """``errors(encoded, constants (K, C), params, grads, observed) -> (K,)``: the match's
  normalised error (``match.normalised_error``) of each constant setting."""
  def error(encoded, constants, params, grads, observed):
    r = _normalised_residuals(run, encoded, constants, params, grads, observed)
    return jnp.where(jnp.all(jnp.isfinite(r)), jnp.sqrt(jnp.sum(jnp.square(r))), jnp.inf)

  return jax.jit(jax.vmap(error, in_axes=(None, 0, None, None, None)))
