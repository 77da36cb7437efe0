"""Validation: equal tuning budgets, choice on validation, test scores with t intervals.

One shrunken validation (a program file, AdamW and SGD on two tiny tasks, 2 trials, 5
seeds) runs once for the module; the tests read its outputs and its run log. Numbers are
checked against independent computations: scipy's t interval, optax's own AdamW, a Python
loop for the loss curve.
"""

from __future__ import annotations

import dataclasses
import json
import math

import jax
import numpy as np
import optax
import pytest
from PIL import Image
from scipy import stats

from discover.validate import protocol as validate
from discover.__main__ import main
from discover.dsl.baselines import BASELINES
from discover.dsl.hyperparameters import hyperparameters
from proxy_tasks import get_task, make_trainer, task_names
from proxy_tasks.text import held_out_starts

PROGRAM = """\
def train(w, g, m, lr):
  update = interp(g, m, 0.9)
  update = sign(update)
  m = interp(g, m, 0.99)
  decay = w * 0.3
  update = update + decay
  lr = lr * 0.001
  update = update * lr
  return update, m
"""
TASKS = ("noisy_quadratic", "logistic")
OPTIMIZERS = ("mylion", "adamw", "sgd")
TRIALS, SEEDS = 2, 5


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
  """(output directory, results.json, the run log's records) of one shrunken validation; the
  tests that read it are slow."""
  root = tmp_path_factory.mktemp("validate")
  (root / "mylion.py").write_text(PROGRAM)
  out = root / "out"
  text = validate.command([str(root / "mylion.py")], "adamw,sgd", ",".join(TASKS),
                          str(TRIALS), str(SEEDS), str(out), progress=False)
  assert f"{len(TASKS) * len(OPTIMIZERS) * TRIALS * SEEDS} runs trained" in text
  records = [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]
  return out, json.loads((out / "results.json").read_text()), records


def _result(results, task, optimizer):
  return next(r for r in results["results"] if (r["task"], r["optimizer"]) == (task, optimizer))


@pytest.mark.slow
def test_writes_a_table_row_per_task_and_optimizer_and_valid_pngs(validated):
  out, results, _ = validated
  table = (out / "results.md").read_text()
  for task in TASKS:
    for name in OPTIMIZERS:
      assert sum(line.startswith(f"| {task} | {name} |") for line in table.splitlines()) == 1
  # SGD cannot take a step on the condition-1e3 quadratic at these learning rates.
  assert "| noisy_quadratic | sgd | loss | diverged |" in table
  assert _result(results, "noisy_quadratic", "sgd")["chosen"] is None
  pngs = sorted(p.name for p in out.glob("*.png"))
  assert pngs == sorted(["scores.png"] + [f"curves_{t}.png" for t in TASKS])
  for name in pngs:
    with Image.open(out / name) as image:
      image.verify()
      assert image.format == "PNG" and min(image.size) > 100


@pytest.mark.slow
def test_every_optimizer_gets_the_same_trials_on_the_same_scale(validated):
  _, results, _ = validated
  centres = {o["label"]: o for o in results["protocol"]["optimizers"]}
  for task in TASKS:
    offsets = {}
    for name in OPTIMIZERS:
      trials = _result(results, task, name)["trials"]
      assert len(trials) == TRIALS
      lr_centre, wd_centre = centres[name]["lr_centre"], centres[name]["wd_centre"]
      offsets[name] = [round(math.log10(t["learning_rate"] / lr_centre), 4) for t in trials]
      if wd_centre is None:
        assert all(t["weight_decay"] is None for t in trials)
      else:
        offsets[name] += [round(math.log10(t["weight_decay"] / wd_centre), 4) for t in trials]
    assert offsets["mylion"] == offsets["adamw"]
    assert offsets["sgd"] == offsets["adamw"][:TRIALS]
    assert len(set(offsets["adamw"][:TRIALS])) == TRIALS
  # The program is centred on its own constants, a baseline on its conventional values.
  assert (centres["mylion"]["lr_centre"], centres["mylion"]["wd_centre"]) == (1.0, 0.3)
  assert (centres["adamw"]["lr_centre"], centres["adamw"]["wd_centre"]) == (1e-3, 0.01)


