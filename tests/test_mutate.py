"""Mutations: always valid children, every kind reachable, constants edited as specified."""

import bisect
import collections

import numpy as np
import pytest

from discover.dsl import analysis
from discover import baseline_program
from discover.search import mutate as mutate_module
from discover.search.mutate import KINDS, MutationConfig, mutate
from discover.bench.recovery.targets import start_program
from discover.dsl.program import Const, Var


EVERY_KIND = MutationConfig(weights=dict.fromkeys(KINDS, 1.0))


@pytest.mark.parametrize("start", ["adamw_paper", "lion", "sgd", "adabelief"])
def test_children_are_valid_and_every_kind_happens(start):
  rng = np.random.default_rng(0)
  program, kinds = baseline_program(start), collections.Counter()
  possible = set(KINDS) - (set() if program.slots else {"slot"})  # slots are never added
  for _ in range(300):
    child, mutation = mutate(program, rng, EVERY_KIND)
    analysis.check(child)
    assert child != program
    kinds[mutation.kind] += 1
    program = child
  assert set(kinds) == possible


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
    child, mutation = mutate(program, rng, EVERY_KIND)
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


# -- the dataflow mutations -----------------------------------------------------------------


def _only(kind, **kwargs):
  return MutationConfig(weights={kind: 1.0}, **kwargs)


@pytest.mark.parametrize("start", ["sgd", "adamw_paper", "lion"])
def test_a_wrap_puts_a_live_statement_in_front_of_a_live_use(start):
  program, rng = baseline_program(start), np.random.default_rng(5)
  for _ in range(100):
    child, mutation = mutate(program, rng, _only("wrap"))
    assert len(child.statements) == len(program.statements) + 1
    head = mutation.detail.split("; ")[0]
    position = int(head.split(": ")[0].split()[-1])
    new = child.statements[position]
    assert position in analysis.live_statements(child), mutation.detail
    assert any(a.name == new.target for s in child.statements[position + 1:]
               for a in s.args if hasattr(a, "name")) or new.target == child.update


def test_a_slot_move_makes_a_moving_average_the_program_reads():
  program, rng = baseline_program("sgd").replace(slots=("m",)), np.random.default_rng(6)
  forms = collections.Counter()
  for _ in range(100):
    child, mutation = mutate(program, rng, _only("slot"))
    inserted = [s for s in child.statements if s.target == "m"]
    assert len(inserted) == 1 and inserted[0].op == "interp"
    x, slot, weight = inserted[0].args
    assert slot.name == "m" and 0.7 <= weight.value <= 0.999
    assert analysis.useful_slots(child) == ("m",), mutation.detail
    assert mutate_module.redo(program, mutation.detail) == child
    ops = tuple(s.op for s in child.statements)
    forms["rms" if "sqrt" in ops else "mean_abs" if "abs" in ops else "ema"] += 1
    forms["normalised"] += "div" in ops
  assert set(forms) == {"ema", "rms", "mean_abs", "normalised"}


def test_an_op_swap_keeps_the_arguments_and_the_arity():
  program, rng = baseline_program("adamw_paper"), np.random.default_rng(7)
  from primitives import REGISTRY
  for _ in range(100):
    child, mutation = mutate(program, rng, _only("swap_op"))
    changed = [(a, b) for a, b in zip(program.statements, child.statements) if a != b]
    assert len(changed) == 1
    old, new = changed[0]
    assert old.args == new.args and old.op != new.op
    assert REGISTRY[old.op].arity == REGISTRY[new.op].arity


def test_a_term_adds_a_scaled_value_in_scope_to_one_live_use():
  program, rng = start_program("sgd"), np.random.default_rng(9)
  added = set()
  for _ in range(100):
    child, mutation = mutate(program, rng, _only("term"))
    scaled, total, update = child.statements
    assert scaled.op == "mul" and isinstance(scaled.args[1], Const)
    assert 0.01 <= abs(scaled.args[1].value) <= 1.0
    x = total.args[0].name
    assert total.op == "add" and total.args == (Var(x), Var(scaled.target))
    assert x in ("g", "lr") and scaled.args[0].name not in (x, scaled.target)
    assert total.target in [a.name for a in update.args if isinstance(a, Var)]
    assert mutate_module.redo(program, mutation.detail) == child
    added.add((total.args[0].name, scaled.args[0].name, scaled.args[1].value > 0))
  assert ("g", "w", True) in added and ("g", "m", False) in added  # decay; g - m


def test_with_lr_protected_every_child_scales_with_lr():
  program, rng = baseline_program("adamw_paper"), np.random.default_rng(8)
  config = MutationConfig(weights=dict.fromkeys(KINDS, 1.0), protect_lr=True)
  unprotected = 0
  for _ in range(300):
    child, _ = mutate(program, rng, config)
    assert analysis.lr_linear(child)
    program = child
  for _ in range(300):
    child, _ = mutate(program, rng, EVERY_KIND)
    unprotected += not analysis.lr_linear(child)
  assert unprotected  # without the protection some children break it


def test_the_op_prior_draws_its_ops_as_often_as_weighted():
  prior = {"sign": 9.0}
  config = MutationConfig(ops=("sign", "tanh", "exp", "abs"), weights={"insert": 1.0},
                          op_weights=prior)
  rng, program = np.random.default_rng(9), baseline_program("sgd")
  ops = collections.Counter()
  for _ in range(2000):
    child, _ = mutate(program, rng, config)
    ops.update(s.op for s in child.statements if s not in program.statements)
  share = ops["sign"] / sum(ops.values())
  assert abs(share - 9 / 12) < 0.04, ops


def test_without_a_prior_the_op_draw_is_the_papers():
  # Runs recorded before the prior must replay: the same op from the same stream.
  from primitives import REGISTRY
  config = MutationConfig()
  a, b = np.random.default_rng(10), np.random.default_rng(10)
  for _ in range(200):
    assert mutate_module._draw_op(a, config) is REGISTRY[config.ops[b.integers(len(config.ops))]]


def test_a_prior_naming_an_unknown_op_is_refused():
  with pytest.raises(ValueError, match="unknown ops"):
    MutationConfig(op_weights={"nope": 2.0})


def test_a_second_edit_is_two_edits_redone_from_the_parent():
  config = MutationConfig(weights=dict.fromkeys(KINDS, 1.0), second_edit=1.0, protect_lr=True)
  rng, program = np.random.default_rng(11), baseline_program("adamw_paper")
  for _ in range(100):
    child, mutation = mutate(program, rng, config)
    assert "+" in mutation.kind and len(mutation.detail.split("; ")) >= 2
    assert mutate_module.redo(program, mutation.detail) == child
    assert analysis.lr_linear(child)
    program = child
