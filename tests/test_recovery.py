"""The recovery benchmark: targets, the match fitness, the recovery check, the command."""

import json
import math
import statistics
from pathlib import Path

import numpy as np
import pytest

from discover.dsl import analysis
from discover.dsl.parse import parse
from discover.bench.recovery import benchmark as recovery
from discover.bench.recovery import check as recovery_check
from discover.bench.recovery import table as recovery_table
from discover.__main__ import main
from discover.search.rundir import read_events
from discover.search.evolution import Member
from discover.search.executors import SerialExecutor
from discover.dsl.program import Const, Statement
from discover.bench.recovery.match import (CAP, SEARCH_SEEDS, STEPS, MatchEvaluator, Streams,
                                     normalised_error, shared_streams)
from discover.bench.recovery.targets import STARTS, TARGETS, start_program
from support import random_program


def _with_constant(program, index, factor):
  """``program`` with its ``index``-th constant multiplied by ``factor``."""
  spots = [(i, k) for i, s in enumerate(program.statements)
           for k, a in enumerate(s.args) if isinstance(a, Const)]
  i, k = spots[index]
  stmt = program.statements[i]
  args = stmt.args[:k] + (Const(stmt.args[k].value * factor),) + stmt.args[k + 1:]
  return program.replace(statements=program.statements[:i] + (
      Statement(stmt.target, stmt.op, args),) + program.statements[i + 1:])


# -- targets and fitness ------------------------------------------------------------------


@pytest.mark.parametrize("name", TARGETS)
def test_every_target_is_valid_and_matches_itself_exactly(name):
  target = TARGETS[name]
  analysis.check(target.program)
  evaluation = MatchEvaluator(target.text).evaluate(target.program)
  assert evaluation.fitness == CAP and not evaluation.failed
  starts = {analysis.dataflow_hash(start_program(s)) for s in STARTS}
  assert analysis.dataflow_hash(target.program) not in starts  # never start at the answer


@pytest.mark.parametrize("name", TARGETS)
def test_fitness_ranks_exact_above_perturbed_above_random(name):
  target = TARGETS[name]
  evaluator = MatchEvaluator(target.text)
  perturbed = evaluator.evaluate(_with_constant(target.program, 0, 1.05)).fitness
  rng = np.random.default_rng(0)
  randoms = [evaluator.evaluate(random_program(rng)).fitness for _ in range(5)]
  assert CAP > perturbed > max(randoms)
  assert evaluator.evaluate(start_program("empty")).fitness == pytest.approx(0.0, abs=1e-9)


def test_streams_agree_with_a_numpy_heavy_ball():
  streams = Streams(SEARCH_SEEDS, STEPS)
  grads = np.asarray(streams.grads, np.float64)
  lr = 0.5 + 0.5 * np.cos(np.pi * np.arange(STEPS) / (2 * STEPS))
  m, expected = np.zeros(grads.shape[1]), []
  for t in range(STEPS):
    m = grads[t] + 0.9 * m
    expected.append(lr[t] * m)
  got = streams.outputs(TARGETS["momentum"].program)
  np.testing.assert_allclose(got, np.array(expected), rtol=1e-5, atol=1e-5)  # float32 sums


def test_normalised_error_weights_every_column_alike():
  observed = np.array([[1.0, 1000.0], [-1.0, -1000.0]])
  off = observed * np.array([1.1, 1.0])  # 10% off in the small column only
  assert normalised_error(off, observed) == pytest.approx(math.sqrt(0.1**2 / 2))
  assert normalised_error(observed * 1.1, observed) == pytest.approx(0.1)
  assert normalised_error(np.zeros_like(observed), observed) == pytest.approx(1.0)


def test_non_finite_updates_are_the_worst_fitness():
  evaluator = MatchEvaluator(TARGETS["signum"].text)
  blowup = parse("def train(w, g, m, v, lr):\n  update = exp(g)\n  update = exp(update)\n"
                 "  update = exp(update)\n  return update, m, v\n")
  evaluation = evaluator.evaluate(blowup)
  assert evaluation.fitness == -math.inf and "non-finite" in evaluation.failure


@pytest.mark.parametrize("noise", [1e-3, 1e-2])
def test_noise_caps_the_target_near_minus_log_noise_and_keeps_the_order(noise):
  target = TARGETS["adam_nobc"]
  evaluator = MatchEvaluator(target.text, noise=noise, noise_seed=3)
  exact = evaluator.evaluate(target.program).fitness
  assert exact == pytest.approx(-math.log10(noise), abs=0.02)
  assert evaluator.evaluate(_with_constant(target.program, 0, 1.05)).fitness < exact
  again = MatchEvaluator(target.text, noise=noise, noise_seed=3).observed
  other = MatchEvaluator(target.text, noise=noise, noise_seed=4).observed
  np.testing.assert_array_equal(evaluator.observed, again)
  assert not np.array_equal(evaluator.observed, other)