@pytest.mark.slow
def test_the_chosen_trial_is_best_on_validation_and_its_test_runs_are_reported(validated):
  _, results, records = validated
  assert len(records) == len({r["key"] for r in records}) == len(TASKS) * 3 * TRIALS * SEEDS
  for r in results["results"]:
    if r["chosen"] is None:
      continue
    runs = {}
    for rec in records:
      if (rec["task"], rec["optimizer"]) == (r["task"], r["optimizer"]):
        runs.setdefault((rec["learning_rate"], rec["weight_decay"]), []).append(rec)
    means = {hp: np.mean([x["validation"] for x in rs]) for hp, rs in runs.items()
             if all(x["validation"] is not None for x in rs)}
    best = min(means, key=means.get)
    assert (r["learning_rate"], r["weight_decay"]) == best
    chosen = sorted(runs[best], key=lambda x: x["seed"])
    assert [x["seed"] for x in chosen] == list(range(SEEDS))
    assert r["test"]["values"] == [x["test"] for x in chosen]
    assert r["validation"] == pytest.approx(means[best], rel=1e-12)
    low, high = stats.t.interval(0.95, SEEDS - 1, loc=np.mean(r["test"]["values"]),
                                 scale=stats.sem(r["test"]["values"]))
    assert (r["test"]["low"], r["test"]["high"]) == pytest.approx((low, high), rel=1e-9)
  # Logistic regression's test split is data of its own: not the validation numbers again.
  logistic = _result(results, "logistic", "adamw")
  assert logistic["test"]["mean"] != pytest.approx(logistic["validation"], rel=1e-3)


@pytest.mark.slow
def test_validating_adamw_gives_optax_adamws_test_loss(validated):
  _, results, _ = validated
  r = _result(results, "logistic", "adamw")
  task = get_task("logistic")
  run = make_trainer(task, lambda hp: optax.adamw(lambda c: task.schedule(c) * hp[0],
                                                  weight_decay=hp[1]), test=True)
  hp = (np.float32(r["learning_rate"]), np.float32(r["weight_decay"]))
  direct = [float(run(hp, jax.random.key(s)).test_metrics["loss"]) for s in range(SEEDS)]
  np.testing.assert_allclose(r["test"]["values"], direct, rtol=1e-4)


def test_the_choice_follows_validation_even_when_another_trial_tests_better():
  task = get_task("logistic")
  curve = [1.0] * 4

  def runs(validation, test):
    return [{"validation": v, "test": t, "curve": curve} for v, t in zip(validation, test)]

  trial_runs = [(1e-3, None, runs([0.50, 0.52], [0.40, 0.41])),  # best on test
                (1e-2, None, runs([0.30, 0.34], [0.60, 0.70])),  # best on validation
                (1e-1, None, runs([0.10, None], [0.10, None]))]  # a diverged seed: out
  result = validate.summarise(task, "x", trial_runs)
  assert result["chosen"] == 1 and result["learning_rate"] == 1e-2
  assert result["test"]["values"] == [0.60, 0.70]
  assert result["test"]["mean"] == pytest.approx(0.65)
  assert result["trials"][2] == {"index": 2, "learning_rate": 1e-1, "weight_decay": None,
                                 "diverged_seeds": 1, "validation": None}
  flipped = validate.summarise(dataclasses.replace(task, higher_is_better=True), "x",
                               trial_runs)
  assert flipped["chosen"] == 0


def test_the_task_print_that_keys_the_run_log_covers_the_test_split():
  from proxy_tasks.identity import _installed_source, identity

  task = get_task("logistic")
  before = validate.task_print(task)
  assert validate.task_print(dataclasses.replace(task)) == before == identity(task)
  # The test split is the task's code: drawn with another seed, it is another task.
  moved = identity(task, lambda name: _installed_source(name).replace(
      "default_rng(2)", "default_rng(3)"))
  assert moved != before


