"""The Ray executor: the search's jobs on Ray actors, on this machine or on a cluster.

Ray is an optional extra (``pip install -e ".[ray]"``) and this is the only module that
imports it, inside its functions, so the package works without it. The executor has the
interface of ``SerialExecutor`` and ``EvaluatorPool``: ``imap(jobs)`` yields
``(index, Evaluation)`` as results arrive. Each worker is one actor (one CPU) that builds
one evaluator per stage on first use and keeps it for its life (``jobs.Evaluators``:
one compile per task per actor, a stage's ``"factory"`` honoured); programs travel as
JSON. Each actor holds up to ``PREFETCH`` jobs, like the pool, so none waits for the
search to make the next child. Faults are handled as the pool handles them: a job whose
actor dies (a crashed candidate), whose evaluator raises, or that runs past ``timeout``
is recorded as failed with the reason, never lost silently, and its actor is replaced.
One difference: Ray may lose the result of the job an actor finished just before it
crashed, so a job whose actor dies is first run again alone (see ``imap``).

Without an address the executor starts a private local Ray instance that listens on the
loopback only, reports no usage stats and logs only warnings, and shuts it down at the
end; with one it connects and leaves the cluster running. If Ray is already initialised
in this process (a test's shared instance) it uses that one as it is.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import fcntl
import logging
import os
import socket
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any
from collections.abc import Iterable, Iterator, Mapping

from discover.execute.evaluate import WORST_FITNESS, Evaluation
from discover.search.jobs import Job, as_job
from discover.search.pool import PREFETCH, START_TIMEOUT, WorkerError
from discover.dsl.program import Program, to_json

INSTALL_HINT = 'the ray executor needs Ray: pip install -e ".[ray]" (or pip install ray)'

# Set before Ray is first imported (it reads them then) when this process starts the
# instance: loopback addresses only, no usage reports, and no memory monitor, which kills
# actors when the *machine* runs low on memory, busy with other work or not (a candidate
# that exhausts memory itself still dies, and is recorded as the pool records it).
_LOCAL_ENV = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0",
              "RAY_memory_monitor_refresh_ms": "0"}
OBJECT_STORE_BYTES = 128 * 2**20  # programs and evaluations are small; Ray's default is 30%
# Ray turns token authentication on for a new local instance (wanted) and warns that it
# did so on every start (not wanted: it is no news for a search).
_AUTH_NOTICE = "ray._private.authentication.authentication_token_setup"


def import_ray():
  """The ``ray`` module, or a ``WorkerError`` saying how to install it."""
  try:
    import ray
  except ImportError:
    raise WorkerError(INSTALL_HINT) from None
  return ray


def start_local(cpus: int, runtime_env: dict | None = None):
  """Starts a local Ray instance with ``cpus`` CPUs, quiet and on the loopback only."""
  for key, value in _LOCAL_ENV.items():
    os.environ.setdefault(key, value)
  ray = import_ray()
  logging.getLogger(_AUTH_NOTICE).setLevel(logging.ERROR)
  try:
    with warnings.catch_warnings():
      # JAX warns about any fork once it is imported; Ray forks only to exec its daemons.
      warnings.filterwarnings("ignore", "os.fork", RuntimeWarning)
      ray.init(address="local", num_cpus=cpus, include_dashboard=False,
               object_store_memory=OBJECT_STORE_BYTES, logging_level=logging.WARNING,
               log_to_driver=False, runtime_env=runtime_env)
  except Exception as e:  # Ray's start-up raises many kinds; the user needs one line
    raise WorkerError(f"cannot start a local Ray instance: {_first_line(e)}") from None
  return ray


def connect(address: str):
  """Joins the Ray cluster at ``address``; a one-line ``WorkerError`` if it cannot."""
  ray = import_ray()
  why = _unreachable(address)
  if why:
    raise WorkerError(f"cannot connect to the Ray cluster at {address}: {why}")
  try:
    ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False)
  except Exception as e:  # ConnectionError, ValueError for a malformed address, ...
    raise WorkerError(f"cannot connect to the Ray cluster at {address}: "
                      f"{_first_line(e)}") from None
  return ray


def _unreachable(address: str) -> str | None:
  """Why nothing answers at a ``host:port`` address (None: something does, or the
  address is not of that form, like "auto"). Ray itself retries for many minutes."""
  host, sep, port = address.rpartition("://")[2].rpartition(":")
  if not sep or not port.isdigit():
    return None
  try:
    socket.create_connection((host.strip("[]"), int(port)), timeout=10).close()
  except OSError as e:
    return e.strerror or str(e) or type(e).__name__
  return None


def _claim_core():
  """Pins this process to a core that no other actor on this node holds.

  Ray reserves one CPU per actor but not a particular core, and XLA would spread each
  actor over all of them. An exclusive lock file per core, released by the
  OS when the process dies, shares the cores out. Returns the held lock (None: unpinned).
  """
  if not hasattr(os, "sched_setaffinity"):
    return None
  for core in sorted(os.sched_getaffinity(0)):
    handle = open(Path(tempfile.gettempdir()) / f"discover-core-{core}.lock", "w")
    try:
      fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
      handle.close()
      continue
    os.sched_setaffinity(0, {core})
    return handle
  return None


class EvaluatorActor:
  """One worker: its core, and an evaluator per stage kept for the actor's whole life."""

  def __init__(self, stages: Mapping[str, Mapping[str, Any]]):
    from discover.search.jobs import Evaluators

    self._core = _claim_core()  # before the first JAX computation creates XLA's threads
    self.evaluators = Evaluators(stages)
    self.evaluators[next(iter(stages))].warm_up()

  def ready(self) -> int:
    return os.getpid()

  def evaluate(self, stage: str, program: dict, fit: bool = False) -> Evaluation:
    from discover.dsl.parse import from_json

    return self.evaluators.evaluate(Job(stage, from_json(program), fit))


