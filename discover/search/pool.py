"""A pool of evaluator processes: spawned, each pinned to one core before it imports JAX.

XLA already uses every core for one compile or run, so a pool pays only if each worker
owns one core. A worker inherits the CPU affinity of the thread that
starts it, so the parent pins its own thread to the worker's core around ``start()`` and
the child runs pinned from its first instruction, before JAX creates any thread.

Workers score jobs with their own evaluators, one per stage (``discover.search.executors``), each
built on the stage's first job and kept for the worker's whole life (one compiled machine
per task); the first stage is compiled before the worker reports ready. Results do not
depend on the number of workers: each candidate's training is a deterministic function of
the program and the seeds.

Faults never stop the search and never lose a job. A worker that dies mid-job (segfault,
``os._exit``, killed by the kernel for memory) or whose evaluator raises (``MemoryError``)
is replaced, and the job it was running is recorded as failed with the reason. A job that
runs past ``timeout`` seconds (its stage's compile included) has its worker killed and
replaced, and is recorded as "timed out after N s". Jobs queued behind a failed one go to
the new worker. The time limit is the pool's: the serial executor runs jobs in the calling
process and cannot stop one inside XLA.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import math
import os
import signal
import time
from typing import Any, NoReturn
from collections.abc import Iterable, Iterator, Mapping

import multiprocess as mp
from multiprocess.connection import wait

from discover.execute.evaluate import WORST_FITNESS, Evaluation
from discover.search.jobs import Job, as_job
from discover.dsl.parse import from_json
from discover.dsl.program import Program, to_json


PREFETCH = 2  # jobs each worker holds: the one it runs and the next
# A worker imports JAX and compiles its first stage before it is ready: seconds, or a
# minute on a loaded machine. Far longer means it hangs, and waiting would stall the search.
START_TIMEOUT = 300.0
_READY = ("ready", None)


class WorkerError(RuntimeError):
  """An evaluator worker could not be started."""


def _worker_main(conn, stages: Mapping[str, Mapping[str, Any]], parent: int) -> None:
  _bind_to(parent)
  from discover.search.jobs import Evaluators  # imports JAX: after the pin, in the child

  evaluators = Evaluators(stages)
  evaluators[next(iter(stages))].warm_up()
  with contextlib.suppress(OSError, EOFError):  # the pool's process is gone: end quietly
    conn.send(_READY)
    while True:
      job = conn.recv()
      if job is None:
        return
      job_id, stage, program, fit = job
      try:
        evaluation = evaluators.evaluate(Job(stage, from_json(program), fit))
      except Exception as e:  # a bug, or memory ran out: this worker is suspect
        message = str(e).strip().splitlines()[0] if str(e).strip() else ""
        failure = f"evaluator raised {type(e).__name__}" + (f": {message}" if message else "")
        conn.send((job_id, Evaluation(WORST_FITNESS, {}, failure), False))
        return  # the pool starts a fresh worker in its place
      conn.send((job_id, evaluation, True))


# Signals a terminal or a service manager sends the whole process group. The pool's
# process handles them (a checkpoint, then it stops its workers); a worker ending on its
# own would turn the job it holds into a recorded failure.
_PARENT_HANDLES = ("SIGINT", "SIGTERM", "SIGHUP")
_PR_SET_PDEATHSIG = 1


def _bind_to(parent: int) -> None:
  """Ties a worker's life to the pool's process: the parent's signals are left to it, and
  the kernel kills the worker when the parent dies, however it dies (Linux; elsewhere
  the worker ends when its pipe closes). A parent gone before this runs is caught too."""
  for name in _PARENT_HANDLES:
    if hasattr(signal, name):
      signal.signal(getattr(signal, name), signal.SIG_IGN)
  with contextlib.suppress(OSError, AttributeError):
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
  if os.getppid() != parent:
    os._exit(0)


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


def _exit_reason(code: int | None) -> str:
  """How a worker ended: "killed by SIGSEGV", "exit code 3"."""
  if code is not None and code < 0:
    with contextlib.suppress(ValueError):
      return f"killed by {signal.Signals(-code).name}"
  return f"exit code {code}"


class EvaluatorPool:
  """Scores programs in ``workers`` processes; use as a context manager.

  Args:
    workers: number of processes (default: one per available core).
    stages: stage name -> ``Evaluator`` arguments (see ``discover.search.executors``).
    pin: pin each worker to one core (round robin over the cores this process may use).
    timeout: seconds a job may run (its stage's first compile included) before its worker
      is killed and the job recorded as failed; None: no limit.
    **evaluator_kwargs: without ``stages``, the arguments of a single "proxy" stage.
  """

  def __init__(self, workers: int | None = None, stages: Mapping[str, dict] | None = None,
               pin: bool = True, timeout: float | None = None, **evaluator_kwargs):
    if timeout is not None and not timeout > 0:
      raise ValueError(f"timeout must be positive seconds or None, not {timeout!r}")
    self._cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    self.workers = workers or max(1, len(self._cores) or os.cpu_count() or 1)
    self._pin = pin and bool(self._cores)
    self.timeout = timeout
    self.stages = dict(stages or {"proxy": evaluator_kwargs})
    self._context = mp.get_context("spawn")
    self._procs: list = [None] * self.workers
    self._conns: list = [None] * self.workers
    self._starting: set[int] = set()  # workers that have not reported ready yet
    for i in range(self.workers):
      self._start(i)
    for i in range(self.workers):
      if not self._conns[i].poll(START_TIMEOUT):
        self._fail_to_start(i)
      if self._receive(i) != _READY:
        self._fail_to_start(i)
      self._starting.discard(i)

  def _fail_to_start(self, i: int) -> NoReturn:
    """Raises WorkerError for worker ``i``, which died or hung before it was ready."""
    proc = self._procs[i]
    proc.join(timeout=0 if proc.is_alive() else 5)
    why = (f"did not start within {START_TIMEOUT:g} s" if proc.is_alive() else
           f"failed to start ({_exit_reason(proc.exitcode)}); is the calling script guarded "
           f"by `if __name__ == '__main__':`?")
    self.close()
    raise WorkerError(f"an evaluator worker {why}")

  def _start(self, i: int) -> None:
    parent, child = self._context.Pipe()
    proc = self._context.Process(target=_worker_main, args=(child, self.stages, os.getpid()),
                                 daemon=True)
    with _pinned(self._cores[i % len(self._cores)] if self._pin else None):
      proc.start()
    child.close()
    self._procs[i], self._conns[i] = proc, parent
    self._starting.add(i)

  def _stop(self, i: int) -> None:
    """Ends worker ``i`` at once (it is dead, hung or retiring) and closes its pipe."""
    proc = self._procs[i]
    if proc.is_alive():
      proc.kill()
    proc.join(timeout=5)
    self._conns[i].close()

  def _receive(self, i: int):
    """Worker ``i``'s next message: ``_READY``, ``(evaluation, alive)``, or None if it died."""
    try:
      message = self._conns[i].recv()
    except (EOFError, OSError):
      return None
    return message if message == _READY else message[1:]

  def _limit(self, i: int) -> float:
    """Seconds worker ``i``'s current job (or its start-up) may take."""
    if i in self._starting:
      return START_TIMEOUT
    return math.inf if self.timeout is None else self.timeout

  def imap(self, jobs: Iterable[Job | Program]) -> Iterator[tuple[int, Evaluation]]:
    """Yields ``(index, evaluation)`` as results arrive (not in order).

    Each worker holds up to ``PREFETCH`` jobs, so it starts the next one while this
    process is still making children (mutation, checks and cache hits take main-process
    time for every evaluation; without it the workers would wait).
    A job whose worker dies or runs out of time gets a failed evaluation saying why; the
    new worker starts while the others go on, and takes the jobs queued behind it.
    """
    pending = ((i, as_job(item, self.stages)) for i, item in enumerate(jobs))
    held: dict[int, collections.deque] = {w: collections.deque() for w in range(self.workers)}
    # worker -> when its first held job began to run (while starting: when it was sent)
    started: dict[int, float] = {}

    def send(worker: int, message) -> None:
      if not held[worker]:
        started[worker] = time.monotonic()
      held[worker].append(message)
      with contextlib.suppress(OSError):  # a dead worker shows up in wait() below
        self._conns[worker].send(message)

    def feed(worker: int) -> None:
      while len(held[worker]) < PREFETCH:
        job = next(pending, None)
        if job is None:
          return
        index, (stage, program, fit) = job
        send(worker, (index, stage, to_json(program), fit))

    def replace(worker: int) -> None:
      queued = list(held[worker])[1:]
      held[worker].clear()
      self._stop(worker)
      self._start(worker)  # it reads its jobs once it is ready; the others go on meanwhile
      for message in queued:
        send(worker, message)

    for worker in range(self.workers):
      feed(worker)
    while any(held.values()):
      busy = [w for w in held if held[w]]
      deadline = min(started[w] + self._limit(w) for w in busy)
      wait([self._conns[w] for w in busy], None if math.isinf(deadline)
           else max(0.0, deadline - time.monotonic()))
      for worker in busy:
        outcome = self._outcome(worker, time.monotonic() - started[worker])
        if outcome is None:
          continue
        if outcome == _READY:
          self._starting.discard(worker)
          started[worker] = time.monotonic()  # its first job starts now
          continue
        evaluation, alive = outcome
        index = held[worker][0][0]
        if alive:
          held[worker].popleft()
          started[worker] = time.monotonic()  # the next job it holds starts now
        else:
          replace(worker)
        yield index, evaluation
        feed(worker)

  def _outcome(self, i: int, seconds: float):
    """What worker ``i`` has to say after ``seconds`` on its job: ``_READY``,
    ``(evaluation, alive)``, or None while it is still within its limit."""
    if self._conns[i].poll():
      outcome = self._receive(i)
      if outcome is not None:
        return outcome
      if i in self._starting:
        self._fail_to_start(i)
      self._procs[i].join(timeout=5)
      return Evaluation(WORST_FITNESS, {}, f"worker died "
                        f"({_exit_reason(self._procs[i].exitcode)})", seconds), False
    if seconds < self._limit(i):
      return None
    if i in self._starting:
      self._fail_to_start(i)
    return Evaluation(WORST_FITNESS, {}, f"timed out after {self.timeout:g} s", seconds), False

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
      conn.close()

  def __enter__(self):
    return self

  def __exit__(self, *exc):
    self.close()