def test_replay_checks_task_identities_and_notes_older_float_prints(capsys):
  from discover.validate import replay as replay_validate
  from discover.errors import UserError

  def records(*prints):
    return [{"task": "logistic", "key": f"logistic|{p}|hash|0.1|None|0|50"} for p in prints]
  today = validate.task_print(get_task("logistic"))
  replay_validate._check_tasks(records(today, today))
  assert capsys.readouterr().err == ""
  older = "0123456789abcdef"  # a float-checksum print: 16 digits, machine-dependent
  replay_validate._check_tasks(records(older, today))
  assert "not checked for a changed task" in capsys.readouterr().err
  with pytest.raises(UserError, match="logistic has changed since the recording"):
    replay_validate._check_tasks(records(today, "0" * len(today)))


@pytest.mark.parametrize("seed", range(4))
def test_confidence_interval_matches_scipy(seed):
  values = np.random.default_rng(seed).lognormal(size=3 + seed)
  mean, low, high = validate.confidence_interval(values)
  expected = stats.t.interval(0.95, len(values) - 1, loc=values.mean(),
                              scale=stats.sem(values))
  assert mean == pytest.approx(values.mean())
  assert (low, high) == pytest.approx(expected, rel=1e-10)


def test_resume_trains_only_what_the_log_lacks(tmp_path, monkeypatch):
  calls = []
  original = validate.train_once

  def counted(run, task, lr, wd, seed):
    calls.append((lr, wd, seed))
    return original(run, task, lr, wd, seed)

  monkeypatch.setattr(validate, "train_once", counted)
  out = tmp_path / "out"

  def again(trials):
    calls.clear()
    validate.command(["sgd"], "none", "rosenbrock", str(trials), "2", str(out),
                     progress=False)
    return list(calls), (out / "results.json").read_text()

  first, results = again(1)
  assert len(first) == 2
  assert again(1) == ([], results)
  second, _ = again(2)  # the Halton sequence extends: trial 1 is reused, trial 2 runs
  assert len(second) == 2 and not set(second) & set(first)
  log = out / "runs.jsonl"
  lines = log.read_text().splitlines()
  log.write_text("\n".join(lines[:-1] + [lines[-1][:40]]))  # a write cut short
  retrained, _ = again(2)
  assert retrained == [second[-1]]
  assert len(log.read_text().splitlines()) == 5  # four runs and the broken line


@pytest.mark.slow
def test_replay_retrains_the_recorded_runs_and_they_reproduce_exactly(validated, capsys):
  out, _, records = validated
  manifest = json.loads((out / "manifest.json").read_text())
  assert manifest["command"][:2] == ["validate", str(out.parent / "mylion.py")]
  assert main(["replay", str(out), "--limit", "4", "--no-progress"]) == 0
  assert f"replayed 4 of {len(records)} training runs" in capsys.readouterr().out


def _copy(out, tmp_path):
  copy = tmp_path / "copy"
  copy.mkdir()
  for name in ("manifest.json", "results.json", "runs.jsonl"):
    (copy / name).write_text((out / name).read_text())
  return copy


@pytest.mark.slow
def test_replay_names_the_first_run_that_differs(validated, tmp_path, capsys):
  out, _, records = validated
  copy = _copy(out, tmp_path)
  changed = dict(records[0], test=records[0]["test"] * (1 + 1e-7))
  (copy / "runs.jsonl").write_text("\n".join(json.dumps(r) for r in [changed, *records[1:]]))
  assert main(["replay", str(copy), "--limit", "1", "--no-progress"]) == 2
  _, err = capsys.readouterr()
  assert err.count("\n") == 1 and f"run {records[0]['key']} " in err and "test: recorded" in err
  # Within a relative tolerance the change is not a difference.
  assert main(["replay", str(copy), "--limit", "1", "--tolerance", "1e-6", "--no-progress"]) == 0