def test_the_match_evaluator_plugs_into_an_executor_stage():
  stages = {"proxy": {"factory": "discover.bench.recovery.match:MatchEvaluator",
                      "target": TARGETS["lion"].text, "noise": 0.0}}
  [(_, evaluation)] = SerialExecutor(stages).imap([TARGETS["lion"].program])
  assert evaluation.fitness == CAP and evaluation.metrics["match"] == (0.0,)


# -- the recovery check -------------------------------------------------------------------

EQUIVALENT = {
    "momentum as a scaled EMA, renamed, with dead code": ("momentum", """
def train(w, g, a, b, lr):
  junk = cosh(w)
  b = interp(g, b, 0.9)
  big = b * 10.0
  unused = big + junk
  update = big * lr
  return update, a, b
"""),
    "adam with slots swapped and interps written out": ("adam_nobc", """
def train(w, g, x, y, lr):
  g2 = g * g
  x = interp(g2, x, 0.999)
  y1 = g * 0.1
  y2 = y * 0.9
  y = y1 + y2
  r = sqrt(x)
  q = y * lr
  update = q / r
  return update, x, y
"""),
    "lion with float32 constants and its sign as x / |x|": ("lion", """
def train(w, g, m, v, lr):
  c = interp(g, m, 0.8999999761581421)
  n = abs(c)
  update = c / n
  m = interp(g, m, 0.9900000095367432)
  decay = w * 0.10000000149011612
  update = update + decay
  update = update * lr
  return update, m, v
"""),
    "tanh ratio with a rescaled second slot": ("tanh_ratio", """
def train(w, g, m, v, lr):
  m = interp(g, m, 0.9)
  a = abs(g)
  v2 = v * 0.95
  v = a + v2
  ratio = m / v
  ratio = ratio * 20.0
  update = tanh(ratio)
  update = update * lr
  return update, m, v
"""),
}

NEAR_MISSES = {
    "adam with b2 0.99": ("adam_nobc", TARGETS["adam_nobc"].text.replace("0.999", "0.99")),
    "momentum 0.95": ("momentum", TARGETS["momentum"].text.replace("0.9", "0.95")),
    "lion without weight decay": ("lion", TARGETS["lion"].text.replace(
        "update = update + decay", "update = update * 1.0")),
    "sign blend without the sign": ("sign_blend", TARGETS["sign_blend"].text.replace(
        "update = s + half", "update = g + half")),
    "signum with an extra decay term": ("signum", TARGETS["signum"].text.replace(
        "update = sign(m)", "update = sign(m)\n  d = w * 0.1\n  update = update + d")),
}


@pytest.mark.parametrize("case", EQUIVALENT)
def test_the_check_accepts_rewritten_equivalent_forms(case):
  name, text = EQUIVALENT[case]
  verdict = recovery_check.check(parse(text), TARGETS[name].program)
  assert verdict.recovered, verdict.detail


@pytest.mark.parametrize("case", NEAR_MISSES)
def test_the_check_rejects_near_misses_symbolically_and_numerically(case):
  name, text = NEAR_MISSES[case]
  candidate, target = parse(text), TARGETS[name].program
  assert not recovery_check.check(candidate, target).recovered
  matched, detail = recovery_check.symbolic_match(recovery_check.simplified(candidate),
                                                  recovery_check.simplified(target))
  assert not matched, detail
  assert recovery_check.disagreeing_share(candidate, target) > recovery_check.NUMERIC_SHARE


def test_a_term_too_small_for_the_numeric_check_fails_the_symbolic_one():
  target = TARGETS["signum"]
  candidate = parse(target.text.replace(
      "update = sign(m)", "update = sign(m)\n  s = sign(g)\n  d = s * 0.001\n"
      "  update = update + d"))
  assert recovery_check.disagreeing_share(candidate, target.program) == 0.0
  verdict = recovery_check.check(candidate, target.program)
  assert verdict.numeric and not verdict.symbolic and not verdict.recovered


def test_a_decay_within_one_percent_of_itself_fails_both_checks():
  # 0.9045 is within 1% of 0.9, but 1 - b is 4.5% off: the long-run sum 1 / (1 - b) moves
  # by 4.7%, and the symbolic check judges a decay by its distance to 1.
  target = TARGETS["momentum"].program
  candidate = _with_constant(target, 0, 1.005)
  simplified = recovery_check.simplified
  assert not recovery_check.symbolic_match(simplified(candidate), simplified(target))[0]
  verdict = recovery_check.check(candidate, target)
  assert not verdict.recovered and not verdict.numeric
  within = _with_constant(target, 0, 1.0005)  # 1 - b 0.45% off
  assert recovery_check.symbolic_match(simplified(within), simplified(target))[0]


def test_a_symbolic_check_that_raises_is_a_verdict_not_a_crash(monkeypatch):
  monkeypatch.setattr(recovery_check, "symbolic_match", lambda cand, targ: 1 / 0)
  target = TARGETS["signum"].program
  verdict = recovery_check.check(target, target)
  assert verdict.numeric and not verdict.recovered
  assert "ZeroDivisionError" in verdict.detail


