"""Scoring programs on tasks: training runs, failures, and one fitness number.

Fitness convention (the one place it is defined): **higher is better**. For each task and
seed, a candidate's validation metric is compared with the reference score of AdamW tuned
on that task (``discover.execute.reference``)::

    score = log10(reference / metric)   for a loss (lower is better)
    score = log10(metric / reference)   for an accuracy (higher is better)

so 0 means "as good as tuned AdamW", +1 means ten times lower loss, and tasks of different
scales average sensibly. Fitness is the mean score over seeds, then the mean over tasks
(``aggregate="mean"``) or the worst task (``aggregate="min"``, for a rule that must hold on
every task). A run that
diverges (non-finite or exploding loss, non-finite metric) gives ``WORST_FITNESS`` with the
reason recorded, and stops early.

Two methods score a program, with the same numbers up to float rounding:

* ``machine``: the register machine of ``discover.execute.machine``, one compile per task for the
  whole life of the process, the program passed as data;
* ``compiled``: the reference interpreter traced into a fresh training loop per program
  (a compile per candidate; the plain path the machine is checked against).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import time
from collections.abc import Mapping, Sequence

import jax
import numpy as np
import optax
from jax.flatten_util import ravel_pytree

from discover.dsl import analysis
from discover.execute import machine
from discover.execute.interpreter import as_transform
from discover.dsl.program import Const, Program, Statement, Var
from proxy_tasks import get_task
from proxy_tasks.base import Task
from proxy_tasks.train import make_trainer

WORST_FITNESS = -math.inf
METRIC_FLOOR = 1e-12  # losses are floored here before the log: a solved quadratic is 0
METHODS = ("machine", "compiled")
AGGREGATES = ("mean", "min")
LR_SCALINGS = ("step", "lr")  # what lr_scales multiply: see scale_learning_rate


@dataclasses.dataclass(frozen=True)
class Evaluation:
  """The outcome of scoring one program.

  Attributes:
    fitness: mean score over tasks and seeds (higher is better), or WORST_FITNESS.
    metrics: task -> the validation metric for each seed (NaN where it diverged).
    failure: why the program got WORST_FITNESS, or None.
    seconds: wall time the evaluation took.
    lr_scales: with learning-rate tuning (``Evaluator(lr_scales=...)``), the scale chosen
      on each task; None without.
    program: the program as scored, where an evaluator's ``fit`` changed its constants;
      None: the program it was given.
  """

  fitness: float
  metrics: Mapping[str, tuple[float, ...]]
  failure: str | None = None
  seconds: float = 0.0
  lr_scales: Mapping[str, float] | None = None  # task -> the scale chosen, when tuned
  program: Program | None = None

  @property
  def failed(self) -> bool:
    return self.failure is not None


def task_score(task: Task, metric: float, reference: float) -> float:
  """log10 improvement over the reference (positive: better than the reference)."""
  metric, reference = max(metric, METRIC_FLOOR), max(reference, METRIC_FLOOR)
  ratio = metric / reference if task.higher_is_better else reference / metric
  return math.log10(ratio)


def flatten_task(task: Task) -> tuple[Task, int, np.ndarray]:
  """The task over one flat parameter vector; also its length and each element's leaf."""
  template = task.init(jax.random.key(0))
  flat, unravel = ravel_pytree(template)
  sizes = [np.size(leaf) for leaf in jax.tree.leaves(template)]
  segments = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
  flat_task = dataclasses.replace(
      task,
      init=lambda key: ravel_pytree(task.init(key))[0],
      loss=lambda theta, batch: task.loss(unravel(theta), batch),
      evaluate=lambda theta: task.evaluate(unravel(theta)))
  return flat_task, flat.size, segments


@functools.cache
def machine_trainer(name: str, capacity: machine.Capacity):
  """The register machine's trainer for a task: ``(encoded program, key) -> result``.

  Compiling it costs seconds, and it depends on the task and the capacity alone (not on
  seeds, references or learning-rate scales), so every evaluator in a process shares one:
  the searches of a study, the stages of a replay, the scorers of ``simplify``.
  """
  flat, size, segments = flatten_task(get_task(name))

  def make(encoded):
    init, update = machine.machine_transform(encoded, flat.schedule, size, segments, capacity)
    return optax.GradientTransformation(init, update)

  return make_trainer(flat, make)


