"""The optimizer-recovery benchmark: hide a known update rule, let the search see only its
behaviour, count how often it recovers the rule exactly (SRBench's measure, for optimizers).

``python -m discover bench recovery`` runs one search per target, noise level and seed.
A target is a known rule (``targets.TARGETS``) or a program file of the user's
(``--targets my_rule.py``: its name is the file's stem, its text is kept in bench.json).
Each search is the search of ``evolve``: ``discover.search.loop.Search`` with the default
config's population, tournament, mutation and behaviour hash (or what ``--set`` overrides
put there, applied to every search after the benchmark's own settings, for ablations), on
the serial executor, with its one stage's evaluator swapped for ``match.MatchEvaluator``
(fitness: how closely the candidate's updates match the target's noisy ones); no
references, no funnel, no meta-validation. It starts from the empty program or SGD
(``targets.STARTS``), never from the target.

Programs are checked (``check.check``: numeric on fresh streams, then symbolic after the
exact simplification steps) when their fitness is at least ``CHECK_FITNESS``: every new
best, and every program that joins the population within ``TIE_MARGIN`` below the best
(a tie), so a search that sits at the cap with the answer beside its best is credited. A program is
checked once (by its dataflow hash). Checks of ties are rationed (``TIE_UNITS`` and what
follows it), so a search cannot spend its time checking: in 20,000 evaluations, at most
about 2,000 numeric checks of ties (milliseconds each) or 20 that go on to the symbolic
one (up to a second). The first program that passes ends the search as recovered, after as
many evaluations as the search had made (the start program counts as one). Searches run
in ``jobs`` processes, each pinned to one core, since a match costs milliseconds and the
search's own work in the main process dominates.

Layout of ``runs/<time>-recovery/``::

    bench.json      the benchmark's settings (with the text of file targets and the
                    --set overrides), the streams' fingerprint and the search config
                    every search used
    manifest.json   package versions, op registry, machine (``runs.manifest``)
    results.jsonl   one line per finished search, appended as it finishes
    table.md        target x noise -> recovered/searches and median evaluations to
    table.json      recovery; rewritten after every finished search
    searches/<target>-noise<n>-seed<s>/best.py   each search's best program

``--resume DIR`` skips the searches ``results.jsonl`` already holds, so an interrupted
benchmark loses only the searches in flight; it refuses a benchmark begun on other match
streams (bench.json records ``match.streams_fingerprint``). A search writes its ``events.jsonl``
(hundreds of MB at 20,000 evaluations, and logging a child costs as much as making it)
and keeps its ``checkpoint.json`` only with ``--keep-events``; a serial search is
deterministic, so it can be rerun with it.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import math
import os
import queue as queue_lib
import signal
import sys
import time
from pathlib import Path
from collections.abc import Callable

from discover import config as config_lib
from discover.bench.recovery import check as recovery_check
from discover.dsl import analysis
from discover.dsl.program import ProgramError
from discover.search import rundir as runs
from discover.errors import UserError
from discover.search.pool import _pinned
from discover.bench.recovery.match import NOISE_LEVELS, streams_fingerprint
from discover.bench.recovery.table import render, write_table
from discover.bench.recovery.targets import STARTS, TARGETS, Target, start_program

# Fitness 0.5 is a normalised error of 0.32: a program that passes the numeric check (1%
# of elements off, even by a sign flip, the rest within 2%) errs by about 0.2 at most.
CHECK_FITNESS = 0.5
TIE_MARGIN = 0.1  # a member this close below the best ties it, and is checked too
# Checks of ties are rationed: one costs a unit, SYMBOLIC_UNITS more if it reaches the
# symbolic stage (up to a second, against milliseconds); a search has TIE_UNITS at the
# start and earns TIE_UNITS_PER_EVALUATION per evaluation (2,100 in 20,000 evaluations:
# about 2,000 numeric checks of ~2 ms or 20 symbolic ones). New bests are always checked.
TIE_UNITS = 100
TIE_UNITS_PER_EVALUATION = 0.1
SYMBOLIC_UNITS = 100
TIES_WAITING = 100  # ties kept for a check when units run short (the youngest)
TICK = 50  # evaluations between progress reports from a worker process
# Config keys the benchmark sets itself: --set may not override them.
OWN_KEYS = ("seed", "search.budget", "search.start", "funnel.tasks", "meta_validation.tasks",
            "meta_validation.every", "evaluation.workers", "run.checkpoint_every")


@dataclasses.dataclass(frozen=True)
class Spec:
  """What a benchmark runs: every target x noise level x seed 0..seeds-1.

  ``files`` holds the targets read from program files, as (name, path, program text);
  ``overrides`` the user's ``key=value`` config overrides for every search."""

  targets: tuple[str, ...] = tuple(TARGETS)
  noise: tuple[float, ...] = NOISE_LEVELS
  seeds: int = 5
  budget: int = 20000  # evaluations per search
  start: str = "sgd"
  keep_events: bool = False
  files: tuple[tuple[str, str, str], ...] = ()
  overrides: tuple[str, ...] = ()
  cpu_minutes: float = 10.0  # CPU time per search, compiles aside; whichever ends first

  def keys(self) -> list[tuple[str, float, int]]:
    """Seed by seed, so a benchmark stopped early has every cell at fewer seeds."""
    return [(t, n, s) for s in range(self.seeds) for n in self.noise for t in self.targets]

  def target(self, name: str) -> Target:
    """A target by name: a file target's, else a known one (KeyError if neither)."""
    for file_name, path, text in self.files:
      if file_name == name:
        return Target(file_name, f"the program in {path}", text)
    return TARGETS[name]

  def to_dict(self) -> dict:
    return dataclasses.asdict(self)

  @classmethod
  def from_dict(cls, d: dict) -> Spec:
    """From ``to_dict``'s form (read back from JSON); a bench.json that predates file
    targets and overrides has none."""
    return cls(tuple(d["targets"]), tuple(d["noise"]), d["seeds"], d["budget"], d["start"],
               d["keep_events"], tuple(tuple(f) for f in d.get("files", ())),
               tuple(d.get("overrides", ())), d.get("cpu_minutes", math.inf))


