"""Replaying a run: every recorded score re-evaluated and checked.

``python -m discover replay RUN_DIR`` reads the run's ``config.yaml``, ``manifest.json``
and ``events.jsonl``, rebuilds its stages (``discover.search.executors.stages``) with the AdamW
reference scores the manifest recorded (not today's ``runs/reference``), and trains every
recorded evaluation again: the start program, each child that was actually trained (cache
hits are copies of a score, not evaluations), every funnel re-score and meta-validation
(the finalists' at the end included).

Each replayed evaluation must give the recorded metrics (per task, per seed), fitness and
failure. Training is a deterministic function of the program, the task and the seed, so on
the same CPU model and vector ISA (``rundir.FLOAT_MACHINE_FIELDS``; the kernel's build does
not count) with the same package versions the comparison is exact: bitwise-equal
floats, a non-finite value (stored as ``null``) matching a non-finite one, the same failure
text. Where the manifest's versions or machine differ from today's, bit-for-bit agreement
is not to be expected: the differences are named up front and ``--tolerance T`` is needed,
which compares relatively (``|a - b| <= T * max(|a|, |b|)``) and failures only by whether
there was one. A mismatch is a ``UserError`` naming the first differing evaluation in log
order (line, candidate, stage, task, seed, both values).

Not replayed: evaluations the pool recorded as failed for reasons of the machine, not the
program (its worker died, it timed out, the evaluator raised), and meta events logged
from the cache. ``load_run`` (the checked run
directory, with line numbers) is shared with ``discover.audit.report``.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import math
import time
from pathlib import Path

import yaml

from discover import config as config_lib
from discover.search import rundir as runs
from discover.errors import UserError
from discover.tasks import task_list

# A "final" event is a finalist's meta-validation at the end of a run (discover.search.finish).
STAGE_OF = {"start": "proxy", "candidate": "proxy", "funnel": "funnel", "meta": "meta",
            "final": "meta"}
# The pool's failure texts for a job the machine failed, not the program (discover.search.pool).
MACHINE_FAILURES = ("worker died", "timed out after", "evaluator raised")


@dataclasses.dataclass(frozen=True)
class Record:
  """One event of ``events.jsonl`` and its 1-based line number."""

  line: int
  event: dict

  @property
  def stage(self) -> str:
    return STAGE_OF[self.event["event"]]

  @property
  def trained(self) -> bool:
    """Whether this event is an evaluation (not a copy of a cached score)."""
    return not self.event.get("cached") and "metrics" in self.event

  def describe(self) -> str:
    name = who(self.event.get("id"))
    what = {"start": name, "candidate": name, "funnel": f"funnel re-score of {name}",
            "meta": f"meta-validation of {name}",
            "final": f"meta-validation of {name} (a finalist)"}[self.event["event"]]
    return f"events.jsonl line {self.line}: {what} ({self.stage} stage)"


def who(id_) -> str:
  return "the start program" if id_ is None else f"candidate {id_}"


@dataclasses.dataclass
class Run:
  """A run directory, read and checked."""

  path: Path
  cfg: config_lib.Config
  manifest: dict
  records: list[Record]
  truncated: bool  # a cut-short last line (a kill mid-write) was dropped
  defaulted: list[str]  # config keys the run's config.yaml lacks (today's defaults used)

  @property
  def references(self) -> dict[str, dict[int, float]]:
    """The manifest's AdamW reference scores: task -> {seed: metric}. Runs from before
    references were paired by seed stored one number per task, used for every seed."""
    seeds = {s for section in self.cfg.task_sections().values() for s in section.seeds}
    return {task: {int(seed): float(v) for seed, v in value.items()}
            if isinstance(value, dict) else {seed: float(value) for seed in seeds}
            for task, value in self.manifest["references"].items()}


def load_run(run_dir: str | Path) -> Run:
  """Reads a run directory; UserError (one line) for anything missing or malformed."""
  path = Path(run_dir)
  if not path.is_dir():
    raise UserError(f"{run_dir} is not a run directory")
  try:
    runs.refuse_links(path)
  except runs.RunFileError as e:
    raise UserError(str(e)) from None
  for name in ("config.yaml", "manifest.json", "events.jsonl"):
    if not (path / name).is_file():
      raise UserError(f"{run_dir} is not a run directory (no {name})")
  try:
    cfg = config_lib.load_recorded(path / "config.yaml")
  except config_lib.ConfigError as e:
    raise UserError(f"{path / 'config.yaml'}: {e}") from None
  manifest = _read_manifest(path / "manifest.json")
  records, truncated = read_records(path / "events.jsonl")
  if not records or records[0].event["event"] != "start":
    raise UserError(f"{path / 'events.jsonl'}: the log does not open with the start program")
  return Run(path, cfg, manifest, records, truncated, _defaulted_keys(path / "config.yaml"))


def read_manifest(path: Path) -> dict:
  """A manifest (a JSON object); anything else is a one-line ``UserError``."""
  try:
    manifest = json.loads(path.read_text(encoding="utf-8"))
  except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
    raise UserError(f"{path}: not a readable JSON manifest ({e})") from None
  if not isinstance(manifest, dict):
    raise UserError(f"{path}: not a manifest (a JSON object)")
  return manifest


def _read_manifest(path: Path) -> dict:
  """A search run's manifest, which must hold the reference scores it used."""
  manifest = read_manifest(path)
  if not isinstance(manifest.get("references"), dict):
    raise UserError(f"{path}: a manifest with no reference scores")
  for task, value in manifest["references"].items():
    paired = value.values() if isinstance(value, dict) else [value]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in paired):
      raise UserError(f"{path}: the reference score of {task} is not a number per seed")
  return manifest


