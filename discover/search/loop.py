"""The search: evolution meets mutation, analysis, the fitness caches and an executor.

Data flow (docs/architecture.md, "The pipeline"): ``ask`` a child of a tournament
winner -> the mutator returns a valid program (``analysis.check``) -> its dataflow hash,
then its behavioural fingerprint (``discover.execute.behaviour``), is looked up in the fitness
cache (equivalent programs are trained once) -> otherwise the executor trains it on the
proxy stage -> ``tell``. Evolution never sees a program's insides, and the executor never
sees evolution.

Three more kinds of job share the executor's stream, queued ahead of new children:

* funnel: a child that sets a new best proxy fitness above ``funnel.threshold`` is
  re-scored on the funnel tasks with fresh seeds; the best there is kept
  as ``best_funnel.py``. With ``funnel.feedback`` the funnel's score comes back to
  selection (multi-fidelity): a candidate that scores lower there takes that fitness
  (``_feed_back``), so a proxy winner that fails the funnel stops parenting;
* meta: every ``meta_validation.every`` evaluations (and at the end) the best program so
  far is scored on a held-out target task, so meta-overfitting (proxy fitness up,
  held-out fitness down) shows in ``events.jsonl``;
* final: when the budget is spent, the finalists (``discover.search.finish``: the best programs
  on the funnel, the start program, the proxy best) not yet meta-validated are, logged as
  ``final`` events; the winner is chosen on those held-out scores, never the proxy alone.

The serial executor runs jobs in order, so the same config and seed give the same
``events.jsonl``, timings aside. Checkpoints are taken after a proxy result, every
``run.checkpoint_every`` evaluations; queued and in-flight funnel and meta jobs are part
of them, in-flight children are not (a resumed pool run makes new ones).
"""

from __future__ import annotations

import collections
import dataclasses
import math
import time
from pathlib import Path
from collections.abc import Iterator

from discover.dsl import analysis
from discover import config as config_lib
from discover.search import rundir as runs
from discover.execute.evaluate import Evaluation
from discover.search.evolution import Child, RegularizedEvolution
from discover.search.executors import Job
from discover.search.caches import FitnessCaches
from discover.search.mutate import MutationConfig, mutate
from discover.search.state import Counters, Extra, SearchState, encode_float
from discover.dsl.program import Program, to_text


OBJECTIVE = "log10 improvement over tuned AdamW"  # what fitness measures, by default
# A new proxy best must beat the old by this much to be funneled: an equivalent program
# the caches missed scores within float noise of the original and would only repeat it.
FUNNEL_MARGIN = 1e-6


class SearchError(RuntimeError):
  """The search cannot start or go on (for example, the start program fails)."""


@dataclasses.dataclass
class Pending:
  """A child in flight, with its cache keys."""

  child: Child
  key: str
  behaviour: str | None = None
  structure: str | None = None  # constant-free hash of a structure to fit, else None

  @property
  def job(self) -> Job:
    return Job("proxy", self.child.genome, fit=self.structure is not None)


