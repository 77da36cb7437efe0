"""The recovery benchmark's trustworthiness: identifiable constants, a check without the
false negatives of float rounding and idle slots, ties checked, file targets, overrides."""

import json

import pytest

from discover.__main__ import main
from discover.dsl import analysis
from discover.dsl.parse import parse
from discover.dsl.program import Const, Statement, Var
from discover.simplify import algebra
from discover.bench.recovery import benchmark as recovery
from discover.bench.recovery import check as recovery_check
from discover.bench.recovery.match import CAP, MatchEvaluator
from discover.bench.recovery.targets import STARTS, TARGETS, start_program
from discover.search.evolution import Member


def _constants(program):
  """(statement index, argument index, value, op) of every constant."""
  return [(i, k, a.value, s.op) for i, s in enumerate(program.statements)
          for k, a in enumerate(s.args) if isinstance(a, Const)]


def _with_value(program, i, k, value):
  stmt = program.statements[i]
  args = stmt.args[:k] + (Const(value),) + stmt.args[k + 1:]
  return program.replace(statements=program.statements[:i] + (
      Statement(stmt.target, stmt.op, args),) + program.statements[i + 1:])


def _perturbed(program):
  """Each constant 1% off either way and, for an interp weight b, 1 - b 0.1% off."""
  for i, k, value, op in _constants(program):
    for factor in (1.01, 0.99):
      yield f"{value} x {factor}", _with_value(program, i, k, value * factor)
    if op == "interp":
      for factor in (1.001, 0.999):
        yield f"1 - {value} x {factor}", _with_value(program, i, k, 1 - (1 - value) * factor)


# -- identifiable constants (the streams) -------------------------------------------------


@pytest.mark.parametrize("name", TARGETS)
def test_every_constant_of_every_target_is_identifiable_on_the_streams(name):
  target = TARGETS[name]
  evaluator = MatchEvaluator(target.text)
  assert evaluator.evaluate(target.program).fitness == CAP
  scores = {label: evaluator.evaluate(p).fitness for label, p in _perturbed(target.program)}
  assert len(scores) >= 2 * len(_constants(target.program))
  assert max(scores.values()) <= 4.0, scores


def test_lions_momentum_weights_are_identifiable_together():
  # b1 0.886 with b2 0.988 keeps b1 / (1 - b1) * (1 - b2) near Lion's: only the
  # gradient's drift tells them apart.
  target = TARGETS["lion"]
  both = target.text.replace("0.99)", "0.988)").replace("0.9)", "0.886)")
  assert both != target.text
  assert MatchEvaluator(target.text).evaluate(parse(both)).fitness <= 4.0


@pytest.mark.parametrize("name", TARGETS)
def test_under_noise_the_target_scores_about_minus_log_noise(name):
  target = TARGETS[name]
  evaluator = MatchEvaluator(target.text, noise=1e-2, noise_seed=1)
  assert evaluator.evaluate(target.program).fitness == pytest.approx(2.0, abs=0.05)


# -- the check: float rounding ------------------------------------------------------------

ROUNDED = {
    # Simplification wrote the target as 0.9 lr (1.111111 g + m): 0.9999999 lr g.
    "momentum with a gradient scaled by float rounding": ("momentum", """
def train(w, g, m, lr):
  gg = g * 1.0000001
  decayed = m * 0.9
  m = gg + decayed
  update = m * lr
  return update, m
"""),
    "momentum as an EMA with a float32 weight, times 10": ("momentum", """
def train(w, g, m, lr):
  m = interp(g, m, 0.89999998)
  u = m * 10.0
  update = u * lr
  return update, m
"""),
    "momentum with a learning rate scaled by float rounding": ("momentum", """
def train(w, g, m, lr):
  lr2 = lr * 1.0000001
  decayed = m * 0.9
  m = g + decayed
  update = m * lr2
  return update, m
"""),
}


