"""The search: evolution meets mutation, analysis, the fitness cache and an executor.

Data flow (DESIGN.md §1): ``ask`` a child of a tournament winner -> the mutator returns a
valid program (``analysis.check``) -> its dataflow hash is looked up in the fitness cache
(equivalent programs are trained once) -> otherwise an executor trains it -> ``tell``.
Evolution itself never sees a program's insides, and the executor never sees evolution.

Executors yield ``(index, Evaluation)`` for a lazy stream of programs: the serial one in
order (so the same config and seed give the same ``events.jsonl``, timings aside), the
pool as workers finish. Checkpoints are taken after a ``tell``, every
``run.checkpoint_every`` evaluations.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from pathlib import Path
from typing import Iterable, Iterator

from discover import analysis, config as config_lib, runs
from discover.evaluate import Evaluation, Evaluator
from discover.evolution import Child, RegularizedEvolution
from discover.mutate import MutationConfig, mutate
from discover.program import Program, from_json, to_json, to_text


class SearchError(RuntimeError):
  """The search cannot start or go on (for example, the start program fails)."""


class SerialExecutor:
  """Evaluates in the calling process, one program at a time, in order."""

  def __init__(self, **evaluator_kwargs):
    self.evaluator = Evaluator(**evaluator_kwargs)
    self.workers = 1

  def imap(self, programs: Iterable[Program]) -> Iterator[tuple[int, Evaluation]]:
    for i, program in enumerate(programs):
      yield i, self.evaluator.evaluate(program)

  def __enter__(self):
    return self

  def __exit__(self, *exc):
    pass


def make_executor(cfg: dict, references: dict):
  kwargs = dict(tasks=cfg["evaluation"]["tasks"], seeds=tuple(cfg["evaluation"]["seeds"]),
                references=references, method=cfg["evaluation"]["method"])
  if cfg["evaluation"]["workers"] == 1:
    return SerialExecutor(**kwargs)
  from discover.pool import EvaluatorPool
  return EvaluatorPool(cfg["evaluation"]["workers"], **kwargs)


@dataclasses.dataclass
class Counters:
  generated: int = 0  # children made (valid ones)
  evaluated: int = 0  # children trained
  hash_hits: int = 0  # children whose dataflow hash was already scored
  failed: int = 0  # trained children that diverged or failed
  statements: int = 0  # statements in generated children
  dead: int = 0  # of which reach no output
  restarts: int = 0
  funneled: int = 0  # candidates re-scored in the funnel

  @property
  def hit_rate(self) -> float:
    return self.hash_hits / self.generated if self.generated else 0.0


class Search:
  """One search, in one run directory (new or resumed)."""

  def __init__(self, cfg: dict, run_dir: Path, start: Program, references: dict):
    self.cfg, self.run_dir, self.start = cfg, run_dir, start
    self.references = references  # task -> tuned-AdamW reference, proxy and funnel tasks
    m = cfg["mutation"]
    ops = tuple(m["ops"]) if m["ops"] != "all" else MutationConfig().ops
    self.mutation = MutationConfig(ops=ops, max_statements=m["max_statements"], weights={
        k: m[k] for k in ("insert", "delete", "modify")})
    s = cfg["search"]
    self.evolution = RegularizedEvolution(s["population"], s["tournament"], self._mutate,
                                          cfg["seed"])
    self.budget = config_lib.parse_budget(s["budget"])
    self.cache: dict[str, float] = {}
    self.counters = Counters()
    self.elapsed_before = 0.0
    self.since_best = 0
    self.events = None
    self.funnel_bar = cfg["funnel"]["threshold"]  # proxy fitness a candidate must beat
    self.funnel_best: dict | None = None
    self._funnel_evaluator = None

  def _mutate(self, genome: Program, rng):
    child, mutation = mutate(genome, rng, self.mutation)
    return child, {"kind": mutation.kind, "detail": mutation.detail}

  # -- the loop -------------------------------------------------------------------------

  def run(self, executor, resume: bool = False, progress=None) -> None:
    self.events = runs.EventLog(self.run_dir / "events.jsonl")
    self._clock = time.perf_counter()
    try:
      if not resume:
        self._evaluate_start(executor)
      pending: dict[int, Child] = {}
      for index, evaluation in executor.imap(self._children(pending)):
        self._record(pending.pop(index), evaluation)
        if progress:
          progress(self)
        if self.counters.evaluated % self.cfg["run"]["checkpoint_every"] == 0:
          # Children still in flight are not in the checkpoint: a resumed pool run makes
          # new ones (the serial executor has none in flight, so it resumes exactly).
          self.checkpoint()
      self.checkpoint()
    except KeyboardInterrupt:
      if self.evolution.population:  # keep every finished evaluation for --resume
        self.checkpoint()
      raise
    finally:
      self.events.close()

  def elapsed(self) -> float:
    return self.elapsed_before + time.perf_counter() - self._clock

  def _exhausted(self, in_flight: int) -> bool:
    kind, amount = self.budget
    if kind == "evaluations":
      return self.counters.evaluated + in_flight >= amount
    return self.elapsed() >= amount

  def _children(self, pending: dict[int, Child]) -> Iterator[Program]:
    """Children to train, made lazily; cache hits are told at once and not yielded."""
    index = 0
    while not self._exhausted(len(pending)):
      child = self.evolution.ask()
      self.counters.generated += 1
      self.counters.statements += len(child.genome.statements)
      self.counters.dead += len(child.genome.statements) - len(
          analysis.live_statements(child.genome))
      key = analysis.dataflow_hash(child.genome)
      if key in self.cache:
        self.counters.hash_hits += 1
        self._tell(child, self.cache[key], key, None)
        continue
      pending[index] = child
      index += 1
      yield child.genome

  def _record(self, child: Child, evaluation: Evaluation) -> None:
    self.counters.evaluated += 1
    self.counters.failed += evaluation.failed
    key = analysis.dataflow_hash(child.genome)
    self.cache[key] = evaluation.fitness
    self._tell(child, evaluation.fitness, key, evaluation)
    if math.isfinite(evaluation.fitness) and evaluation.fitness > self.funnel_bar:
      self.funnel_bar = evaluation.fitness
      self._funnel(child.id, child.genome, evaluation.fitness)

  def _funnel(self, id_, program: Program, proxy_fitness: float) -> None:
    """Re-scores a proxy winner on the funnel tasks and fresh seeds (DESIGN.md §3)."""
    tasks = self.cfg["funnel"]["tasks"]
    if not tasks:
      return
    if self._funnel_evaluator is None:
      self._funnel_evaluator = Evaluator(
          tasks, seeds=tuple(self.cfg["funnel"]["seeds"]),
          references={t: self.references[t] for t in tasks},
          method=self.cfg["evaluation"]["method"])
    evaluation = self._funnel_evaluator.evaluate(program)
    self.counters.funneled += 1
    self._log(id_, None, {"kind": "funnel", "detail": f"proxy fitness {proxy_fitness:.6g}"},
              program, analysis.dataflow_hash(program), evaluation.fitness, evaluation,
              event="funnel")
    if not evaluation.failed and (self.funnel_best is None
                                  or evaluation.fitness > self.funnel_best["fitness"]):
      self.funnel_best = {"id": id_, "genome": program, "fitness": evaluation.fitness,
                          "proxy_fitness": proxy_fitness}
      runs.write_atomic(self.run_dir / "best_funnel.py", (
          f'"""Best on the funnel: candidate {id_}, funnel fitness {evaluation.fitness:.6g}, '
          f'proxy fitness {proxy_fitness:.6g}."""\n\n' + to_text(program)))

  def _tell(self, child: Child, fitness: float, key: str, evaluation: Evaluation | None):
    best_before = self.evolution.best
    self.evolution.tell(child, fitness)
    improved = self.evolution.best is not best_before
    if improved:
      runs.write_atomic(self.run_dir / "best.py", _best_text(self.evolution.best))
    self._log(child.id, child.parent, child.mutation, child.genome, key, fitness, evaluation)
    self.since_best = 0 if improved else self.since_best + 1
    restart_after = self.cfg["search"]["restart_after"]
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
    _, evaluation = next(iter(executor.imap([self.start])))
    key = analysis.dataflow_hash(self.start)
    self.cache[key] = evaluation.fitness
    self.counters.evaluated += 1
    if evaluation.failed:
      raise SearchError(f"the start program fails on the proxy tasks: {evaluation.failure}")
    self.evolution.seed_population(self.start, evaluation.fitness)
    runs.write_atomic(self.run_dir / "best.py", _best_text(self.evolution.best))
    self._log(None, None, {"kind": "start", "detail": ""}, self.start, key,
              evaluation.fitness, evaluation, event="start")
    self._funnel(None, self.start, evaluation.fitness)  # the yardstick for winners

  def _log(self, id_, parent, mutation, program, key, fitness, evaluation,
           event: str = "candidate") -> None:
    finite = fitness if math.isfinite(fitness) else None
    event = {"event": event, "id": id_, "parent": parent, "mutation": mutation["kind"],
             "detail": mutation["detail"], "hash": key, "fitness": finite,
             "cached": evaluation is None, "program": to_text(program)}
    if evaluation is not None:
      event.update(metrics={k: [v if math.isfinite(v) else None for v in vs]
                            for k, vs in evaluation.metrics.items()},
                   failure=evaluation.failure, seconds=round(evaluation.seconds, 4))
    event["time"] = round(self.elapsed(), 3)
    self.events.append(event)

  # -- checkpoints ----------------------------------------------------------------------

  def checkpoint(self) -> None:
    self.events.sync()
    state = self.evolution.state()
    for member in state["population"] + ([state["best"]] if state["best"] else []):
      member["genome"] = to_json(member["genome"])
      member["fitness"] = _encode_float(member["fitness"])
    runs.write_json(self.run_dir / "checkpoint.json", {
        "evolution": state, "counters": dataclasses.asdict(self.counters),
        "cache": {k: _encode_float(v) for k, v in self.cache.items()},
        "elapsed": self.elapsed(), "since_best": self.since_best,
        "funnel_bar": _encode_float(self.funnel_bar),
        "funnel_best": None if self.funnel_best is None else {
            **self.funnel_best, "genome": to_json(self.funnel_best["genome"])},
        "events": _count_lines(self.run_dir / "events.jsonl")})

  def restore(self) -> None:
    data = json.loads((self.run_dir / "checkpoint.json").read_text(encoding="utf-8"))
    state = data["evolution"]
    for member in state["population"] + ([state["best"]] if state["best"] else []):
      member["genome"] = from_json(member["genome"])
      member["fitness"] = _decode_float(member["fitness"])
    self.evolution.load_state(state)
    self.counters = Counters(**data["counters"])
    self.cache = {k: _decode_float(v) for k, v in data["cache"].items()}
    self.elapsed_before = data["elapsed"]
    self.since_best = data["since_best"]
    self.funnel_bar = _decode_float(data["funnel_bar"])
    self.funnel_best = data["funnel_best"]
    if self.funnel_best:
      self.funnel_best["genome"] = from_json(self.funnel_best["genome"])
    runs.truncate_events(self.run_dir / "events.jsonl", data["events"])


def _best_text(member) -> str:
  return (f'"""Best program so far: candidate {member.id}, fitness {member.fitness:.6g} '
          f'(log10 improvement over tuned AdamW)."""\n\n' + to_text(member.genome))


def _encode_float(x: float):
  return x if math.isfinite(x) else None


def _decode_float(x) -> float:
  return -math.inf if x is None else float(x)


def _count_lines(path: Path) -> int:
  return len(runs.read_events(path)[0])

