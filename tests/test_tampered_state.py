"""Tampered or damaged state files: each is a one-line error naming the file and the field,
never a traceback and never a resume that silently goes on from a wrong state."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from discover.errors import UserError
from discover.search.state import SearchState, StateError
from support import evolve_small

pytestmark = pytest.mark.slow  # a search, then a resume per tampering


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
  """A small serial run with a checkpoint and events logged after it."""
  root = tmp_path_factory.mktemp("tampered")
  _, run_dir = evolve_small(root, "12")
  return Path(run_dir)


def _copy(run_dir: Path, tmp_path: Path) -> Path:
  copy = tmp_path / "run"
  shutil.copytree(run_dir, copy)
  return copy


def _resume_error(run_dir: Path) -> str:
  with pytest.raises(UserError) as failed:
    evolve_small(run_dir.parent, "20", resume=str(run_dir))
  message = str(failed.value)
  assert "\n" not in message and len(message) < 400, message
  return message


def _set(data: dict, dotted: str, value) -> None:
  *path, last = dotted.split(".")
  for key in path:
    data = data[key]
  data[last] = value


@pytest.mark.parametrize("field, value, expected", [
    ("counters.bogus", 1, "counters.bogus: unknown key"),
    ("evolution.population", 5, "evolution.population: expected a list, got 5"),
    ("events", "abc", "events: expected a count of events, got 'abc'"),
    ("events", -5, "events: expected a count of events, got -5"),
    ("events", 1e6, "events: expected a count of events, got 1000000.0"),
    ("events", 10**6, "events: accounts for 1000000 events but events.jsonl holds "),
    ("elapsed", "x", "elapsed: expected seconds >= 0, got 'x'"),
    ("counters.evaluated", 10**6, "counters.evaluated: 1000000 evaluations cannot come"),
    ("evolution.rng", {"state": 1}, "evolution.rng: not the state of NumPy's PCG64"),
    ("queue", [{"stage": "funnel"}], "queue[0].id: missing"),
    ("cache.abc", "high", "cache['abc']: expected a number or null, got 'high'"),
    ("evolution.best.genome", {"statements": "import os"}, "evolution.best.genome: not a "),
])
def test_a_tampered_checkpoint_field_is_one_line_naming_it(run_dir, tmp_path, field, value,
                                                         expected):
  copy = _copy(run_dir, tmp_path)
  data = json.loads((copy / "checkpoint.json").read_text())
  _set(data, field, value)
  (copy / "checkpoint.json").write_text(json.dumps(data))
  message = _resume_error(copy)
  assert f"{copy / 'checkpoint.json'}: {expected}" in message


def test_a_checkpoint_that_is_not_an_object_is_one_line(run_dir, tmp_path):
  copy = _copy(run_dir, tmp_path)
  (copy / "checkpoint.json").write_text("[]")
  assert f"{copy / 'checkpoint.json'}: expected an object, got []" in _resume_error(copy)


def test_an_emptied_log_beside_a_checkpoint_is_refused(run_dir, tmp_path):
  copy = _copy(run_dir, tmp_path)
  (copy / "events.jsonl").write_text("")
  assert "but events.jsonl holds 0" in _resume_error(copy)


@pytest.mark.parametrize("line, expected", [
    ("5", "is not a JSON event"),
    ("{}", "is not an event this search wrote (KeyError: 'event')"),
    ('{"event": "candidate", "id": 999, "parent": 0, "mutation": "insert", "detail": "x", '
     '"hash": "h", "fitness": "high", "cached": false, "program": "import os"}',
     "is not an event this search wrote"),
    ('{"event": "start", "id": null, "fitness": "high", "hash": "h", "program": "import os"}',
     "is not an event this search wrote"),
])
def test_a_tampered_event_after_the_checkpoint_is_one_line(run_dir, tmp_path, line, expected):
  copy = _copy(run_dir, tmp_path)
  with open(copy / "events.jsonl", "a") as f:
    f.write(line + "\n")
  message = _resume_error(copy)
  assert "events.jsonl" in message and expected in message


def test_state_round_trips_through_json(run_dir):
  data = json.loads((run_dir / "checkpoint.json").read_text())
  state = SearchState.from_json(data)
  assert json.loads(json.dumps(state.to_json())) == data
  with pytest.raises(StateError, match="^here: events: expected a count"):
    SearchState.from_json({**data, "events": True}, "here")


@pytest.mark.parametrize("verb", ["replay", "report"])
def test_a_log_holding_one_candidate_twice_is_refused(run_dir, tmp_path, capsys, verb):
  from discover.__main__ import main
  copy = _copy(run_dir, tmp_path)
  lines = (copy / "events.jsonl").read_text().splitlines(keepends=True)
  first = next(i for i, line in enumerate(lines) if '"candidate"' in line)
  (copy / "events.jsonl").write_text("".join(lines + [lines[first]]))
  assert main([verb, str(copy)]) == 2
  err = capsys.readouterr().err.strip().splitlines()
  assert len(err) == 1 and f"events.jsonl:{len(lines) + 1}: candidate " in err[0]
  assert "is logged twice: two processes wrote this log" in err[0]