@pytest.mark.parametrize("case", ROUNDED)
def test_float_rounding_is_no_difference(case):
  name, text = ROUNDED[case]
  verdict = recovery_check.check(parse(text), TARGETS[name].program)
  assert verdict.recovered, verdict.detail


def test_sgd_scaled_by_rounding_is_sgd():
  sgd = parse(STARTS["sgd"])
  candidate = parse("def train(w, g, m, v, lr):\n  update = g * 0.9999999\n"
                    "  update = update * lr\n  return update, m, v\n")
  assert recovery_check.check(candidate, sgd).recovered


def test_snapping_to_simple_numbers_keeps_distinct_constants_apart():
  simple = recovery_check.simple_number
  assert simple(0.9999999) == 1.0 and simple(0.89999998) == 0.9
  assert simple(1.111111) == pytest.approx(10 / 9, rel=1e-15)
  assert simple(0.9001) == 0.9001 and simple(0.999) == 0.999
  assert simple(0.0042870682664215565) is None  # nothing simple near: kept as it is
  x = recovery_check.sp.Symbol("x")
  normal = recovery_check.normal_form
  assert normal(0.9999999 * x) == x
  assert normal(0.9001 * x) != normal(0.9 * x)
  assert normal(0.999 * x) != normal(0.9999 * x)


# -- the check: only the slots a program uses ---------------------------------------------

IDLE = {
    "an extra slot read but never written": """
def train(w, g, m, v, lr):
  decayed = m * 0.9
  m = g + decayed
  update = m * lr
  x = v * 2.0
  update = update + x
  return update, m, v
""",
    "an extra slot written from itself alone": """
def train(w, g, m, v, lr):
  decayed = m * 0.9
  m = g + decayed
  update = m * lr
  v = sqrt(v)
  s = sign(v)
  update = update + s
  return update, m, v
""",
    "an extra slot that stays zero and gates the first": """
def train(w, g, m, v, lr):
  decayed = m * 0.9
  m = g + decayed
  update = m * lr
  v = v * 0.5
  x = v * m
  update = update + x
  return update, m, v
""",
    "an extra slot that changes but the update never reads": """
def train(w, g, m, v, lr):
  decayed = m * 0.9
  m = g + decayed
  update = m * lr
  g2 = square(g)
  v = interp(g2, v, 0.999)
  return update, m, v
""",
}


@pytest.mark.parametrize("case", IDLE)
def test_slots_the_program_does_not_use_do_not_count(case):
  candidate = parse(IDLE[case])
  assert len(candidate.slots) == len(start_program("sgd").slots) == 2  # as a search's are
  verdict = recovery_check.check(candidate, TARGETS["momentum"].program)
  assert verdict.recovered, verdict.detail


def test_a_slot_in_use_still_counts():
  adam, momentum = TARGETS["adam_nobc"].program, TARGETS["momentum"].program
  assert recovery_check.idle_slots(adam) == set()
  assert recovery_check.idle_slots(parse(IDLE["an extra slot read but never written"])) == {"v"}
  matched, detail = recovery_check.symbolic_match(recovery_check.simplified(adam),
                                                  recovery_check.simplified(momentum))
  assert not matched and "2 state slots in use, the target has 1" in detail


# A search's Lion (session 13): its sign reads expm1 of Lion's sum, and its momentum is
# rescaled; the normal form did not look through expm1, so a search that found Lion (fitness
# 6, every update element matching on fresh streams) was not credited.
LION_THROUGH_EXPM1 = """
def train(w, g, m, v, lr):
  v7 = m * 379059634176.0
  v11 = v7 + v7
  v8 = v7 + v11
  v = interp(g, v8, 4.949225057560014e-11)
  v9 = m * -5.251692771911621
  v10 = g + v9
  m = interp(v10, m, 0.9984009265899658)
  v1 = expm1(v)
  v12 = w * 0.10000000149011612
  v14 = sign(v1)
  v13 = v14 + v12
  update = v13 * lr
  return update, m, v
"""


