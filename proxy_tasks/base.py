"""The task interface and the task registry.

A task is a training problem an optimizer is scored on: how to initialise parameters, the
training loss on a batch, how to draw a batch at a step, the validation metrics, a step
budget and a learning-rate schedule. Tasks come in tiers (DESIGN.md §3):

* ``proxy``: what the search trains on, about 0.03 s of compute a run;
* ``funnel``: about 10x and 100x larger (bigger models, more steps);
* ``target``: held out, minutes a run, for validation and meta-validation.

The optimizer meets a task only through ``proxy_tasks.train.train``: it never sees the
data, and a task never sees the optimizer.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Mapping

import jax

TIERS = ("proxy", "funnel", "target")

Params = Any
Batch = Any


@dataclasses.dataclass(frozen=True)
class Task:
  """A training problem.

  Attributes:
    name: registry key.
    tier: one of TIERS.
    steps: the training budget in optimizer steps.
    init: ``key -> params``.
    loss: ``(params, batch) -> scalar`` training loss.
    stream: ``key -> stream``: everything random a run consumes (batch indices, noise),
      drawn in one vectorised call before the loop (drawing per step costs ~10% more).
    batch: ``(stream, step) -> batch``, indexing the stream inside the loop.
    evaluate: ``params -> {metric: scalar}`` on held-out validation data.
    metric: the key of ``evaluate`` the task is scored by.
    higher_is_better: the metric's direction (accuracy: True; loss: False).
    schedule: ``count -> lr``, the value programs receive as ``lr``.
    diverged_above: a training loss past this (or non-finite) stops the run as diverged.
    description: one line for reports.
    test: ``params -> {metric: scalar}`` like ``evaluate``, on test data held out from
      both training and validation (``discover validate`` chooses on validation and reports
      on test). A task with no data, only an objective, tests on the objective itself;
      None where no data is left to hold out. Fingerprints and the search never read it.
  """

  name: str
  tier: str
  steps: int
  init: Callable[[jax.Array], Params]
  loss: Callable[[Params, Batch], jax.Array]
  stream: Callable[[jax.Array], Any]
  batch: Callable[[Any, jax.Array], Batch]
  evaluate: Callable[[Params], Mapping[str, jax.Array]]
  metric: str
  higher_is_better: bool
  schedule: Callable[[jax.Array], jax.Array]
  diverged_above: float
  description: str = ""
  test: Callable[[Params], Mapping[str, jax.Array]] | None = None

  def __post_init__(self):
    if self.tier not in TIERS:
      raise ValueError(f"task {self.name}: tier must be one of {TIERS}, not {self.tier!r}")


_TASKS: dict[str, Callable[[], Task]] = {}


def register(name: str):
  """Registers a zero-argument task factory under ``name`` (tasks build lazily)."""
  def wrap(factory):
    if name in _TASKS:
      raise ValueError(f"task '{name}' registered twice")
    _TASKS[name] = factory
    return factory
  return wrap


_BUILT: dict[str, Task] = {}


def get_task(name: str) -> Task:
  """The task called ``name``; KeyError names the known tasks."""
  if name not in _TASKS:
    raise KeyError(f"no task '{name}' (known: {', '.join(sorted(_TASKS))})")
  if name not in _BUILT:
    _BUILT[name] = _TASKS[name]()
  return _BUILT[name]


def task_names(tier: str | None = None) -> list[str]:
  """Registered task names, optionally of one tier, in registration order."""
  return [n for n in _TASKS if tier is None or get_task(n).tier == tier]