def test_numeric_check_uses_streams_the_search_never_saw():
  from discover.bench.recovery.match import FRESH_SEEDS, FRESH_STEPS
  fresh = shared_streams(FRESH_SEEDS, FRESH_STEPS)
  seen = shared_streams(SEARCH_SEEDS, STEPS)
  assert not set(FRESH_SEEDS) & set(SEARCH_SEEDS)
  assert not np.array_equal(np.asarray(fresh.grads), np.asarray(seen.grads))


# -- the benchmark ------------------------------------------------------------------------


class _FakeSearch:
  def __init__(self, program, fitness, evaluated):
    self.counters = type("C", (), {"evaluated": evaluated})()
    best = Member(evaluated, program, fitness)
    self.evolution = type("E", (), {"best": best, "population": [best]})()


def test_the_watcher_ends_a_search_at_its_first_recovered_best():
  target = TARGETS["signum"].program
  ticks = []
  watcher = recovery._Watcher(target, ticks.append)
  watcher(_FakeSearch(start_program("sgd"), 0.1, 60))  # below the bar: not checked
  assert watcher.checks == 0 and ticks == [60]
  with pytest.raises(recovery._Recovered):
    watcher(_FakeSearch(_with_constant(target, 0, 1.0001), 5.0, 75))
  assert watcher.recovered_at == 75 and watcher.checks == 1


def test_the_table_counts_rates_and_medians():
  spec = recovery.Spec(targets=("lion",), noise=(0.0,), seeds=3, budget=500).to_dict()
  records = [{"target": "lion", "noise": 0.0, "seed": s, "recovered": e is not None,
              "evaluations": e, "best_fitness": f}
             for s, (e, f) in enumerate([(100, 6.0), (None, 0.5), (400, 2.5)])]
  result = recovery_table.table(spec, records)
  [cell] = result["cells"]
  assert (cell["searches"], cell["recovered"]) == (3, 2)
  assert cell["median_evaluations"] == statistics.median([100, 400])
  assert cell["median_best_fitness"] == statistics.median([6.0, 0.5, 2.5])
  text = recovery_table.render(result)
  assert "| lion | 2/3 (250) |" in text and "| lion | 2.50 |" in text


@pytest.mark.slow
def test_the_benchmark_runs_end_to_end_and_resumes(tmp_path, capsys):
  args = ["bench", "recovery", "--targets", "signum", "--noise", "0", "0.01", "--seeds", "1",
          "--budget", "12", "--jobs", "1", "--root", str(tmp_path), "--no-progress"]
  assert main(args) == 0
  out = capsys.readouterr().out
  [bench_dir] = [p for p in tmp_path.iterdir() if p.name.endswith("-recovery")]
  records = [json.loads(line) for line in (bench_dir / "results.jsonl").read_text().split("\n")
             if line]
  assert sorted(r["noise"] for r in records) == [0.0, 0.01]
  assert all(r["evaluated"] == 12 or r["recovered"] for r in records)
  assert all(parse(r["best"]) for r in records)
  table = json.loads((bench_dir / "table.json").read_text())
  assert [c["searches"] for c in table["cells"]] == [1, 1]
  assert "| signum |" in out and (bench_dir / "table.md").read_text() in out
  assert not list(bench_dir.glob("searches/*/events.jsonl"))  # removed when done
  assert main(["bench", "recovery", "--resume", str(bench_dir), "--no-progress"]) == 0
  again = (bench_dir / "results.jsonl").read_text().count("\n")
  assert again == len(records)  # nothing left to run


@pytest.mark.parametrize("args, message", [
    (["--targets", "adam"], "unknown target 'adam'"),
    (["--noise", "-1"], "--noise needs finite levels"),
    (["--budget", "0"], "--budget at least"),
    (["--start", "adam_nobc"], "unknown start"),
    (["--resume", "nowhere"], "not a recovery benchmark directory"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, message):
  assert main(["bench", "recovery", "--root", str(tmp_path), "--no-progress", *args]) == 2
  err = capsys.readouterr().err
  assert message in err and err.count("\n") == 1
  assert not list(Path(tmp_path).iterdir())  # nothing started


@pytest.mark.slow  # real searches, a compile each
def test_keeping_events_logs_every_child_and_changes_no_result(tmp_path):
  key = ("signum", 0.0, 0)
  spec = dict(targets=("signum",), noise=(0.0,), seeds=1, budget=30)
  kept = recovery.run_search(recovery.Spec(**spec, keep_events=True), key, tmp_path / "kept")
  plain = recovery.run_search(recovery.Spec(**spec), key, tmp_path / "plain")
  name = recovery.search_name(key)
  events, _ = read_events(tmp_path / "kept" / "searches" / name / "events.jsonl")
  children = [e for e in events if e["event"] == "candidate"]
  assert len(children) == kept["generated"]
  assert sum(not e["cached"] for e in children) == kept["evaluated"] - 1  # and the start
  same = ("evaluated", "generated", "hit_rate", "best", "best_fitness", "recovered")
  assert {k: kept[k] for k in same} == {k: plain[k] for k in same}
  assert not (tmp_path / "plain" / "searches" / name / "events.jsonl").exists()
  best = (tmp_path / "plain" / "searches" / name / "best.py").read_text()
  assert "(match to the target's updates" in best and "AdamW" not in best
