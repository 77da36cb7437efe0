"""Jobs and the per-stage evaluators: the interface every executor shares.

A :class:`Job` names a stage and a program; :class:`Evaluators` builds one ``Evaluator``
per stage on first use (``discover.search.executors`` says more about stages). The serial
executor, the pool and the Ray executor all import this module and none of them imports
another, so the executors' modules import each other one way only.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple
from collections.abc import Mapping

from discover.execute.evaluate import Evaluation, Evaluator
from discover.dsl.program import Program


class Job(NamedTuple):
  stage: str  # a stage name the executor was built with
  program: Program
  fit: bool = False  # fit the program's constants first, where the evaluator can


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
    """The job's evaluation; with ``job.fit``, of the program with its constants fitted
    by the evaluator's ``fit`` (the fitted program in ``Evaluation.program``) where the
    evaluator has one."""
    evaluator = self[job.stage]
    if job.fit and hasattr(evaluator, "fit"):
      return evaluator.fit(job.program)
    return evaluator.evaluate(job.program)
