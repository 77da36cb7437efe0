"""Reference scores: tuning picks the best trial; stale or missing references are errors."""

import dataclasses
import json

import numpy as np
import pytest

from discover import reference
from proxy_tasks import get_task


def test_tuning_picks_the_best_finished_trial_and_pairs_it_with_each_seed():
  task = get_task("logistic")
  record = reference.tune(task, seeds=(0, 1), learning_rates=(1e-4, 1e-2, 10.0),
                          weight_decays=(0.0,), paired_seeds=(0, 1, 2))
  finished = [np.mean(t["values"]) for t in record["trials"] if None not in t["values"]]
  assert record["value"] == pytest.approx(min(finished))
  assert len(record["trials"]) == 3 and record["learning_rate"] != 1e-4
  best = next(t for t in record["trials"] if t["learning_rate"] == record["learning_rate"])
  # The paired runs repeat the chosen trial exactly on the tuning seeds, and go on past them.
  assert [record["per_seed"][s] for s in ("0", "1")] == best["values"]
  assert set(record["per_seed"]) == {"0", "1", "2"}
  assert record["per_seed"]["2"] not in best["values"]


def test_fingerprint_tracks_the_task_definition():
  task = get_task("quadratic")
  assert reference.fingerprint(task) == reference.fingerprint(task)
  assert reference.fingerprint(dataclasses.replace(task, steps=task.steps + 1)) != \
      reference.fingerprint(task)
  assert reference.fingerprint(get_task("noisy_quadratic")) != reference.fingerprint(task)


def test_load_rejects_missing_and_stale_references(tmp_path):
  path = tmp_path / "adamw.json"
  with pytest.raises(reference.ReferenceError, match="no AdamW reference"):
    reference.load(["quadratic"], path=path)
  reference.compute(["quadratic"], path, seeds=(0,), log=lambda _: None)
  paired = reference.load(["quadratic"], seeds=[3, 1], path=path)["quadratic"]
  stored = json.loads(path.read_text())
  assert paired == {1: stored["quadratic"]["per_seed"]["1"], 3: stored["quadratic"]["per_seed"]["3"]}
  with pytest.raises(reference.ReferenceError, match="no run with seed 99"):
    reference.load(["quadratic"], seeds=[0, 99], path=path)
  stored["quadratic"]["fingerprint"] = "0" * 16
  path.write_text(json.dumps(stored))
  with pytest.raises(reference.ReferenceError, match="stale"):
    reference.load(["quadratic"], path=path)


def test_committed_references_are_current_for_the_default_search():
  # The committed file must be regenerated whenever a task the default config uses changes.
  from discover.config import DEFAULTS
  from proxy_tasks import task_names
  for section in ("evaluation", "funnel", "meta_validation"):
    tasks, seeds = DEFAULTS[section]["tasks"], DEFAULTS[section]["seeds"]
    values = reference.load(tasks, seeds)
    assert all(np.isfinite(v) for paired in values.values() for v in paired.values())
  assert reference.load(task_names("proxy"), reference.PAIRED_SEEDS)
