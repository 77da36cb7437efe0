"""A pool of evaluator processes: spawned, each pinned to one core before it imports JAX.

XLA already uses every core for one compile or run, so a pool pays only if each worker
owns one core (DESIGN.md §4). A worker inherits the CPU affinity of the thread that
starts it, so the parent pins its own thread to the worker's core around ``start()`` and
the child runs pinned from its first instruction, before JAX creates any thread.

Workers score programs with their own ``Evaluator`` (one compiled machine per task for the
worker's whole life). Results do not depend on the number of workers: each candidate's
training is a deterministic function of the program and the seeds. A worker that dies
mid-candidate is replaced, and that candidate is recorded as failed, never lost silently.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any, Iterable, Iterator, Mapping

import multiprocess as mp
from multiprocess.connection import wait

from discover.evaluate import WORST_FITNESS, Evaluation
from discover.program import Program, from_json, to_json


class WorkerError(RuntimeError):
  """An evaluator worker could not be started."""


def _worker_main(conn, evaluator_kwargs: Mapping[str, Any]) -> None:
  from discover.evaluate import Evaluator  # imports JAX: after the pin, in the child

  evaluator = Evaluator(**evaluator_kwargs)
  evaluator.warm_up()
  conn.send(("ready", None))
  while True:
    job = conn.recv()
    if job is None:
      return
    job_id, program = job
    conn.send((job_id, evaluator.evaluate(from_json(program))))


@contextlib.contextmanager
def _pinned(core: int | None):
  if core is None or not hasattr(os, "sched_setaffinity"):
    yield
    return
  before = os.sched_getaffinity(0)
  os.sched_setaffinity(0, {core})
  try:
    yield
  finally:
    os.sched_setaffinity(0, before)


class EvaluatorPool:
  """Scores programs in ``workers`` processes; use as a context manager.

  Args:
    workers: number of processes (default: one per available core).
    pin: pin each worker to one core (round robin over the cores this process may use).
    **evaluator_kwargs: passed to ``discover.evaluate.Evaluator`` in every worker.
  """

  def __init__(self, workers: int | None = None, pin: bool = True, **evaluator_kwargs):
    self._cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    self.workers = workers or max(1, len(self._cores) or os.cpu_count() or 1)
    self._pin = pin and bool(self._cores)
    self._kwargs = evaluator_kwargs
    self._context = mp.get_context("spawn")
    self._procs: list = [None] * self.workers
    self._conns: list = [None] * self.workers
    for i in range(self.workers):
      self._start(i)
    for i in range(self.workers):
      self._wait_ready(i)

  def _wait_ready(self, i: int) -> None:
    """Waits for "ready": the worker has imported JAX and compiled its evaluator."""
    try:
      self._conns[i].recv()
    except (EOFError, OSError):
      self._procs[i].join(timeout=5)
      self.close()
      raise WorkerError(f"an evaluator worker failed to start (exit code "
                         f"{self._procs[i].exitcode}); is the calling script guarded by "
                         f"`if __name__ == '__main__':`?") from None

  def _start(self, i: int) -> None:
    parent, child = self._context.Pipe()
    proc = self._context.Process(target=_worker_main, args=(child, self._kwargs), daemon=True)
    with _pinned(self._cores[i % len(self._cores)] if self._pin else None):
      proc.start()
    child.close()
    self._procs[i], self._conns[i] = proc, parent

  def imap(self, programs: Iterable[Program]) -> Iterator[tuple[int, Evaluation]]:
    """Yields ``(index, evaluation)`` as results arrive (not in order)."""
    pending = iter(enumerate(programs))
    busy: dict[int, int] = {}  # worker -> job index

    def feed(worker: int) -> None:
      job = next(pending, None)
      if job is not None:
        self._conns[worker].send((job[0], to_json(job[1])))
        busy[worker] = job[0]

    for worker in range(self.workers):
      feed(worker)
    while busy:
      ready = wait([self._conns[w] for w in busy])
      for worker in [w for w in busy if self._conns[w] in ready]:
        job = busy.pop(worker)
        try:
          _, evaluation = self._conns[worker].recv()
        except (EOFError, OSError):
          code = self._procs[worker].exitcode
          evaluation = Evaluation(WORST_FITNESS, {}, f"worker died (exit code {code})")
          self._start(worker)
          self._wait_ready(worker)
        yield job, evaluation
        feed(worker)

  def map(self, programs: Iterable[Program]) -> list[Evaluation]:
    """Evaluations in the order of ``programs``."""
    results = dict(self.imap(programs))
    return [results[i] for i in range(len(results))]

  def close(self) -> None:
    for conn, proc in zip(self._conns, self._procs):
      if proc is None:
        continue
      with contextlib.suppress(OSError, BrokenPipeError):
        conn.send(None)
      proc.join(timeout=5)
      if proc.is_alive():
        proc.kill()

  def __enter__(self):
    return self

  def __exit__(self, *exc):
    self.close()