@pytest.mark.parametrize("wrapper", ["expm1", "tanh", "cube", "arctan"])
def test_sign_looks_through_ops_that_keep_the_sign(wrapper):
  candidate = parse(LION_THROUGH_EXPM1.replace("expm1", wrapper))
  verdict = recovery_check.check(candidate, TARGETS["lion"].program)
  assert verdict.recovered, verdict.detail


def test_sign_does_not_look_through_an_op_that_changes_the_sign():
  candidate = parse(LION_THROUGH_EXPM1.replace("expm1", "cos"))
  verdict = recovery_check.check(candidate, TARGETS["lion"].program)
  assert not verdict.recovered


# A search's AdaBelief (session 13): its v decays at 0.99919 for 0.999, and it reads g less
# the old momentum, which multiplies 1 - b2 by 0.81 into one constant, leaving 0.99919
# alone in the form, 0.02% from 0.999; it was credited (fitness 3.15, not the cap 6).
ADABELIEF_SLOWER_DECAY = """
def train(w, g, m, v, lr):
  v6 = m * -1.0014445781707764
  v7 = g + v6
  v8 = m * 1.0308797300240258e-06
  v9 = v7 + v8
  v1 = square(v9)
  v10 = v8 * -0.0004948813002556562
  v11 = v + v10
  v = interp(v1, v11, 0.9991922378540039)
  v2 = sqrt(v)
  m = interp(g, m, 0.9000863432884216)
  v3 = m / v2
  update = v3 * lr
  return update, m, v
"""


def test_a_decay_near_one_is_judged_by_its_distance_to_one():
  candidate = parse(ADABELIEF_SLOWER_DECAY)
  verdict = recovery_check.check(candidate, TARGETS["adabelief_simple"].program)
  assert verdict.numeric and not verdict.recovered, verdict.detail
  assert recovery_check.close(0.999005, 0.999) and not recovery_check.close(0.99919, 0.999)
  assert not recovery_check.close(0.909, 0.9) and recovery_check.close(0.9009, 0.9)
  assert recovery_check.close(1.009, 1.0) and recovery_check.close(9.09, 9.0)


# Three searches' bests at the noise floor (session 13, noise 1e-3 and 1e-2): each behaves
# as its target on fresh streams, and each carries what the normal form keeps: an exact
# identity (signum's sign(max(-0.022, m) + m)), terms of 5e-6 (rmsprop), a second slot
# that holds Lion's momentum one step late (lion). None was credited.
NOISE_FLOOR = {
    "signum": """
def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999814987182617)
  v3 = v * 1.982734203338623
  v10 = abs(g)
  m = interp(v10, m, 0.9966289401054382)
  v11 = v / m
  v4 = v11 + v3
  v5 = sign(v4)
  m = interp(v5, g, 9.466252777201589e-07)
  v13 = -7.275065898895264 + v4
  m = interp(v13, m, 1.0000004768371582)
  update = m * lr
  return update, m, v
""",
    "rmsprop": """
def train(w, g, m, v, lr):
  v1 = abs(g)
  m = interp(v1, v, 5.940051778452471e-06)
  v9 = clip_by_global_norm(g, 0.12199286371469498)
  v10 = m + v9
  v4 = square(v10)
  v15 = cube(g)
  v13 = v15 * -8.963252753346751e-07
  v14 = v + v13
  v = interp(v4, v14, 0.9000074863433838)
  v11 = v10 / -0.888412356376648
  v12 = g + v11
  v7 = v12 * -4.415523108036723e-06
  v8 = v + v7
  v5 = sqrt(v8)
  v2 = g / v5
  update = v2 * lr
  return update, m, v
""",
    "lion": """
def train(w, g, m, v, lr):
  v = interp(m, v, 0.8999994993209839)
  m = interp(v, m, -1.5137910850171465e-05)
  v8 = m * 7.780010491842404e-06
  v9 = g + g
  m = interp(v9, m, 0.9000099897384644)
  v4 = sign(m)
  v6 = w * 1.099988341331482
  v11 = v8 - 2.5742258003447205e-05
  v12 = v6 - v11
  v7 = v4 + v12
  v14 = v9 * 1.8098977534464211e-06
  v15 = v7 + v14
  v10 = v15 - w
  update = v10 * lr
  return update, m, v
""",
}