def read_records(path: Path) -> tuple[list[Record], bool]:
  """The events with their line numbers (cache hits' short records completed, as
  ``runs.complete_hits`` does), and whether a cut-short last line was dropped.

  Like ``runs.read_events``, only the last line may be cut short; any other line that is
  not a well-formed event is a UserError naming it.
  """
  numbered, truncated, ids = [], False, set()
  try:
    with open(path, "rb") as f:
      for number, raw in enumerate(f, 1):
        if not raw.strip():
          continue
        try:
          event = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
          if not raw.endswith(b"\n"):  # the last line, cut short by a kill mid-write
            truncated = True
            break
          raise UserError(f"{path}:{number}: not a JSON event ({getattr(e, 'msg', e)})") from None
        problem = _event_problem(event) or _repeated(event, ids)
        if problem:
          raise UserError(f"{path}:{number}: {problem}")
        numbered.append((number, event))
  except OSError as e:
    raise UserError(f"cannot read {path}: {e}") from None
  completed = runs.complete_hits(event for _, event in numbered)
  return [Record(number, event) for (number, _), event in zip(numbered, completed)], truncated


def _event_problem(event) -> str | None:
  """What makes this line unusable as an event, or None."""
  if not isinstance(event, dict) or event.get("event") not in STAGE_OF:
    return "not an event (no known 'event' field)"
  # A cached child may be logged without its text (discover.search.loop rebuilds it from its
  # parent and mutation); it is a copy of a score, never replayed.
  textless = "program" not in event and event["event"] == "candidate" and event.get("cached")
  if not (textless or isinstance(event.get("program"), str)):
    return "an event without its program text"
  if not _is_number_or_null(event.get("fitness", 0.0)):
    return "an event whose fitness is not a number"
  metrics = event.get("metrics", {})
  if not isinstance(metrics, dict) or not all(
      isinstance(v, list) and all(map(_is_number_or_null, v)) for v in metrics.values()):
    return "an event whose metrics are not lists of numbers per task"
  return None


def _repeated(event: dict, ids: set) -> str | None:
  """A candidate id logged twice (two processes once ran one run directory), or None."""
  if event["event"] != "candidate":
    return None
  if event.get("id") in ids:
    return f"candidate {event.get('id')} is logged twice: two processes wrote this log"
  ids.add(event.get("id"))
  return None


