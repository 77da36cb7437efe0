"""Reference scores: tuning picks the best trial; stale or missing references are errors."""

import dataclasses
import json

import numpy as np
import pytest

from discover import reference
from proxy_tasks import get_task


def test_tuning_picks_the_best_finished_trial():
  task = get_task("logistic")
  record = reference.tune(task, seeds=(0,), learning_rates=(1e-4, 1e-2, 10.0),
                          weight_decays=(0.0,))
  finished = [np.mean(t["values"]) for t in record["trials"] if None not in t["values"]]
  assert record["value"] == pytest.approx(min(finished))
  assert len(record["trials"]) == 3 and record["learning_rate"] != 1e-4


def test_fingerprint_tracks_the_task_definition():
  task = get_task("quadratic")
  assert reference.fingerprint(task) == reference.fingerprint(task)
  assert reference.fingerprint(dataclasses.replace(task, steps=task.steps + 1)) != \
      reference.fingerprint(task)
  assert reference.fingerprint(get_task("noisy_quadratic")) != reference.fingerprint(task)


def test_load_rejects_missing_and_stale_references(tmp_path):
  path = tmp_path / "adamw.json"
  with pytest.raises(reference.ReferenceError, match="no AdamW reference"):
    reference.load(["quadratic"], path)
  reference.compute(["quadratic"], path, seeds=(0,), log=lambda _: None)
  value = reference.load(["quadratic"], path)["quadratic"]
  assert value == json.loads(path.read_text())["quadratic"]["value"]
  stored = json.loads(path.read_text())
  stored["quadratic"]["fingerprint"] = "0" * 16
  path.write_text(json.dumps(stored))
  with pytest.raises(reference.ReferenceError, match="stale"):
    reference.load(["quadratic"], path)


def test_committed_references_are_current_for_the_proxy_tier():
  # The committed file must be regenerated whenever a proxy task changes.
  from proxy_tasks import task_names
  values = reference.load(task_names("proxy"))
  assert all(np.isfinite(v) for v in values.values())
