"""Studies: repeated searches, program families, time to beat AdamW, proxy correlation."""

import json
import random
from pathlib import Path

import pytest
from scipy import stats

from discover.bench import study
from discover.__main__ import main
from discover.dsl.baselines import baseline_program
from discover.search.run import run_search
from discover.dsl.program import to_text
from discover.search.rundir import read_events

SMALL = """\
search: {population: 8, tournament: 3}
evaluation: {tasks: [logistic], workers: 1}
funnel: {tasks: [noisy_quadratic], seeds: [1], threshold: -10.0}
meta_validation: {tasks: []}
run: {checkpoint_every: 5}
"""


@pytest.fixture(scope="module")
def shrunken_study(tmp_path_factory):
  root = tmp_path_factory.mktemp("study")
  config = root / "small.yaml"
  config.write_text(SMALL)
  calls = []

  def counting(*args):
    calls.append(args)
    return run_search(*args)

  summary = study.run_study(str(config), 2, root / "out", budget="12", progress=False,
                            search=counting)
  return root, config, summary, calls


@pytest.mark.slow
def test_a_shrunken_study_runs_every_seed_and_summarises_its_runs(shrunken_study):
  root, _, summary, calls = shrunken_study
  assert len(calls) == 2 and [r["seed"] for r in summary["runs"]] == [0, 1]
  for r in summary["runs"]:
    events, _ = read_events(Path(r["run_dir"]) / "events.jsonl")
    proxy = [e["fitness"] for e in events if e["event"] in ("start", "candidate")
             and e["fitness"] is not None]
    assert r["best_fitness"] == max(proxy)
    funneled = {e["hash"] for e in events if e["event"] == "funnel" and e["fitness"] is not None}
    assert len(r["rescored"]) == len(funneled) >= 1
    assert r["family"] and r["simplified"].startswith("def train(")
  fitness = [r["best_fitness"] for r in summary["runs"]]
  assert summary["best_fitness"]["min"] == min(fitness)
  assert summary["best_fitness"]["max"] == max(fitness)
  assert sum(len(seeds) for seeds in summary["families"].values()) == 2
  written = json.loads((root / "out" / "study.json").read_text())
  assert set(written["runs"]) == {"0", "1"}
  assert "Program families found" in (root / "out" / "study.md").read_text()
  for r in summary["runs"]:  # chosen on the funnel alone here: meta-validation is off
    events, _ = read_events(Path(r["run_dir"]) / "events.jsonl")
    funnel = {e["hash"]: e["fitness"] for e in events if e["event"] == "funnel"}
    assert r["winner"] and r["winner_funnel"] in funnel.values() and r["winner_meta"] is None
    assert r["overfitting"] is None
  md = (root / "out" / "study.md").read_text()
  assert "## Winners" in md and "in 0 of 2 runs" in md
  assert "python -m discover validate " + " ".join(
      f"{r['run_dir']}/winner.py" for r in summary["runs"]) in md


@pytest.mark.slow
def test_a_finished_study_is_not_run_again_and_a_larger_one_runs_only_new_seeds(
    shrunken_study):
  root, config, summary, _ = shrunken_study
  calls = []

  def counting(*args):
    calls.append(args)
    return run_search(*args)

  again = study.run_study(str(config), 2, root / "out", budget="12", progress=False,
                          search=counting)
  assert calls == [] and again["best_fitness"] == summary["best_fitness"]
  study.run_study(str(config), 3, root / "out", budget="8", progress=False, search=counting)
  assert len(calls) == 1 and "seed=2" in calls[0][1]


@pytest.mark.slow
def test_an_unfinished_seed_is_resumed_not_restarted(tmp_path):
  config = tmp_path / "small.yaml"
  config.write_text(SMALL)
  out = tmp_path / "out"
  first = run_search(str(config), ["seed=0", f"run.root={out}"], "6", None, False)
  calls = []

  def counting(*args):
    calls.append(args)
    return run_search(*args)

  study.run_study(str(config), 1, out, budget="10", progress=False, search=counting)
  assert calls[0][3] == str(first.run_dir)  # resumed from its checkpoint
  assert len(list(out.glob("*-seed0*"))) == 1