@pytest.mark.parametrize("name", NOISE_FLOOR)
def test_negligible_statements_are_pruned_before_the_symbolic_check(name):
  candidate, target = parse(NOISE_FLOOR[name]), TARGETS[name].program
  as_found, _ = recovery_check.symbolic_match(recovery_check.simplified(candidate),
                                              recovery_check.simplified(target))
  verdict = recovery_check.check(candidate, target)
  assert not as_found and verdict.recovered, verdict.detail
  assert "after pruning" in verdict.detail
  assert len(verdict.program.statements) < len(candidate.statements)


def test_a_term_above_the_pruning_tolerance_is_kept():
  # 0.1% of |g| beside momentum: within the numeric check's 2%, not negligible.
  candidate = parse("""
def train(w, g, m, lr):
  decayed = m * 0.9
  m = g + decayed
  a = abs(g)
  extra = a * 0.001
  update = m + extra
  update = update * lr
  return update, m
""")
  short, dropped = recovery_check.pruned(candidate)
  verdict = recovery_check.check(candidate, TARGETS["momentum"].program)
  assert dropped == 0 and short == candidate
  assert verdict.numeric and not verdict.recovered, verdict.detail


def test_two_slots_read_as_one_combination_merge_into_one():
  # Lion's momentum one step late (v) and Lion's interpolation (m), read as 0.1 m + 0.9 v.
  candidate = parse("""
def train(w, g, m, v, lr):
  v = interp(m, v, 0.9)
  m = interp(g, v, 0.9)
  s = sign(m)
  decay = w * 0.1
  update = s + decay
  update = update * lr
  return update, m, v
""")
  forms = recovery_check.live_forms(candidate)
  merged, combos = recovery_check.merge_slots(forms, algebra.input_symbols(candidate))
  assert len(forms) == 3 and len(merged) == 2
  (weights,) = combos.values()
  assert weights.keys() == {"m", "v"}
  assert weights["m"] / weights["v"] == pytest.approx(0.1 / 0.9, rel=1e-6)
  assert recovery_check.check(candidate, TARGETS["lion"].program).recovered


def test_slots_read_apart_do_not_merge():
  program = TARGETS["adam_nobc"].program
  forms = recovery_check.live_forms(program)
  merged, combos = recovery_check.merge_slots(forms, algebra.input_symbols(program))
  assert merged == forms and combos == {"m": {"m": 1.0}, "v": {"v": 1.0}}


# -- ties are checked ---------------------------------------------------------------------


class _Search:
  """What the watcher reads of a search: counters, the best and the population."""

  def __init__(self, members, evaluated):
    self.counters = type("C", (), {"evaluated": evaluated})()
    best = max(members, key=lambda m: m.fitness)  # the first of the fittest, as evolution
    self.evolution = type("E", (), {"best": best, "population": list(members)})()


def _lion_off(factor):
  return _with_value(TARGETS["lion"].program, 0, 2, 0.9 * factor)


def test_a_member_that_ties_the_best_is_checked_and_can_recover():
  target = TARGETS["lion"].program
  watcher = recovery._Watcher(target, lambda n: None)
  wrong = _lion_off(1.05)  # fails the numeric check
  watcher(_Search([Member(1, start_program("sgd"), 0.1), Member(2, wrong, CAP)], 60))
  assert watcher.checks == 1 and watcher.recovered_at is None
  members = [Member(1, start_program("sgd"), 0.1), Member(2, wrong, CAP),
             Member(3, target, CAP)]  # the answer, tying the best: not a new best
  with pytest.raises(recovery._Recovered):
    watcher(_Search(members, 61))
  assert watcher.recovered_at == 61 and watcher.tie_checks == 1
  assert watcher.recovered_by is target