class Search:
  """One search, in one run directory (new or resumed)."""

  def __init__(self, cfg: config_lib.Config, run_dir: Path, start: Program,
               event_log: bool = True, objective: str = OBJECTIVE):
    """``event_log=False`` writes no events.jsonl (so the run cannot be resumed or
    replayed): for callers that keep only the outcome, like the recovery benchmark, where
    logging each child would cost as much as making it. ``objective`` says what fitness
    measures, in best.py."""
    self.cfg, self.run_dir, self.start = cfg, run_dir, start
    self.objective = objective
    self.event_log = event_log
    m = cfg.mutation
    self.mutation = mutation_config(m)
    s = cfg.search
    self.evolution = RegularizedEvolution(
        s.population, s.tournament, self._mutate, cfg.seed, parsimony=s.parsimony or 0.0,
        size=lambda genome: analysis.live_count_and_hash(genome)[0],
        key=(lambda genome: analysis.live_count_and_hash(genome)[1]) if s.unique else None)
    self.hits_in_a_row = 0
    self.budget = config_lib.parse_budget(s.budget)
    self.caches = FitnessCaches(s.behaviour_hash)
    self.counters = Counters()
    self.elapsed_before = 0.0
    self.since_best = 0
    self.events = None
    self.queue: collections.deque[Extra] = collections.deque()
    self.funnel_bar = cfg.funnel.threshold  # proxy fitness a candidate must beat
    self.funnel_best: dict | None = None
    self.meta_points: list[list] = []  # [candidate id, evaluations] of each meta event
    meta = cfg.meta_validation
    self.next_meta = (meta.every or math.inf) if meta.tasks else math.inf
    self._in_flight: dict[int, Pending | Extra] = {}  # jobs the executor holds now
    self.outcome = None  # the winner and its files (discover.search.finish), once written

  def _mutate(self, genome: Program, rng):
    child, mutation = mutate(genome, rng, self.mutation)
    return child, {"kind": mutation.kind, "detail": mutation.detail}

  # -- the loop -------------------------------------------------------------------------

  def run(self, executor, resume: bool = False, progress=None) -> None:
    self.events = runs.EventLog(self.run_dir / "events.jsonl") if self.event_log else _NoLog()
    self._clock = time.perf_counter()
    try:
      if not resume:
        self.evaluate_start(executor)
      self._drive(executor, children=True, progress=progress)
      if self.cfg.meta_validation.tasks:
        self._queue_meta()  # the final best (logged from the cache if already validated)
      while self.queue:  # winners of the last children, and the final meta-validation
        self._drive(executor, children=False, progress=progress)
      self._queue_finalists()  # once every funnel score is in
      while self.queue:
        self._drive(executor, children=False, progress=progress)
      self.checkpoint()
    except KeyboardInterrupt:
      if self.evolution.population:  # keep every finished evaluation for --resume
        self.checkpoint()
      raise
    finally:
      self.events.close()

  def _drive(self, executor, children: bool, progress) -> None:
    self._in_flight = {}
    for index, evaluation in executor.imap(self._jobs(children)):
      item = self._in_flight.pop(index)
      if isinstance(item, Extra):
        self.record_extra(item, evaluation)
        continue
      self.record(item, evaluation)
      if progress:
        progress(self)
      if self.counters.evaluated % self.cfg.run.checkpoint_every == 0:
        self.checkpoint()

  def elapsed(self) -> float:
    return self.elapsed_before + time.perf_counter() - self._clock

  def _exhausted(self, in_flight: int) -> bool:
    kind, amount = self.budget
    if kind == "evaluations":
      return self.counters.evaluated + in_flight >= amount
    return self.elapsed() >= amount

  def _jobs(self, children: bool) -> Iterator[Job]:
    """Queued funnel and meta jobs first, then (with ``children``) new children until the
    budget is spent; children a cache answers for are told at once, never yielded."""
    index = 0
    while True:
      if self.queue:
        item = self.queue.popleft()
      else:
        in_flight = sum(isinstance(p, Pending) for p in self._in_flight.values())
        if not children or self._exhausted(in_flight):
          return
        item = self._child()
        if item is None:
          continue
      self._in_flight[index] = item
      index += 1
      yield item.job

  def _child(self) -> Pending | None:
    """A new child to train, or None if a cache answered for it (it is told at once)."""
    child = self.evolution.ask()
    self.counters.generated += 1
    found = self.caches.look_up(child.genome)
    self.counters.statements += len(child.genome.statements)
    self.counters.dead += len(child.genome.statements) - found.live
    if found.cached is None:
      structure = None
      if self.cfg.search.fit_constants:
        structure = analysis.dataflow_hash(child.genome, constants=False)
        structure = None if structure in self.caches.fitted else structure
      return Pending(child, found.key, found.behaviour, structure)
    if found.cached == "dataflow":
      self.counters.hash_hits += 1
    else:
      self.counters.behaviour_hits += 1
    self.tell(child, found.fitness, found.key, None, cached=found.cached, probe=found.behaviour)
    return None

  def record(self, pending: Pending, evaluation: Evaluation) -> None:
    """A trained child's result: cached, told to evolution, logged, maybe funneled."""
    child, key, behaviour = pending.child, pending.key, pending.behaviour
    self.counters.evaluated += 1
    self.counters.failed += evaluation.failed
    if evaluation.program is not None:  # its constants were fitted: the fitted one counts
      self.caches.fitted.add(pending.structure)
      child = dataclasses.replace(child, genome=evaluation.program)
      key = analysis.live_count_and_hash(child.genome)[1]
      behaviour = self.caches.prober.fingerprint(child.genome) if self.caches.prober else None
    self.caches.store(key, behaviour, evaluation.fitness)
    self.tell(child, evaluation.fitness, key, evaluation, probe=behaviour)
    if (self.cfg.funnel.tasks and math.isfinite(evaluation.fitness)
        and evaluation.fitness > self.funnel_bar + FUNNEL_MARGIN):
      self.funnel_bar = evaluation.fitness
      self.queue.append(Extra("funnel", child.id, child.genome, evaluation.fitness,
                              probe=behaviour))
    if self.counters.evaluated >= self.next_meta:
      self.next_meta += self.cfg.meta_validation.every
      self._queue_meta()

  def _queue_meta(self) -> None:
    """Meta-validates the best so far; a program already validated is logged again."""
    best = self.evolution.best
    key = analysis.dataflow_hash(best.genome)
    waiting = list(self.queue) + list(self._in_flight.values())
    if any(isinstance(e, Extra) and e.event == "meta" and e.id == best.id for e in waiting):
      return
    if key in self.caches.meta:
      if [best.id, self.counters.evaluated] in self.meta_points:
        return  # logged at this count already (the end falls on an interval, or a resume)
      self._log(best.id, None, {"kind": "meta", "detail": f"proxy fitness {best.fitness:.6g}"},
                best.genome, key, self.caches.meta[key], None, event="meta",
                cached="dataflow", evaluated=self.counters.evaluated,
                proxy_fitness=encode_float(best.fitness))
      return
    self.queue.append(Extra("meta", best.id, best.genome, best.fitness,
                            evaluated=self.counters.evaluated))

  def _queue_finalists(self) -> None:
    """Meta-validates the finalists (``finish.finalists``) the meta cache lacks, so the
    winner is chosen on held-out scores (``discover.search.finish``)."""
    if not (self.cfg.meta_validation.tasks and self.event_log):
      return  # finalists are read from events.jsonl
    from discover.search import finish

    waiting = {analysis.dataflow_hash(e.program) for e in self.queue}
    for finalist in finish.finalists(self):
      if finalist.key not in self.caches.meta and finalist.key not in waiting:
        waiting.add(finalist.key)
        self.queue.append(Extra("meta", finalist.id, finalist.program, finalist.proxy,
                                final=True))

  def record_extra(self, extra: Extra, evaluation: Evaluation) -> None:
    """A funnel or meta job's result: logged, and kept if it is the best on the funnel."""
    key = analysis.dataflow_hash(extra.program)
    mutation = {"kind": extra.event, "detail": f"proxy fitness {extra.proxy_fitness:.6g}"}
    if extra.stage == "meta":
      # Counted apart: "validated" counts the curve of the best so far.
      self.counters.finalists += extra.final
      self.counters.validated += not extra.final
      self.caches.meta[key] = evaluation.fitness
      evaluated = self.counters.evaluated if extra.evaluated is None else extra.evaluated
      self._log(extra.id, None, mutation, extra.program, key, evaluation.fitness, evaluation,
                event=extra.event, evaluated=evaluated,
                proxy_fitness=encode_float(extra.proxy_fitness))
      return
    self.counters.funneled += 1
    revised = self._feed_back(extra, evaluation)
    probe = {} if extra.probe is None else {"probe": extra.probe}
    self._log(extra.id, None, mutation, extra.program, key, evaluation.fitness, evaluation,
              event="funnel", proxy_fitness=encode_float(extra.proxy_fitness), **probe,
              **({} if revised is None else {"revised": encode_float(revised)}))
    if not evaluation.failed and (self.funnel_best is None
                                  or evaluation.fitness > self.funnel_best["fitness"]):
      self.funnel_best = {"id": extra.id, "genome": extra.program,
                          "fitness": evaluation.fitness, "proxy_fitness": extra.proxy_fitness}
      runs.write_atomic(self.run_dir / "best_funnel.py", (
          f'"""Best on the funnel: candidate {extra.id}, funnel fitness '
          f'{evaluation.fitness:.6g}, proxy fitness {extra.proxy_fitness:.6g}."""\n\n'
          + to_text(extra.program)))

  def _feed_back(self, extra: Extra, evaluation: Evaluation) -> float | None:
    """Multi-fidelity (``funnel.feedback``): a candidate that scores lower on the funnel
    than on the proxy gets the funnel's fitness, in the population and in the caches, and
    the funnel bar drops to the best fitness left in the population, so the next best is
    funneled in turn. Returns the revised fitness, None where nothing changed."""
    funnel = -math.inf if evaluation.failed else evaluation.fitness
    if not self.cfg.funnel.feedback or extra.id is None or funnel >= extra.proxy_fitness:
      return None
    self.evolution.revise(extra.id, funnel)
    self.caches.proxy[analysis.live_count_and_hash(extra.program)[1]] = funnel
    if extra.probe in self.caches.behaviour:
      self.caches.behaviour[extra.probe] = funnel
    self.funnel_bar = max([self.cfg.funnel.threshold]
                          + [m.fitness for m in self.evolution.population])
    return funnel

  def tell(self, child: Child, fitness: float, key: str, evaluation: Evaluation | None,
           cached: str | None = None, probe: str | None = None) -> None:
    """Tells evolution a child's fitness (trained or cached) and logs it."""
    best_before = self.evolution.best
    self.evolution.tell(child, fitness)
    improved = self.evolution.best is not best_before
    if improved:
      self._write_best()
    self.since_best = 0 if improved else self.since_best + 1
    self.hits_in_a_row = self.hits_in_a_row + 1 if cached else 0
    restart_after, max_hits = self.cfg.search.restart_after, self.cfg.search.max_hits
    restart = bool(restart_after and self.since_best >= restart_after
                   # converged: nothing new is made
                   or max_hits and self.hits_in_a_row >= max_hits)
    # Written only where they are not the default, which most children are: the report
    # rebuilds the population from them (older logs have neither).
    flags = {"joined": False} if not self.evolution.joined else {}
    if restart:
      flags["restart"] = True
    self._log(child.id, child.parent, child.mutation, child.genome, key, fitness, evaluation,
              cached=cached, probe=probe, **flags)
    if restart:
      self._restart()

  def _write_best(self) -> None:
    """best.py: the best program so far on the proxy, and what its fitness measures."""
    best = self.evolution.best
    runs.write_atomic(self.run_dir / "best.py", (
        f'"""Best program so far: candidate {best.id}, fitness {best.fitness:.6g} '
        f'({self.objective})."""\n\n' + to_text(best.genome)))

  def _restart(self) -> None:
    """Alternates restarting from the start program and from the best so far: with
    ``funnel.feedback``, the best on the funnel (at the lower of its proxy and funnel
    fitness) once there is one, since the proxy best may have failed there."""
    self.counters.restarts += 1
    self.since_best = self.hits_in_a_row = 0
    if self.counters.restarts % 2:
      start_key = analysis.dataflow_hash(self.start)
      self.evolution.restart(self.start, self.caches.proxy.get(start_key, -math.inf))
    elif self.cfg.funnel.feedback and self.funnel_best is not None:
      best = self.funnel_best
      self.evolution.restart(best["genome"], min(best["fitness"], best["proxy_fitness"]))
    else:
      self.evolution.restart(self.evolution.best.genome, self.evolution.best.fitness)

  def evaluate_start(self, executor) -> None:
    """Scores the start program, which seeds the population (and queues it for the funnel
    and meta-validation: the yardstick for winners)."""
    _, evaluation = next(iter(executor.imap([Job("proxy", self.start)])))
    key = analysis.dataflow_hash(self.start)
    self.caches.proxy[key] = evaluation.fitness
    self.counters.evaluated += 1
    if evaluation.failed:
      raise SearchError(f"the start program fails on the proxy tasks: {evaluation.failure}")
    self.evolution.seed_population(self.start, evaluation.fitness)
    self._write_best()
    self._log(None, None, {"kind": "start", "detail": ""}, self.start, key,
              evaluation.fitness, evaluation, event="start")
    if self.cfg.funnel.tasks:  # the yardstick for winners
      self.queue.append(Extra("funnel", None, self.start, evaluation.fitness))
    if self.cfg.meta_validation.tasks:
      self.queue.append(Extra("meta", None, self.start, evaluation.fitness,
                              evaluated=self.counters.evaluated))

  def _log(self, id_, parent, mutation, program, key, fitness, evaluation,
           event: str = "candidate", cached: str | None = None, **extra) -> None:
    if event == "meta":
      self.meta_points.append([id_, extra["evaluated"]])
    if not self.event_log:
      return
    if event == "candidate" and cached:
      # Most children are cache hits: a short record. Its parent and mutation detail
      # rebuild the program (``resume.logged_genome``), its hash (or, for a behaviour hit,
      # its probe) the fitness it copies (``rundir.EventReader``).
      probe = {"probe": extra.pop("probe")} if cached == "behaviour" else {}
      flags = {k: extra[k] for k in ("joined", "restart") if k in extra}
      self.events.append({"event": event, "id": id_, "parent": parent,
                          "mutation": mutation["kind"], "detail": mutation["detail"],
                          "hash": key, "cached": cached, **probe, **flags})
      return
    finite = fitness if math.isfinite(fitness) else None
    record = {"event": event, "id": id_, "parent": parent, "mutation": mutation["kind"],
              "detail": mutation["detail"], "hash": key, "fitness": finite,
              "cached": cached or False, "program": to_text(program), **extra}
    if evaluation is not None:
      record.update(metrics={k: [v if math.isfinite(v) else None for v in vs]
                             for k, vs in evaluation.metrics.items()},
                    failure=evaluation.failure, seconds=round(evaluation.seconds, 4))
      if evaluation.lr_scales is not None:
        record["lr_scales"] = dict(evaluation.lr_scales)
      if evaluation.program is not None:
        record["fitted"] = True  # "program" is the child with its constants fitted
    record["time"] = round(self.elapsed(), 3)
    self.events.append(record)

  def meta_events(self) -> list[dict]:
    """The meta-validation records of this run, in order."""
    events, _ = runs.read_events(self.run_dir / "events.jsonl")
    return [e for e in events if e["event"] == "meta"]

  def wall_time(self) -> float:
    """The run's seconds as its log records them: the time of its last event, the figure
    report.md shows. (``elapsed`` runs on past it, through the final checkpoint and the
    executor's shutdown.) Without a log, the clock."""
    last = runs.last_event(self.run_dir / "events.jsonl") if self.event_log else None
    return last["time"] if last else self.elapsed()

  # -- checkpoints ----------------------------------------------------------------------

  def state(self) -> SearchState:
    """The search between two evaluations, as data (in-flight children are left out: a
    resumed pool run makes new ones)."""
    in_flight = [p for p in self._in_flight.values() if isinstance(p, Extra)]
    return SearchState(
        evolution=self.evolution.state(), counters=dataclasses.replace(self.counters),
        cache=dict(self.caches.proxy), behaviour_cache=dict(self.caches.behaviour),
        meta_cache=dict(self.caches.meta), meta_points=list(self.meta_points),
        queue=in_flight + list(self.queue), next_meta=self.next_meta,
        elapsed=self.elapsed(), since_best=self.since_best, funnel_bar=self.funnel_bar,
        funnel_best=self.funnel_best, events=self.events.count,
        fitted=sorted(self.caches.fitted), hits_in_a_row=self.hits_in_a_row)

  def load_state(self, state: SearchState) -> None:
    """Puts the search where ``state`` left it."""
    self.evolution.load_state(state.evolution)
    self.counters = dataclasses.replace(state.counters)
    self.caches.proxy, self.caches.behaviour, self.caches.meta = (
        dict(state.cache), dict(state.behaviour_cache), dict(state.meta_cache))
    self.meta_points = list(state.meta_points)
    self.queue = collections.deque(state.queue)
    self.next_meta, self.elapsed_before = state.next_meta, state.elapsed
    self.since_best, self.funnel_bar = state.since_best, state.funnel_bar
    self.funnel_best = state.funnel_best
    self.caches.fitted, self.hits_in_a_row = set(state.fitted), state.hits_in_a_row

  def checkpoint(self) -> None:
    """Writes the search's state atomically, with the number of events it accounts for
    (the event log is fsynced first, so those events are on disk before it is)."""
    self.events.sync()
    runs.write_json(self.run_dir / "checkpoint.json", self.state().to_json())


def mutation_config(m: config_lib.MutationSection) -> MutationConfig:
  """The mutator's settings from the config's ``mutation`` section (a key a run's
  config.yaml predates, None, keeps what the search did before it)."""
  ops = tuple(m.ops) if m.ops != "all" else MutationConfig().ops
  prior = None
  if m.op_prior is not None and m.op_prior_weight is not None:
    prior = {op: m.op_prior_weight for op in m.op_prior if op in ops}
  weights = {"insert": m.insert, "delete": m.delete, "modify": m.modify,
             "wrap": m.wrap or 0.0, "slot": m.slot or 0.0, "swap_op": m.swap_op or 0.0,
             "term": m.term or 0.0}
  return MutationConfig(ops=ops, weights=weights, op_weights=prior,
                        max_statements=m.max_statements, protect_lr=bool(m.protect_lr),
                        second_edit=m.second_edit or 0.0)


class _NoLog:
  """An event log that keeps nothing (``Search(event_log=False)``)."""

  count = 0

  def append(self, event: dict) -> None:
    pass

  def sync(self) -> None:
    pass

  def close(self) -> None:
    pass
