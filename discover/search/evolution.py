"""Regularized evolution (Real et al. 2019), as the Lion search used it.

The core knows nothing of programs, ops or tasks: a genome is any value, children come
from a ``mutate(genome, rng)`` callable, and fitness (higher is better, ``-inf`` for a
failure) is told back. It is steady-state and asynchronous: ``ask`` may be called several
times before the matching ``tell``s (one child per busy worker), and a told child joins
the population as the youngest while the oldest member leaves.

State is plain data (lists, ints and a NumPy generator state), so a checkpoint of it
resumes the same search.
"""

from __future__ import annotations

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
  """

  def __init__(self, population_size: int, tournament_size: int,
               mutate: Callable[[Genome, np.random.Generator], tuple[Genome, Any]], seed: int):
    if population_size < 1 or not 1 <= tournament_size <= population_size:
      raise ValueError("need population_size >= 1 and 1 <= tournament_size <= population_size")
    self.population_size = population_size
    self.tournament_size = tournament_size
    self.mutate = mutate
    self.rng = np.random.default_rng(seed)
    self.population: list[Member[Genome]] = []  # oldest first
    self.next_id = 0
    self.best: Member[Genome] | None = None

  def seed_population(self, genome: Genome, fitness: float) -> None:
    """Fills the population with copies of one evaluated genome (the paper's warm start)."""
    self.population = []
    for _ in range(self.population_size):
      self._add(genome, fitness)

  def ask(self) -> Child[Genome]:
    """Picks a parent by tournament and returns one mutated child."""
    if not self.population:
      raise RuntimeError("seed the population before asking for children")
    picks = self.rng.choice(len(self.population), self.tournament_size, replace=False)
    parent = max((self.population[i] for i in picks.tolist()), key=lambda m: _rank(m.fitness))
    genome, mutation = self.mutate(parent.genome, self.rng)
    child = Child(self.next_id, parent.id, genome, mutation)
    self.next_id += 1
    return child

  def tell(self, child: Child[Genome], fitness: float) -> Member[Genome]:
    """Adds an evaluated child as the youngest member; the oldest leaves."""
    member = Member(child.id, child.genome, fitness)
    self.population.append(member)
    if len(self.population) > self.population_size:
      self.population.pop(0)
    self._track_best(member)
    return member

  def restart(self, genome: Genome, fitness: float) -> None:
    """Reseeds the whole population from one genome (restarts on a plateau)."""
    self.seed_population(genome, fitness)

  def _add(self, genome: Genome, fitness: float) -> None:
    member = Member(self.next_id, genome, fitness)
    self.next_id += 1
    self.population.append(member)
    self._track_best(member)

  def _track_best(self, member: Member[Genome]) -> None:
    if self.best is None or _rank(member.fitness) > _rank(self.best.fitness):
      self.best = member

  def state(self) -> dict:
    """Everything needed to resume (genomes are stored as they are)."""
    def member(m):  # not dataclasses.asdict: it would take genomes apart too
      return {"id": m.id, "genome": m.genome, "fitness": m.fitness}

    return {"population": [member(m) for m in self.population],
            "next_id": self.next_id,
            "best": member(self.best) if self.best else None,
            "rng": self.rng.bit_generator.state}

  def load_state(self, state: dict) -> None:
    self.population = [Member(**m) for m in state["population"]]
    self.next_id = state["next_id"]
    self.best = Member(**state["best"]) if state["best"] else None
    self.rng.bit_generator.state = state["rng"]


def _rank(fitness: float) -> float:
  """NaN ranks as the worst fitness, like a failure."""
  return -math.inf if math.isnan(fitness) else fitness
