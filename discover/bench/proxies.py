"""Proxies chosen by measurement (``python -m discover bench proxies``).

A proxy is worth its cost only as far as it ranks programs as the target tier does. This
module scores a fixed set of programs (``proxy_programs.jsonl``, written by
``benchmarks/make_proxy_set.py``: baselines at several hyperparameters and mutants from
committed searches) on every candidate proxy and on the target tier, and reports each
candidate's cost and its Spearman rank correlation with the target tier. Candidates by
default (``DEFAULT_PROXIES``): every proxy-tier task alone, the default config's proxy,
and the tiny language model and vision transformer together.

* **Training.** Each program trains on each task needed, once per job ``(program, task)``:
  at learning-rate scales ``LR_SCALES`` (``discover.execute.evaluate``, the best kept per
  task as the funnel keeps it) on seeds ``0..N-1`` (``--seeds``) for proxy tasks and
  ``TARGET_SEEDS`` (one seed: a target run costs up to minutes) for target tasks. Scores
  use the validation metric, as the search does; test splits are left alone.
* **Proxy score.** One task alone: the mean over seeds of ``log10(1/loss)`` (``log10`` of
  an accuracy), which ranks programs as fitness against any reference would. A
  combination ``a+b`` is scored as a search scores it: each task's log10 improvement over
  the committed tuned-AdamW reference on the same seed (``discover.execute.reference``),
  then the worst task (``min``; the default config's proxy takes its own aggregate). A
  program that fails a task (every scale diverged) scores -inf there.
* **Target score.** Reference-free, since the target tier has no AdamW references: on each
  target task a program's rank among the programs, normalised to [0, 1] (1: the best),
  failures tied at the worst; the target score is the mean over target tasks. Ranks, not
  log losses, so that no task's scale weighs more than another's.
* **Agreement.** Spearman's rho (``spearman``, average ranks for ties) of each proxy's
  scores with the target score and with each target task's; a 90% bootstrap interval
  over the programs says how far one proxy's rho can be told from another's.
* **Cost.** CPU seconds (every thread of the process) per training run of each task: the
  median over jobs, leaving out each process's first job on a task, which compiles, and
  failed jobs, whose runs stop early. A proxy's cost per program evaluation is that times
  its seeds, summed over its tasks, at one learning-rate scale.

Output in ``--out``: ``proxies.md`` (candidates sorted by rho), ``proxies.json`` (every
score) and the run log ``runs.jsonl``, one line per finished job; running the same command
again trains only what the log lacks, and an interruption loses the job in flight alone.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from discover.dsl.program import Program, ProgramError
from discover.errors import UserError
from discover.search import rundir as runs
from discover.validate import protocol
from discover.validate.report import json_safe

DEFAULT_PROGRAMS = Path(__file__).with_name("proxy_programs.jsonl")
DEFAULT_PROXIES = "proxy,config,char_lm_tiny+digits_vit_tiny"
DEFAULT_TARGETS = "target"
LR_SCALES = (1 / 3, 1.0, 3.0)
TARGET_SEEDS = (0,)
MIN_PROGRAMS = 3  # fewer, and every rank correlation is +-1 or undefined
BOOTSTRAP_LEVEL = 0.9
BOOTSTRAP_DRAWS = 1000


@dataclasses.dataclass(frozen=True)
class Proxy:
  """A candidate proxy: one task, or several combined by ``aggregate`` ("min" or "mean")."""

  name: str
  tasks: tuple[str, ...]
  aggregate: str = "min"


@dataclasses.dataclass(frozen=True)
class Entry:
  """A program of the set: its name, where it came from, the program and its hash."""

  name: str
  origin: str
  program: Program
  digest: str


def command(proxies: str | None, targets: str | None, seeds_spec: str, out: str,
            programs: str | None = None, progress: bool = True) -> str:
  """Runs (or continues) the benchmark; writes ``out``; returns the table.

  Raises:
    UserError: an unknown task, a bad count, an unreadable or malformed programs file, a
      missing committed reference for a combination, or an unwritable output directory.
  """
  seeds = tuple(range(protocol.count(seeds_spec, "--seeds", 1)))
  candidates = proxy_list(proxies or DEFAULT_PROXIES)
  target_names = _task_list(targets or DEFAULT_TARGETS, "--targets")
  path = Path(programs) if programs else DEFAULT_PROGRAMS
  entries = read_programs(path)
  references = combination_references(candidates, seeds)
  out_dir = protocol.output_dir(out)
  protocol.write_manifest(out_dir, [
      "bench", "proxies", "--proxies", ",".join(p.name for p in candidates), "--targets",
      ",".join(target_names), "--seeds", str(len(seeds)), "--programs", str(path)])
  start = time.perf_counter()
  jobs = plan(candidates, target_names, seeds)
  log = protocol.RunLog(out_dir / "runs.jsonl")
  trained = run_jobs(entries, jobs, log, progress)
  records = {job: [log.records[job_key(e, *job)] for e in entries] for job in jobs}
  results = summarise(entries, candidates, target_names, seeds, records, references)
  text = render(results)
  _write(out_dir, text, results)
  return (f"{text}\nwrote {out_dir}: proxies.md, proxies.json ({trained} jobs trained, "
          f"{time.perf_counter() - start:.0f}s)")


# --- what to run ------------------------------------------------------------------------

def proxy_list(spec: str) -> list[Proxy]:
  """Candidate proxies from a comma-separated list: a tier (each of its tasks alone),
  ``config`` (the default config's proxy), a task, or tasks joined by ``+`` (min)."""
  from proxy_tasks import TIERS, task_names

  found: dict[str, Proxy] = {}
  for part in (p.strip() for p in spec.split(",")):
    if part in TIERS:
      chosen = [Proxy(n, (n,)) for n in task_names(part)]
    elif part == "config":
      chosen = [config_proxy()]
    elif part:
      tasks = tuple(_task_list(part.replace("+", ","), "--proxies"))
      chosen = [Proxy("+".join(tasks), tasks)]
    else:
      chosen = []
    found.update((p.name, p) for p in chosen if p.name not in found)
  if not found:
    raise UserError(f"--proxies: no proxy in {spec!r}")
  return list(found.values())


def config_proxy() -> Proxy:
  """The default config's proxy: its ``evaluation.tasks`` with its aggregate."""
  from discover import config

  evaluation = config.load().evaluation
  name = "+".join(evaluation.tasks)
  if len(evaluation.tasks) > 1 and evaluation.aggregate != "min":
    name += f" ({evaluation.aggregate})"
  return Proxy(name, tuple(evaluation.tasks), evaluation.aggregate)


def _task_list(spec: str, option: str) -> list[str]:
  from discover.tasks import task_list

  try:
    names = task_list(spec)
  except UserError as e:
    raise UserError(f"{option}: {e}") from None
  return list(dict.fromkeys(names))


def read_programs(path: Path) -> list[Entry]:
  """The program set: one JSON object a line with ``name``, ``origin`` and ``program``."""
  from discover.dsl import analysis
  from discover.dsl.parse import parse

  try:
    lines = path.read_text(encoding="utf-8").splitlines()
  except (OSError, UnicodeDecodeError) as e:
    raise UserError(f"cannot read the programs file {path}: "
                    f"{getattr(e, 'strerror', None) or e}") from None
  entries: dict[str, Entry] = {}
  for number, line in enumerate(lines, 1):
    if not line.strip():
      continue
    name, origin, text = _fields(path, number, line)
    if name in entries:
      raise UserError(f"{path}, line {number}: a second program named {name!r}")
    try:
      program = parse(text)
    except ProgramError as e:
      raise UserError(f"{path}, line {number} ({name}): {e}") from None
    entries[name] = Entry(name, origin, program, analysis.dataflow_hash(program))
  if len(entries) < MIN_PROGRAMS:
    raise UserError(f"{path}: {len(entries)} programs; a rank correlation needs at least "
                    f"{MIN_PROGRAMS}")
  return list(entries.values())


def _fields(path: Path, number: int, line: str) -> tuple[str, str, str]:
  try:
    record = json.loads(line)
  except json.JSONDecodeError as e:
    raise UserError(f"{path}, line {number}: not JSON ({e.msg})") from None
  fields = [record.get(k) if isinstance(record, dict) else None
            for k in ("name", "origin", "program")]
  if not all(isinstance(f, str) and f for f in fields):
    raise UserError(f"{path}, line {number}: expected an object with the strings name, "
                    f"origin and program")
  return fields[0], fields[1], fields[2]


def combination_references(candidates: Sequence[Proxy], seeds: Sequence[int]
                           ) -> dict[str, dict[int, float]]:
  """Committed AdamW references for every task of a combined proxy, checked before any
  training (a combination is scored against them, as a search is)."""
  from discover.execute import reference

  names = sorted({t for p in candidates if len(p.tasks) > 1 for t in p.tasks})
  try:
    return reference.load(names, seeds)
  except reference.ReferenceError as e:
    raise UserError(f"{e} (or leave the combination out of --proxies)") from None


def plan(candidates: Sequence[Proxy], targets: Sequence[str], seeds: tuple[int, ...]
         ) -> list[tuple[str, tuple[int, ...]]]:
  """The jobs each program needs, as (task, seeds): the proxies' tasks, then the targets."""
  jobs = [(t, seeds) for p in candidates for t in p.tasks]
  jobs += [(t, TARGET_SEEDS) for t in targets]
  return list(dict.fromkeys(jobs))


# --- training ---------------------------------------------------------------------------

def job_key(entry: Entry, task: str, seeds: tuple[int, ...]) -> str:
  """What identifies a job in the log: the task's identity, the program's dataflow, the
  seeds and the learning-rate scales (floats by repr: they round-trip)."""
  from discover.execute import reference
  from proxy_tasks import get_task

  prints = reference.fingerprint(get_task(task))
  return f"{task}|{prints}|{entry.digest}|{list(seeds)}|{list(LR_SCALES)!r}"


def run_jobs(entries: Sequence[Entry], jobs: Sequence[tuple[str, tuple[int, ...]]],
             log: protocol.RunLog, progress: bool) -> int:
  """Trains every job the log lacks, task by task (each compiles once); returns how many."""
  from tqdm import tqdm

  todo = [(e, job) for job in jobs for e in entries if job_key(e, *job) not in log.records]
  total = len(entries) * len(jobs)
  compiled: set[str] = set()
  with tqdm(total=total, initial=total - len(todo), unit="job", desc="proxies",
            disable=not progress, dynamic_ncols=True) as bar:
    for entry, (task, seeds) in todo:
      bar.set_postfix_str(f"{task}, {entry.name}", refresh=False)
      record = train_job(entry, task, seeds)
      log.add({"key": job_key(entry, task, seeds), "program": entry.name, "task": task,
               "seeds": list(seeds), "warm": task in compiled, **record})
      compiled.add(task)
      bar.update()
  return len(todo)


def train_job(entry: Entry, task: str, seeds: tuple[int, ...]) -> dict:
  """One program on one task: the metric per seed at the best scale (None: failed)."""
  from discover.execute.evaluate import Evaluator

  evaluator = Evaluator([task], seeds, lr_scales=LR_SCALES)
  cpu, wall = time.process_time(), time.perf_counter()
  evaluation = evaluator.evaluate(entry.program)
  cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
  failed = evaluation.failed
  return {"metrics": None if failed else [float(v) for v in evaluation.metrics[task]],
          "lr_scale": None if failed else evaluation.lr_scales[task],
          "failure": evaluation.failure, "runs": len(seeds) * len(LR_SCALES),
          "cpu_seconds": round(cpu, 3), "wall_seconds": round(wall, 3)}


# --- scores -----------------------------------------------------------------------------

def average_ranks(values: Sequence[float]) -> np.ndarray:
  """1-based ranks, ascending; tied values share the mean of their ranks (-inf ties too)."""
  x = np.asarray(values, np.float64)
  order = np.argsort(x, kind="stable")
  ordered = x[order]
  starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
  ends = np.r_[starts[1:], len(x)]
  group = np.cumsum(np.r_[True, ordered[1:] != ordered[:-1]]) - 1
  ranks = np.empty(len(x))
  ranks[order] = ((starts + ends + 1) / 2)[group]
  return ranks


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
  """Spearman's rho: Pearson's correlation of the average ranks; NaN where either side is
  constant (no ranking to agree with)."""
  if len(a) != len(b):
    raise ValueError(f"spearman needs two equal lengths, got {len(a)} and {len(b)}")
  ra, rb = average_ranks(a), average_ranks(b)
  ra, rb = ra - ra.mean(), rb - rb.mean()
  scale = math.sqrt(float(ra @ ra) * float(rb @ rb))
  return float(ra @ rb) / scale if scale > 0 else math.nan


def task_scores(task: str, records: Sequence[dict],
                references: dict[int, float] | None = None) -> list[float]:
  """Each program's mean score over seeds on ``task`` (``task_score``: log10 improvement
  over the reference on the same seed; 1.0 without one); -inf where it failed."""
  from discover.execute.evaluate import task_score
  from proxy_tasks import get_task

  spec = get_task(task)
  scores = []
  for r in records:
    if r["metrics"] is None:
      scores.append(-math.inf)
      continue
    refs = [references[s] if references else 1.0 for s in r["seeds"]]
    scores.append(float(np.mean([task_score(spec, m, ref)
                                 for m, ref in zip(r["metrics"], refs)])))
  return scores


def proxy_scores(proxy: Proxy, records: dict, seeds: tuple[int, ...],
                 references: dict[str, dict[int, float]]) -> list[float]:
  """Each program's score on a proxy (see the module docstring)."""
  if len(proxy.tasks) == 1:
    return task_scores(proxy.tasks[0], records[(proxy.tasks[0], seeds)])
  per_task = np.array([task_scores(t, records[(t, seeds)], references[t])
                       for t in proxy.tasks])
  combine = np.min if proxy.aggregate == "min" else np.mean
  return [float(v) for v in combine(per_task, axis=0)]


def normalised_ranks(scores: Sequence[float]) -> list[float]:
  """Ranks scaled to [0, 1], 1 the best (the highest score); ties share."""
  ranks = average_ranks(scores)
  return [float(v) for v in (ranks - 1) / max(len(ranks) - 1, 1)]


def task_cost(records: Sequence[dict]) -> float:
  """Median CPU seconds per training run, over the jobs that neither compiled nor failed
  (a diverging run stops early and costs less): over all jobs where none is left."""
  chosen = [r for r in records if r["warm"] and r["metrics"] is not None] or list(records)
  return float(np.median([r["cpu_seconds"] / r["runs"] for r in chosen]))


def rho_interval(a: Sequence[float], b: Sequence[float], level: float = BOOTSTRAP_LEVEL,
                 draws: int = BOOTSTRAP_DRAWS) -> tuple[float, float]:
  """A percentile-bootstrap interval of Spearman's rho over the programs (resampled with
  replacement, a fixed seed): how far a proxy's rho can be told from another's."""
  a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
  rng = np.random.default_rng(0)
  samples = [rng.integers(0, len(a), len(a)) for _ in range(draws)]
  rhos = np.array([spearman(a[i], b[i]) for i in samples])
  if np.isnan(rhos).all():
    return math.nan, math.nan
  tail = 100 * (1 - level) / 2
  low, high = np.nanpercentile(rhos, [tail, 100 - tail])
  return float(low), float(high)


def summarise(entries: Sequence[Entry], candidates: Sequence[Proxy], targets: Sequence[str],
              seeds: tuple[int, ...], records: dict, references: dict) -> dict:
  """Every score and correlation the report shows."""
  by_target = {t: task_scores(t, records[(t, TARGET_SEEDS)]) for t in targets}
  target = np.mean([normalised_ranks(s) for s in by_target.values()], axis=0).tolist()
  costs = {task: task_cost([r for (t, _), rs in records.items() if t == task for r in rs])
           for task, _ in records}
  rows = [_proxy_row(p, proxy_scores(p, records, seeds, references), target, by_target,
                     sum(costs[t] * len(seeds) for t in p.tasks))
          for p in candidates]
  rows.sort(key=lambda r: -r["rho"] if math.isfinite(r["rho"]) else math.inf)
  failed = [e.name for i, e in enumerate(entries)
            if all(rs[i]["metrics"] is None for rs in records.values())]
  return {"programs": [{"name": e.name, "origin": e.origin} for e in entries],
          "seeds": list(seeds), "target_seeds": list(TARGET_SEEDS),
          "lr_scales": list(LR_SCALES), "targets": list(targets),
          "target_score": target, "target_task_scores": by_target,
          "seconds_per_run": costs, "failed_everywhere": failed, "proxies": rows,
          "references": references}


def _proxy_row(proxy: Proxy, scores: list[float], target: list[float],
               by_target: dict[str, list[float]], seconds: float) -> dict:
  return {"proxy": proxy.name, "tasks": list(proxy.tasks), "aggregate": proxy.aggregate,
          "seconds": seconds, "rho": spearman(scores, target),
          "rho_interval": rho_interval(scores, target),
          "rho_by_target": {t: spearman(scores, s) for t, s in by_target.items()},
          "failed": sum(s == -math.inf for s in scores), "scores": scores}


# --- report -----------------------------------------------------------------------------

def render(results: dict) -> str:
  """``proxies.md``: one row per candidate proxy, best rank agreement first."""
  targets = results["targets"]
  lines = [
      "# Proxies against the target tier", "", _intro(results), "",
      "| proxy | cost (s) | rho | 90% interval | " + " | ".join(f"rho {t}" for t in targets)
      + " | failed |",
      "| --- | ---: | ---: | ---: |" + " ---: |" * len(targets) + " ---: |"]
  for row in results["proxies"]:
    by_target = " | ".join(_rho(row["rho_by_target"][t]) for t in targets)
    low, high = row["rho_interval"]
    lines.append(f"| {row['proxy']} | {row['seconds']:.3g} | {_rho(row['rho'])} | "
                 f"{_rho(low)} to {_rho(high)} | {by_target} | {row['failed']} |")
  lines += ["", "CPU seconds per training run (median over programs):", "",
            "| task | seconds |", "| --- | ---: |"]
  lines += [f"| {t} | {s:.3g} |" for t, s in results["seconds_per_run"].items()]
  failed, count = results["failed_everywhere"], len(results["programs"])
  lines += ["", f"{len(failed)} of {count} programs failed on every task"
            + (f": {', '.join(failed)}." if failed else ".")]
  return "\n".join(lines) + "\n"


def _intro(results: dict) -> str:
  programs = results["programs"]
  baselines = sum(p["origin"] == "baseline" for p in programs)
  scales = ", ".join(f"{k:.3g}" for k in results["lr_scales"])
  return (
      f"{len(programs)} programs ({baselines} baselines, {len(programs) - baselines} "
      f"mutants of searches), each trained at learning-rate scales {scales} (the best "
      f"kept per task), on {_count(len(results['seeds']), 'seed')} per proxy task and "
      f"{_count(len(results['target_seeds']), 'seed')} per target task "
      f"({', '.join(results['targets'])}). Target score: the mean over target tasks of a "
      "program's normalised rank there (failures worst). rho: Spearman's rank correlation "
      "of the proxy's scores with it, with a 90% bootstrap interval over the programs. "
      "Cost: CPU seconds per program evaluation at one learning-rate scale, over the "
      "proxy's tasks and seeds. Failed: programs that diverged on the proxy at every "
      "scale (ranked worst).")


def _count(n: int, noun: str) -> str:
  return f"{n} {noun}" + ("" if n == 1 else "s")


def _rho(value: float) -> str:
  return "n/a" if math.isnan(value) else f"{value:+.2f}"


def _write(out_dir: Path, text: str, results: dict) -> None:
  try:
    (out_dir / "proxies.md").write_text(text, encoding="utf-8")
    runs.write_json(out_dir / "proxies.json", json_safe(results))
  except OSError as e:
    raise UserError(f"cannot write to {out_dir}: {e.strerror or e}") from None