def check_spec(spec: Spec) -> None:
  """Raises UserError, in one line, for anything the benchmark cannot run."""
  files = [f[0] for f in spec.files]
  unknown = [t for t in spec.targets if t not in TARGETS and t not in files]
  if unknown or not spec.targets:
    raise UserError(f"unknown target {', '.join(map(repr, unknown)) or '(none given)'} "
                    f"(known: {', '.join(TARGETS)}, or a program file)")
  if not spec.noise or any(not (0 <= n < float("inf")) for n in spec.noise):
    raise UserError(f"--noise needs finite levels >= 0, got {list(spec.noise)}")
  if spec.seeds < 1 or spec.budget < 2:
    raise UserError("--seeds must be at least 1 and --budget at least 2 evaluations")
  if not spec.cpu_minutes > 0:
    raise UserError(f"--cpu-minutes must be positive, got {spec.cpu_minutes}")
  if spec.start not in STARTS:
    raise UserError(f"unknown start {spec.start!r} (known: {', '.join(STARTS)})")
  check_overrides(spec)
  for name in files:
    _check_file_target(spec, spec.target(name))


def check_overrides(spec: Spec) -> None:
  """Each ``--set`` is key=value, not a key the benchmark sets, and loads."""
  for item in spec.overrides:
    key = item.partition("=")[0].strip()
    if key in OWN_KEYS:
      raise UserError(f"--set {key}: the benchmark sets it for every search (see --seeds, "
                      "--budget, --start)")
  try:
    search_config(spec, 0)
  except config_lib.ConfigError as e:
    raise UserError(f"bad --set override: {e}") from None


def _check_file_target(spec: Spec, target: Target) -> None:
  """A file target must be a valid program the start's slots can hold and that runs to
  finite updates on the streams."""
  from discover.bench.recovery.match import MatchEvaluator

  program, where = target.program, f"target {target.name} ({target.description})"
  try:
    analysis.check(program)  # the loader parsed it; this checks what it computes
  except ProgramError as e:
    raise UserError(f"{where}: {e}") from None
  slots = len(start_program(spec.start).slots)
  if len(program.slots) > slots:
    raise UserError(f"{where} has {len(program.slots)} state slots; the search's programs "
                    f"have {slots} (mutation never adds one)")
  try:
    MatchEvaluator(target.text)
  except ValueError as e:
    raise UserError(f"{where}: {e}") from None


def search_config(spec: Spec, seed: int) -> config_lib.Config:
  """``evolve``'s default config, with this seed and budget, funnel and meta off, serial;
  one checkpoint at the end (nothing resumes a single search); then the user's
  overrides. ``meta_validation.every`` is 0 as well: ``Search`` queues a meta job every
  ``every`` evaluations even with no meta tasks, and the executor has no such stage."""
  return config_lib.load(None, [
      f"seed={seed}", f"search.budget={spec.budget}", f"search.start=recovery:{spec.start}",
      "funnel.tasks=[]",
      "meta_validation.tasks=[]", "meta_validation.every=0", "evaluation.workers=1",
      f"run.checkpoint_every={spec.budget}", *spec.overrides])


