"""The recovery benchmark's fitness: how closely a program's updates match a hidden target's.

A candidate and the target are run on the same fixed gradient streams (the probe regimes
of ``discover.execute.behaviour``: noisy, sparse, ill-conditioned with scales from 1e-3 to 1e3,
sign-flipping; parameters on a random walk, a decaying learning rate), two probe seeds
side by side, 64 steps, on the register machine: one compile per process, then one to two
milliseconds of CPU per program. The target's updates are observed with noise: each
element gets Gaussian noise of ``noise`` times the RMS of its own column (one parameter
over time), drawn from ``noise_seed``.

The error is scale-aware: each column's RMS error is divided by the RMS of the observed
column, and the error is the root mean square of those ratios over the columns, so a
parameter whose gradients are 1e-3 counts as much as one whose are 1e3. Fitness is
higher-is-better (the project's convention, ``discover.execute.evaluate``)::

    fitness = min(CAP, -log10(error))

so 0 is the zero update, 1 is a 10% error, and an exact match reaches the cap at float32
rounding; under noise the target itself scores about ``-log10(noise)``. A program with any
non-finite update, or too large for the machine, gets ``WORST_FITNESS`` with the reason.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import time
from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np

from discover.execute import machine
from discover.execute.behaviour import probe_streams
from discover.execute.evaluate import WORST_FITNESS, Evaluation
from discover.dsl.parse import parse
from discover.dsl.program import Program

SEARCH_SEEDS = (11, 12)  # the streams a search sees (the behaviour hash uses its own)
FRESH_SEEDS = (21, 22)  # streams only the numeric recovery check sees
STEPS = 64
FRESH_STEPS = STEPS  # the same shape: one compile serves both
LEAF = 16  # elements per regime per stream
CAP = 6.0  # fitness of an exact match: float32 rounding sits near 1e-7
NOISE_LEVELS = (0.0, 1e-3, 1e-2)
# Programs the search makes stay under mutation.max_statements (30); constants get room
# for three per statement in most of them.
CAPACITY = machine.Capacity(statements=32, registers=32, constants=64, slots=4)


class Streams:
  """Fixed gradient streams, several probe seeds side by side in one flat vector, and a
  runner for programs on them. Streams of the same shape share one compiled runner, so
  the search's streams and the fresh ones of the recovery check compile once.

  Args:
    seeds: probe seeds (``behaviour.probe_streams``), one block of four regimes each.
    steps: updates per stream.
    leaf: elements per regime.
  """

  def __init__(self, seeds: Sequence[int], steps: int, leaf: int = LEAF,
               capacity: machine.Capacity = CAPACITY):
    blocks = [probe_streams(steps, leaf, seed) for seed in seeds]
    self.params = jnp.asarray(np.concatenate([b[0] for b in blocks], axis=1))
    self.grads = jnp.asarray(np.concatenate([b[1] for b in blocks], axis=1))
    self.capacity = capacity
    self._run = _runner(steps, leaf, len(blocks), capacity)

  def outputs(self, program: Program) -> np.ndarray | None:
    """The program's updates, (steps, elements); None if it does not fit the machine."""
    try:
      encoded = machine.encode(program, self.capacity)
    except machine.TooLarge:
      return None
    return np.asarray(self._run(encoded, self.params, self.grads))


@functools.cache
def _runner(steps: int, leaf: int, blocks: int, capacity: machine.Capacity):
  """``run(encoded, params, grads) -> updates`` for streams of this shape (jitted)."""
  segments = np.concatenate([np.repeat(np.arange(4, dtype=np.int32), leaf) + 4 * i
                             for i in range(blocks)])
  schedule = lambda count: 0.5 + 0.5 * jnp.cos(jnp.pi * count / (2 * steps))

  @jax.jit
  def run(encoded, params, grads):
    init, update = machine.machine_transform(encoded, schedule, segments.size, segments,
                                             capacity)

    def step(state, inputs):
      w, g = inputs
      delta, state = update(g, state, w)
      return state, -delta  # the machine returns optax's negated update

    return jax.lax.scan(step, init(params[0]), (params, grads))[1]

  return run