def _is_number_or_null(x) -> bool:
  return x is None or (isinstance(x, (int, float)) and not isinstance(x, bool))


def _defaulted_keys(path: Path) -> list[str]:
  """Keys of today's config that the run's file lacks (written by older code)."""
  raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

  def missing(default: dict, given: dict, prefix: str) -> list[str]:
    out = []
    for key, value in default.items():
      if key not in given:
        out.append(prefix + key)
      elif isinstance(value, dict) and isinstance(given[key], dict):
        out += missing(value, given[key], f"{prefix}{key}.")
    return out

  return missing(config_lib.DEFAULTS, raw, "")


# -- what differs from the recording ------------------------------------------------------


def environment_differences(manifest: dict) -> list[str]:
  """Where the recording's Python, packages, op registry or machine differ from now."""
  now = runs.manifest(0)
  pairs = [("python", manifest.get("python"), now["python"]),
           ("op registry", manifest.get("op_registry"), now["op_registry"])]
  recorded = manifest.get("packages") or {}
  pairs += [(name, recorded.get(name), version) for name, version in now["packages"].items()]
  machine = manifest.get("machine") or {}
  pairs += [(f"machine {key}", machine.get(key), now["machine"][key])
            for key in runs.FLOAT_MACHINE_FIELDS]
  return [f"{name} {was} (now {is_})" for name, was, is_ in pairs if was != is_]


# -- choosing what to replay --------------------------------------------------------------


