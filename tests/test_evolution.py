"""Regularized evolution on a toy problem: invariants, determinism, resumption."""

import math

import pytest

from discover.search.evolution import RegularizedEvolution


def _mutate(genome, rng):
  step = int(rng.choice([-1, 1]))
  return genome + step, step


def _fitness(genome):
  return -abs(genome - 40)


def _run(evolution, n):
  for _ in range(n):
    child = evolution.ask()
    evolution.tell(child, _fitness(child.genome))


def test_finds_the_optimum_of_a_toy_problem():
  evolution = RegularizedEvolution(20, 5, _mutate, seed=0)
  evolution.seed_population(0, _fitness(0))
  _run(evolution, 1000)
  assert evolution.best.genome == 40 and evolution.best.fitness == 0


def test_population_size_is_kept_and_the_oldest_leaves():
  evolution = RegularizedEvolution(10, 3, _mutate, seed=1)
  evolution.seed_population(0, _fitness(0))
  first_ids = [m.id for m in evolution.population]
  _run(evolution, 4)
  ids = [m.id for m in evolution.population]
  assert len(ids) == 10 and ids[:6] == first_ids[4:] and ids == sorted(ids)


def test_run_n_adds_exactly_n_children_with_increasing_ids():
  evolution = RegularizedEvolution(5, 2, _mutate, seed=2)
  evolution.seed_population(0, 0.0)
  start = evolution.next_id
  _run(evolution, 7)
  assert evolution.next_id == start + 7


def test_failures_and_nan_never_win_a_tournament():
  evolution = RegularizedEvolution(2, 2, _mutate, seed=3)
  evolution.seed_population(0, -math.inf)
  evolution.tell(evolution.ask(), float("nan"))
  evolution.tell(evolution.ask(), -5.0)
  assert evolution.ask().parent == evolution.population[-1].id


def test_same_seed_same_search_and_state_round_trips():
  a, b = (RegularizedEvolution(8, 3, _mutate, seed=4) for _ in range(2))
  for e in (a, b):
    e.seed_population(0, _fitness(0))
  _run(a, 50)
  _run(b, 20)
  resumed = RegularizedEvolution(8, 3, _mutate, seed=999)
  resumed.load_state(b.state())
  _run(resumed, 30)
  assert [m.genome for m in resumed.population] == [m.genome for m in a.population]
  assert resumed.next_id == a.next_id and resumed.best.genome == a.best.genome


def test_bad_sizes_are_rejected():
  with pytest.raises(ValueError):
    RegularizedEvolution(3, 4, _mutate, seed=0)
  with pytest.raises(RuntimeError, match="seed the population"):
    RegularizedEvolution(3, 2, _mutate, seed=0).ask()
