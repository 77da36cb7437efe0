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
  as ``best_funnel.py``;
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
import itertools
import json
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
from discover.search.mutate import MutationConfig, mutate
from discover.dsl.parse import from_json
from discover.dsl.program import Program, ProgramError, to_json, to_text


# A new proxy best must beat the old by this much to be funneled: an equivalent program
# the caches missed scores within float noise of the original and would only repeat it.
FUNNEL_MARGIN = 1e-6


class SearchError(RuntimeError):
  """The search cannot start or go on (for example, the start program fails)."""


@dataclasses.dataclass
class Counters:
  generated: int = 0  # children made (valid ones)
  evaluated: int = 0  # children trained on the proxy
  hash_hits: int = 0  # children whose dataflow hash was already scored
  behaviour_hits: int = 0  # children whose probe behaviour matched a scored program
  failed: int = 0  # trained children that diverged or failed
  statements: int = 0  # statements in generated children
  dead: int = 0  # of which reach no output
  restarts: int = 0
  funneled: int = 0  # candidates re-scored in the funnel
  validated: int = 0  # meta-validations run
  finalists: int = 0  # finalists meta-validated at the end (discover.search.finish)

  @property
  def hit_rate(self) -> float:
    hits = self.hash_hits + self.behaviour_hits
    return hits / self.generated if self.generated else 0.0


@dataclasses.dataclass
class Extra:
  """A funnel or meta job: whose program, and its proxy fitness when it was queued."""

  stage: str  # "funnel" or "meta"
  id: int | None  # candidate id (None: the start program)
  program: Program
  proxy_fitness: float
  final: bool = False  # a finalist's meta-validation at the end (logged as "final")
  # Evaluations done when a meta job was queued, which its event logs: on a pool a long job
  # (the start's, or one a --resume restored) returns many evaluations later.
  evaluated: int | None = None

  def to_dict(self) -> dict:
    return {"stage": self.stage, "id": self.id, "program": to_json(self.program),
            "proxy_fitness": self.proxy_fitness, "final": self.final,
            "evaluated": self.evaluated}

  @classmethod
  def from_dict(cls, d: dict) -> Extra:
    return cls(d["stage"], d["id"], from_json(d["program"]), d["proxy_fitness"],
               d.get("final", False),  # checkpoints from before finalists lack it
               evaluated=d.get("evaluated"))  # and from before meta counts

  @property
  def event(self) -> str:
    return "final" if self.final else self.stage

  @property
  def job(self) -> Job:
    return Job(self.stage, self.program)


@dataclasses.dataclass
class Pending:
  """A child in flight, with its cache keys."""

  child: Child
  key: str
  behaviour: str | None

  @property
  def job(self) -> Job:
    return Job("proxy", self.child.genome)


