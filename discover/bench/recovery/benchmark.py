"""The optimizer-recovery benchmark: hide a known update rule, let the search see only its
behaviour, count how often it recovers the rule exactly (SRBench's measure, for optimizers).

``python -m discover bench recovery`` runs one search per target (``targets``),
noise level and seed. Each is the search of ``evolve``: ``discover.search.loop.Search`` with the
default config's population, tournament, mutation and behaviour hash, on the serial
executor, with its one stage's evaluator swapped for ``match.MatchEvaluator``
(fitness: how closely the candidate's updates match the target's noisy ones); no
references, no funnel, no meta-validation. It starts from the empty program or SGD
(``targets.STARTS``), never from the target.

Whenever a search's best program changes and its fitness is at least ``CHECK_FITNESS``,
it is checked (``check.check``: numeric on fresh streams, then symbolic after the
exact simplification steps); the first that passes ends the search as recovered, after as
many evaluations as the search had made (the start program counts as one). Searches run
in ``jobs`` processes, each pinned to one core, since a match costs milliseconds and the
search's own work in the main process dominates.

Layout of ``runs/<time>-recovery/``::

    bench.json      the benchmark's settings and the search config every search used
    manifest.json   package versions, op registry, machine (``runs.manifest``)
    results.jsonl   one line per finished search, appended as it finishes
    table.md        target x noise -> recovered/searches and median evaluations to
    table.json      recovery; rewritten after every finished search
    searches/<target>-noise<n>-seed<s>/best.py   each search's best program

``--resume DIR`` skips the searches ``results.jsonl`` already holds, so an interrupted
benchmark loses only the searches in flight. A search writes its ``events.jsonl``
(hundreds of MB at 20,000 evaluations, and logging a child costs as much as making it)
and keeps its ``checkpoint.json`` only with ``--keep-events``; a serial search is
deterministic, so it can be rerun with it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import queue as queue_lib
import signal
import sys
import time
from pathlib import Path
from collections.abc import Callable

from discover import config as config_lib
from discover.bench.recovery import check as recovery_check
from discover.search import rundir as runs
from discover.errors import UserError
from discover.search.pool import _pinned
from discover.bench.recovery.match import NOISE_LEVELS
from discover.bench.recovery.table import render, write_table
from discover.bench.recovery.targets import STARTS, TARGETS, start_program

# Fitness 0.5 is a normalised error of 0.32: a program that passes the numeric check (1%
# of elements off, even by a sign flip, the rest within 2%) errs by about 0.2 at most.
CHECK_FITNESS = 0.5
TICK = 50  # evaluations between progress reports from a worker process


@dataclasses.dataclass(frozen=True)
class Spec:
  """What a benchmark runs: every target x noise level x seed 0..seeds-1."""

  targets: tuple[str, ...] = tuple(TARGETS)
  noise: tuple[float, ...] = NOISE_LEVELS
  seeds: int = 5
  budget: int = 20000  # evaluations per search
  start: str = "sgd"
  keep_events: bool = False

  def keys(self) -> list[tuple[str, float, int]]:
    """Seed by seed, so a benchmark stopped early has every cell at fewer seeds."""
    return [(t, n, s) for s in range(self.seeds) for n in self.noise for t in self.targets]

  def to_dict(self) -> dict:
    return dataclasses.asdict(self)

  @classmethod
  def from_dict(cls, d: dict) -> Spec:
    return cls(tuple(d["targets"]), tuple(d["noise"]), d["seeds"], d["budget"], d["start"],
               d["keep_events"])


def check_spec(spec: Spec) -> None:
  """Raises UserError, in one line, for anything the benchmark cannot run."""
  unknown = [t for t in spec.targets if t not in TARGETS]
  if unknown or not spec.targets:
    raise UserError(f"unknown target {', '.join(map(repr, unknown)) or '(none given)'} "
                    f"(known: {', '.join(TARGETS)})")
  if not spec.noise or any(not (0 <= n < float("inf")) for n in spec.noise):
    raise UserError(f"--noise needs finite levels >= 0, got {list(spec.noise)}")
  if spec.seeds < 1 or spec.budget < 2:
    raise UserError("--seeds must be at least 1 and --budget at least 2 evaluations")
  if spec.start not in STARTS:
    raise UserError(f"unknown start {spec.start!r} (known: {', '.join(STARTS)})")


def search_config(spec: Spec, seed: int) -> config_lib.Config:
  """``evolve``'s default config, with this seed and budget, funnel and meta off, serial;
  one checkpoint at the end (nothing resumes a single search). ``meta_validation.every``
  is 0 as well: ``Search`` queues a meta job every ``every`` evaluations even with no
  meta tasks, and the executor has no such stage."""
  return config_lib.load(None, [
      f"seed={seed}", f"search.budget={spec.budget}", f"search.start=recovery:{spec.start}",
      "funnel.tasks=[]",
      "meta_validation.tasks=[]", "meta_validation.every=0", "evaluation.workers=1",
      f"run.checkpoint_every={spec.budget}"])


def search_name(key: tuple[str, float, int]) -> str:
  target, noise, seed = key
  return f"{target}-noise{noise:g}-seed{seed}"


# -- one search ---------------------------------------------------------------------------


class _Recovered(Exception):
  """Raised from the progress hook to end a search that recovered its target."""


class _Watcher:
  """The search's progress hook: reports progress and checks each new best."""

  def __init__(self, target, tick: Callable[[int], None]):
    self.target, self.tick = target, tick
    self.reported = self.checks = 0
    self.checked_id = None
    self.verdict = None
    self.recovered_at: int | None = None

  def __call__(self, search) -> None:
    evaluated = search.counters.evaluated
    if evaluated - self.reported >= TICK:
      self.tick(evaluated - self.reported)
      self.reported = evaluated
    best = search.evolution.best
    if best.id == self.checked_id or not best.fitness >= CHECK_FITNESS:
      return
    self.checked_id = best.id
    self.checks += 1
    self.verdict = recovery_check.check(best.genome, self.target)
    if self.verdict.recovered:
      self.recovered_at = evaluated
      raise _Recovered


