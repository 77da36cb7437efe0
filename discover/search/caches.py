"""Fitness caches: a child is trained only if nothing equivalent was scored before.

Two keys, cheapest first: the dataflow hash (``analysis.live_count_and_hash``: programs
equal up to dead code, renaming and argument order), then the behavioural fingerprint
(``discover.execute.behaviour``: programs that compute the same updates on fixed probe
gradient streams, like ``m / sqrt(m*m)`` and ``sign(m)``). A third map keeps each
program's held-out (meta-validation) fitness, so a best program validated once is not
validated again. The caches are plain dicts of floats, saved whole in a checkpoint.
"""

from __future__ import annotations

import dataclasses

from discover.dsl import analysis
from discover.dsl.program import Program


@dataclasses.dataclass
class Lookup:
  """What the caches say of one child: its keys and, on a hit, the fitness it copies."""

  key: str  # dataflow hash
  live: int  # live statements
  behaviour: str | None = None  # probe fingerprint (None: behaviour hashing is off)
  cached: str | None = None  # "dataflow" or "behaviour" on a hit, None: train it
  fitness: float | None = None


class FitnessCaches:
  """Proxy fitness by dataflow hash and by behaviour, and held-out fitness by hash."""

  def __init__(self, behaviour_hash: bool = True):
    self.behaviour_hash = behaviour_hash
    self.proxy: dict[str, float] = {}  # dataflow hash -> proxy fitness
    self.behaviour: dict[str, float] = {}  # probe fingerprint -> proxy fitness
    self.meta: dict[str, float] = {}  # dataflow hash -> held-out fitness
    self.fitted: set[str] = set()  # constant-free hashes of structures fitted once
    self._prober = None

  @property
  def prober(self):
    """The behaviour prober (built on first use: it compiles), None when hashing is off."""
    if self._prober is None and self.behaviour_hash:
      from discover.execute.behaviour import shared_prober
      self._prober = shared_prober()
    return self._prober

  @prober.setter
  def prober(self, prober) -> None:
    self._prober = prober

  def look_up(self, program: Program) -> Lookup:
    """The child's keys, and the cached fitness if an equivalent program was scored (a
    behaviour hit files the fitness under the child's hash too)."""
    live, key = analysis.live_count_and_hash(program)
    if key in self.proxy:
      return Lookup(key, live, cached="dataflow", fitness=self.proxy[key])
    behaviour = self.prober.fingerprint(program) if self.prober else None
    if behaviour is not None and behaviour in self.behaviour:
      self.proxy[key] = self.behaviour[behaviour]
      return Lookup(key, live, behaviour, "behaviour", self.proxy[key])
    return Lookup(key, live, behaviour)

  def store(self, key: str, behaviour: str | None, fitness: float) -> None:
    """A trained child's fitness, under its hash and its behaviour."""
    self.proxy[key] = fitness
    if behaviour is not None:
      self.behaviour[behaviour] = fitness