class Search:
  """One search, in one run directory (new or resumed)."""

  def __init__(self, cfg: config_lib.Config, run_dir: Path, start: Program,
               event_log: bool = True):
    """``event_log=False`` writes no events.jsonl (so the run cannot be resumed or
    replayed): for callers that keep only the outcome, like the recovery benchmark, where
    logging each child would cost as much as making it."""
    self.cfg, self.run_dir, self.start = cfg, run_dir, start
    self.event_log = event_log
    m = cfg.mutation
    ops = tuple(m.ops) if m.ops != "all" else MutationConfig().ops
    self.mutation = MutationConfig(ops=ops, max_statements=m.max_statements, weights={
        "insert": m.insert, "delete": m.delete, "modify": m.modify})
    s = cfg.search
    self.evolution = RegularizedEvolution(s.population, s.tournament, self._mutate, cfg.seed)
    self.budget = config_lib.parse_budget(s.budget)
    self.cache: dict[str, float] = {}  # dataflow hash -> fitness
    self.behaviour_cache: dict[str, float] = {}  # probe fingerprint -> fitness
    self.counters = Counters()
    self.elapsed_before = 0.0
    self.since_best = 0
    self.events = None
    self.queue: collections.deque[Extra] = collections.deque()
    self.funnel_bar = cfg.funnel.threshold  # proxy fitness a candidate must beat
    self.funnel_best: dict | None = None
    self.meta_cache: dict[str, float] = {}  # dataflow hash -> held-out fitness
    self.meta_points: list[list] = []  # [candidate id, evaluations] of each meta event
    meta = cfg.meta_validation
    self.next_meta = (meta.every or math.inf) if meta.tasks else math.inf
    self._prober = None
    self._in_flight: dict[int, Pending | Extra] = {}  # jobs the executor holds now
    self.outcome = None  # the winner and its files (discover.search.finish), once written

  def _mutate(self, genome: Program, rng):
    child, mutation = mutate(genome, rng, self.mutation)
    return child, {"kind": mutation.kind, "detail": mutation.detail}

  @property
  def prober(self):
    if self._prober is None and self.cfg.search.behaviour_hash:
      from discover.execute.behaviour import shared_prober
      self._prober = shared_prober()
    return self._prober

  # -- the loop -------------------------------------------------------------------------

  def run(self, executor, resume: bool = False, progress=None) -> None:
    self.events = runs.EventLog(self.run_dir / "events.jsonl") if self.event_log else _NoLog()
    self._clock = time.perf_counter()
    try:
      if not resume:
        self._evaluate_start(executor)
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
        self._record_extra(item, evaluation)
        continue
      self._record(item, evaluation)
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
    genome = child.genome
    self.counters.generated += 1
    live, key = analysis.live_count_and_hash(genome)
    self.counters.statements += len(genome.statements)
    self.counters.dead += len(genome.statements) - live
    if key in self.cache:
      self.counters.hash_hits += 1
      self._tell(child, self.cache[key], key, None, cached="dataflow")
      return None
    behaviour = self.prober.fingerprint(genome) if self.prober else None
    if behaviour is not None and behaviour in self.behaviour_cache:
      self.counters.behaviour_hits += 1
      self.cache[key] = self.behaviour_cache[behaviour]
      self._tell(child, self.cache[key], key, None, cached="behaviour", probe=behaviour)
      return None
    return Pending(child, key, behaviour)

  def _record(self, pending: Pending, evaluation: Evaluation) -> None:
    child = pending.child
    self.counters.evaluated += 1
    self.counters.failed += evaluation.failed
    self.cache[pending.key] = evaluation.fitness
    if pending.behaviour is not None:
      self.behaviour_cache[pending.behaviour] = evaluation.fitness
    self._tell(child, evaluation.fitness, pending.key, evaluation, probe=pending.behaviour)
    if (self.cfg.funnel.tasks and math.isfinite(evaluation.fitness)
        and evaluation.fitness > self.funnel_bar + FUNNEL_MARGIN):
      self.funnel_bar = evaluation.fitness
      self.queue.append(Extra("funnel", child.id, child.genome, evaluation.fitness))
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
    if key in self.meta_cache:
      if [best.id, self.counters.evaluated] in self.meta_points:
        return  # logged at this count already (the end falls on an interval, or a resume)
      self._log(best.id, None, {"kind": "meta", "detail": f"proxy fitness {best.fitness:.6g}"},
                best.genome, key, self.meta_cache[key], None, event="meta",
                cached="dataflow", evaluated=self.counters.evaluated,
                proxy_fitness=_encode_float(best.fitness))
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
      if finalist.key not in self.meta_cache and finalist.key not in waiting:
        waiting.add(finalist.key)
        self.queue.append(Extra("meta", finalist.id, finalist.program, finalist.proxy,
                                final=True))

  def _record_extra(self, extra: Extra, evaluation: Evaluation) -> None:
    key = analysis.dataflow_hash(extra.program)
    mutation = {"kind": extra.event, "detail": f"proxy fitness {extra.proxy_fitness:.6g}"}
    if extra.stage == "meta":
      # Counted apart: "validated" counts the curve of the best so far.
      self.counters.finalists += extra.final
      self.counters.validated += not extra.final
      self.meta_cache[key] = evaluation.fitness
      evaluated = self.counters.evaluated if extra.evaluated is None else extra.evaluated
      self._log(extra.id, None, mutation, extra.program, key, evaluation.fitness, evaluation,
                event=extra.event, evaluated=evaluated,
                proxy_fitness=_encode_float(extra.proxy_fitness))
      return
    self.counters.funneled += 1
    self._log(extra.id, None, mutation, extra.program, key, evaluation.fitness, evaluation,
              event="funnel", proxy_fitness=_encode_float(extra.proxy_fitness))
    if not evaluation.failed and (self.funnel_best is None
                                  or evaluation.fitness > self.funnel_best["fitness"]):
      self.funnel_best = {"id": extra.id, "genome": extra.program,
                          "fitness": evaluation.fitness, "proxy_fitness": extra.proxy_fitness}
      runs.write_atomic(self.run_dir / "best_funnel.py", (
          f'"""Best on the funnel: candidate {extra.id}, funnel fitness '
          f'{evaluation.fitness:.6g}, proxy fitness {extra.proxy_fitness:.6g}."""\n\n'
          + to_text(extra.program)))

  def _tell(self, child: Child, fitness: float, key: str, evaluation: Evaluation | None,
            cached: str | None = None, probe: str | None = None):
    best_before = self.evolution.best
    self.evolution.tell(child, fitness)
    improved = self.evolution.best is not best_before
    if improved:
      runs.write_atomic(self.run_dir / "best.py", _best_text(self.evolution.best))
    self._log(child.id, child.parent, child.mutation, child.genome, key, fitness, evaluation,
              cached=cached, probe=probe)
    self.since_best = 0 if improved else self.since_best + 1
    restart_after = self.cfg.search.restart_after
    if restart_after and self.since_best >= restart_after:
      self._restart()

  def _restart(self) -> None:
    """Alternates restarting from the start program and from the best so far."""
    self.counters.restarts += 1
    self.since_best = 0
    if self.counters.restarts % 2:
      start_key = analysis.dataflow_hash(self.start)
      self.evolution.restart(self.start, self.cache.get(start_key, -math.inf))
    else:
      self.evolution.restart(self.evolution.best.genome, self.evolution.best.fitness)

  def _evaluate_start(self, executor) -> None:
    _, evaluation = next(iter(executor.imap([Job("proxy", self.start)])))
    key = analysis.dataflow_hash(self.start)
    self.cache[key] = evaluation.fitness
    self.counters.evaluated += 1
    if evaluation.failed:
      raise SearchError(f"the start program fails on the proxy tasks: {evaluation.failure}")
    self.evolution.seed_population(self.start, evaluation.fitness)
    runs.write_atomic(self.run_dir / "best.py", _best_text(self.evolution.best))
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
    finite = fitness if math.isfinite(fitness) else None
    # A cached child's text is left out: most children are cached, and the text would be
    # most of the log. Its parent and mutation detail rebuild it (``_logged_genome``).
    text = {} if event == "candidate" and cached else {"program": to_text(program)}
    record = {"event": event, "id": id_, "parent": parent, "mutation": mutation["kind"],
              "detail": mutation["detail"], "hash": key, "fitness": finite,
              "cached": cached or False, **text, **extra}
    if evaluation is not None:
      record.update(metrics={k: [v if math.isfinite(v) else None for v in vs]
                             for k, vs in evaluation.metrics.items()},
                    failure=evaluation.failure, seconds=round(evaluation.seconds, 4))
      if evaluation.lr_scales is not None:
        record["lr_scales"] = dict(evaluation.lr_scales)
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

  def checkpoint(self) -> None:
    """Writes the search's state atomically, with the number of events it accounts for
    (the event log is fsynced first, so those events are on disk before it is)."""
    self.events.sync()
    state = self.evolution.state()
    for member in state["population"] + ([state["best"]] if state["best"] else []):
      member["genome"] = to_json(member["genome"])
      member["fitness"] = _encode_float(member["fitness"])
    in_flight = [p for p in self._in_flight.values() if isinstance(p, Extra)]
    runs.write_json(self.run_dir / "checkpoint.json", {
        "evolution": state, "counters": dataclasses.asdict(self.counters),
        "cache": _encode_floats(self.cache),
        "behaviour_cache": _encode_floats(self.behaviour_cache),
        "meta_cache": _encode_floats(self.meta_cache), "meta_points": self.meta_points,
        "queue": [e.to_dict() for e in in_flight + list(self.queue)],
        "next_meta": _encode_float(self.next_meta),
        "elapsed": self.elapsed(), "since_best": self.since_best,
        "funnel_bar": _encode_float(self.funnel_bar),
        "funnel_best": None if self.funnel_best is None else {
            **self.funnel_best, "genome": to_json(self.funnel_best["genome"])},
        "events": self.events.count})

  def restore(self) -> None:
    """Continues where the run stopped: the last checkpoint, then every event logged after it.

    A checkpoint is written every ``run.checkpoint_every`` evaluations, so a run killed
    between two has events the checkpoint does not account for. Each is told again, in
    order, through the search's own bookkeeping with its logged result, so nothing is
    retrained and the log is kept as it is. On the serial executor the search re-makes
    each child exactly (same parent, same mutation, same random state after it), so the
    resumed run goes on as if it had never stopped; on a pool, where results arrive in
    any order, the children are told back as logged. Without a checkpoint (a kill before
    the first) the whole log is replayed from the start program's event. A last line cut
    short by the kill is dropped, and reported on stderr.

    Raises:
      SearchError: the run directory has nothing to resume, or its files cannot be read.
    """
    path = self.run_dir / "events.jsonl"
    dropped = runs.repair_events(path)
    if dropped:
      _warn(f"{path}: {dropped}, left by an interrupted write")
    try:
      done = _load_checkpoint(self) if (self.run_dir / "checkpoint.json").exists() else 0
      after, _ = runs.read_events(path, skip=done)
    except (ValueError, KeyError) as e:  # runs.RunFileError, or a damaged checkpoint
      raise SearchError(f"cannot resume {self.run_dir}: {e}") from None
    if not self.evolution.population and not after:
      raise SearchError(f"nothing to resume in {self.run_dir}: the start program was "
                        f"never scored")
    _replay(self, after, done)