def run_search(spec: Spec, key: tuple[str, float, int], bench_dir: Path,
               tick: Callable[[int], None] = lambda n: None) -> dict:
  """Runs one search to recovery or to its budget; returns its record."""
  from discover.search.executors import SerialExecutor
  from discover.search.loop import Search
  from discover.dsl.program import to_text

  target_name, noise, seed = key
  target = TARGETS[target_name]
  run_dir = bench_dir / "searches" / search_name(key)
  run_dir.mkdir(parents=True, exist_ok=True)
  for stale in ("events.jsonl", "checkpoint.json"):  # left by an interrupted attempt
    (run_dir / stale).unlink(missing_ok=True)
  cfg = search_config(spec, seed)
  search = Search(cfg, run_dir, start_program(spec.start), event_log=spec.keep_events)
  stages = {"proxy": {"factory": "discover.bench.recovery.match:MatchEvaluator",
                      "target": target.text, "noise": noise, "noise_seed": seed}}
  watcher = _Watcher(target.program, tick)
  with SerialExecutor(stages) as executor:
    executor.evaluators["proxy"].warm_up()  # compiles (once per process) before the clock
    if search.caches.prober is not None:
      search.caches.prober.fingerprint(search.start)
    started, cpu = time.perf_counter(), time.process_time()
    try:
      search.run(executor, progress=watcher)
    except _Recovered:
      pass
  seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
  tick(spec.budget - watcher.reported)  # the rest of the budget, spent or not
  if not spec.keep_events:
    (run_dir / "checkpoint.json").unlink(missing_ok=True)
  c, best = search.counters, search.evolution.best
  verdict = watcher.verdict
  return {
      "target": target_name, "noise": noise, "seed": seed,
      "recovered": watcher.recovered_at is not None, "evaluations": watcher.recovered_at,
      "evaluated": c.evaluated, "generated": c.generated, "hit_rate": round(c.hit_rate, 4),
      "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
      "evaluations_per_second": round(c.evaluated / seconds, 2),
      "best_fitness": best.fitness, "best": to_text(best.genome), "checks": watcher.checks,
      "check": None if verdict is None else verdict.detail,
      "simplified": None if verdict is None else to_text(verdict.program),
      "source": runs.source_commit(),  # benchmarks resumed across commits say which ran
  }


# -- many searches ------------------------------------------------------------------------


def _worker(spec_dict: dict, bench_dir: str, tasks, results) -> None:
  """A worker process: runs the searches it is handed until it gets None."""
  signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it ends workers
  spec, parent = Spec.from_dict(spec_dict), os.getppid()

  def tick(n: int) -> None:
    if os.getppid() != parent:  # the parent was killed: nobody records this search
      os._exit(1)
    results.put(("tick", n))

  while True:
    key = tasks.get()
    if key is None:
      return
    try:
      record = run_search(spec, tuple(key), Path(bench_dir), tick)
    except Exception as e:  # a bug: the parent reports it and stops
      results.put(("error", f"{search_name(key)}: {type(e).__name__}: {e}"))
      return
    results.put(("done", record))