def test_ties_below_the_bar_or_the_margin_are_not_checked_and_none_twice():
  target = TARGETS["lion"].program
  watcher = recovery._Watcher(target, lambda n: None)
  best = Member(1, _lion_off(1.05), 3.0)
  far = Member(2, _lion_off(1.06), 3.0 - 2 * recovery.TIE_MARGIN)  # not a tie
  same = Member(3, _lion_off(1.05), 3.0)  # the best's program again
  dead = best.genome.replace(statements=(Statement("junk", "cosh", (Var("w"),)),)
                             + best.genome.statements)  # and with dead code
  assert analysis.dataflow_hash(dead) == analysis.dataflow_hash(best.genome)
  watcher(_Search([best, far, same, Member(4, dead, 3.0)], 10))
  assert watcher.checks == 1 and watcher.tie_checks == 0
  low = Member(4, _lion_off(1.07), recovery.CHECK_FITNESS / 2)
  watcher = recovery._Watcher(target, lambda n: None)
  watcher(_Search([low, Member(5, _lion_off(1.08), recovery.CHECK_FITNESS / 2)], 10))
  assert watcher.checks == 0


def test_checks_of_ties_are_rationed():
  target = TARGETS["lion"].program
  watcher = recovery._Watcher(target, lambda n: None)
  ties = [Member(i, _lion_off(1.05 + 1e-4 * i), 3.0) for i in range(1, 230)]
  watcher(_Search(ties[:200], 0))
  assert watcher.tie_checks == recovery.TIE_UNITS  # each failed the numeric check: 1 unit
  assert watcher.units(0) == 0 and not watcher.waiting  # the youngest 100 waited
  watcher(_Search(ties, 100))  # 10 more units earned, spent on the youngest
  assert watcher.tie_checks == recovery.TIE_UNITS + 10 and len(watcher.waiting) == 19


# -- targets from program files -----------------------------------------------------------


def _run(tmp_path, *args):
  return main(["bench", "recovery", "--root", str(tmp_path / "runs"), "--no-progress",
               "--noise", "0", "--seeds", "1", "--jobs", "1", *args])


def _bench_dir(tmp_path):
  [bench_dir] = (tmp_path / "runs").iterdir()
  return bench_dir


@pytest.mark.slow  # a real benchmark run
def test_a_program_file_is_a_target_named_by_its_stem(tmp_path, capsys):
  rule = tmp_path / "my_rule.py"
  rule.write_text("def train(w, g, m, lr):\n  m = interp(g, m, 0.8)\n  update = m * lr\n"
                  "  return update, m\n")
  assert _run(tmp_path, "--targets", str(rule), "--budget", "5") == 0
  assert "| my_rule |" in capsys.readouterr().out
  bench_dir = _bench_dir(tmp_path)
  [record] = [json.loads(line) for line in (bench_dir / "results.jsonl").read_text().split("\n")
              if line]
  assert record["target"] == "my_rule"
  spec = recovery.Spec.from_dict(json.loads((bench_dir / "bench.json").read_text()))
  assert spec.target("my_rule").program == parse(rule.read_text())
  rule.unlink()  # resuming reads the program from bench.json, not the file
  assert main(["bench", "recovery", "--resume", str(bench_dir), "--no-progress"]) == 0