class Evaluator:
  """Scores programs on a fixed set of tasks and seeds.

  Args:
    tasks: task names.
    seeds: training seeds; each task is trained once per seed.
    references: task -> tuned-AdamW reference metric, either one number or paired,
      ``{seed: metric}`` covering ``seeds`` (default: 1.0, i.e. raw metrics).
    method: "machine" or "compiled" (see the module docstring).
    capacity: the machine's capacity; larger programs fall back to "compiled".
    aggregate: "mean" or "min" over tasks (see the module docstring).
    lr_scales: learning-rate multipliers to tune over, per task: the program is trained
      with its step size scaled by each (``scale_learning_rate``: its ``lr``, or its
      update if it never reads ``lr``), and each task keeps the scale with the best mean
      score over the seeds (the way its AdamW reference was tuned). Default: no tuning.
    lr_scaling: "step" (the default, as above) or "lr" (the ``lr`` input only, as runs
      recorded before a config had ``lr_scaling`` were scored: ``replay`` uses it).
  """

  def __init__(self, tasks: Sequence[str], seeds: Sequence[int] = (0,),
               references: Mapping[str, float | Mapping[int, float]] | None = None,
               method: str = "machine",
               capacity: machine.Capacity = machine.Capacity(), aggregate: str = "mean",
               lr_scales: Sequence[float] = (1.0,), lr_scaling: str = "step"):
    if method not in METHODS:
      raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if aggregate not in AGGREGATES:
      raise ValueError(f"aggregate must be one of {AGGREGATES}, not {aggregate!r}")
    self.aggregate = aggregate
    if not lr_scales or any(not (k > 0 and math.isfinite(k)) for k in lr_scales):
      raise ValueError(f"lr_scales must be positive and finite, got {lr_scales!r}")
    self.lr_scales = tuple(float(k) for k in lr_scales)
    if lr_scaling not in LR_SCALINGS:
      raise ValueError(f"lr_scaling must be one of {LR_SCALINGS}, not {lr_scaling!r}")
    self.lr_scaling = lr_scaling
    self.tasks = {name: get_task(name) for name in tasks}
    self.seeds = tuple(seeds)
    self.references = dict(references or {})
    for name, ref in self.references.items():
      if isinstance(ref, Mapping) and not set(self.seeds) <= set(ref):
        raise ValueError(f"the reference for {name} has no value for seeds "
                         f"{sorted(set(self.seeds) - set(ref))}")
    self.method = method
    self.capacity = capacity

  def _machine_trainer(self, name: str):
    return machine_trainer(name, self.capacity)

  def _runs(self, program: Program, name: str):
    task = self.tasks[name]
    keys = [jax.random.key(seed) for seed in self.seeds]
    if self.method == "machine":
      try:
        encoded = machine.encode(program, self.capacity)
        run = self._machine_trainer(name)
        return [run(encoded, key) for key in keys]
      except machine.TooLarge:
        pass  # rare: fall through to the compiled path
    run = make_trainer(task, lambda _: as_transform(program, task.schedule))
    return [run(None, key) for key in keys]

  def _reference(self, name: str, seed: int) -> float:
    ref = self.references.get(name, 1.0)
    return ref[seed] if isinstance(ref, Mapping) else ref

  def warm_up(self) -> None:
    """Compiles every task's machine now (a few seconds each), not on the first program."""
    if self.method == "machine":
      from discover.dsl.baselines import baseline_program
      self.evaluate(baseline_program("sgd"))

  def evaluate(self, program: Program) -> Evaluation:
    """Trains on every task and seed; never raises for a bad program."""
    start = time.perf_counter()
    evaluation = self._evaluate(program)
    return dataclasses.replace(evaluation, seconds=time.perf_counter() - start)

  def fit(self, program: Program) -> Evaluation:
    """``evaluate`` with the step size fitted: the program, and the program with its step
    scaled by each of ``FIT_STEP_SCALES`` (``carry_step_scale``), are trained, and the best
    is the evaluation's ``program``. Only for a rule whose update is linear in ``lr``
    (``analysis.lr_linear``), where a scale of ``lr`` is a scale of its step; any other is
    evaluated as it is."""
    if not analysis.lr_linear(program):
      return self.evaluate(program)
    start = time.perf_counter()
    best, evaluation = program, self._evaluate(program)
    for factor in FIT_STEP_SCALES:
      scaled = carry_step_scale(program, factor)
      trial = self._evaluate(scaled)
      if trial.fitness > evaluation.fitness:
        best, evaluation = scaled, trial
    return dataclasses.replace(evaluation, seconds=time.perf_counter() - start, program=best)

  def _evaluate(self, program: Program) -> Evaluation:
    tuned = len(self.lr_scales) > 1
    trials = [self._task_results(scale_learning_rate(program, k, self.lr_scaling)
                                 if k != 1.0 else program)
              for k in self.lr_scales]
    metrics, scores, chosen, failure = {}, {}, {}, None
    for name in self.tasks:
      # Each task keeps its best scale; a task fails only if every scale fails on it.
      ok = [(i, t[name]) for i, t in enumerate(trials) if t[name][2] is None]
      if not ok:
        failure = failure or trials[0][name][2]
        metrics[name] = trials[0][name][0]
        continue
      best, (values, task_scores, _) = max(ok, key=lambda item: np.mean(item[1][1]))
      metrics[name], scores[name], chosen[name] = values, task_scores, self.lr_scales[best]
    lr_scales = chosen if tuned else None
    if failure:
      return Evaluation(WORST_FITNESS, metrics, failure, lr_scales=lr_scales)
    per_task = [float(np.mean(v)) for v in scores.values()]
    combine = min if self.aggregate == "min" else np.mean
    return Evaluation(float(combine(per_task)), metrics, lr_scales=lr_scales)

  def _task_results(self, program: Program) -> dict[str, tuple]:
    """Task -> (metric per seed, score per seed, failure or None)."""
    out = {}
    for name, task in self.tasks.items():
      results = jax.device_get(self._runs(program, name))
      values, task_scores, failure = [], [], None
      for seed, result in zip(self.seeds, results):
        if bool(result.diverged):
          failure = failure or (f"diverged on {name} (seed {seed}) at step "
                                f"{int(result.steps)} of {task.steps}")
          values.append(float("nan"))
          continue
        values.append(float(result.metric))
        task_scores.append(task_score(task, values[-1], self._reference(name, seed)))
      out[name] = (tuple(values), task_scores, failure)
    return out