def search_name(key: tuple[str, float, int]) -> str:
  target, noise, seed = key
  return f"{target}-noise{noise:g}-seed{seed}"


# -- one search ---------------------------------------------------------------------------


class _Recovered(Exception):
  """Raised from the progress hook to end a search that recovered its target."""


class _OutOfTime(Exception):
  """Raised from the progress hook to end a search that spent its CPU time."""


class _Watcher:
  """The search's progress hook: reports progress, checks each new best and, as rationed,
  the programs that join the population tying it (see the module docstring)."""

  def __init__(self, target, tick: Callable[[int], None]):
    self.target, self.tick = target, tick
    self.reported = self.checks = self.tie_checks = 0
    self.best_id = None
    self.last_id = -1  # members up to this id have been seen
    self.checked: set[str] = set()  # dataflow hashes
    self.waiting: collections.deque = collections.deque(maxlen=TIES_WAITING)
    self.spent = 0
    self.verdict = None
    self.recovered_by = None
    self.recovered_at: int | None = None
    self.deadline = math.inf  # process_time() at which the search is stopped

  def __call__(self, search) -> None:
    if time.process_time() > self.deadline:
      raise _OutOfTime
    evaluated = search.counters.evaluated
    if evaluated - self.reported >= TICK:
      self.tick(evaluated - self.reported)
      self.reported = evaluated
    best = search.evolution.best
    if best.id != self.best_id:
      self.best_id = best.id
      if best.fitness >= CHECK_FITNESS:
        self._check(best.genome, evaluated)
    bar = max(CHECK_FITNESS, best.fitness - TIE_MARGIN)
    self.waiting.extend(m for m in self._told(search.evolution.population) if m.fitness >= bar)
    while self.waiting and self.units(evaluated) >= 1:
      member = self.waiting.pop()  # the youngest first
      if member.fitness >= bar:
        self._check(member.genome, evaluated, tie=True)

  def units(self, evaluated: int) -> float:
    """What is left of the ration for checking ties."""
    return TIE_UNITS + TIE_UNITS_PER_EVALUATION * evaluated - self.spent

  def _told(self, population) -> list:
    """The members that joined since the last call, oldest first."""
    new = []
    for member in reversed(population):
      if member.id <= self.last_id:
        break
      new.append(member)
    if new:
      self.last_id = new[0].id
    return new[::-1]

  def _check(self, program, evaluated: int, tie: bool = False) -> None:
    """Checks a program not checked before; raises _Recovered if it recovers the target."""
    key = analysis.dataflow_hash(program)
    if key in self.checked:
      return
    self.checked.add(key)
    self.checks += 1
    self.verdict = recovery_check.check(program, self.target)
    if tie:
      self.tie_checks += 1
      self.spent += 1 + SYMBOLIC_UNITS * self.verdict.numeric
    if self.verdict.recovered:
      self.recovered_by, self.recovered_at = program, evaluated
      raise _Recovered