@pytest.mark.slow
def test_replay_of_a_damaged_run_log_is_one_line_and_exit_2(validated, tmp_path, capsys):
  out, _, records = validated
  copy = _copy(out, tmp_path)
  damaged = {k: v for k, v in records[0].items() if k != "curve"}
  (copy / "runs.jsonl").write_text(json.dumps(damaged) + "\n")
  assert main(["replay", str(copy), "--no-progress"]) == 2
  err = capsys.readouterr().err
  assert err.count("\n") == 1 and "lacks curve" in err


@pytest.mark.slow
def test_replay_of_a_validation_from_elsewhere_needs_a_tolerance(validated, tmp_path, capsys):
  out, _, _ = validated
  copy = _copy(out, tmp_path)
  manifest = json.loads((copy / "manifest.json").read_text())
  manifest["packages"]["jax"] = "0.0.1"
  (copy / "manifest.json").write_text(json.dumps(manifest))
  assert main(["replay", str(copy), "--limit", "1", "--no-progress"]) == 2
  assert "jax 0.0.1" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["adamw", "--tasks", "no_such_task"], "unknown task no_such_task"),
    (["adamw", "--tasks", "rosenbrock", "--baselines", "adamw,adamx"], "unknown baseline adamx"),
    (["adamx", "--tasks", "rosenbrock"], "'adamx' is neither a program file nor a baseline"),
    (["adamw", "--tasks", "rosenbrock", "--trials", "0"], "--trials must be at least 1"),
    (["adamw", "--tasks", "rosenbrock", "--trials", "many"], "--trials expects an integer"),
    (["adamw", "--tasks", "rosenbrock", "--seeds", "1"], "--seeds must be at least 2"),
    (["adamw", "--tasks", "digits_mlp"], "digits_mlp has no held-out test split"),
])
def test_bad_input_is_one_line_and_exit_code_2(argv, message, tmp_path, capsys):
  assert main(["validate", *argv, "--out", str(tmp_path / "out"), "--no-progress"]) == 2
  out, err = capsys.readouterr()
  assert out == "" and err.count("\n") == 1 and err.startswith("discover: error: ")
  assert message in err
  assert not (tmp_path / "out").exists()  # nothing is written before the input checks out


def test_an_output_path_that_is_a_file_is_one_line_and_exit_code_2(tmp_path, capsys):
  (tmp_path / "taken").write_text("")
  argv = ["validate", "adamw", "--tasks", "rosenbrock", "--out", str(tmp_path / "taken")]
  assert main(argv + ["--no-progress"]) == 2
  _, err = capsys.readouterr()
  assert err.startswith("discover: error: cannot create the output directory")


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_every_baseline_has_a_search_centre_and_tunes_weight_decay_if_it_has_one(name):
  opt = validate.optimizer(name)
  has_decay = any(h.name == "weight_decay" for h in hyperparameters(opt.program))
  assert opt.lr_centre > 0 and (opt.wd_centre is not None) == has_decay
  assert opt.wd_centre is None or opt.wd_centre > 0


@pytest.mark.parametrize("name", task_names())
def test_every_task_with_data_left_has_a_test_split_reporting_its_metric(name):
  task = get_task(name)
  if task.test is None:
    assert name.startswith("digits_")  # every digits image is in training or validation
    return
  # Shapes only (a compile per transformer would cost seconds); values: the run above.
  metrics = jax.eval_shape(lambda key: task.test(task.init(key)), jax.random.key(0))
  assert metrics.keys() == jax.eval_shape(lambda key: task.evaluate(task.init(key)),
                                          jax.random.key(0)).keys()
  assert metrics[task.metric].shape == () and metrics[task.metric].dtype == np.float32


def test_text_test_windows_share_no_character_with_validation_windows():
  length, ctx = 29443, 64
  val, test = (np.asarray(s) for s in held_out_starts(length, ctx))
  assert len(val) == len(test) == 64 and test.max() + ctx + 1 <= length
  spans = sorted([(s, s + ctx + 1) for s in val] + [(s, s + ctx + 1) for s in test])
  assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))