# Step sizes a fit tries besides the program's own: a third and three times it.
FIT_STEP_SCALES = (1 / 3, 3.0)


def carry_step_scale(program: Program, factor: float) -> Program:
  """The program with its step multiplied by ``factor``, carried by a first statement
  ``lr = lr * c``: its constant multiplied where the program has one, else prepended (so a
  search's programs carry one scale, which a later fit adjusts)."""
  first = program.statements[0] if program.statements else None
  if (first is not None and first.target == "lr" and first.op == "mul"
      and first.args[0] == Var("lr") and isinstance(first.args[1], Const)):
    scaled = Const(float(np.float32(first.args[1].value * factor)))
    statement = Statement("lr", "mul", (Var("lr"), scaled))
    return dataclasses.replace(program, statements=(statement, *program.statements[1:]))
  statement = Statement("lr", "mul", (Var("lr"), Const(float(np.float32(factor)))))
  return dataclasses.replace(program, statements=(statement, *program.statements))


def scale_learning_rate(program: Program, factor: float, scaling: str = "step") -> Program:
  """The program with its step size multiplied by ``factor``: learning-rate tuning for a
  rule that carries its own constant.

  A rule that reads ``lr`` gets a first statement ``lr = lr * factor`` (the form every
  recorded run was scored with, so they replay bit for bit). A rule that never reads it
  (``analysis.reads_lr``) would ignore that, so its update is multiplied instead: a last
  statement ``<fresh name> = update * factor``, returned as the update. ``scaling="lr"``
  always scales the ``lr`` input, as runs scored before the update was scaled did (a rule
  that never reads lr then ignores the factor): for replaying them.
  """
  if scaling not in LR_SCALINGS:
    raise ValueError(f"scaling must be one of {LR_SCALINGS}, not {scaling!r}")
  if scaling == "lr" or analysis.reads_lr(program):
    first = Statement("lr", "mul", (Var("lr"), Const(float(factor))))
    return dataclasses.replace(program, statements=(first, *program.statements))
  taken = {*program.inputs, *(s.target for s in program.statements)}
  name = "scaled_update"
  while name in taken:
    name += "_"
  last = Statement(name, "mul", (Var(program.update), Const(float(factor))))
  return dataclasses.replace(program, statements=(*program.statements, last), update=name)