class _NoLog:
  """An event log that keeps nothing (``Search(event_log=False)``)."""

  count = 0

  def append(self, event: dict) -> None:
    pass

  def sync(self) -> None:
    pass

  def close(self) -> None:
    pass


def _best_text(member) -> str:
  return (f'"""Best program so far: candidate {member.id}, fitness {member.fitness:.6g} '
          f'(log10 improvement over tuned AdamW)."""\n\n' + to_text(member.genome))


def _encode_float(x: float):
  return x if math.isfinite(x) else None


def _decode_float(x, none: float = -math.inf) -> float:
  return none if x is None else float(x)


def _encode_floats(d: dict) -> dict:
  return {k: _encode_float(v) for k, v in d.items()}


def _decode_floats(d: dict) -> dict:
  return {k: _decode_float(v) for k, v in d.items()}


# -- resuming: events logged after the last checkpoint, told again ----------------------


def _warn(message: str) -> None:
  import sys
  print(f"discover: {message}", file=sys.stderr)


def _load_checkpoint(search: Search) -> int:
  """Loads checkpoint.json; returns the number of events it accounts for."""
  data = json.loads((search.run_dir / "checkpoint.json").read_text(encoding="utf-8"))
  state = data["evolution"]
  for member in state["population"] + ([state["best"]] if state["best"] else []):
    member["genome"] = from_json(member["genome"])
    member["fitness"] = _decode_float(member["fitness"])
  search.evolution.load_state(state)
  search.counters = Counters(**data["counters"])
  search.cache = _decode_floats(data["cache"])
  search.behaviour_cache = _decode_floats(data["behaviour_cache"])
  search.meta_cache = _decode_floats(data["meta_cache"])
  search.meta_points = data.get("meta_points", [])  # older checkpoints lack it
  search.queue = collections.deque(Extra.from_dict(d) for d in data["queue"])
  search.next_meta = _decode_float(data["next_meta"], math.inf)
  search.elapsed_before = data["elapsed"]
  search.since_best = data["since_best"]
  search.funnel_bar = _decode_float(data["funnel_bar"])
  search.funnel_best = data["funnel_best"]
  if search.funnel_best:
    search.funnel_best["genome"] = from_json(search.funnel_best["genome"])
  return data["events"]