@functools.cache
def shared_streams(seeds: tuple[int, ...], steps: int) -> Streams:
  """One compiled ``Streams`` per process and shape: every search of a benchmark (all
  targets, noise levels and seeds) shares it, so each process compiles it once."""
  return Streams(seeds, steps)


def column_rms(values: np.ndarray) -> np.ndarray:
  return np.sqrt(np.mean(np.square(values, dtype=np.float64), axis=0))


def normalised_error(outputs: np.ndarray, observed: np.ndarray) -> float:
  """Root mean square over columns of (column RMS error / observed column RMS); a column
  the target leaves at zero is measured against a floor far below every other column."""
  scale = column_rms(observed)
  floor = 1e-8 * float(np.sqrt(np.mean(np.square(scale)))) + 1e-30
  with np.errstate(over="ignore", invalid="ignore"):
    ratios = column_rms(outputs.astype(np.float64) - observed) / np.maximum(scale, floor)
    return float(np.sqrt(np.mean(np.square(ratios))))


def fitness_of(error: float) -> float:
  """``min(CAP, -log10(error))``; a non-finite error is the worst fitness."""
  if not math.isfinite(error):
    return WORST_FITNESS
  return CAP if error <= 10.0**-CAP else min(CAP, -math.log10(error))


def with_noise(clean: np.ndarray, noise: float, seed: int) -> np.ndarray:
  """``clean`` plus Gaussian noise of ``noise`` times each column's RMS."""
  if noise == 0:
    return clean.astype(np.float64)
  rng = np.random.default_rng([seed, 1])
  return clean + noise * column_rms(clean) * rng.normal(size=clean.shape)


@dataclasses.dataclass(frozen=True)
class Match:
  """A candidate's normalised error against the observed target, or why it failed."""

  error: float
  failure: str | None

  @property
  def fitness(self) -> float:
    return WORST_FITNESS if self.failure else fitness_of(self.error)


class MatchEvaluator:
  """Scores programs by how closely their updates match a hidden target's (an evaluator
  for ``discover.search.executors``: built from a stage dict, so every argument is plain data).

  Args:
    target: the target's program text.
    noise: relative noise on the target's observed updates (see the module docstring).
    noise_seed: seeds the noise.
    seeds: probe seeds of the streams.
    steps: updates per stream.
  """

  def __init__(self, target: str, noise: float = 0.0, noise_seed: int = 0,
               seeds: Sequence[int] = SEARCH_SEEDS, steps: int = STEPS):
    if not (math.isfinite(noise) and noise >= 0):
      raise ValueError(f"noise must be a finite number >= 0, not {noise!r}")
    self.target = parse(target)
    self.streams = shared_streams(tuple(seeds), steps)
    clean = self.streams.outputs(self.target)
    if clean is None or not np.all(np.isfinite(clean)):
      raise ValueError("the target does not run to finite updates on the streams")
    self.observed = with_noise(clean, noise, noise_seed)

  def warm_up(self) -> None:
    """Nothing left to compile: the target already ran."""

  def match(self, program: Program) -> Match:
    outputs = self.streams.outputs(program)
    if outputs is None:
      return Match(math.inf, "too large for the matcher's machine")
    if not np.all(np.isfinite(outputs)):
      return Match(math.inf, "non-finite update on the streams")
    error = normalised_error(outputs, self.observed)
    if not math.isfinite(error):
      return Match(error, "update too large to measure")
    return Match(error, None)

  def evaluate(self, program: Program) -> Evaluation:
    """The match as an ``Evaluation`` (metrics: ``{"match": (error,)}``); never raises
    for a bad program."""
    start = time.perf_counter()
    match = self.match(program)
    return Evaluation(match.fitness, {"match": (match.error,)}, match.failure,
                      time.perf_counter() - start)