@dataclasses.dataclass
class _Sent:
  """A job on its way to an actor, or held by one."""

  index: int
  stage: str
  program: dict  # to_json's form
  fit: bool = False  # Job.fit
  suspect: bool = False  # its actor died holding it: it now runs alone on a new actor
  ref: Any = None  # the pending result


class RayExecutor:
  """Scores programs on ``workers`` Ray actors; use as a context manager.

  Args:
    workers: number of actors, one CPU each.
    stages: stage name -> ``Evaluator`` arguments (see ``discover.search.executors``).
    address: a Ray cluster to join; None starts a local instance with ``workers`` CPUs.
    timeout: seconds a job may run (its stage's first compile included) before its actor
      is killed and the job recorded as failed; None: no limit.
    **evaluator_kwargs: without ``stages``, the arguments of a single "proxy" stage.
  """

  def __init__(self, workers: int, stages: Mapping[str, dict] | None = None,
               address: str | None = None, timeout: float | None = None, **evaluator_kwargs):
    if timeout is not None and not timeout > 0:
      raise ValueError(f"timeout must be positive seconds or None, not {timeout!r}")
    self.workers, self.timeout = workers, timeout
    self.stages = dict(stages or {"proxy": evaluator_kwargs})
    self._ray = import_ray()
    self._owns_ray = not self._ray.is_initialized()
    if self._owns_ray and address:
      connect(address)
    elif self._owns_ray:
      start_local(workers)
    self._actors: list = []
    try:
      self._check_cpus()
      self._remote = self._ray.remote(num_cpus=1, max_restarts=0)(EvaluatorActor)
      self._actors = [self._remote.remote(self.stages) for _ in range(workers)]
      self._wait_ready(self._actors)
    except BaseException:
      self.close()
      raise

  def _check_cpus(self) -> None:
    """Fails now, not by waiting forever for actors the cluster has no CPUs for."""
    cpus = self._ray.cluster_resources().get("CPU", 0)
    if cpus < self.workers:
      raise WorkerError(f"the Ray cluster has {cpus:g} CPUs, fewer than the {self.workers} "
                        f"workers asked for (evaluation.workers)")

  def _wait_ready(self, actors: list) -> None:
    """Waits until each actor has imported JAX and compiled its first stage."""
    try:
      self._ray.get([actor.ready.remote() for actor in actors], timeout=START_TIMEOUT)
    except self._ray.exceptions.GetTimeoutError:
      raise WorkerError(f"a Ray evaluator actor did not start within {START_TIMEOUT:g} s "
                        f"(is the cluster short of CPUs?)") from None
    except self._ray.exceptions.RayError as e:
      raise WorkerError(f"a Ray evaluator actor failed to start: {_first_line(e)}") from None

  def _replace(self, worker: int) -> None:
    with contextlib.suppress(Exception):
      self._ray.kill(self._actors[worker], no_restart=True)
    self._actors[worker] = self._remote.remote(self.stages)
    self._wait_ready([self._actors[worker]])

  def imap(self, jobs: Iterable[Job | Program]) -> Iterator[tuple[int, Evaluation]]:
    """Yields ``(index, evaluation)`` as results arrive (not in order).

    A job whose evaluator raises or that runs out of time gets a failed evaluation saying
    why, and its actor is replaced. A job whose actor dies may be innocent: an actor that
    finishes a job and crashes on the next one can die before the first result is sent.
    So it runs again alone on the new actor, and is recorded as failed only if that one
    dies too. Jobs queued behind a replaced actor go to the next actor with room.
    """
    pending = ((i, as_job(item, self.stages)) for i, item in enumerate(jobs))
    retry: collections.deque[_Sent] = collections.deque()
    held: dict[int, collections.deque] = {w: collections.deque() for w in range(self.workers)}
    started: dict[int, float] = {}  # worker -> when the oldest job it holds began to run

    def send(worker: int, job: _Sent) -> None:
      if not held[worker]:
        started[worker] = time.monotonic()
      job.ref = self._actors[worker].evaluate.remote(job.stage, job.program, job.fit)
      held[worker].append(job)

    def feed(worker: int) -> None:
      while len(held[worker]) < PREFETCH and not (held[worker] and held[worker][0].suspect):
        if not retry:
          item = next(pending, None)
          if item is None:
            return
          index, (stage, program, fit) = item
          retry.append(_Sent(index, stage, to_json(program), fit))
        send(worker, retry.popleft())

    for worker in range(self.workers):
      feed(worker)
    while any(held.values()):
      worker, evaluation, alive = self._next_outcome(held, started)
      job, began = held[worker].popleft(), started[worker]
      started[worker] = time.monotonic()  # the next job it holds starts now
      if not alive:
        self._replace(worker)
        retry.extendleft(reversed(held[worker]))
        held[worker].clear()
        if evaluation is None and not job.suspect:
          job.suspect = True
          send(worker, job)
        elif evaluation is None:
          evaluation = Evaluation(WORST_FITNESS, {}, "worker died (its Ray actor was lost)",
                                  time.monotonic() - began)
      if evaluation is not None:
        yield job.index, evaluation
      for other in held:
        feed(other)

  def _next_outcome(self, held: dict, started: dict) -> tuple[int, Evaluation | None, bool]:
    """The next actor to finish its oldest job: (worker, evaluation or None if the actor
    died, whether the actor is fit to go on). Each actor runs its calls in order."""
    heads = {held[w][0].ref: w for w in held if held[w]}
    first = min(heads.values(), key=started.get)
    while True:
      left = None if self.timeout is None else started[first] + self.timeout - time.monotonic()
      ready, _ = self._ray.wait(list(heads), num_returns=1,
                                timeout=None if left is None else max(0.0, left))
      if ready:
        break
      seconds = time.monotonic() - started[first]
      if seconds >= self.timeout:  # the longest-running job is past its time
        return first, Evaluation(WORST_FITNESS, {}, f"timed out after {self.timeout:g} s",
                                 seconds), False
    worker = heads[ready[0]]
    return (worker, *self._result(ready[0], time.monotonic() - started[worker]))

  def _result(self, ref, seconds: float) -> tuple[Evaluation | None, bool]:
    """A finished call's evaluation (None: its actor died), and whether the actor lives."""
    exceptions = self._ray.exceptions
    try:
      return self._ray.get(ref), True
    except exceptions.RayActorError as e:
      if e.actor_init_failed:
        raise WorkerError(f"a Ray evaluator actor failed to start: {_first_line(e)}") from None
      return None, False
    except exceptions.RayTaskError as e:  # a bug, or memory ran out: the actor is suspect
      return Evaluation(WORST_FITNESS, {}, f"evaluator raised {_first_line(e.cause or e)}",
                        seconds), False

  def pids(self) -> list[int]:
    """The process id of each actor (they change when an actor is replaced)."""
    return self._ray.get([actor.ready.remote() for actor in self._actors])

  def map(self, programs: Iterable[Program]) -> list[Evaluation]:
    """Evaluations in the order of ``programs``."""
    results = dict(self.imap(programs))
    return [results[i] for i in range(len(results))]

  def close(self) -> None:
    for actor in self._actors:
      with contextlib.suppress(Exception):
        self._ray.kill(actor, no_restart=True)
    self._actors = []
    if self._owns_ray and self._ray.is_initialized():
      self._ray.shutdown()

  def __enter__(self):
    return self

  def __exit__(self, *exc):
    self.close()


def _first_line(error: BaseException) -> str:
  lines = [line.strip() for line in str(error).splitlines() if line.strip()]
  return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
