"""Executors: where training happens, behind one interface the search drives.

An executor is built with named *stages*, each the arguments of one ``Evaluator`` (tasks,
seeds, references, method): the search uses ``proxy`` for every child, ``funnel`` to
re-score winners on larger tasks and ``meta`` for meta-validation on a held-out task.
``imap(jobs)`` takes a lazy stream of :class:`Job` (or bare programs, meaning the first
stage) and yields ``(index, Evaluation)`` as results arrive: the serial executor in order
(so a search on it is deterministic), the pool (``discover.pool``) and the Ray executor
(``discover.ray_executor``) as workers finish.
Because funnel and meta jobs go through the same stream, they never stall the search: a
pool keeps every worker busy with whatever comes next.

An executor evaluates each stage with an ``Evaluator`` built on first use, so a stage
that is never asked for costs nothing (not even its compile). A stage may name another
evaluator class with a ``"factory": "package.module:Name"`` entry (a string, so stages
stay picklable for worker processes): anything with ``evaluate(program) -> Evaluation``,
built from the stage's other entries, with a ``warm_up()`` (compile now; may do nothing).
"""

from __future__ import annotations

import importlib
from typing import Iterable, Iterator, Mapping, NamedTuple

from discover.evaluate import Evaluation, Evaluator
from discover.program import Program


class Job(NamedTuple):
  stage: str  # a stage name the executor was built with
  program: Program


def as_job(item: Job | Program, stages: Mapping[str, dict]) -> Job:
  if isinstance(item, Job):
    if item.stage not in stages:
      raise KeyError(f"no stage '{item.stage}' (stages: {', '.join(stages)})")
    return item
  return Job(next(iter(stages)), item)


def resolve(factory: str | None):
  """The evaluator class a stage names ("package.module:Name"); None: ``Evaluator``."""
  if factory is None:
    return Evaluator
  module, _, name = factory.partition(":")
  return getattr(importlib.import_module(module), name)


class Evaluators:
  """One lazily built ``Evaluator`` per stage."""

  def __init__(self, stages: Mapping[str, dict]):
    self.stages = dict(stages)
    self._built: dict[str, Evaluator] = {}

  def __getitem__(self, stage: str) -> Evaluator:
    if stage not in self._built:
      kwargs = dict(self.stages[stage])
      factory = resolve(kwargs.pop("factory", None))
      self._built[stage] = factory(**kwargs)
    return self._built[stage]

  def evaluate(self, job: Job) -> Evaluation:
    return self[job.stage].evaluate(job.program)


class SerialExecutor:
  """Evaluates in the calling process, one job at a time, in order.

  Args:
    stages: stage name -> ``Evaluator`` arguments; or, without it, ``**evaluator_kwargs``
      for a single stage called "proxy".
  """

  def __init__(self, stages: Mapping[str, dict] | None = None, **evaluator_kwargs):
    self.evaluators = Evaluators(stages or {"proxy": evaluator_kwargs})
    self.workers = 1

  def imap(self, jobs: Iterable[Job | Program]) -> Iterator[tuple[int, Evaluation]]:
    for i, item in enumerate(jobs):
      yield i, self.evaluators.evaluate(as_job(item, self.evaluators.stages))

  def __enter__(self):
    return self

  def __exit__(self, *exc):
    pass


def stages(cfg: dict, references: Mapping[str, Mapping[int, float]]) -> dict[str, dict]:
  """The search's stages from its config: proxy, and funnel and meta when configured."""
  method = cfg["evaluation"]["method"]

  def stage(section: dict) -> dict:
    return dict(tasks=list(section["tasks"]), seeds=tuple(section["seeds"]),
                references={t: dict(references[t]) for t in section["tasks"]}, method=method,
                aggregate=cfg["evaluation"]["aggregate"],
                lr_scales=tuple(section.get("lr_scales", (1.0,))),
                # a run's config.yaml from before the key existed scaled lr only
                lr_scaling=section.get("lr_scaling", "lr"))

  out = {"proxy": stage(cfg["evaluation"])}
  if cfg["funnel"]["tasks"]:
    out["funnel"] = stage(cfg["funnel"])
  if cfg["meta_validation"]["tasks"]:
    out["meta"] = stage(cfg["meta_validation"])
  return out


def make_executor(cfg: dict, references: Mapping[str, Mapping[int, float]]):
  """The executor ``evaluation.executor`` names, with ``evaluation.workers`` workers.

  A pool of one worker is the serial executor (as before ``executor`` existed). Ray is
  imported only for ``ray``, so the other executors work without it.
  """
  named = stages(cfg, references)
  section = cfg["evaluation"]
  kind, workers, timeout = section["executor"], section["workers"], section["timeout"]
  if kind == "serial" or (kind == "pool" and workers == 1):
    return SerialExecutor(named)
  if kind == "ray":
    from discover.ray_executor import RayExecutor
    return RayExecutor(workers, stages=named, address=section["address"] or None,
                       timeout=timeout)
  from discover.pool import EvaluatorPool
  return EvaluatorPool(workers, stages=named, timeout=timeout)
