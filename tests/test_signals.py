"""Signals and deaths: a pool's workers never outlive the process that made them, and end
quietly whether it goes by a signal or by kill -9, even while they are still starting;
SIGTERM and SIGHUP stop a search as Ctrl-C does, with a checkpoint and the --resume line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import SMALL

pytestmark = pytest.mark.slow  # real searches and pools in subprocesses


# A process that starts a pool of two workers on the logistic task, says when both are
# started (launched, and importing JAX) and when they are ready (with their pids), then
# scores programs until it is killed.
POOL_SCRIPT = """
import sys
from discover.dsl.baselines import baseline_program
from discover.search import pool as pool_lib

if __name__ == "__main__":
  start = pool_lib.EvaluatorPool._start
  def announced_start(self, i):
    start(self, i)
    if i == 1:
      print("starting", flush=True)
  pool_lib.EvaluatorPool._start = announced_start
  with pool_lib.EvaluatorPool(2, tasks=["logistic"], seeds=[0], pin=False) as pool:
    print("ready", *(p.pid for p in pool._procs), flush=True)
    while True:
      pool.map([baseline_program("sgd")] * 4)
"""


def _environment(tmp_path: Path) -> dict:
  return {**os.environ, "JAX_PLATFORMS": "cpu",
          "JAX_COMPILATION_CACHE_DIR": str(tmp_path / "jax-cache")}


def _pool_process(tmp_path: Path) -> subprocess.Popen:
  script = tmp_path / "pool_script.py"
  script.write_text(POOL_SCRIPT)
  return subprocess.Popen([sys.executable, str(script)], env=_environment(tmp_path),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _children(pid: int) -> list[int]:
  path = Path(f"/proc/{pid}/task/{pid}/children")
  return [int(c) for c in path.read_text().split()] if path.exists() else []


def _gone_soon(pids: list[int], seconds: float = 20.0) -> list[int]:
  """The pids still alive after ``seconds``."""
  deadline = time.monotonic() + seconds
  while time.monotonic() < deadline:
    alive = [p for p in pids if Path(f"/proc/{p}").exists()
             and "zombie" not in Path(f"/proc/{p}/status").read_text()]
    if not alive:
      return []
    time.sleep(0.1)
  return alive


@pytest.mark.skipif(not Path("/proc/self/task").exists(),
                    reason="finds a process's workers through /proc/PID/task/PID/children, "
                    "which only Linux provides; the project's CI and README target Linux")
@pytest.mark.parametrize("when", ["starting", "ready"])
def test_workers_die_quietly_with_a_killed_parent(tmp_path, when):
  proc = _pool_process(tmp_path)
  try:
    line = proc.stdout.readline()
    while not line.startswith(when):
      assert line, proc.communicate()[1][-2000:]
      line = proc.stdout.readline()
    children = _children(proc.pid)  # the two workers and multiprocess' resource tracker
    assert len(children) == 3
    if when == "ready":
      assert set(map(int, line.split()[1:])) < set(children)
  finally:
    proc.kill()  # also when an assertion above fails: it scores programs until killed
  assert _gone_soon(children) == []
  _, err = proc.communicate(timeout=30)  # EOF: no worker holds the pipe any longer
  assert "Traceback" not in err, err


def _evolve(tmp_path: Path, *args: str) -> subprocess.Popen:
  return subprocess.Popen([sys.executable, "-m", "discover", "evolve", "--no-progress", *args],
                          env=_environment(tmp_path), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


def _wait_for(condition, proc: subprocess.Popen, what: str) -> None:
  while not condition():
    if proc.poll() is not None:
      pytest.fail(f"the run ended before {what}: {proc.communicate()[1][-2000:]}")
    time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_stops_a_search_with_a_checkpoint_and_a_second_resume_is_refused(
    tmp_path, capsys, signum):
  from discover.__main__ import main
  from discover.search.rundir import count_events

  root = tmp_path / "runs"
  settings = [a for kv in SMALL for a in ("--set", kv)]
  proc = _evolve(tmp_path, "--budget", "100000", "--set", f"run.root={root}", *settings)
  try:
    _wait_for(lambda: root.exists() and any(root.iterdir())
              and (next(root.iterdir()) / "checkpoint.json").exists(), proc, "a checkpoint")
    run_dir = next(root.iterdir())
    assert main(["evolve", "--resume", str(run_dir), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{run_dir} is in use by process {proc.pid} on " in err[0]
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
  finally:
    if proc.poll() is None:  # an assertion failed first: it would search for hours
      proc.kill()
  assert proc.returncode == 130, err
  assert "Traceback" not in err
  assert (f"discover: progress saved; continue with: python -m discover evolve --resume "
          f"{run_dir}") in err
  checkpoint = json.loads((run_dir / "checkpoint.json").read_text())
  assert checkpoint["events"] == count_events(run_dir / "events.jsonl")  # taken on the signal

  resumed = _evolve(tmp_path, "--resume", str(run_dir), "--budget",
                    str(checkpoint["counters"]["evaluated"] + 3))
  _, err = resumed.communicate(timeout=300)
  assert resumed.returncode == 0, err
