"""Regularized evolution (Real et al. 2019), as the Lion search used it.

The core knows nothing of programs, ops or tasks: a genome is any value, children come
from a ``mutate(genome, rng)`` callable, and fitness (higher is better, ``-inf`` for a
failure) is told back. It is steady-state and asynchronous: ``ask`` may be called several
times before the matching ``tell``s (one child per busy worker), and a told child joins
the population as the youngest while the oldest member leaves.

Two pressures from symbolic regression, both optional and both blind to what a genome is:

* parsimony: tournaments rank members by ``fitness - parsimony * size(genome)``, so of two
  programs that score alike the shorter parents (the best so far is still the fittest,
  ties going to the smaller);
* uniqueness: a child whose ``key(genome)`` some member already has does not join, so one
  structure cannot crowd the population (the warm start's copies excepted).

A member's fitness may be revised after it joined (``revise``): the caller's second,
costlier opinion of it, such as its score on larger tasks.

State is plain data (lists, ints and a NumPy generator state), so a checkpoint of it
resumes the same search.
"""

from __future__ import annotations

import collections
import dataclasses
import math
from typing import Any, Generic, TypeVar
from collections.abc import Callable

import numpy as np

Genome = TypeVar("Genome")


@dataclasses.dataclass
class Member(Generic[Genome]):
  """A population member: an id (its birth order), the genome and its fitness."""

  id: int
  genome: Genome
  fitness: float
  score: float | None = None  # what tournaments rank: fitness less the parsimony penalty

  @property
  def rank(self) -> float:
    return _rank(self.fitness if self.score is None else self.score)


@dataclasses.dataclass(frozen=True)
class Child(Generic[Genome]):
  """A child handed out by ``ask``, to be told back with its fitness."""

  id: int
  parent: int
  genome: Genome
  mutation: Any


class RegularizedEvolution(Generic[Genome]):
  """Tournament selection of parents, aging out of the oldest.

  Args:
    population_size: members kept (the paper used 1000).
    tournament_size: members sampled per tournament; the fittest is the parent.
    mutate: ``(genome, rng) -> (child genome, mutation info)``.
    seed: seeds the generator all choices are drawn from.
    parsimony: penalty per unit of ``size`` in tournaments (0: fitness alone).
    size: a genome's size for parsimony (live statements, for programs).
    key: a genome's identity for uniqueness (None: duplicates join like any child).
  """

  def __init__(self, population_size: int, tournament_size: int,
               mutate: Callable[[Genome, np.random.Generator], tuple[Genome, Any]], seed: int,
               parsimony: float = 0.0, size: Callable[[Genome], float] | None = None,
               key: Callable[[Genome], Any] | None = None):
    if population_size < 1 or not 1 <= tournament_size <= population_size:
      raise ValueError("need population_size >= 1 and 1 <= tournament_size <= population_size")
    if parsimony and size is None:
      raise ValueError("parsimony needs a size function")
    self.population_size = population_size
    self.tournament_size = tournament_size
    self.mutate = mutate
    self.parsimony, self.size, self.key = parsimony, size, key
    self.rng = np.random.default_rng(seed)
    self.population: list[Member[Genome]] = []  # oldest first
    self._keys: collections.Counter = collections.Counter()  # key -> members that have it
    self.joined = True  # whether the last child told joined the population
    self.next_id = 0
    self.best: Member[Genome] | None = None

  def seed_population(self, genome: Genome, fitness: float) -> None:
    """Fills the population with copies of one evaluated genome (the paper's warm start)."""
    self.population = []
    self._keys.clear()
    for _ in range(self.population_size):
      self._add(genome, fitness)

  def ask(self) -> Child[Genome]:
    """Picks a parent by tournament and returns one mutated child."""
    if not self.population:
      raise RuntimeError("seed the population before asking for children")
    picks = self.rng.choice(len(self.population), self.tournament_size, replace=False)
    parent = max((self.population[i] for i in picks.tolist()), key=lambda m: m.rank)
    genome, mutation = self.mutate(parent.genome, self.rng)
    child = Child(self.next_id, parent.id, genome, mutation)
    self.next_id += 1
    return child

  def tell(self, child: Child[Genome], fitness: float) -> Member[Genome]:
    """Adds an evaluated child as the youngest member and the oldest leaves; with ``key``,
    a child whose key a member has is only weighed for the best (``joined`` is False)."""
    member = self._member(child.id, child.genome, fitness)
    self._track_best(member)
    self.joined = self.key is None or self._keys[self.key(child.genome)] == 0
    if self.joined:
      self._join(member)
      if len(self.population) > self.population_size:
        self._leave()
    return member

  def _join(self, member: Member[Genome]) -> None:
    self.population.append(member)
    if self.key is not None:
      self._keys[self.key(member.genome)] += 1

  def _leave(self) -> None:
    oldest = self.population.pop(0)
    if self.key is not None:
      self._keys[self.key(oldest.genome)] -= 1

  def _count_keys(self) -> None:
    self._keys = collections.Counter(
        self.key(m.genome) for m in self.population) if self.key else collections.Counter()

  def revise(self, member_id: int, fitness: float) -> bool:
    """Gives the member ``member_id`` a new fitness, if it is still in the population
    (multi-fidelity: a score from a larger task overrides the proxy's); whether it was.
    ``best`` keeps the fitness it was told."""
    for i, member in enumerate(self.population):
      if member.id == member_id:
        self.population[i] = self._member(member.id, member.genome, fitness)
        return True
    return False

  def restart(self, genome: Genome, fitness: float) -> None:
    """Reseeds the whole population from one genome (restarts on a plateau)."""
    self.seed_population(genome, fitness)

  def _member(self, id_: int, genome: Genome, fitness: float) -> Member[Genome]:
    score = None
    if self.parsimony and math.isfinite(fitness):
      score = fitness - self.parsimony * self.size(genome)
    return Member(id_, genome, fitness, score)

  def _add(self, genome: Genome, fitness: float) -> None:
    member = self._member(self.next_id, genome, fitness)
    self.next_id += 1
    self._join(member)
    self._track_best(member)

  def _track_best(self, member: Member[Genome]) -> None:
    # The fittest; of equally fit ones, the better ranked (the shorter, with parsimony).
    if self.best is None or (_rank(member.fitness), member.rank) > (
        _rank(self.best.fitness), self.best.rank):
      self.best = member

  def state(self) -> dict:
    """Everything needed to resume (genomes are stored as they are)."""
    def member(m):  # not dataclasses.asdict: it would take genomes apart too
      return {"id": m.id, "genome": m.genome, "fitness": m.fitness}  # score: recomputed

    return {"population": [member(m) for m in self.population],
            "next_id": self.next_id,
            "best": member(self.best) if self.best else None,
            "rng": self.rng.bit_generator.state}

  def load_state(self, state: dict) -> None:
    self.population = [self._member(m["id"], m["genome"], m["fitness"])
                       for m in state["population"]]
    self._count_keys()
    self.next_id = state["next_id"]
    best = state["best"]
    self.best = self._member(best["id"], best["genome"], best["fitness"]) if best else None
    self.rng.bit_generator.state = state["rng"]


def _rank(fitness: float) -> float:
  """NaN ranks as the worst fitness, like a failure."""
  return -math.inf if math.isnan(fitness) else fitness
