"""Run files under attack: writes that a planted link cannot redirect, run directories
holding a link refused in one line, one process at a time in a run directory, a full
disk reported in one line with nothing lost."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from discover import files
from discover.__main__ import main
from discover.errors import UserError
from discover.search import rundir


def test_a_planted_temporary_link_does_not_redirect_a_checkpoint_write(tmp_path):
  run_dir, outside = tmp_path / "run", tmp_path / "outside.txt"
  run_dir.mkdir()
  outside.write_text("precious")
  for name in ("checkpoint.json.tmp", ".checkpoint.json.tmp"):  # today's and older names
    (run_dir / name).symlink_to(outside)
  files.write_json(run_dir / "checkpoint.json", {"events": 3})
  assert outside.read_text() == "precious"
  checkpoint = run_dir / "checkpoint.json"
  assert not checkpoint.is_symlink() and json.loads(checkpoint.read_text()) == {"events": 3}


def test_a_link_where_the_file_goes_is_replaced_not_followed(tmp_path):
  outside = tmp_path / "outside.txt"
  outside.write_text("precious")
  (tmp_path / "best.py").symlink_to(outside)
  files.write_atomic(tmp_path / "best.py", "new")
  assert outside.read_text() == "precious"
  assert not (tmp_path / "best.py").is_symlink() and (tmp_path / "best.py").read_text() == "new"


def test_a_failed_write_leaves_neither_a_temporary_file_nor_a_changed_target(tmp_path):
  (tmp_path / "a.json").write_text("old")
  with pytest.raises(TypeError):
    files.write_json(tmp_path / "a.json", {"x": object()})
  assert (tmp_path / "a.json").read_text() == "old"
  assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_the_event_log_is_never_opened_through_a_link(tmp_path):
  outside = tmp_path / "outside.jsonl"
  outside.write_text("")
  (tmp_path / "events.jsonl").symlink_to(outside)
  with pytest.raises(OSError):
    rundir.EventLog(tmp_path / "events.jsonl")


def test_a_run_directory_holding_a_link_is_refused(tmp_path):
  run_dir = tmp_path / "run"
  run_dir.mkdir()
  (run_dir / "events.jsonl").write_text("")
  rundir.refuse_links(run_dir)  # no link: fine
  (run_dir / "manifest.json").symlink_to(tmp_path / "elsewhere.json")
  with pytest.raises(rundir.RunFileError, match="manifest.json: a symbolic link"):
    rundir.refuse_links(run_dir)


@pytest.mark.parametrize("verb", ["replay", "report"])
def test_commands_reading_a_run_directory_refuse_a_link_in_one_line(tmp_path, capsys, verb):
  run_dir = tmp_path / "run"
  run_dir.mkdir()
  for name in ("config.yaml", "events.jsonl"):
    (run_dir / name).write_text("")
  os.symlink(tmp_path / "elsewhere.json", run_dir / "manifest.json")
  assert main([verb, str(run_dir)]) == 2
  err = capsys.readouterr().err.strip().splitlines()
  assert len(err) == 1 and "a symbolic link inside a run directory; refused" in err[0]


def test_a_run_directory_is_held_by_one_process_at_a_time(tmp_path):
  with rundir.locked(tmp_path):
    with pytest.raises(UserError, match=rf"{tmp_path} is in use by process {os.getpid()} on "):
      with rundir.locked(tmp_path):
        pass
  with rundir.locked(tmp_path):  # let go at the end: free again
    pass


@pytest.mark.slow
def test_a_lock_left_by_a_killed_process_is_stale_and_taken_over(tmp_path):
  holder = subprocess.Popen(
      [sys.executable, "-c", "import sys, time\nfrom discover.search import rundir\n"
       "with rundir.locked(sys.argv[1]):\n  print('held', flush=True)\n  time.sleep(600)",
       str(tmp_path)], stdout=subprocess.PIPE, text=True)
  try:
    assert holder.stdout.readline() == "held\n"
    with pytest.raises(UserError, match=f"in use by process {holder.pid} "):
      with rundir.locked(tmp_path):
        pass
  finally:
    holder.kill()
    holder.wait()
  assert f"process {holder.pid}" in (tmp_path / "lock").read_text()  # left behind...
  with rundir.locked(tmp_path):  # ...and stale
    assert f"process {os.getpid()}" in (tmp_path / "lock").read_text()


def test_events_are_read_one_at_a_time_so_a_long_log_needs_no_memory_for_the_rest(tmp_path):
  path = tmp_path / "events.jsonl"
  path.write_text('{"event": "start", "id": null}\n[1, 2]\n{"event": "candidate", "id": 1}\n')
  reader = iter(rundir.EventReader(path))
  assert next(reader) == {"event": "start", "id": None}  # before the damage is reached
  with pytest.raises(rundir.RunFileError, match="line 2 is not a JSON event"):
    next(reader)


def test_a_torn_line_longer_than_a_block_is_dropped_from_the_end(tmp_path):
  path = tmp_path / "events.jsonl"
  whole = "".join(json.dumps({"event": "candidate", "id": i}) + "\n" for i in range(3))
  torn = '{"event": "candidate", "program": "' + "x" * 100_000
  path.write_text(whole + torn)
  assert rundir.repair_events(path) == (
      f"dropped an incomplete last line ({len(torn)} bytes, line 4)")
  assert path.read_text() == whole
  path.write_text(torn)  # a log that is one torn line
  assert rundir.repair_events(path) is not None and path.read_text() == ""


@pytest.mark.slow
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_full_disk_or_read_only_folder_mid_run_is_one_line_and_nothing_is_lost(
    tmp_path, monkeypatch, code):
  from support import evolve_small
  append, written = rundir.EventLog.append, []

  def filling_up(log, event):
    if len(written) == 12:
      raise OSError(code, os.strerror(code), str(log.path))
    append(log, event)
    written.append(event)

  monkeypatch.setattr(rundir.EventLog, "append", filling_up)
  with pytest.raises(UserError) as failed:
    evolve_small(tmp_path, "30")
  message = str(failed.value)
  assert "\n" not in message and os.strerror(code) in message
  run_dir = message.split("--resume ")[1]
  assert message.startswith(f"cannot write {run_dir}/events.jsonl: ")
  monkeypatch.undo()
  kept = (Path(run_dir) / "events.jsonl").read_text().splitlines()
  assert [json.loads(line) for line in kept] == written
  evolve_small(tmp_path, "30", resume=run_dir)
  after = (Path(run_dir) / "events.jsonl").read_text().splitlines()
  assert after[:len(kept)] == kept and len(after) > len(kept)


@pytest.mark.slow
def test_a_cache_hit_is_a_short_record_that_reading_completes(tmp_path):
  from support import evolve_small
  _, run_dir = evolve_small(tmp_path, "20")
  lines = (Path(run_dir) / "events.jsonl").read_text().splitlines()
  raw = [json.loads(line) for line in lines]
  hits = [i for i, e in enumerate(raw) if e["event"] == "candidate" and e["cached"]]
  assert hits, "the shrunken search made no cache hit"
  for i in hits:
    assert set(raw[i]) <= {"event", "id", "parent", "mutation", "detail", "hash", "cached",
                           "probe", "joined", "restart"}
    assert len(lines[i]) < 200 + len(raw[i]["detail"])  # the edit, not the program
  scores = {e["hash"]: e["fitness"] for e in raw
            if e["event"] in ("start", "candidate") and "fitness" in e}
  completed = rundir.read_events(Path(run_dir) / "events.jsonl")[0]
  for i in (i for i in hits if raw[i]["cached"] == "dataflow"):
    assert completed[i]["fitness"] == scores[raw[i]["hash"]]