def run_search(spec: Spec, key: tuple[str, float, int], bench_dir: Path,
               tick: Callable[[int], None] = lambda n: None) -> dict:
  """Runs one search to recovery or to its budget; returns its record."""
  from discover.search.executors import SerialExecutor
  from discover.search.loop import Search
  from discover.dsl.program import to_text

  target_name, noise, seed = key
  target = spec.target(target_name)
  run_dir = bench_dir / "searches" / search_name(key)
  run_dir.mkdir(parents=True, exist_ok=True)
  for stale in ("events.jsonl", "checkpoint.json"):  # left by an interrupted attempt
    (run_dir / stale).unlink(missing_ok=True)
  cfg = search_config(spec, seed)
  search = Search(cfg, run_dir, start_program(spec.start), event_log=spec.keep_events,
                  objective="match to the target's updates: -log10 of the normalised error")
  stages = {"proxy": {"factory": "discover.bench.recovery.match:MatchEvaluator",
                      "target": target.text, "noise": noise, "noise_seed": seed}}
  watcher = _Watcher(target.program, tick)
  with SerialExecutor(stages) as executor:
    executor.evaluators["proxy"].warm_up()  # compiles (once per process) before the clock
    if search.caches.prober is not None:
      search.caches.prober.fingerprint(search.start)
    started, cpu = time.perf_counter(), time.process_time()
    watcher.deadline = cpu + 60 * spec.cpu_minutes
    stopped = "budget"
    try:
      search.run(executor, progress=watcher)
    except _Recovered:
      stopped = "recovered"
    except _OutOfTime:
      stopped = "cpu"
  seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
  tick(spec.budget - watcher.reported)  # the rest of the budget, spent or not
  if not spec.keep_events:
    (run_dir / "checkpoint.json").unlink(missing_ok=True)
  c, best = search.counters, search.evolution.best
  verdict = watcher.verdict
  return {
      "target": target_name, "noise": noise, "seed": seed,
      "recovered": watcher.recovered_at is not None, "evaluations": watcher.recovered_at,
      "stopped": stopped, "restarts": c.restarts,
      "evaluated": c.evaluated, "generated": c.generated, "hit_rate": round(c.hit_rate, 4),
      "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
      "evaluations_per_second": round(c.evaluated / seconds, 2),
      "best_fitness": best.fitness, "best": to_text(best.genome), "checks": watcher.checks,
      "tie_checks": watcher.tie_checks,
      "check": None if verdict is None else verdict.detail,  # the last check's
      "simplified": None if verdict is None else to_text(verdict.program),
      "recovered_by": None if watcher.recovered_by is None else to_text(watcher.recovered_by),
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


_KEPT = "the searches that finished are kept: --resume BENCH_DIR runs the rest"


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
          raise UserError(f"every benchmark worker exited with searches left; {_KEPT}") from None
        continue
      if kind == "tick":
        tick(payload)
      elif kind == "error":
        raise UserError(f"a search failed (a bug; please report it): {payload}; {_KEPT}")
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
            resume: str | None, keep_events: bool, progress: bool = True,
            overrides: list[str] | None = None, cpu_minutes: float | None = None) -> str:
  """``discover bench recovery``: runs (or resumes) the benchmark; returns the table and
  where it was written."""
  given = [budget, seeds, targets, noise, start, overrides, cpu_minutes]
  if resume:
    if any(v is not None for v in given):
      raise UserError("--resume runs the benchmark's own settings (bench.json); give "
                      "only --jobs with it")
    bench_dir = Path(resume)
    try:
      bench = json.loads((bench_dir / "bench.json").read_text("utf-8"))
      spec = Spec.from_dict(bench)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
      raise UserError(f"{resume} is not a recovery benchmark directory ({e})") from None
    if bench.get("streams") != streams_fingerprint():
      raise UserError(f"{resume} was run on other match streams (bench.json: streams "
                      f"{bench.get('streams')}, now {streams_fingerprint()}): its fitness "
                      "values would not compare; start a new benchmark")
  else:
    names, files = _targets(targets or [])
    defaults = Spec()
    spec = Spec(tuple(names) if targets is not None else defaults.targets,
                tuple(noise) if noise is not None else defaults.noise,
                defaults.seeds if seeds is None else seeds,
                defaults.budget if budget is None else budget,
                start or defaults.start, keep_events, files, tuple(overrides or ()),
                defaults.cpu_minutes if cpu_minutes is None else cpu_minutes)
  check_spec(spec)
  if jobs is None:
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
  if jobs < 1:
    raise UserError("--jobs must be at least 1")
  if not resume:
    bench_dir = _new_bench_dir(root)
    runs.write_json(bench_dir / "bench.json", {
        **spec.to_dict(), "streams": streams_fingerprint(),
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


def _targets(items: list[str]) -> tuple[list[str], tuple[tuple[str, str, str], ...]]:
  """``--targets``: names, comma-separated or not; a name ending in .py (or .json) is a
  program file, read with the project's loader and named by its stem."""
  from discover.dsl.load import load_program
  from discover.dsl.program import to_text

  names, files = [], []
  for name in (n.strip() for item in items for n in item.split(",")):
    if not name.endswith((".py", ".json")):
      if name:
        names.append(name)
      continue
    if not Path(name).is_file():
      raise UserError(f"no target file {name!r}")
    stem = Path(name).stem
    if stem in TARGETS or stem in names:
      raise UserError(f"target file {name}: the name {stem!r} is taken (a known target, "
                      "or another file); rename the file")
    files.append((stem, name, to_text(load_program(name))))
    names.append(stem)
  return names, tuple(files)


def _new_bench_dir(root: str) -> Path:
  stamp = time.strftime("%Y%m%d-%H%M%S")
  path, n = Path(root) / f"{stamp}-recovery", 1
  while path.exists():
    n += 1
    path = Path(root) / f"{stamp}-recovery-{n}"
  path.mkdir(parents=True)
  return path