class _Retold:
  """Stands in for the event log while logged events are told again: it writes nothing,
  counts, and checks that each event the search logs again is the one logged before."""

  def __init__(self, events: list[dict], done: int):
    self.events, self.position, self.count = events, 0, done

  def append(self, record: dict) -> None:
    logged = self.events[self.position] if self.position < len(self.events) else None
    if logged is None or any(record[k] != logged[k] for k in ("event", "id", "hash")):
      raise SearchError(f"cannot resume: events.jsonl line {self.count + 1} is not what the "
                        f"search does again ({_describe(logged)} logged, {_describe(record)} "
                        f"now)")
    self.skip()

  def skip(self) -> None:
    self.position += 1
    self.count += 1

  def sync(self) -> None:
    pass


class _Recorded:
  """An executor that answers with a logged evaluation instead of training."""

  def __init__(self, evaluation: Evaluation):
    self.evaluation = evaluation

  def imap(self, jobs):
    for index, _ in enumerate(jobs):
      yield index, self.evaluation


def _replay(search: Search, events: list[dict], done: int) -> None:
  """Tells ``events`` (logged after the checkpoint, which accounts for ``done``) again."""
  retold = _Retold(events, done)
  search.events, search._clock = retold, time.perf_counter()
  while retold.position < len(events):
    event = events[retold.position]
    before = retold.position
    if event["event"] == "start":
      search._evaluate_start(_Recorded(_logged_evaluation(event)))
    elif event["event"] == "candidate":
      _retell_child(search, event)
    elif event["event"] in ("funnel", "meta", "final") and not event["cached"]:
      search._record_extra(_queued_extra(search, event), _logged_evaluation(event))
    elif event["event"] != "meta":
      raise SearchError(f"cannot resume: events.jsonl line {retold.count + 1} is an event "
                        f"of a kind this version does not know ({event['event']!r})")
    if retold.position == before:  # a meta-validation answered from the cache at the end
      search.meta_points.append([event["id"], event.get("evaluated")])
      retold.skip()
  search.events = None
  if events:
    search.elapsed_before = max(search.elapsed_before, events[-1]["time"])


