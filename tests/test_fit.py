"""Constant fitting: the local searches, the match's fit, and a search that fits (its log
replays and resumes into the same state)."""

import json
import math

import numpy as np
import pytest

from discover.bench.recovery.match import MatchEvaluator
from discover.bench.recovery.targets import TARGETS, start_program
from discover.dsl.parse import parse
from discover.dsl.program import Const
from discover.execute import fit, machine

MOMENTUM_WRONG = """\
def train(w, g, m, v, lr):
  m = interp(g, m, 0.5)
  update = m * lr
  update = update * 3.0
  return update, m, v
"""


def test_local_search_finds_the_minimum_of_a_bowl():
  target = np.array([0.9, -2.0, 30.0])

  def loss(batch):
    return np.sum(np.square(np.log(np.abs(batch / target))) + (batch * target < 0), axis=1)

  best, value = fit.local_search(np.array([0.5, -1.0, 10.0]), loss, np.random.default_rng(0),
                                 rounds=200)
  np.testing.assert_allclose(best, target, rtol=1e-4)
  assert value < 1e-7


def test_local_search_never_returns_worse_than_its_start():
  start = np.array([1.0, 2.0], np.float32)
  loss = lambda batch: np.where(np.all(batch == start, axis=1), 0.0, np.nan)  # nan: failed
  best, value = fit.local_search(start, loss, np.random.default_rng(1))
  assert np.array_equal(best, start) and value == 0.0


def test_constants_written_past_the_dsl_range_are_held_inside_it():
  from discover.dsl import analysis

  program = fit.with_constants(parse(TARGETS["lion"].text), [0.9, 0.99, 1.6e38])
  assert 0.99e30 < program.statements[3].args[1].value <= analysis.MAX_ABS_CONSTANT
  analysis.check(program)


def test_interp_weights_are_the_live_interp_weights_inside_zero_and_one():
  program = parse(TARGETS["lion"].text)  # two interp weights, then the decay 0.1
  assert fit.interp_weights(program).tolist() == [True, True, False]
  outside = parse(TARGETS["lion"].text.replace("interp(g, m, 0.99)", "interp(g, m, 1.5)"))
  assert fit.interp_weights(outside).tolist() == [True, False, False]


def test_local_search_keeps_weights_inside_zero_and_one_and_reaches_one_near_one():
  seen = []

  def loss(batch):
    seen.append(batch.copy())
    return np.abs(np.log((1 - batch[:, 0]) / 1e-3)) + np.abs(np.log(batch[:, 1] / 40.0))

  best, value = fit.local_search(np.array([0.5, 1.0]), loss, np.random.default_rng(0),
                                 weights=np.array([True, False]), rounds=300)
  weights = np.concatenate(seen)[:, 0]
  assert np.all((weights > 0) & (weights < 1))
  np.testing.assert_allclose(best, [0.999, 40.0], rtol=1e-4)
  assert value < 1e-2


def test_local_search_jumps_out_of_a_local_minimum():
  """A narrow well far from a wide one: steps around the start alone settle in the wide
  one; a long jump of one constant finds the narrow, deeper one."""
  def loss(batch):
    z = np.log(batch[:, 0])
    return np.minimum(0.5 + 0.1 * np.square(z), 10 * np.square(z - 4.0))

  best, value = fit.local_search(np.array([1.0]), loss, np.random.default_rng(0), rounds=60)
  assert abs(np.log(best[0]) - 4.0) < 0.05 and value < 0.1


def test_least_squares_solves_a_linear_fit_exactly():
  x = np.linspace(-1, 1, 50)
  y = 3.0 * x - 0.25

  def residuals(c):
    return c[0] * x + c[1] - y, np.stack([x, np.ones_like(x)], axis=1)

  best, norm = fit.least_squares(np.zeros(2, np.float32), residuals)
  np.testing.assert_allclose(best, [3.0, -0.25], rtol=1e-6)
  assert norm < 1e-5


def test_constants_are_read_and_written_in_the_order_encode_lays_them_out():
  program = parse(TARGETS["lion"].text)
  positions = fit.live_constants(program)
  values = [program.statements[i].args[k].value for i, k in positions]
  encoded = machine.encode(program)
  np.testing.assert_array_equal(encoded.constants[:len(values)], np.float32(values))
  moved = fit.with_constants(program, [0.5, 0.25, 2.0])
  np.testing.assert_array_equal(machine.encode(moved).constants[:3], [0.5, 0.25, 2.0])
  assert fit.with_constants(moved, values) == fit.with_constants(program, values)  # float32


@pytest.fixture(scope="module")
def momentum():
  return MatchEvaluator(TARGETS["momentum"].text)


def test_the_match_fit_recovers_a_wrong_constant_exactly(momentum):
  wrong = parse(MOMENTUM_WRONG)
  evaluation = momentum.fit(wrong)
  assert momentum.evaluate(wrong).fitness < 1.5
  assert evaluation.fitness == 6.0
  weight = evaluation.program.statements[0].args[2]
  assert isinstance(weight, Const) and abs(weight.value - 0.9) < 1e-4


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_match_fit_takes_two_weights_from_one_half_to_adams(seed):
  """Both weights of Adam's structure start at 0.5; 0.999 is 7 logits away."""
  evaluator = MatchEvaluator(TARGETS["adam_nobc"].text, noise_seed=seed)
  half = parse(TARGETS["adam_nobc"].text.replace("0.999", "0.5").replace("0.9", "0.5"))
  assert evaluator.evaluate(half).fitness < 0.5
  assert evaluator.fit(half).fitness == 6.0