def _write_run(path: Path, seed: int, events: list[dict]) -> Path:
  path.mkdir(parents=True)
  (path / "manifest.json").write_text(json.dumps({"seed": seed}))
  (path / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
  return path


def _event(kind, fitness, program, time, cached=False, **extra):
  return {"event": kind, "fitness": fitness, "program": to_text(program), "time": time,
          "cached": cached, "hash": str(hash(to_text(program))), **extra}


def test_families_name_known_optimizers_and_group_equal_new_rules(tmp_path):
  lion = baseline_program("lion", b1=0.85, b2=0.98, weight_decay=0.2)
  new_a = ("def train(w, g, m, lr):\n  m = interp(g, m, 0.9)\n  u = tanh(m)\n"
           "  u = u * lr\n  return u, m\n")
  new_b = ("def train(w, g, mom, lr):\n  dead = exp(g)\n  mom = interp(g, mom, 0.9)\n"
           "  step = tanh(mom)\n  step = lr * step\n  return step, mom\n")
  from discover.dsl.parse import parse
  runs = [
      _write_run(tmp_path / "a", 0, [_event("start", -0.2, lion, 1.0),
                                     _event("candidate", 0.1, lion, 2.0)]),
      _write_run(tmp_path / "b", 1, [_event("start", -0.2, lion, 1.0),
                                     _event("candidate", 0.3, parse(new_a), 5.0)]),
      _write_run(tmp_path / "c", 2, [_event("start", -0.2, lion, 1.0),
                                     _event("candidate", 0.2, parse(new_b), 7.0)]),
  ]
  summaries = [study.summarize_run(r) for r in runs]
  assert summaries[0].family == "lion"
  assert summaries[1].family.startswith("new:") and summaries[1].family == summaries[2].family
  families = study.summarize(summaries)["families"]
  assert list(families.items())[0] == (summaries[1].family, [1, 2])


def test_time_to_beat_adamw_is_the_first_trained_candidate_above_zero(tmp_path):
  sgd = baseline_program("sgd")
  events = [_event("start", -0.3, sgd, 1.0), _event("candidate", -0.1, sgd, 2.0),
            _event("candidate", -0.1, sgd, 2.2, cached="dataflow"),  # not trained
            _event("candidate", 0.5, sgd, 2.5), _event("candidate", 0.05, sgd, 4.0),
            _event("funnel", -0.4, sgd, 5.0, proxy_fitness=0.05)]
  summary = study.summarize_run(_write_run(tmp_path / "r", 0, events))
  assert summary.beat_adamw_seconds == 2.5 and summary.beat_adamw_evaluations == 3
  assert summary.rescored == [(0.05, -0.4)]
  never = study.summarize_run(_write_run(tmp_path / "n", 1, events[:2]))
  assert never.beat_adamw_seconds is None and never.beat_adamw_evaluations is None


@pytest.mark.parametrize("seed", range(5))
def test_spearman_agrees_with_scipy_including_ties(seed):
  rng = random.Random(seed)
  pairs = [(rng.choice([0.1, 0.2, 0.3, rng.random()]), rng.random()) for _ in range(25)]
  expected = stats.spearmanr([p[0] for p in pairs], [p[1] for p in pairs]).statistic
  assert study.spearman(pairs) == pytest.approx(expected, abs=1e-12)


def test_spearman_is_undefined_for_too_few_or_constant_pairs():
  assert study.spearman([(1.0, 2.0), (2.0, 3.0)]) is None
  assert study.spearman([(1.0, 2.0), (1.0, 3.0), (1.0, 4.0)]) is None


@pytest.mark.parametrize("argv, message", [
    (["study", "missing.yaml", "--seeds", "2"], "cannot read config"),
    (["study", "CONFIG", "--seeds", "0"], "--seeds must be at least 1"),
    (["study", "CONFIG", "--seeds", "1", "--set", "search.population=-1"], "population"),
])
def test_study_bad_input_is_one_line_and_exit_2(argv, message, tmp_path, capsys):
  config = tmp_path / "c.yaml"
  config.write_text(SMALL)
  argv = [str(config) if a == "CONFIG" else a for a in argv]
  assert main(argv) == 2
  err = capsys.readouterr().err.strip().splitlines()
  assert len(err) == 1 and message in err[0]
  assert not any(tmp_path.glob("study-*"))


def test_the_study_counts_the_runs_that_meta_overfit():
  def run(seed, overfitting):
    return study.RunSummary(seed, f"runs/s{seed}", 0.1, "adamw", "", 10, 1.0, None, None, [],
                            winner="the start program", winner_funnel=-0.1,
                            winner_meta=-0.2, overfitting=overfitting)

  summary = study.summarize([run(0, "meta-overfitting: from evaluation 1 to 9 ..."),
                             run(1, None)])
  assert summary["overfitting"] == {"runs": 1, "of": 2}
  md = study.render(summary)
  assert "in 1 of 2 runs" in md and "| 0 | -0.1000 | -0.2000 | from evaluation 1 to 9 ... |" in md
