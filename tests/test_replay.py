"""Replay on a real shrunken run (proxy, funnel and meta stages): it reproduces exactly, a
tampered record is named, other environments need a tolerance, bad input is one line.

A replay costs one compile per task (training these tasks takes milliseconds), so the run
uses one task for all its stages and only two tests replay, through the command line; how
a mismatch is named is checked against the run's own recorded values.
"""

import collections
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from discover.audit import replay as replay_lib
from discover.__main__ import main
from discover.errors import UserError
from discover.execute.evaluate import Evaluation
from discover.search import rundir
from support import event_lines as read_events


@pytest.fixture(scope="module")
def run_dir(staged_run):
  """conftest's shrunken staged run (test_report reads the same one)."""
  return staged_run


@pytest.fixture(scope="module")
def recorded(run_dir):
  """The run's evaluations, and each one as the Evaluation it recorded (what an exact
  replay gives back)."""
  records, crashed = replay_lib.recorded_evaluations(replay_lib.load_run(run_dir))
  assert not crashed

  def value(x):
    return math.nan if x is None else x

  return records, [Evaluation(
      -math.inf if r.event["fitness"] is None else r.event["fitness"],
      {t: tuple(map(value, v)) for t, v in r.event["metrics"].items()}, r.event["failure"])
      for r in records]


def test_the_command_replays_every_evaluation_exactly(run_dir, capsys):
  assert main(["replay", str(run_dir), "--no-progress"]) == 0
  out = capsys.readouterr().out
  trained = [e for e in read_events(run_dir) if not e["cached"] and "metrics" in e]
  counters = json.loads((run_dir / "checkpoint.json").read_text())["counters"]
  # The search's own counts: every proxy, funnel and meta evaluation is replayed, the
  # finalists' meta-validations at the end included.
  meta = counters["validated"] + counters["finalists"]
  n = counters["evaluated"] + counters["funneled"] + meta
  by_stage = f"funnel {counters['funneled']}, meta {meta}, proxy {counters['evaluated']}"
  assert len(trained) == n and counters["finalists"] > 0
  assert f"replayed {n} of {n} recorded evaluations ({by_stage})" in out
  assert f"all {n} reproduce exactly" in out and "on 1 worker" in out


def test_recorded_failures_and_non_finite_values_match_themselves(run_dir, recorded):
  records, evaluations = recorded
  run = replay_lib.load_run(run_dir)
  assert replay_lib.mismatches(run, records, evaluations, None) == []
  assert any(e.failed for e in evaluations) and not all(e.failed for e in evaluations)


def test_a_sample_is_evenly_spaced_and_keeps_the_start_and_each_stage_best(run_dir):
  records, _ = replay_lib.recorded_evaluations(replay_lib.load_run(run_dir))

  def fitness(r):
    return -np.inf if r.event["fitness"] is None else r.event["fitness"]

  bests = [max((r for r in records if r.stage == s), key=fitness) for s in ("proxy", "funnel",
                                                                            "meta")]
  anchors = [records[0]] + [b for b in bests if b is not records[0]]
  others = [r for r in records if all(r is not a for a in anchors)]
  for limit in (1, 2, 5, 9, len(records)):
    chosen = replay_lib.sample(records, limit)
    assert len(chosen) == max(limit, len(anchors))
    assert all(any(r is a for r in chosen) for a in anchors)
    lines = [r.line for r in chosen]
    assert lines == sorted(set(lines))
    gaps = np.diff([others.index(r) for r in chosen if r in others])
    assert limit < 9 or gaps.max() - gaps.min() <= 1


