"""A pool of evaluator processes: spawned, each pinned to one core before it imports JAX.

XLA already uses every core for one compile or run, so a pool pays only if each worker
owns one core (DESIGN.md §4). A worker inherits the CPU affinity of the thread that
starts it, so the parent pins its own thread to the worker's core around ``start()`` and
the child runs pinned from its first instruction, before JAX creates any thread.

Workers score jobs with their own evaluators, one per stage (``discover.executors``), each
built on the stage's first job and kept for the worker's whole life (one compiled machine
per task); the first stage is compiled before the worker reports ready. Results do not depend on the number of workers: each candidate's
training is a deterministic function of the program and the seeds. A worker that dies
mid-candidate is replaced, and that candidate is recorded as failed, never lost silently.
"""

from __future__ import annotations

import collections
import contextlib
import os
from typing import Any, Iterable, Iterator, Mapping

import multiprocess as mp
from multiprocess.connection import wait

from discover.evaluate import WORST_FITNESS, Evaluation
from discover.executors import Job, as_job
from discover.program import Program, from_json, to_json


PREFETCH = 2  # jobs each worker holds: the one it runs and the next


class WorkerError(RuntimeError):
  """An evaluator worker could not be started."""


def _worker_main(conn, stages: Mapping[str, Mapping[str, Any]]) -> None:
  from discover.executors import Evaluators  # imports JAX: after the pin, in the child

  evaluators = Evaluators(stages)
  evaluators[next(iter(stages))].warm_up()
  conn.send(("ready", None))
  while True:
    job = conn.recv()
    if job is None:
      return
    job_id, stage, program = job
    conn.send((job_id, evaluators.evaluate(Job(stage, from_json(program)))))


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
    stages: stage name -> ``Evaluator`` arguments (see ``discover.executors``).
    pin: pin each worker to one core (round robin over the cores this process may use).
    **evaluator_kwargs: without ``stages``, the arguments of a single "proxy" stage.
  """

  def __init__(self, workers: int | None = None, stages: Mapping[str, dict] | None = None,
               pin: bool = True, **evaluator_kwargs):
    self._cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    self.workers = workers or max(1, len(self._cores) or os.cpu_count() or 1)
    self._pin = pin and bool(self._cores)
    self.stages = dict(stages or {"proxy": evaluator_kwargs})
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
    proc = self._context.Process(target=_worker_main, args=(child, self.stages), daemon=True)
    with _pinned(self._cores[i % len(self._cores)] if self._pin else None):
      proc.start()
    child.close()
    self._procs[i], self._conns[i] = proc, parent

  def imap(self, jobs: Iterable[Job | Program]) -> Iterator[tuple[int, Evaluation]]:
    """Yields ``(index, evaluation)`` as results arrive (not in order).

    Each worker holds up to ``PREFETCH`` jobs, so it starts the next one while this
    process is still making children (a search spends ~30 ms of main-process time per
    evaluation on mutation, checks and cache hits; without it the workers would wait).
    """
    pending = ((i, as_job(item, self.stages)) for i, item in enumerate(jobs))
    held: dict[int, collections.deque] = {w: collections.deque() for w in range(self.workers)}

    def send(worker: int, message) -> None:
      self._conns[worker].send(message)
      held[worker].append(message)

    def feed(worker: int) -> None:
      while len(held[worker]) < PREFETCH:
        job = next(pending, None)
        if job is None:
          return
        index, (stage, program) = job
        send(worker, (index, stage, to_json(program)))

    for worker in range(self.workers):
      feed(worker)
    while any(held.values()):
      ready = wait([self._conns[w] for w in held if held[w]])
      for worker in [w for w in held if held[w] and self._conns[w] in ready]:
        try:
          _, evaluation = self._conns[worker].recv()
          index = held[worker].popleft()[0]
        except (EOFError, OSError):
          index = held[worker].popleft()[0]  # the job it was running
          code = self._procs[worker].exitcode
          evaluation = Evaluation(WORST_FITNESS, {}, f"worker died (exit code {code})")
          self._start(worker)
          self._wait_ready(worker)
          for message in [held[worker].popleft() for _ in range(len(held[worker]))]:
            send(worker, message)  # jobs queued behind it go to the new worker
        yield index, evaluation
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
