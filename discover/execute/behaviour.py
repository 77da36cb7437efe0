"""Behavioural fingerprints: what a program does on fixed probe gradient streams.

The dataflow hash (``analysis.dataflow_hash``) sees structure: ``m / sqrt(m*m)`` and
``sign(m)`` are different programs to it, as are ``interp(g, m, 0.9)`` and
``g*0.1 + m*0.9``. Following AutoML-Zero's functional-equivalence check, a program is also
run on fixed probe streams and its updates, rounded, are hashed: programs that agree there
share one fitness-cache entry, so only one of them is trained.

The probe is one flat vector in four leaves, each a gradient regime: noisy (a small mean
under unit noise), sparse (mostly zeros, rare large spikes), ill-conditioned (scales from
1e-3 to 1e3) and sign-flipping (alternating sign every step). Parameters follow a fixed
random walk, the learning rate a decaying schedule, and the step counter runs from 1, so
weight decay, schedules and bias corrections all show. It runs on the register machine
(``discover.execute.machine``): one compile, then a fraction of a millisecond per program.

Outputs are rounded to ``MANTISSA_BITS`` bits of mantissa (about 3.6 significant digits),
so rearranged arithmetic lands on the same key while different constants (0.9 vs 0.91)
do not. A program whose probe outputs are not all finite, or that does not fit the
machine, has no fingerprint (``None``): it is never merged with another.
"""

from __future__ import annotations

import functools
import hashlib

import jax
import jax.numpy as jnp
import numpy as np

from discover.execute import machine
from discover.dsl.program import Program

STEPS = 40
LEAF = 16  # elements per regime
MANTISSA_BITS = 12
SEED = 20230213  # the probe never changes with the search's seed


def probe_streams(steps: int = STEPS, leaf: int = LEAF, seed: int = SEED):
  """(params, grads) of shape (steps, 4 * leaf), and each element's leaf."""
  rng = np.random.default_rng(seed)
  shape = (steps, leaf)
  noisy = 0.1 + rng.normal(size=shape)
  sparse = np.where(rng.random(shape) < 0.1, 10.0 * rng.normal(size=shape), 0.0)
  scales = np.logspace(-3, 3, leaf)
  ill = scales * (1.0 + 0.1 * rng.normal(size=shape))
  flips = np.where(np.arange(steps)[:, None] % 2 == 0, 1.0, -1.0) * (
      0.5 + rng.random(shape))
  grads = np.concatenate([noisy, sparse, ill, flips], axis=1).astype(np.float32)
  params = np.cumsum(0.05 * rng.normal(size=grads.shape), axis=0) + rng.normal(
      size=grads.shape[1])
  segments = np.repeat(np.arange(4, dtype=np.int32), leaf)
  return params.astype(np.float32), grads, segments


class Prober:
  """Fingerprints programs on the probe; build once, call ``fingerprint`` per program."""

  def __init__(self, capacity: machine.Capacity = machine.Capacity(), seed: int = SEED):
    self.capacity = capacity
    params, grads, segments = probe_streams(seed=seed)
    schedule = lambda count: 0.5 + 0.5 * jnp.cos(jnp.pi * count / (2 * STEPS))
    size = params.shape[1]

    @jax.jit
    def run(encoded):
      init, update = machine.machine_transform(encoded, schedule, size, segments, capacity)

      def step(state, inputs):
        w, g = inputs
        delta, state = update(g, state, w)
        return state, delta

      _, deltas = jax.lax.scan(step, init(params[0]), (jnp.asarray(params), jnp.asarray(grads)))
      return deltas

    self._run = run

  def outputs(self, program: Program) -> np.ndarray | None:
    """The program's updates on the probe, (steps, size); None if it does not fit."""
    try:
      encoded = machine.encode(program, self.capacity)
    except machine.TooLarge:
      return None
    return np.asarray(self._run(encoded))

  def fingerprint(self, program: Program) -> str | None:
    """A hash of the rounded probe outputs, or None (see the module docstring)."""
    out = self.outputs(program)
    if out is None or not np.all(np.isfinite(out)):
      return None
    return hashlib.sha256(rounded(out).tobytes()).hexdigest()[:32]


@functools.cache
def shared_prober(capacity: machine.Capacity = machine.Capacity(), seed: int = SEED) -> Prober:
  """One prober per process for each capacity and probe (building one compiles the probe)."""
  return Prober(capacity, seed)


def rounded(values: np.ndarray, bits: int = MANTISSA_BITS) -> np.ndarray:
  """Values as (mantissa rounded to ``bits`` bits, exponent) integer pairs."""
  mantissa, exponent = np.frexp(values.astype(np.float64))
  scaled = np.round(mantissa * 2.0**bits).astype(np.int64)
  # Rounding can carry the mantissa to 1.0: renormalise so equal values get equal pairs.
  carry = np.abs(scaled) == 2**bits
  scaled = np.where(carry, scaled // 2, scaled)
  exponent = np.where(carry, exponent + 1, exponent)
  exponent = np.where(scaled == 0, 0, exponent)
  return np.stack([scaled, exponent.astype(np.int64)])


LR_PROBE_STEPS = 8  # enough for lr to pass through state slots into later updates


def lr_proportional(program: Program, rtol: float = 1e-3) -> bool | None:
  """Whether doubling ``lr`` doubles every update on the probe (to ``rtol``), i.e. whether
  a learning rate scales this rule's step the way it scales SGD's.

  A rule that reads ``lr`` only in part (weight decay ``w * lr`` next to a constant step),
  or through ``sign``, ``interp``, a sum with a constant, ... is not proportional: a
  learning rate passed to it does something else. Doubling is exact in floating point, so
  a proportional rule usually doubles bit for bit. It runs the reference interpreter
  eagerly for ``LR_PROBE_STEPS`` steps (a command-line call's worth of time, not a
  search's). None where the updates are not all finite (nothing to compare).
  """
  from discover.execute.interpreter import step_function  # the interpreter is not a search's need

  params, grads, _ = probe_streams()
  run = step_function(program)
  updates = []
  for factor in (1.0, 2.0):
    slots = tuple(jnp.zeros(params.shape[1], jnp.float32) for _ in program.slots)
    out = []
    for t in range(LR_PROBE_STEPS):
      lr = jnp.float32(factor * (0.5 + 0.5 * np.cos(np.pi * t / (2 * STEPS))))
      update, slots = run(params[t], grads[t], slots, lr, jnp.float32(t + 1))
      out.append(np.asarray(update, np.float64))
    updates.append(np.stack(out))
  plain, doubled = updates
  if not (np.all(np.isfinite(plain)) and np.all(np.isfinite(doubled))):
    return None
  floor = 1e-6 * float(np.max(np.abs(2.0 * plain), initial=0.0))
  return bool(np.allclose(doubled, 2.0 * plain, rtol=rtol, atol=floor))