def _tampered_copy(run_dir: Path, tmp_path: Path, kind: str, field: str, best: bool = False):
  """A copy of the run with one recorded number of a trained ``kind`` event (the middle
  one, or the fittest) moved by one ulp; returns the copy, the event's line number, the
  event and what was changed (task or "fitness")."""
  copy = tmp_path / "run"
  shutil.copytree(run_dir, copy)
  lines = (copy / "events.jsonl").read_text().splitlines()
  events = [json.loads(line) for line in lines]
  candidates = [i for i, e in enumerate(events) if e["event"] == kind and not e["cached"]
                and e["fitness"] is not None]
  index = (max(candidates, key=lambda i: events[i]["fitness"]) if best
           else candidates[len(candidates) // 2])
  event = json.loads(lines[index])
  if field == "fitness":
    event["fitness"] = float(np.nextafter(event["fitness"], np.inf))
    changed = "fitness"
  else:
    changed = next(iter(event["metrics"]))
    event["metrics"][changed][0] = float(np.nextafter(event["metrics"][changed][0], np.inf))
  lines[index] = json.dumps(event)
  (copy / "events.jsonl").write_text("\n".join(lines) + "\n")
  return copy, index + 1, event, changed


@pytest.mark.parametrize("kind,field,stage,seed", [("candidate", "metric", "proxy", 0),
                                                   ("funnel", "fitness", "funnel", 1),
                                                   ("meta", "metric", "meta", 2)])
def test_a_tampered_record_is_named(run_dir, recorded, tmp_path, kind, field, stage, seed):
  records, evaluations = recorded
  copy, line, event, changed = _tampered_copy(run_dir, tmp_path, kind, field)
  run = replay_lib.load_run(copy)
  tampered, _ = replay_lib.recorded_evaluations(run)
  differing = replay_lib.mismatches(run, tampered, evaluations, None)
  assert len(differing) == 1
  record, detail = differing[0]
  assert record.line == line and record.stage == stage and record.event["id"] == event["id"]
  original = next(e for r, e in zip(records, evaluations) if r.line == line)
  if field == "fitness":
    assert detail == f"fitness: recorded {event['fitness']!r}, replayed {original.fitness!r}"
  else:
    assert detail == (f"{changed} seed {seed}: recorded {event['metrics'][changed][0]!r}, "
                      f"replayed {original.metrics[changed][0]!r}")
  # One ulp is within any tolerance, so a relative comparison accepts it.
  assert replay_lib.mismatches(run, tampered, evaluations, 1e-12) == []


def test_the_command_fails_naming_the_tampered_candidate(run_dir, tmp_path, capsys):
  # The best candidate is in every sample, so a sample of 5 finds it.
  copy, line, event, changed = _tampered_copy(run_dir, tmp_path, "candidate", "metric", True)
  assert main(["replay", str(copy), "--limit", "5", "--no-progress"]) == 2
  err = capsys.readouterr().err.strip().splitlines()
  assert len(err) == 1
  assert err[0].startswith("discover: error: 1 of 5 replayed evaluations differ; first: ")
  assert (f"events.jsonl line {line}: candidate {event['id']} (proxy stage): {changed} seed 0: "
          f"recorded {event['metrics'][changed][0]!r}, replayed ") in err[0]


def test_another_environment_needs_a_tolerance(run_dir, tmp_path, capsys):
  copy = tmp_path / "run"
  shutil.copytree(run_dir, copy)
  manifest = json.loads((copy / "manifest.json").read_text())
  manifest["packages"]["jax"] = "0.0.1"
  manifest["machine"]["cpus"] = 512
  (copy / "manifest.json").write_text(json.dumps(manifest))
  assert main(["replay", str(copy), "--no-progress"]) == 2
  err = capsys.readouterr().err.strip().splitlines()
  assert len(err) == 1 and "jax 0.0.1 (now " in err[0] and "machine cpus 512 (now " in err[0]
  assert "--tolerance" in err[0]
  notes = replay_lib.notes(replay_lib.load_run(copy), 1e-6)
  assert "comparing within relative tolerance 1e-06" in notes[0]


@pytest.mark.parametrize("field, value, differs", [
    ("platform", "Linux-0.0-other-kernel-build", False),  # the kernel does not round floats
    ("isa", "avx2", True), ("cpu", "Some Other CPU", True), ("cpus", 512, True)])
def test_only_what_decides_float_results_asks_for_a_tolerance(run_dir, field, value, differs):
  manifest = json.loads((run_dir / "manifest.json").read_text())
  assert manifest["machine"] == rundir.machine()  # recorded here and now
  manifest["machine"][field] = value
  found = replay_lib.environment_differences(manifest)
  assert bool(found) == differs, found
  assert all(f"machine {field} {value}" in line for line in found)


def test_a_manifest_without_the_cpu_fields_predates_them_and_is_from_elsewhere(run_dir):
  manifest = json.loads((run_dir / "manifest.json").read_text())
  for field in ("cpu", "isa"):
    del manifest["machine"][field]
  assert [line.split(" (now")[0] for line in replay_lib.environment_differences(manifest)] == [
      "machine cpu None", "machine isa None"]


@pytest.mark.parametrize("failure", ["worker died (exit code -9)", "timed out after 600 s",
                                     "evaluator raised MemoryError"])
def test_evaluations_the_machine_failed_are_not_replayed(run_dir, recorded, tmp_path, failure):
  copy, line, event, _ = _tampered_copy(run_dir, tmp_path, "candidate", "fitness")
  lines = (copy / "events.jsonl").read_text().splitlines()
  lines[line - 1] = json.dumps({**event, "fitness": None, "metrics": {}, "failure": failure})
  (copy / "events.jsonl").write_text("\n".join(lines) + "\n")
  replayable, crashed = replay_lib.recorded_evaluations(replay_lib.load_run(copy))
  assert [r.line for r in crashed] == [line]
  assert [r.line for r in replayable] == [r.line for r in recorded[0] if r.line != line]


def test_keys_an_old_config_lacks_are_left_out_where_the_stages_can_do_without(run_dir,
                                                                             tmp_path):
  copy = tmp_path / "run"
  shutil.copytree(run_dir, copy)
  text = (copy / "config.yaml").read_text()
  old = "\n".join(line for line in text.splitlines()
                  if not line.strip().startswith(("method:", "workers:")))
  (copy / "config.yaml").write_text(old + "\n")
  run = replay_lib.load_run(copy)
  assert {"evaluation.method", "evaluation.workers"} <= set(run.defaulted)
  cfg, left_out, filled = replay_lib.stage_config(run)
  assert "evaluation.workers" in left_out  # the stages never read it
  assert filled == ["evaluation.method"] and cfg.evaluation.method == "machine"
  said = replay_lib.notes(run, None)
  assert any("evaluation.method: today's defaults stand in" in line for line in said)


def test_a_config_from_before_lr_scaling_replays_with_lr_only_scaling(run_dir, tmp_path):
  from discover.search.executors import stages

  copy = tmp_path / "run"
  shutil.copytree(run_dir, copy)
  text = (copy / "config.yaml").read_text()
  assert "lr_scaling: step" in text  # a new run records the scaling it was scored with
  (copy / "config.yaml").write_text("\n".join(
      line for line in text.splitlines() if "lr_scaling:" not in line) + "\n")
  run = replay_lib.load_run(copy)
  cfg, left_out, _ = replay_lib.stage_config(run)
  assert {"funnel.lr_scaling", "meta_validation.lr_scaling"} <= set(left_out)
  built = stages(cfg, collections.defaultdict(dict, run.references))
  assert {built[s]["lr_scaling"] for s in ("funnel", "meta") if s in built} == {"lr"}
  today = stages(replay_lib.load_run(run_dir).cfg,
                 collections.defaultdict(dict, run.references))
  assert {today[s]["lr_scaling"] for s in ("funnel", "meta") if s in today} == {"step"}


@pytest.mark.parametrize("value,relative,tolerance,agree", [
    (None, float("nan"), None, True), (None, float("-inf"), None, True),
    (1.0, float("nan"), 1.0, False), (None, 1.0, 1.0, False), (0.5, 0.5, None, True),
    (0.5, float(np.nextafter(0.5, 1)), None, False), (1.0, 1.0 + 1e-7, 1e-6, True),
    (1.0, 1.0 + 1e-5, 1e-6, False), (-2.0, -2.0, 0.0, True)])
def test_values_agree_exactly_or_relatively(value, relative, tolerance, agree):
  assert replay_lib.same(value, relative, tolerance) is agree


def _broken(run_dir: Path, tmp_path: Path, how: str) -> Path:
  copy = tmp_path / how
  shutil.copytree(run_dir, copy)
  if how == "no_config":
    (copy / "config.yaml").unlink()
  elif how == "corrupt_line":
    lines = (copy / "events.jsonl").read_text().splitlines()
    lines[3] = lines[3][:40]
    (copy / "events.jsonl").write_text("\n".join(lines) + "\n")
  elif how == "bad_config":
    (copy / "config.yaml").write_text("search: {population: -1}\n")
  elif how == "no_references":
    (copy / "manifest.json").write_text(json.dumps({"seed": 0}))
  return copy


@pytest.mark.parametrize("how,message", [
    ("not_a_run", "is not a run directory"), ("no_config", "is not a run directory (no "
                                              "config.yaml)"),
    ("corrupt_line", "events.jsonl:4: not a JSON event"),
    ("bad_config", "search.population: must be positive"),
    ("no_references", "a manifest with no reference scores")])
@pytest.mark.parametrize("command", ["replay", "report"])
def test_bad_input_is_a_one_line_error(run_dir, tmp_path, capsys, how, message, command):
  path = tmp_path / "empty" if how == "not_a_run" else _broken(run_dir, tmp_path, how)
  if how == "not_a_run":
    path.mkdir()
  assert main([command, str(path)]) == 2
  out, err = capsys.readouterr()
  assert out == "" and err.count("\n") == 1 and err.startswith("discover: error: ")
  assert message in err, err


def test_bad_options_are_one_line_errors(run_dir, capsys):
  for option in (["--limit", "0"], ["--tolerance", "-1"], ["--workers", "0"]):
    assert main(["replay", str(run_dir), *option]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and option[0] in err[0]


def test_a_cut_short_last_line_is_dropped_not_an_error(run_dir, tmp_path):
  copy = tmp_path / "run"
  shutil.copytree(run_dir, copy)
  text = (copy / "events.jsonl").read_text()
  (copy / "events.jsonl").write_text(text + '{"event": "candidate", "id": 9')
  run = replay_lib.load_run(copy)
  assert run.truncated and len(run.records) == len(text.splitlines())
  assert any("cut-short" in note for note in replay_lib.notes(run, None))
  with pytest.raises(UserError, match="not a JSON event"):
    (copy / "events.jsonl").write_text('{"event": "start", "program": ""\n' + text)
    replay_lib.load_run(copy)


def test_cached_children_without_their_text_and_old_logs_with_it_are_read(run_dir, tmp_path):
  """Cached children are logged without their text; a log from before kept every text
  (tests/data/run_20261205). Both load; only an evaluation must have its program."""
  compact = replay_lib.load_run(run_dir)
  assert any(r.event["cached"] and "program" not in r.event for r in compact.records)
  old = replay_lib.load_run(Path(__file__).parent / "data/run_20261205")
  assert all("program" in r.event for r in old.records)
  for run in (compact, old):
    replayable, _ = replay_lib.recorded_evaluations(run)
    assert replayable and all(isinstance(r.event["program"], str) for r in replayable)
  copy = tmp_path / "run"
  shutil.copytree(run_dir, copy)
  lines = (copy / "events.jsonl").read_text().splitlines()
  n, trained = next((n, e) for n, e in enumerate(map(json.loads, lines))
                    if e["event"] == "candidate" and not e["cached"])
  del trained["program"]
  lines[n] = json.dumps(trained)
  (copy / "events.jsonl").write_text("\n".join(lines) + "\n")
  with pytest.raises(UserError, match=f":{n + 1}: an event without its program text"):
    replay_lib.load_run(copy)
