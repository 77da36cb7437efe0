"""The landscape: baselines tuned alike on every task (``bench landscape``), its table
against its own run log, resume, a task without a test split, and bad input."""

import json
import math
import types

import numpy as np
import pytest

from discover.__main__ import main
from discover.bench import landscape
from discover.validate import protocol

ARGS = ["bench", "landscape", "--tasks", "quadratic,logistic", "--baselines", "sgd,adam",
        "--trials", "2", "--seeds", "2", "--no-progress"]


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
  out = tmp_path_factory.mktemp("landscape") / "out"
  assert main([*ARGS, "--out", str(out)]) == 0
  return out


def test_each_cell_is_the_trial_best_on_validation_scored_on_test(finished):
  records = [json.loads(line) for line in (finished / "runs.jsonl").open()]
  results = json.loads((finished / "results.json").read_text())["results"]
  assert {(r["task"], r["optimizer"]) for r in results} == {
      (t, o) for t in ("quadratic", "logistic") for o in ("sgd", "adam")}
  for r in results:
    mine = [x for x in records if x["task"] == r["task"] and x["optimizer"] == r["optimizer"]]
    trials = {}
    for x in mine:
      trials.setdefault((x["learning_rate"], x["weight_decay"]), []).append(x)
    assert len(trials) == 2 and all(len(v) == 2 for v in trials.values())
    finished_trials = {k: v for k, v in trials.items() if all(x["validation"] is not None
                                                              for x in v)}
    if not finished_trials:
      assert r["chosen"] is None
      continue
    best = min(finished_trials, key=lambda k: np.mean([x["validation"]
                                                       for x in finished_trials[k]]))
    assert r["learning_rate"] == best[0] and r["scored_on"] == "test"
    assert math.isclose(r["test"]["mean"], np.mean([x["test"] for x in trials[best]]))


def test_the_table_has_a_row_per_task_and_the_best_in_bold(finished):
  text = (finished / "landscape.md").read_text()
  assert "## proxy" in text and "| task | sgd | adam |" in text
  rows = [line for line in text.splitlines() if line.startswith(("| quadratic", "| logistic"))]
  assert len(rows) == 2 and all(row.count("**") == 2 or "diverged" in row for row in rows)


@pytest.mark.parametrize("best_lr, mark", [(0.3, " ↑"), (0.01, " ↓"), (0.1, "")])
def test_a_learning_rate_at_the_edge_of_those_tried_is_marked(best_lr, mark):
  task = types.SimpleNamespace(name="quadratic", metric="loss", higher_is_better=False,
                               test=object(), steps=10)
  run = lambda v: {"validation": v, "test": v, "curve": [1.0]}  # noqa: E731
  result = protocol.summarise(task, "sgd", [(lr, None, [run(1.0 if lr == best_lr else 2.0)] * 2)
                                            for lr in (0.01, 0.1, 0.3)])
  row = next(line for line in landscape.render(["quadratic"], ["sgd"], [result], 3, 2)
             .splitlines() if line.startswith("| quadratic"))
  assert row.startswith("| quadratic | **1") and row.endswith(f"**{mark} |")


def test_lr_scale_moves_every_trial_by_its_factor(tmp_path):
  out = tmp_path / "scaled"
  args = ["bench", "landscape", "--tasks", "quadratic", "--baselines", "sgd,adam", "--trials",
          "3", "--seeds", "2", "--lr-scale", "10", "--no-progress", "--out", str(out)]
  assert main(args) == 0
  logged = {(json.loads(line)["optimizer"], json.loads(line)["learning_rate"])
            for line in (out / "runs.jsonl").open()}
  expected = {(name, lr * 10) for name in ("sgd", "adam")
              for lr, _ in protocol.trials(protocol.optimizer(name), 3)}
  assert {(o, round(lr, 9)) for o, lr in logged} == {(o, round(lr, 9)) for o, lr in expected}
  assert "centred at 10 times" in (out / "landscape.md").read_text()


def test_replay_retrains_a_landscape_and_finds_every_score(finished, capsys):
  assert main(["replay", str(finished), "--limit", "3", "--no-progress"]) == 0
  out = capsys.readouterr().out
  assert "replayed 3 of 16 training runs" in out and "all reproduce exactly" in out


def test_running_again_trains_nothing(finished, capsys):
  before = (finished / "runs.jsonl").read_text()
  assert main([*ARGS, "--out", str(finished)]) == 0
  assert "(0 runs trained" in capsys.readouterr().out
  assert (finished / "runs.jsonl").read_text() == before


def test_a_task_without_a_test_split_is_scored_on_validation():
  task = types.SimpleNamespace(name="t", metric="loss", higher_is_better=False, test=None,
                               steps=10)
  run = lambda v: {"validation": v, "test": None, "curve": [1.0, 0.5]}  # noqa: E731
  result = protocol.summarise(task, "opt", [(0.1, None, [run(2.0), run(4.0)]),
                                            (0.3, None, [run(1.0), run(1.5)])])
  assert result["scored_on"] == "validation" and result["learning_rate"] == 0.3
  assert result["test"]["values"] == [1.0, 1.5] and result["test"]["mean"] == 1.25


def test_tiers_and_names_mix_in_order_without_repeats():
  names = landscape.task_names("target,char_lm,quadratic")
  assert names == ["shapes_cnn", "char_lm", "quadratic"]


@pytest.mark.parametrize("args, message", [
    (["--tasks", "nope"], "unknown task"),
    (["--baselines", "adamx"], "unknown baseline"),
    (["--baselines", "none"], "at least one baseline"),
    (["--trials", "0"], "--trials must be at least 1"),
    (["--seeds", "x"], "--seeds expects an integer"),
    (["--lr-scale", "x"], "--lr-scale expects a number"),
    (["--lr-scale", "0"], "--lr-scale must be a positive number"),
    (["--lr-scale", "nan"], "--lr-scale must be a positive number"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, message):
  code = main(["bench", "landscape", "--out", str(tmp_path / "o"), "--no-progress", *args])
  err = capsys.readouterr().err
  assert code == 2 and message in err and len(err.strip().splitlines()) == 1