def test_a_fit_scores_what_evaluating_its_program_scores(momentum):
  """Replay evaluates the logged (fitted) program: it must get the fit's fitness."""
  program = parse(MOMENTUM_WRONG.replace("update * 3.0", "update * -0.7"))
  evaluation = momentum.fit(program)
  assert momentum.evaluate(evaluation.program).fitness == evaluation.fitness


def test_a_program_without_constants_is_scored_as_it_is(momentum):
  program = start_program("sgd")
  assert momentum.fit(program).fitness == momentum.evaluate(program).fitness


# -- a search that fits ---------------------------------------------------------------------


def _search(tmp_path, budget):
  from discover import config as config_lib
  from discover.search.loop import Search

  cfg = config_lib.load(None, ["search.population=10", "search.tournament=3",
                               f"search.budget={budget}", "funnel.tasks=[]",
                               "meta_validation.tasks=[]", "meta_validation.every=0",
                               "evaluation.workers=1", "run.checkpoint_every=1000"])
  run_dir = tmp_path / "run"
  run_dir.mkdir(exist_ok=True)
  return Search(cfg, run_dir, start_program("sgd")), run_dir


def _stages():
  return {"proxy": {"factory": "discover.bench.recovery.match:MatchEvaluator",
                    "target": TARGETS["signum"].text}}


@pytest.fixture(scope="module")
def fitted_run(tmp_path_factory):
  from discover.search.executors import SerialExecutor

  search, run_dir = _search(tmp_path_factory.mktemp("fit"), 40)
  with SerialExecutor(_stages()) as executor:
    search.run(executor)
  return search, run_dir


def _events(run_dir):
  return [json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines()]


def test_a_new_structure_is_fitted_once_and_logged_with_its_fitted_constants(fitted_run):
  from discover.dsl import analysis

  search, run_dir = fitted_run
  fitted = [e for e in _events(run_dir) if e.get("fitted")]
  assert fitted
  structures = [analysis.dataflow_hash(parse(e["program"]), constants=False) for e in fitted]
  assert len(structures) == len(set(structures)) == len(search.caches.fitted)
  for e in fitted:
    assert analysis.dataflow_hash(parse(e["program"])) == e["hash"]
    assert search.caches.proxy[e["hash"]] == (e["fitness"] if e["fitness"] is not None
                                              else -math.inf)


def test_a_fitted_log_resumes_into_the_state_it_ended_in(fitted_run, tmp_path):
  import shutil

  from discover.search import resume
  from discover.search import rundir as runs

  search, run_dir = fitted_run
  copy = tmp_path / "copy"
  shutil.copytree(run_dir, copy)
  end = json.loads((copy / "checkpoint.json").read_text())
  (copy / "checkpoint.json").unlink()  # the whole log is told again
  again, _ = _search(tmp_path, 40)
  again.run_dir = copy
  resume.restore(again)
  again.events, again._clock = runs.EventLog(copy / "events.jsonl"), 0.0
  again.checkpoint()
  rebuilt = json.loads((copy / "checkpoint.json").read_text())
  assert {k: v for k, v in rebuilt.items() if k != "elapsed"} == {
      k: v for k, v in end.items() if k != "elapsed"}


def test_a_fitted_log_replays_exactly(fitted_run):
  from discover.search import rundir as runs

  _, run_dir = fitted_run
  events, _ = runs.read_events(run_dir / "events.jsonl")
  trained = [e for e in events if e["event"] in ("start", "candidate") and not e["cached"]]
  evaluator = MatchEvaluator(TARGETS["signum"].text)
  for e in trained:
    fitness = evaluator.evaluate(parse(e["program"])).fitness
    assert (fitness if math.isfinite(fitness) else None) == e["fitness"]


# -- the step size, for training -------------------------------------------------------------


@pytest.fixture(scope="module")
def logistic():
  from discover.execute.evaluate import Evaluator
  return Evaluator(["logistic"], references={"logistic": 1.0})


def test_a_training_fit_keeps_the_best_step_and_scores_what_its_program_scores(logistic):
  from discover.dsl.baselines import baseline_program

  program = baseline_program("adamw_paper")
  fitted = logistic.fit(program)
  assert fitted.fitness >= logistic.evaluate(program).fitness
  assert logistic.evaluate(fitted.program).fitness == fitted.fitness
  assert fitted.program.statements[1:] == program.statements or fitted.program == program


def test_the_step_scale_is_carried_by_one_first_statement():
  from discover.dsl.baselines import baseline_program
  from discover.execute.evaluate import carry_step_scale

  program = baseline_program("sgd")
  once = carry_step_scale(program, 3.0)
  twice = carry_step_scale(once, 3.0)
  assert len(twice.statements) == len(once.statements) == len(program.statements) + 1
  assert twice.statements[0].args[1].value == 9.0


def test_a_rule_not_linear_in_lr_is_evaluated_as_it_is(logistic):
  program = parse("def train(w, g, lr):\n  s = g + lr\n  return s\n")
  assert logistic.fit(program).program is None