def _run_in_processes(spec: Spec, keys, bench_dir: Path, jobs: int, on_record, tick) -> None:
  import multiprocess as mp

  context = mp.get_context("spawn")
  tasks, results = context.Queue(), context.Queue()
  for key in keys:
    tasks.put(list(key))
  cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
  procs = []
  try:
    for i in range(jobs):
      tasks.put(None)
      with _pinned(cores[i % len(cores)] if cores else None):
        proc = context.Process(target=_worker, args=(spec.to_dict(), str(bench_dir), tasks,
                                                     results), daemon=True)
        proc.start()
      procs.append(proc)
    left = len(keys)
    while left:
      try:
        kind, payload = results.get(timeout=5)
      except queue_lib.Empty:
        if not any(p.is_alive() for p in procs):
          raise RuntimeError("every benchmark worker exited with searches left") from None
        continue
      if kind == "tick":
        tick(payload)
      elif kind == "error":
        raise RuntimeError(payload)
      else:
        left -= 1
        on_record(payload)
  finally:
    for proc in procs:
      if proc.is_alive():
        proc.terminate()
      proc.join(timeout=5)


def run_benchmark(spec: Spec, bench_dir: Path, jobs: int = 1, progress: bool = True) -> dict:
  """Runs every search of ``spec`` not yet in ``bench_dir/results.jsonl``; returns the
  table (``table``). Each finished search is appended to ``results.jsonl`` and the table
  files rewritten at once."""
  done = read_results(bench_dir)
  finished = {_key(r) for r in done}
  keys = [k for k in spec.keys() if k not in finished]
  log = runs.EventLog(bench_dir / "results.jsonl")
  bar = _bar(len(keys) * spec.budget, progress)

  def on_record(record: dict) -> None:
    done.append(record)
    log.append(record)
    log.sync()
    write_table(spec.to_dict(), done, bench_dir)
    if bar is not None:
      bar.set_postfix_str(f"recovered {sum(r['recovered'] for r in done)}/{len(done)}")

  tick = bar.update if bar is not None else (lambda n: None)
  try:
    if jobs == 1 or len(keys) <= 1:
      for key in keys:
        on_record(run_search(spec, key, bench_dir, tick))
    else:
      _run_in_processes(spec, keys, bench_dir, min(jobs, len(keys)), on_record, tick)
  finally:
    log.close()
    if bar is not None:
      bar.close()
  return write_table(spec.to_dict(), done, bench_dir)


def _bar(total: int, enabled: bool):
  if not enabled:
    return None
  from tqdm import tqdm
  return tqdm(total=total, unit="eval", desc="bench recovery", dynamic_ncols=True)


def _key(record: dict) -> tuple[str, float, int]:
  return record["target"], record["noise"], record["seed"]


def read_results(bench_dir: Path) -> list[dict]:
  events, _ = runs.read_events(bench_dir / "results.jsonl")
  return events


# -- the command --------------------------------------------------------------------------


def command(budget: int | None, seeds: int | None, targets: list[str] | None,
            noise: list[float] | None, start: str | None, jobs: int | None, root: str,
            resume: str | None, keep_events: bool, progress: bool = True) -> str:
  """``discover bench recovery``: runs (or resumes) the benchmark; returns the table and
  where it was written."""
  given = [budget, seeds, targets, noise, start]
  if resume:
    if any(v is not None for v in given):
      raise UserError("--resume runs the benchmark's own settings (bench.json); give "
                      "only --jobs with it")
    bench_dir = Path(resume)
    try:
      spec = Spec.from_dict(json.loads((bench_dir / "bench.json").read_text("utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as e:
      raise UserError(f"{resume} is not a recovery benchmark directory ({e})") from None
  else:
    names = [n.strip() for item in (targets or []) for n in item.split(",") if n.strip()]
    defaults = Spec()
    spec = Spec(tuple(names) if targets is not None else defaults.targets,
                tuple(noise) if noise is not None else defaults.noise,
                defaults.seeds if seeds is None else seeds,
                defaults.budget if budget is None else budget,
                start or defaults.start, keep_events)
  check_spec(spec)
  if jobs is None:
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
  if jobs < 1:
    raise UserError("--jobs must be at least 1")
  if not resume:
    bench_dir = _new_bench_dir(root)
    runs.write_json(bench_dir / "bench.json", {**spec.to_dict(),
                                               "search_config": search_config(spec, 0).to_dict()})
    runs.write_json(bench_dir / "manifest.json", runs.manifest(0, {"benchmark": "recovery"}))
  try:
    result = run_benchmark(spec, bench_dir, jobs, progress)
  except runs.RunFileError as e:
    raise UserError(str(e)) from None
  except KeyboardInterrupt:
    print(f"discover: finished searches are in {bench_dir}/results.jsonl; continue with: "
          f"python -m discover bench recovery --resume {bench_dir}", file=sys.stderr)
    raise
  return render(result) + f"\nwritten: {bench_dir}/table.md, table.json, results.jsonl"


def _new_bench_dir(root: str) -> Path:
  stamp = time.strftime("%Y%m%d-%H%M%S")
  path, n = Path(root) / f"{stamp}-recovery", 1
  while path.exists():
    n += 1
    path = Path(root) / f"{stamp}-recovery-{n}"
  path.mkdir(parents=True)
  return path