def test_the_recorded_curve_is_the_mean_loss_over_equal_spans():
  task = get_task("rosenbrock")  # its loss reads no batch
  tx = optax.sgd(1e-4)
  result = make_trainer(task, lambda _: tx, curve_points=10)(None, jax.random.key(0))
  assert not bool(result.diverged)

  @jax.jit
  def step(params, state):
    loss, grads = jax.value_and_grad(task.loss)(params, ())
    updates, state = tx.update(grads, state, params)
    return loss, optax.apply_updates(params, updates), state

  params = task.init(jax.random.split(jax.random.key(0))[0])
  state, losses = tx.init(params), []
  for _ in range(task.steps):
    loss, params, state = step(params, state)
    losses.append(float(loss))
  np.testing.assert_allclose(result.curve, np.mean(np.reshape(losses, (10, -1)), 1), rtol=1e-5)
  # A diverging run leaves the spans it never reached empty (NaN).
  bad = make_trainer(task, lambda _: optax.sgd(10.0), curve_points=10)(None, jax.random.key(0))
  assert bool(bad.diverged) and int(bad.steps) < task.steps * 9 // 10
  assert np.isnan(np.asarray(bad.curve)[-1]) and np.isfinite(np.asarray(bad.curve)[0])


def test_a_rule_that_never_reads_lr_is_tuned_like_the_others(tmp_path):
  """export.to_optax scales its update by each trial's learning rate, so the trials differ
  (they were all the same run before); its run-log keys are new ones."""
  dead = PROGRAM.replace("  lr = lr * 0.001\n", "  lr = w * 0.0\n  lr = lr + 0.001\n")
  (tmp_path / "dead.py").write_text(dead)
  out = tmp_path / "out"
  validate.command([str(tmp_path / "dead.py")], "none", "rosenbrock", "2", "2", str(out),
                   progress=False)
  (result,) = json.loads((out / "results.json").read_text())["results"]
  rates = [t["learning_rate"] for t in result["trials"]]
  metrics = [t["validation"] for t in result["trials"]]
  assert len(set(rates)) == 2 and len(set(metrics)) == 2, result["trials"]
  records = [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]
  assert all("+update-scaled|" in r["key"] for r in records)


def _scored(optimizer, values, higher_is_better=False, task="t"):
  return {"task": task, "optimizer": optimizer, "higher_is_better": higher_is_better,
          "chosen": 0, "test": {"values": list(values)}}


def test_each_optimizer_is_compared_with_adamw_seed_by_seed():
  adamw = np.array([1.0, 1.4, 0.8, 1.2, 0.9])  # seeds spread far more than the differences
  results = [_scored("adamw", adamw), _scored("lower", adamw - [0.05, 0.04, 0.06, 0.05, 0.05]),
             _scored("noise", adamw + [0.02, -0.03, 0.01, -0.02, 0.01]),
             _scored("higher", adamw + 0.1), {**_scored("gone", adamw), "chosen": None}]
  validate.compare_paired(results)
  verdicts = {r["optimizer"]: r.get("vs_adamw", {}).get("verdict") for r in results}
  assert verdicts == {"adamw": None, "lower": "better", "noise": "no clear difference",
                      "higher": "worse", "gone": None}
  lower = results[1]["vs_adamw"]
  mean, low, high = validate.confidence_interval(np.subtract(results[1]["test"]["values"], adamw))
  assert (lower["mean"], lower["low"], lower["high"]) == (mean, low, high)
  assert lower["mean"] == pytest.approx(-0.05)
  # Unpaired, the same scores' intervals overlap: pairing is what separates them.
  assert validate.confidence_interval(adamw - 0.05)[2] > validate.confidence_interval(adamw)[1]
  # For an accuracy, higher is better.
  accuracy = [_scored("adamw", adamw, True), _scored("higher", adamw + 0.1, True)]
  validate.compare_paired(accuracy)
  assert accuracy[1]["vs_adamw"]["verdict"] == "better"
