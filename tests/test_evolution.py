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


# -- parsimony and uniqueness ---------------------------------------------------------------


def test_parsimony_makes_the_shorter_of_two_equally_fit_genomes_the_parent():
  # Genomes are (fitness, size) pairs; every tournament sees the whole population.
  evolution = RegularizedEvolution(2, 2, lambda g, rng: (g, None), seed=0, parsimony=0.1,
                                   size=lambda g: g[1])
  evolution.seed_population((1.0, 9), 1.0)
  short = evolution.ask()
  evolution.tell(type(short)(short.id, short.parent, (1.0, 2), None), 1.0)
  assert evolution.ask().parent == short.id
  assert evolution.best.genome == (1.0, 2)  # ties in fitness go to the better ranked
  fitter = evolution.ask()
  evolution.tell(type(fitter)(fitter.id, fitter.parent, (1.5, 30), None), 1.5)
  assert evolution.best.genome == (1.5, 30)  # fitness first: parsimony never hides it


def test_without_parsimony_ranks_are_fitness():
  evolution = RegularizedEvolution(4, 2, _mutate, seed=0)
  evolution.seed_population(0, -3.0)
  assert all(m.score is None and m.rank == m.fitness for m in evolution.population)


def test_a_child_whose_key_a_member_has_does_not_join():
  evolution = RegularizedEvolution(5, 2, _mutate, seed=3, key=lambda g: g)
  evolution.seed_population(0, _fitness(0))
  seen = []
  for _ in range(200):
    child = evolution.ask()
    members = {m.genome for m in evolution.population}
    evolution.tell(child, _fitness(child.genome))
    assert evolution.joined == (child.genome not in members)
    seen.append(evolution.joined)
    young = [m.genome for m in evolution.population if m.id > 4]  # the copies aside
    assert len(young) == len(set(young))
  assert any(seen) and not all(seen)


def test_keys_and_scores_are_rebuilt_from_a_saved_state():
  make = lambda: RegularizedEvolution(6, 3, _mutate, seed=4, parsimony=0.5,
                                      size=abs, key=lambda g: g)
  a = make()
  a.seed_population(0, _fitness(0))
  _run(a, 30)
  b = make()
  b.load_state(a.state())
  assert [(m.id, m.score) for m in b.population] == [(m.id, m.score) for m in a.population]
  _run(a, 50)
  _run(b, 50)
  assert a.state() == b.state()


def test_parsimony_needs_a_size():
  with pytest.raises(ValueError, match="size"):
    RegularizedEvolution(4, 2, _mutate, seed=0, parsimony=0.1)


def test_a_revised_member_stops_winning_tournaments_and_best_keeps_its_told_fitness():
  # Every tournament sees the whole population; parsimony is recomputed on the new fitness.
  evolution = RegularizedEvolution(2, 2, lambda g, rng: (g, None), seed=0, parsimony=0.1,
                                   size=lambda g: g)
  evolution.seed_population(1, 0.0)
  star = evolution.ask()
  evolution.tell(star, 5.0)
  assert evolution.ask().parent == star.id
  assert evolution.revise(star.id, -1.0)
  revised = next(m for m in evolution.population if m.id == star.id)
  assert revised.fitness == -1.0 and revised.score == pytest.approx(-1.1)
  assert evolution.ask().parent != star.id
  assert evolution.best.id == star.id and evolution.best.fitness == 5.0
  assert not evolution.revise(10_000, 3.0)  # not in the population: nothing changes
  assert [m.fitness for m in evolution.population] == [0.0, -1.0]
