"""Executors: where training happens, behind one interface the search drives.

An executor is built with named *stages*, each the arguments of one ``Evaluator`` (tasks,
seeds, references, method): the search uses ``proxy`` for every child, ``funnel`` to
re-score winners on larger tasks and ``meta`` for meta-validation on a held-out task.
``imap(jobs)`` takes a lazy stream of :class:`Job` (or bare programs, meaning the first
stage) and yields ``(index, Evaluation)`` as results arrive: the serial executor in order
(so a search on it is deterministic), the pool (``discover.search.pool``) and the Ray executor
(``discover.search.ray_executor``) as workers finish.
Because funnel and meta jobs go through the same stream, they never stall the search: a
pool keeps every worker busy with whatever comes next.

An executor evaluates each stage with an ``Evaluator`` built on first use (``discover.search.jobs``,
which the pool and Ray import instead of this module), so a stage
that is never asked for costs nothing (not even its compile). A stage may name another
evaluator class with a ``"factory": "package.module:Name"`` entry (a string, so stages
stay picklable for worker processes): anything with ``evaluate(program) -> Evaluation``,
built from the stage's other entries, with a ``warm_up()`` (compile now; may do nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from discover.config import Config, TaskSection
from discover.execute.evaluate import Evaluation
# Job is re-exported: the search and replay build jobs from here (the pool and Ray import
# discover.search.jobs, so that neither imports this module, which builds them).
from discover.search.jobs import Evaluators, Job, as_job  # noqa: F401
from discover.dsl.program import Program


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


def stages(cfg: Config, references: Mapping[str, Mapping[int, float]]) -> dict[str, dict]:
  """The search's stages from its config: proxy, and funnel and meta when configured."""
  proxy = cfg.evaluation

  def stage(section: TaskSection, lr_scales: tuple[float, ...] | None = None,
            lr_scaling: str | None = None) -> dict:
    # None (the proxy, or a run's config.yaml from before the key existed): one scale, of
    # the lr input only, as such runs were scored.
    return dict(tasks=list(section.tasks), seeds=tuple(section.seeds),
                references={t: dict(references[t]) for t in section.tasks},
                method=proxy.method, aggregate=proxy.aggregate,
                lr_scales=(1.0,) if lr_scales is None else tuple(lr_scales),
                lr_scaling="lr" if lr_scaling is None else lr_scaling)

  out = {"proxy": stage(proxy)}
  if cfg.funnel.tasks:
    out["funnel"] = stage(cfg.funnel, cfg.funnel.lr_scales, cfg.funnel.lr_scaling)
  if cfg.meta_validation.tasks:
    meta = cfg.meta_validation
    out["meta"] = stage(meta, meta.lr_scales, meta.lr_scaling)
  return out


def keys_stages_need(cfg: Config) -> set[str]:
  """The config keys ``stages(cfg)`` reads and has no stand-in for: where a run's
  config.yaml lacks one, ``audit.replay`` must keep today's default. (It can leave out the
  optional keys, whose absence ``stages`` reads as before they existed, and keys it never
  reads.)"""
  keys = {"evaluation.tasks", "evaluation.seeds", "evaluation.method", "evaluation.aggregate",
          "funnel.tasks", "meta_validation.tasks"}
  return keys | {f"{name}.seeds" for name, section in cfg.task_sections().items()
                 if name != "evaluation" and section.tasks}


def make_executor(cfg: Config, references: Mapping[str, Mapping[int, float]]):
  """The executor ``evaluation.executor`` names, with ``evaluation.workers`` workers.

  A pool of one worker is the serial executor (as before ``executor`` existed). Ray is
  imported only for ``ray``, so the other executors work without it.
  """
  named = stages(cfg, references)
  section = cfg.evaluation
  kind, workers, timeout = section.executor, section.workers, section.timeout
  if kind == "serial" or (kind == "pool" and workers == 1):
    return SerialExecutor(named)
  if kind == "ray":
    from discover.search.ray_executor import RayExecutor
    return RayExecutor(workers, stages=named, address=section.address or None,
                       timeout=timeout)
  from discover.search.pool import EvaluatorPool
  return EvaluatorPool(workers, stages=named, timeout=timeout)