def _retell_child(search: Search, event: dict) -> None:
  """What ``Search._child`` and ``_record`` did for this child, with its logged result."""
  child = _child_again(search.evolution, event)
  counters, key = search.counters, event["hash"]
  counters.generated += 1
  counters.statements += len(child.genome.statements)
  counters.dead += len(child.genome.statements) - len(analysis.live_statements(child.genome))
  fitness = _decode_float(event["fitness"])
  if event["cached"] == "dataflow":
    counters.hash_hits += 1
    search._tell(child, fitness, key, None, cached="dataflow")
  elif event["cached"] == "behaviour":
    counters.behaviour_hits += 1
    search.cache[key] = fitness
    search._tell(child, fitness, key, None, cached="behaviour", probe=event["probe"])
  else:
    search._record(Pending(child, key, event.get("probe")), _logged_evaluation(event))


def _child_again(evolution: RegularizedEvolution, event: dict) -> Child:
  """The logged child, asked for again when the search makes exactly it next (always, on
  the serial executor), so the random state moves on as it did; else rebuilt from the log."""
  from discover.search.mutate import MutationError
  rng, next_id = evolution.rng.bit_generator.state, evolution.next_id
  try:
    child = evolution.ask()
    if _is_logged(child, event):
      return child
  except MutationError:  # the parent drawn now is not the logged child's (a pool's order)
    pass
  evolution.rng.bit_generator.state = rng
  evolution.next_id = max(next_id, event["id"] + 1)  # ids stay unique after the resume
  return Child(event["id"], event["parent"], _logged_genome(evolution, event),
               {"kind": event["mutation"], "detail": event["detail"]})


def _is_logged(child: Child, event: dict) -> bool:
  """Whether ``child`` is the logged one: the same text, or for a cached child logged
  without it, the same parent and mutation (so the same text) and the same hash."""
  if child.id != event["id"]:
    return False
  if "program" in event:
    return to_text(child.genome) == event["program"]
  return ((child.parent, child.mutation["detail"]) == (event["parent"], event["detail"])
          and analysis.dataflow_hash(child.genome) == event["hash"])


def _logged_genome(evolution: RegularizedEvolution, event: dict) -> Program:
  """A logged child's program: its text, or for a cached child logged without it, its
  mutation (``mutate.redo``) redone on its parent, which was in the population when it
  was made and told (at once), so is in the population rebuilt to this event.

  Raises:
    SearchError: no member of the population gives the logged child.
  """
  from discover.search.mutate import redo
  from discover.dsl.parse import parse

  if "program" in event:
    return parse(event["program"])
  # Its parent first; then the others, since restarts number their copies from the ids
  # drawn so far, which on a pool include children in flight that a replay never sees.
  members = evolution.population
  tried = set()  # genomes by identity: a restart's copies share one
  for member in itertools.chain((m for m in members if m.id == event["parent"]), members):
    if id(member.genome) in tried:
      continue
    tried.add(id(member.genome))
    try:
      child = redo(member.genome, event["detail"])
    except ProgramError:
      continue
    if analysis.dataflow_hash(child) == event["hash"]:
      return child
  raise SearchError(f"cannot resume: no member of the population is the parent of "
                    f"{_describe(event)} (mutation {event['detail']!r})")


def _queued_extra(search: Search, event: dict) -> Extra:
  """The queued funnel or meta job this event is the result of (taken off the queue)."""
  for extra in search.queue:
    if (extra.event, extra.id) == (event["event"], event["id"]) and (
        analysis.dataflow_hash(extra.program) == event["hash"]):
      search.queue.remove(extra)
      return extra
  from discover.dsl.parse import parse  # queued after the last checkpoint, by the run's end
  final = event["event"] == "final"
  return Extra("meta" if final else event["event"], event["id"], parse(event["program"]),
               _decode_float(event.get("proxy_fitness")), final,
               evaluated=event.get("evaluated"))


def _logged_evaluation(event: dict) -> Evaluation:
  nan = float("nan")
  metrics = {k: tuple(nan if v is None else v for v in vs)
             for k, vs in (event.get("metrics") or {}).items()}
  return Evaluation(_decode_float(event["fitness"]), metrics, event.get("failure"),
                    event.get("seconds", 0.0), event.get("lr_scales"))


def _describe(event: dict | None) -> str:
  if event is None:
    return "nothing"
  return f"{event['event']} {event['id']} with hash {event['hash']}"
