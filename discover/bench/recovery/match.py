"""The recovery benchmark's fitness: how closely a program's updates match a hidden target's.

A candidate and the target are run on the same fixed gradient streams, two stream seeds
side by side, 64 steps, on the register machine: one compile per process, then about a
millisecond of CPU per program. Each seed's block (``stream_block``) holds the four probe
regimes of ``discover.execute.behaviour`` (noisy, sparse, ill-conditioned with scales from
1e-3 to 1e3, sign-flipping; 16 elements each) and a drifting regime of ``DRIFT``
elements: a persistent gradient that wanders (a sinusoid) under unit noise of about its
size, so the gradient and its moving averages often disagree in sign. Parameters follow a
random walk and the learning rate a decaying schedule.

The drifting regime is what makes a sign rule's constants identifiable: ``sign(m)`` or
``sign(interp(g, m, b1))`` changes only where its argument crosses zero, and moving an
interp weight by 0.1% of ``1 - b`` flips about one element-step in 6,000. With ``DRIFT``
elements a few such flips are certain, and one alone pulls a sign rule's fitness down to
about 2. Every target scores well below the cap (at most 4) with any one constant 1% off,
or an interp weight's ``1 - b`` 0.1% off (``tests/test_recovery_trust.py``). The regime
holds most of the columns, so it weighs most in the error. The target's updates are
observed with noise: each element gets Gaussian noise of ``noise`` times the RMS of its
own column (one parameter over time), drawn from ``noise_seed``.

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
import hashlib
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
LEAF = 16  # elements per probe regime per stream
DRIFT = 384  # elements of the drifting regime per stream (see the module docstring)
DRIFT_PERIOD = (0.5, 2.0)  # its persistent part's period, in streams
DRIFT_LEVEL = (0.3, 1.5)  # its persistent part's amplitude, against unit noise
CAP = 6.0  # fitness of an exact match: float32 rounding sits near 1e-7
NOISE_LEVELS = (0.0, 1e-3, 1e-2)
# Programs the search makes stay under mutation.max_statements (30); constants get room
# for three per statement in most of them.
CAPACITY = machine.Capacity(statements=32, registers=32, constants=64, slots=4)


class Streams:
  """Fixed gradient streams, several seeds side by side in one flat vector (``stream_block``
  each), and a runner for programs on them. Streams of the same shape share one compiled
  runner, so the search's streams and the fresh ones of the recovery check compile once.

  Args:
    seeds: stream seeds, one block (``stream_block``) each.
    steps: updates per stream.
    leaf: elements per probe regime.
    drift: elements of the drifting regime.
  """

  def __init__(self, seeds: Sequence[int], steps: int, leaf: int = LEAF, drift: int = DRIFT,
               capacity: machine.Capacity = CAPACITY):
    blocks = [stream_block(steps, leaf, drift, seed) for seed in seeds]
    self.params = jnp.asarray(np.concatenate([b[0] for b in blocks], axis=1))
    self.grads = jnp.asarray(np.concatenate([b[1] for b in blocks], axis=1))
    self.capacity = capacity
    self._run = _runner(steps, leaf, drift, len(blocks), capacity)

  @property
  def runner(self):
    """``run(encoded, params, grads) -> updates``, jitted: constant fitting batches it."""
    return self._run

  def outputs(self, program: Program) -> np.ndarray | None:
    """The program's updates, (steps, elements); None if it does not fit the machine."""
    try:
      encoded = machine.encode(program, self.capacity)
    except machine.TooLarge:
      return None
    return np.asarray(self._run(encoded, self.params, self.grads))


def stream_block(steps: int, leaf: int, drift: int, seed: int):
  """One seed's (params, grads), (steps, 4 * leaf + drift): the four probe regimes, then
  the drifting one (``drifting``)."""
  params, grads, _ = probe_streams(steps, leaf, seed)
  rng = np.random.default_rng([seed, 2])  # apart from the probe's own draws
  drift_grads = drifting(steps, drift, rng)
  drift_params = np.cumsum(0.05 * rng.normal(size=drift_grads.shape), axis=0) + rng.normal(
      size=drift)
  return (np.concatenate([params, drift_params.astype(np.float32)], axis=1),
          np.concatenate([grads, drift_grads], axis=1))


def drifting(steps: int, size: int, rng: np.random.Generator) -> np.ndarray:
  """A persistent gradient that drifts (a sinusoid of period 0.5-2 streams, random phase)
  under noise of about its size, so the gradient and its moving averages often disagree
  in sign and a sign rule's output turns on its interp weights."""
  t = np.arange(steps)[:, None]
  period = steps * rng.uniform(DRIFT_PERIOD[0], DRIFT_PERIOD[1], size=size)
  level = rng.uniform(DRIFT_LEVEL[0], DRIFT_LEVEL[1], size=size)
  persistent = level * np.sin(2 * np.pi * t / period + rng.uniform(0, 2 * np.pi, size=size))
  return (persistent + rng.normal(size=(steps, size))).astype(np.float32)


@functools.cache
def _runner(steps: int, leaf: int, drift: int, blocks: int, capacity: machine.Capacity):
  """``run(encoded, params, grads) -> updates`` for streams of this shape (jitted)."""
  block = np.concatenate([np.repeat(np.arange(4, dtype=np.int32), leaf),
                          np.full(drift, 4, np.int32)])
  segments = np.concatenate([block + 5 * i for i in range(blocks)])
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
def streams_fingerprint() -> str:
  """A short hash of the search's and the check's streams: a benchmark records it, so it
  is never resumed on other streams (its fitness values would not compare)."""
  digest = hashlib.sha256()
  for seeds, steps in ((SEARCH_SEEDS, STEPS), (FRESH_SEEDS, FRESH_STEPS)):
    for seed in seeds:
      for values in stream_block(steps, LEAF, DRIFT, seed):
        digest.update(np.ascontiguousarray(values, np.float32).tobytes())
  return digest.hexdigest()[:16]


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
    self.noise_seed = noise_seed

  def warm_up(self) -> None:
    """Compiles the constant fitting's batched runs (once per process): the target's own
    run compiled the plain match already."""
    self.fit(self.target)

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

  def fit(self, program: Program) -> Evaluation:
    """``evaluate`` of ``program`` with its constants fitted to the observed updates
    (``fitting.fitted``, seeded by the noise seed so a search stays deterministic); the
    fitted program is the evaluation's ``program``. A program that fails keeps its own
    constants."""
    from discover.bench.recovery import fitting

    start = time.perf_counter()
    fitted = fitting.fitted(program, self.streams, self.observed, seed=self.noise_seed)
    match = self.match(fitted)
    if match.failure:
      fitted, match = program, self.match(program)
    return Evaluation(match.fitness, {"match": (match.error,)}, match.failure,
                      time.perf_counter() - start, program=fitted)