@pytest.mark.parametrize("text, message", [
    ("def train(w, g, m, lr):\n  update = m *\n  return update, m\n", "bad.py:2"),
    ("def train(w, g, m, lr):\n  update = frob(g)\n  return update, m\n", "bad.py"),
    ("def train(w, g, a, b, c, lr):\n  update = g * lr\n  return update, a, b, c\n",
     "3 state slots"),
    ("def train(w, g, lr):\n  update = exp(g)\n  update = exp(update)\n"
     "  update = exp(update)\n  return update\n", "finite"),
])
def test_a_bad_target_file_is_one_line_and_exit_2(tmp_path, capsys, text, message):
  (tmp_path / "bad.py").write_text(text)
  assert _run(tmp_path, "--targets", str(tmp_path / "bad.py")) == 2
  err = capsys.readouterr().err
  assert message in err and err.count("\n") == 1
  assert not (tmp_path / "runs").exists()  # nothing started


@pytest.mark.parametrize("name, message", [
    ("missing.py", "no target file"),
    ("lion.py", "the name 'lion' is taken"),
])
def test_a_missing_or_clashing_target_file_is_one_line(tmp_path, capsys, name, message):
  if name == "lion.py":
    (tmp_path / name).write_text(TARGETS["lion"].text)
  assert _run(tmp_path, "--targets", str(tmp_path / name)) == 2
  err = capsys.readouterr().err
  assert message in err and err.count("\n") == 1


# -- config overrides ---------------------------------------------------------------------


def test_overrides_reach_every_search_config_after_the_benchmarks_own():
  spec = recovery.Spec(targets=("signum",), budget=40,
                       overrides=("search.tournament=2", "search.population=30"))
  cfg = recovery.search_config(spec, 3)
  assert (cfg.search.tournament, cfg.search.population) == (2, 30)
  assert cfg.seed == 3 and not cfg.funnel.tasks  # the benchmark's own still hold
  assert recovery.Spec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec


@pytest.mark.slow
def test_overrides_are_recorded_and_resumed(tmp_path, monkeypatch):
  assert _run(tmp_path, "--targets", "signum", "--budget", "4",
              "--set", "search.tournament=3") == 0
  bench_dir = _bench_dir(tmp_path)
  bench = json.loads((bench_dir / "bench.json").read_text())
  assert bench["overrides"] == ["search.tournament=3"]
  assert bench["search_config"]["search"]["tournament"] == 3
  seen = []
  monkeypatch.setattr(recovery, "run_benchmark",
                      lambda spec, *a, **k: seen.append(spec) or {"spec": spec.to_dict(),
                                                                   "cells": []})
  monkeypatch.setattr(recovery, "render", lambda result: "")
  assert main(["bench", "recovery", "--resume", str(bench_dir), "--no-progress"]) == 0
  assert seen[0].overrides == ("search.tournament=3",)


@pytest.mark.parametrize("override, message", [
    ("search.nosuch=1", "unknown key 'search.nosuch'"),
    ("search.tournament", "expects key=value"),
    ("seed=3", "--set seed: the benchmark sets it"),
])
def test_a_bad_override_is_one_line_and_exit_2(tmp_path, capsys, override, message):
  assert _run(tmp_path, "--targets", "signum", "--set", override) == 2
  err = capsys.readouterr().err
  assert message in err and err.count("\n") == 1
  assert not (tmp_path / "runs").exists()


def test_resume_takes_no_overrides(tmp_path, capsys):
  assert main(["bench", "recovery", "--resume", str(tmp_path), "--set", "seed=1",
               "--no-progress"]) == 2
  assert "give only --jobs" in capsys.readouterr().err


@pytest.mark.parametrize("streams", [None, "0123456789abcdef"])
def test_a_benchmark_begun_on_other_streams_is_not_resumed(tmp_path, capsys, streams):
  bench = recovery.Spec(targets=("signum",)).to_dict()
  if streams:
    bench["streams"] = streams
  (tmp_path / "bench.json").write_text(json.dumps(bench))
  assert main(["bench", "recovery", "--resume", str(tmp_path), "--no-progress"]) == 2
  err = capsys.readouterr().err
  assert "other match streams" in err and err.count("\n") == 1
  assert not (tmp_path / "results.jsonl").exists()
