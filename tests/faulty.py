"""Test-only stand-ins: evaluators that crash, hang or score without training, and a
launcher that stops a real ``discover evolve`` half-way through a write.

Stages name them with ``"factory": "faulty:Name"``; spawned workers import this module by
name (pytest puts ``tests/`` on ``sys.path`` and spawned workers inherit it).

* ``FaultyEvaluator``: a program ``u = g * c`` scores ``c`` at once, so every result names
  the job it belongs to, and its metrics carry the worker's process id, so a test sees
  when a worker was replaced. A constant in ``FAULTS`` triggers that fault instead.
* ``HashScorer``: a program's fitness is a pseudo-random function of its dataflow hash (a
  sixth of programs fail), so a search costs no training and no compile and still meets
  new bests, failures and equivalent programs. ``StructureProber`` stands in for the
  behavioural probes (``discover.execute.behaviour``) without their compile: programs that differ
  only in constants "behave" alike.

``python tests/faulty.py N STOP_FILE ARGS...`` runs ``python -m discover ARGS...`` but stops
half-way through its N-th write of checkpoint.json (half the text is in the temporary file,
never renamed), creates ``STOP_FILE`` and waits to be killed.
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import os
import resource
import sys
import time
from pathlib import Path

from discover.dsl import analysis
from discover.execute.evaluate import Evaluation
from discover.dsl.parse import parse
from discover.dsl.program import Const, Program

FAULTS = {
    101.0: "segfault",  # reads address 0: ends by a signal, as the kernel's OOM kill does
    102.0: "exit",  # os._exit(3): no cleanup, no result
    103.0: "oom",  # allocates past an address-space limit until MemoryError
    104.0: "hang",  # never returns
}
CODES = {name: code for code, name in FAULTS.items()}
MEMORY_HEADROOM = 256 << 20  # bytes the "oom" fault may take beyond what it already maps


def program(c: float) -> Program:
  """``u = g * c``: scores ``c`` (or triggers the fault coded by ``c``)."""
  return parse(f"def train(w, g, lr):\n  u = g * {float(c)!r}\n  update = u * lr\n"
               f"  return update\n")


def faulty(name: str) -> Program:
  return program(CODES[name])


class FaultyEvaluator:
  """Scores ``u = g * c`` as ``c`` at once; triggers the fault ``FAULTS`` codes by ``c``."""

  def __init__(self, **stage):
    self.stage = stage  # the usual Evaluator arguments, unused

  def warm_up(self) -> None:
    pass

  def evaluate(self, prog: Program) -> Evaluation:
    c = next(a.value for a in prog.statements[0].args if isinstance(a, Const))
    fault = FAULTS.get(c)
    if fault is not None:
      _trigger(fault)
    return Evaluation(c, {"pid": (float(os.getpid()),)})


class HashScorer:
  """Scores a program by its dataflow hash (and the stage's ``salt``); no training."""

  def __init__(self, salt: str = "", **stage):
    self.salt = salt

  def warm_up(self) -> None:
    pass

  def evaluate(self, prog: Program) -> Evaluation:
    digest = hashlib.sha256((self.salt + analysis.dataflow_hash(prog)).encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2.0**64
    if u < 1 / 6:
      return Evaluation(-math.inf, {"score": (math.nan,)}, "scored as a failure")
    return Evaluation(u, {"score": (u,)})


class StructureProber:
  """A program's "behaviour" is its structure (the dataflow hash without constants)."""

  def fingerprint(self, prog: Program) -> str:
    return analysis.dataflow_hash(prog, constants=False)


def _trigger(fault: str) -> None:
  if fault == "segfault":
    ctypes.string_at(0)
  elif fault == "exit":
    os._exit(3)
  elif fault == "oom":
    _exhaust_memory()
  elif fault == "hang":
    while True:
      time.sleep(1)


def _exhaust_memory() -> None:
  """Caps this process's address space a little above its size, then fills it: the cap
  makes it fail here, never the machine (which other work shares)."""
  mapped = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
  resource.setrlimit(resource.RLIMIT_AS, (mapped + MEMORY_HEADROOM, resource.RLIM_INFINITY))
  hoard = []
  while True:
    hoard.append(bytearray(16 << 20))


def _stop_in_checkpoint(nth: int, stop: Path) -> None:
  """Makes the ``nth`` write of checkpoint.json stop half-way."""
  from discover import files

  write_atomic, calls = files.write_atomic, []

  def stalling_write(path: Path, text: str) -> None:
    if path.name == "checkpoint.json":
      calls.append(path)
      if len(calls) == nth:
        path.with_name(path.name + ".tmp").write_text(text[:len(text) // 2], encoding="utf-8")
        _wait_to_be_killed(stop)
    write_atomic(path, text)

  files.write_atomic = stalling_write  # what files.write_json, and so checkpoints, call


def _wait_to_be_killed(stop: Path) -> None:
  stop.write_text(str(os.getpid()))
  while True:
    time.sleep(1)


if __name__ == "__main__":
  _stop_in_checkpoint(int(sys.argv[1]), Path(sys.argv[2]))
  from discover.__main__ import main
  sys.exit(main(sys.argv[3:]))
