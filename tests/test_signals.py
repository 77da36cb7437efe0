"""Signals and deaths: a pool's workers never outlive the process that made them, and end
quietly whether it goes by a signal or by kill -9, even while they are still starting;
SIGTERM and SIGHUP stop a search as Ctrl-C does, with a checkpoint and the --resume line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest


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


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("when", ["starting", "ready"])
def test_workers_die_quietly_with_a_killed_parent(tmp_path, when):
  proc = _pool_process(tmp_path)
  line = proc.stdout.readline()
  while not line.startswith(when):
    assert line, proc.communicate()[1][-2000:]
    line = proc.stdout.readline()
  children = _children(proc.pid)  # the two workers and multiprocess' resource tracker
  assert len(children) == 3
  if when == "ready":
    assert set(map(int, line.split()[1:])) < set(children)
  proc.kill()
  assert _gone_soon(children) == []
  _, err = proc.communicate(timeout=30)  # EOF: no worker holds the pipe any longer
  assert "Traceback" not in err, err
