"""Mutations: always valid children, every kind reachable, constants edited as specified."""

import bisect
import collections

import numpy as np
import pytest

from discover.dsl import analysis
from discover import baseline_program
from discover.search import mutate as mutate_module
from discover.search.mutate import KINDS, MutationConfig, mutate
from discover.dsl.program import Const


@pytest.mark.parametrize("start", ["adamw_paper", "lion", "sgd", "adabelief"])
def test_children_are_valid_and_every_kind_happens(start):
  rng = np.random.default_rng(0)
  program, kinds = baseline_program(start), collections.Counter()
  for _ in range(300):
    child, mutation = mutate(program, rng)
    analysis.check(child)
    assert child != program
    kinds[mutation.kind] += 1
    program = child
  assert set(kinds) == set(KINDS)


def test_same_seed_same_children():
  a, b = (np.random.default_rng(7), np.random.default_rng(7))
  program = baseline_program("adamw_paper")
  for _ in range(50):
    ca, ma = mutate(program, a)
    cb, mb = mutate(program, b)
    assert ca == cb and ma == mb
    program = ca


@pytest.mark.parametrize("weights", [{"insert": 1.0, "delete": 1.0, "modify": 1.0},
                                     {"insert": 2.0, "delete": 0.0, "modify": 0.7},
                                     {"insert": 0.1, "delete": 3.0, "modify": 1.0}])
def test_the_kind_is_drawn_as_numpy_choice_draws_it(weights):
  # mutate inverts the cdf itself for speed; runs recorded before that must replay, so it
  # has to pick the same kind from the same stream as rng.choice(..., p=...) did.
  kinds, cdf = mutate_module._kind_cdf(tuple(weights.get(k, 0) for k in KINDS))
  p = np.array([weights[k] for k in kinds])
  ours, numpy = np.random.default_rng(3), np.random.default_rng(3)
  for _ in range(20000):
    assert (kinds[bisect.bisect_right(cdf, ours.random())]
            == kinds[numpy.choice(len(kinds), p=p / p.sum())])
  assert ours.random() == numpy.random()  # and consumed the same draws


def test_modify_only_edits_constants_by_resampling_or_rescaling():
  program = baseline_program("adamw_paper")
  config = MutationConfig(weights={"modify": 1.0})
  rng = np.random.default_rng(1)
  ratios = []
  for _ in range(200):
    child, _ = mutate(program, rng, config)
    changed = [(a, b) for s, t in zip(program.statements, child.statements)
               for a, b in zip(s.args, t.args) if a != b]
    assert len(changed) == 1 and len(child.statements) == len(program.statements)
    old, new = changed[0]
    if isinstance(old, Const) and isinstance(new, Const):
      ratios.append(new.value / old.value)
  # Rescaling by 2^N(0, 1) keeps the sign; resampling from N(0, 1) flips it about half
  # the time for a positive constant.
  assert any(r < 0 for r in ratios) and sum(r > 0 for r in ratios) > len(ratios) / 2


def test_only_enabled_ops_are_inserted():
  config = MutationConfig(ops=("sign", "tanh"), weights={"insert": 1.0})
  rng = np.random.default_rng(2)
  program = baseline_program("sgd")
  for _ in range(20):
    program, mutation = mutate(program, rng, config)
  assert {s.op for s in program.statements} <= {"sign", "tanh", "mul"}


def test_config_rejects_unknown_ops_and_weights():
  with pytest.raises(ValueError, match="unknown ops"):
    MutationConfig(ops=("nope",))
  with pytest.raises(ValueError, match="weights"):
    MutationConfig(weights={"swap": 1.0})


@pytest.mark.parametrize("start", ["adamw_paper", "lion"])
def test_a_mutation_is_redone_from_its_parent_and_detail(start):
  """The event log keeps a cached child as its parent and mutation detail: redoing the
  detail on the parent gives the child exactly, for every kind of mutation."""
  rng = np.random.default_rng(3)
  program, kinds = baseline_program(start), collections.Counter()
  for _ in range(300):
    child, mutation = mutate(program, rng)
    assert mutate_module.redo(program, mutation.detail) == child
    kinds[mutation.kind] += 1
    program = child
  assert set(kinds) == set(KINDS)


@pytest.mark.parametrize("detail", ["delete 0: m = g * 2.0", "modify 99: u = g * 2.0",
                                    "insert at 99: u = sign(g)", "swap 1: u = g", "delete x"])
def test_a_detail_that_does_not_fit_the_parent_is_an_error(detail):
  from discover.dsl.program import ProgramError

  with pytest.raises(ProgramError):
    mutate_module.redo(baseline_program("lion"), detail)