def sample(records: list[Record], limit: int | None) -> list[Record]:
  """An evenly spaced sample of ``limit`` records in log order; all without a limit.

  The start and each stage's best (highest fitness) are always in it, so every stage is
  checked even when it is rare in the log, and the sample is never smaller than them.
  """
  if limit is None or limit >= len(records):
    return list(records)
  anchors = {id(records[0])} | {id(max((r for r in records if r.stage == stage), key=_fitness))
                                for stage in _stages(records)}
  rest = [r for r in records if id(r) not in anchors]
  k = max(0, min(limit - len(anchors), len(rest)))
  chosen = anchors | {id(rest[i * len(rest) // k]) for i in range(k)}
  return [r for r in records if id(r) in chosen]


def _stages(records: list[Record]) -> list[str]:
  return sorted({r.stage for r in records})


def _fitness(record: Record) -> float:
  """A record's fitness; failures (stored as null) rank lowest."""
  fitness = record.event.get("fitness")
  return -math.inf if fitness is None else fitness


# -- comparing ----------------------------------------------------------------------------


def same(recorded, replayed: float, tolerance: float | None) -> bool:
  """Whether a recorded value (None: non-finite) and a replayed one agree."""
  if recorded is None or not math.isfinite(replayed):
    return recorded is None and not math.isfinite(replayed)
  if tolerance is None:
    return recorded == replayed
  return abs(recorded - replayed) <= tolerance * max(abs(recorded), abs(replayed))


def difference(record: Record, evaluation, seeds, tolerance: float | None) -> str | None:
  """The first way ``evaluation`` differs from the record, in words, or None."""
  recorded = record.event["metrics"]
  if sorted(recorded) != sorted(evaluation.metrics):
    return f"tasks: recorded {sorted(recorded)}, replayed {sorted(evaluation.metrics)}"
  for task, values in recorded.items():
    again = evaluation.metrics[task]
    if len(values) != len(again):
      return f"{task}: recorded {len(values)} seeds, replayed {len(again)}"
    for seed, a, b in zip(seeds, values, again):
      if not same(a, b, tolerance):
        return f"{task} seed {seed}: recorded {_show(a)}, replayed {_show(b)}"
  if not same(record.event.get("fitness"), evaluation.fitness, tolerance):
    return (f"fitness: recorded {_show(record.event.get('fitness'))}, "
            f"replayed {_show(evaluation.fitness)}")
  failure = record.event.get("failure")
  if (failure != evaluation.failure if tolerance is None
      else (failure is None) != (evaluation.failure is None)):
    return f"failure: recorded {failure!r}, replayed {evaluation.failure!r}"
  return None


def _show(x) -> str:
  return "non-finite" if x is None or not math.isfinite(x) else repr(x)


# -- the command --------------------------------------------------------------------------


def replay(run_dir: str, limit: int | None = None, tolerance: float | None = None,
           workers: int = 1, progress: bool = True) -> str:
  """Re-evaluates a run's recorded evaluations; returns the summary.

  Args:
    run_dir: the run directory.
    limit: replay an evenly spaced sample of this many (with the start and each stage's
      best); None: all of them.
    tolerance: relative tolerance; None: exact (needs the recording's versions and machine).
    workers: evaluator processes; 1 (the default) replays serially, where the stages share
      one compiled machine per task. Compiles dominate a sample's replay (a pool's workers
      each compile every task), so a pool pays only for long replays.
    progress: show a progress bar.

  Raises:
    UserError: bad input, a recording from elsewhere without ``tolerance``, or a mismatch.
  """
  if limit is not None and limit < 1:
    raise UserError("--limit must be at least 1")
  if tolerance is not None and not tolerance >= 0:
    raise UserError("--tolerance must be a number >= 0")
  if workers < 1:
    raise UserError("--workers must be at least 1")
  run = load_run(run_dir)
  for line in notes(run, tolerance):
    print(f"note: {line}", flush=True)
  replayable, crashed = recorded_evaluations(run)
  chosen = sample(replayable, limit)
  start = time.perf_counter()
  evaluations = evaluate(run, chosen, workers, progress)
  seconds = time.perf_counter() - start
  differing = mismatches(run, chosen, evaluations, tolerance)
  if differing:
    record, detail = differing[0]
    filled = stage_config(run)[2]
    hint = f" (today's defaults stood in for {', '.join(filled)})" if filled else ""
    raise UserError(f"{len(differing)} of {len(chosen)} replayed evaluations differ; first: "
                    f"{record.describe()}: {detail}{hint}")
  return _summary(run, replayable, chosen, crashed, tolerance, workers, seconds)


def recorded_evaluations(run: Run) -> tuple[list[Record], list[Record]]:
  """The run's evaluations that can be replayed, and those the machine failed."""
  trained = [r for r in run.records if r.trained]
  crashed = [r for r in trained if (r.event.get("failure") or "").startswith(MACHINE_FAILURES)]
  return [r for r in trained if r not in crashed], crashed


def mismatches(run: Run, records: list[Record], evaluations,
               tolerance: float | None) -> list[tuple[Record, str]]:
  """Each record whose evaluation differs, with how, in log order."""
  seeds = {"proxy": run.cfg.evaluation.seeds, "funnel": run.cfg.funnel.seeds,
           "meta": run.cfg.meta_validation.seeds}
  return [(r, d) for r, e in zip(records, evaluations)
          if (d := difference(r, e, seeds[r.stage], tolerance))]


def notes(run: Run, tolerance: float | None) -> list[str]:
  """What the user should know before the replay starts; UserError where exactness is
  asked of a recording from another environment."""
  out = []
  differences = environment_differences(run.manifest)
  if differences and tolerance is None:
    raise UserError(f"recorded elsewhere ({'; '.join(differences)}), so scores need not "
                    f"reproduce bit for bit: pass --tolerance (e.g. 1e-6) to compare relatively")
  if differences:
    out.append(f"recorded elsewhere ({'; '.join(differences)}): comparing within relative "
               f"tolerance {tolerance:g}")
  _, left_out, filled = stage_config(run)
  if left_out:
    out.append(f"config.yaml predates {', '.join(left_out)}: the stages are built without "
               f"them, as before they existed")
  if filled:
    out.append(f"config.yaml predates {', '.join(filled)}: today's defaults stand in, "
               f"which may not be what the run used")
  if run.truncated:
    out.append("events.jsonl ends in a cut-short line (a kill mid-write); it is ignored")
  return out


def stage_config(run: Run) -> tuple[config_lib.Config, list[str], list[str]]:
  """The config the stages are built from, the keys left out of it and those filled in.

  ``config.load`` fills keys a run's config.yaml lacks (written before they existed) with
  today's defaults, which may change what a stage computes. Each such key is left out
  where ``executors.stages`` can do without it (an optional key, made absent again, which
  ``stages`` reads as the old behaviour; or a key ``stages`` never reads) and kept at
  today's default where it cannot.
  """
  from discover.search.executors import keys_stages_need

  cfg, left_out, filled = run.cfg, [], []
  for key in [k for k in run.defaulted if k.split(".")[0] in _STAGE_SECTIONS]:
    if key in config_lib.OPTIONAL_KEYS:
      cfg = cfg.without(key)
    elif key in keys_stages_need(cfg):
      filled.append(key)
      continue
    left_out.append(key)
  return cfg, left_out, filled


_STAGE_SECTIONS = ("evaluation", "funnel", "meta_validation")  # what executors.stages reads


def _stages_of(run: Run, needed: set[str]) -> dict[str, dict]:
  """The run's stages that ``needed`` names, with the manifest's reference scores;
  UserError where they do not fit."""
  from discover.search.executors import stages

  built = stages(stage_config(run)[0], collections.defaultdict(dict, run.references))
  if needed - set(built):
    raise UserError(f"{run.path}: events.jsonl has {', '.join(sorted(needed - set(built)))} "
                    f"events but config.yaml configures no such stage")
  built = {name: stage for name, stage in built.items() if name in needed}
  for name, stage in built.items():
    task_list(",".join(stage["tasks"]))  # a task that no longer exists: a one-line error
    for task, paired in stage["references"].items():
      missing = [seed for seed in stage["seeds"] if seed not in paired]
      if missing:
        raise UserError(f"{run.path / 'manifest.json'}: no reference score for {task} "
                        f"(seeds {missing}), which the {name} stage needs")
  return built


def evaluate(run: Run, records: list[Record], workers: int = 1, progress: bool = False) -> list:
  """The records' programs evaluated again on the run's stages, in the same order."""
  from tqdm import tqdm

  from discover.search.executors import Job, SerialExecutor
  from discover.dsl.parse import parse
  from discover.search.pool import EvaluatorPool, WorkerError
  from discover.dsl.program import ProgramError

  jobs = []
  for record in records:
    try:
      jobs.append(Job(record.stage, parse(record.event["program"])))
    except ProgramError as e:
      raise UserError(f"{record.describe()}: its program does not parse ({e})") from None
  stages = _stages_of(run, {r.stage for r in records})
  results = {}
  try:
    with (SerialExecutor(stages) if workers == 1 else EvaluatorPool(workers, stages=stages)) \
        as executor, tqdm(total=len(jobs), unit="eval", desc="replay", dynamic_ncols=True,
                          disable=not progress) as bar:
      for index, evaluation in executor.imap(jobs):
        results[index] = evaluation
        bar.update()
  except WorkerError as e:
    raise UserError(str(e)) from None
  return [results[i] for i in range(len(jobs))]


def _summary(run: Run, replayable, chosen, crashed, tolerance, workers, seconds) -> str:
  by_stage = ", ".join(f"{stage} {sum(r.stage == stage for r in chosen)}"
                       for stage in _stages(chosen))
  how = ("exactly (bitwise-equal metrics and fitness, same failures)" if tolerance is None
         else f"within relative tolerance {tolerance:g}")
  lines = [f"replayed {len(chosen)} of {len(replayable)} recorded evaluations ({by_stage}) of "
           f"{run.path}: all {len(chosen)} reproduce {how}",
           f"time {seconds:.1f}s on {workers} worker{'s' if workers > 1 else ''} "
           f"(recorded: {sum(r.event.get('seconds', 0.0) for r in chosen):.1f}s of evaluation)"]
  if crashed:
    lines.append(f"not replayed: {len(crashed)} evaluations that failed for the machine, "
                 f"not the program (worker died, timed out, evaluator raised)")
  return "\n".join(lines)
