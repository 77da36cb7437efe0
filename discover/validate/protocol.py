"""Validation on held-out target tasks under one tuning budget (``python -m discover validate``).

The protocol, after AlgoPerf's external-tuning ruleset (Dahl et al. 2023, *Benchmarking
Neural Network Training Algorithms*): every optimizer gets the same budget, chooses on
validation data and is scored on held-out test data over several seeds.

* **Budget.** Each optimizer, discovered program or baseline, gets the same ``--trials``
  points of a quasirandom search on each task: the unscrambled 2-d Halton sequence (its
  origin skipped), so the learning-rate coordinates are the same multiples of the centre for
  every optimizer, and raising ``--trials`` extends the trials already run.
* **Learning rate.** A task feeds a program ``lr = schedule(count)`` (a cosine from 1.0); a
  trial multiplies it by its ``learning_rate``, searched on a log scale over
  ``LR_DECADES`` decades centred on the optimizer's own scale: a baseline's conventional
  learning rate (``CONVENTIONAL``: AdamW 1e-3, Lion 1e-4, ...), and factor 1 for a program
  file or a baseline with its learning rate written in (``adamw_paper``), since such a
  program carries its own learning-rate constant and the search ran it at factor 1. A
  program that never reads ``lr`` gets the same trials: ``export.to_optax`` multiplies its
  update by the trial's schedule instead, so it is tuned (and scheduled) like the others.
* **Weight decay.** An optimizer with a ``weight_decay`` hyperparameter
  (``discover.dsl.hyperparameters``) has it searched over ``WD_DECADES`` decades centred on its
  conventional value (AdamW 0.01; Lion 0.1, ten times AdamW's as the Lion paper advises) or
  the program's own constant. Others spend the same trials on the learning rate alone.
* **Choice and score.** Every trial trains on seeds ``0..N-1`` (the same initial parameters
  and batches for every optimizer). A trial with a diverged seed is out. The trial with the
  best mean validation metric (``Task.evaluate``) is chosen, and its score is its test
  metric (``Task.test``, data held out from training and validation) on each seed: mean,
  median and a 95% Student-t confidence interval of the mean.
* **Resume.** Each finished training run is appended to ``runs.jsonl`` in the output
  directory, keyed by the task's fingerprint, the program's dataflow hash, the trial's
  hyperparameters and the seed. Running again (any command with the same ``--out``) trains
  only what the log lacks.

Output: ``results.md`` (a table), ``results.json``, ``curves_<task>.png`` (training loss of
each chosen trial, mean over seeds with a min-max band), ``scores.png`` (test scores with
confidence intervals), and the run log.
"""

from __future__ import annotations

import dataclasses
import json
import math
import sys
import time
from pathlib import Path
from collections.abc import Sequence

import jax
import numpy as np
from scipy import stats
from scipy.stats import qmc

from discover.dsl import analysis
from discover.export import transform as export
from discover.execute import reference
from discover.search import rundir as runs
from discover.validate import report as validate_report
from discover.dsl.baselines import BASELINES
from discover.errors import UserError
from discover.dsl.hyperparameters import hyperparameters
from discover.dsl.load import load_program
from discover.dsl.program import Program, to_text
from discover.tasks import task_list
from proxy_tasks import Task, get_task, make_trainer

LR_DECADES = 3.0  # width of the learning-rate search, centred on the optimizer's scale
WD_DECADES = 2.0  # width of the weight-decay search, where the optimizer has one
CURVE_POINTS = 50  # training-loss points recorded per run
CONFIDENCE = 0.95

# Baseline -> (conventional learning rate, conventional weight decay or None), with
# optax's conventions (momentum is optax.trace's, without the 1 - momentum factor).
# A baseline missing here is centred like a program file, on its own constants.
CONVENTIONAL = {
    "sgd": (0.1, None), "momentum": (0.01, None), "nesterov": (0.01, None),
    "adam": (1e-3, None), "adamw": (1e-3, 0.01), "rmsprop": (1e-3, None),
    "adagrad": (1e-2, None), "adabelief": (1e-3, None), "lion": (1e-4, 0.1),
    "signsgd": (1e-4, None), "signum": (1e-4, None),
}


@dataclasses.dataclass(frozen=True)
class Optimizer:
  """One optimizer under validation.

  Attributes:
    label: its name in tables and plots.
    program: the DSL program.
    lr_centre: the centre of its learning-rate search (a factor on the program's ``lr``).
    wd_centre: the centre of its weight-decay search, or None: no weight decay to tune.
  """

  label: str
  program: Program
  lr_centre: float
  wd_centre: float | None


def optimizer(spec: str, label: str | None = None) -> Optimizer:
  """The optimizer a baseline name or program file names, centred as the protocol says."""
  program = load_program(spec)
  is_baseline = spec in BASELINES and not Path(spec).exists()
  if is_baseline and spec in CONVENTIONAL:
    lr, wd = CONVENTIONAL[spec]
  else:
    own = {h.name: h.value for h in hyperparameters(program)}.get("weight_decay")
    lr, wd = 1.0, own if own is not None and own > 0 else None
  return Optimizer(label or (spec if is_baseline else Path(spec).stem), program, lr, wd)


def trial_points(count: int) -> np.ndarray:
  """``count`` points of the unscrambled 2-d Halton sequence in [0, 1)^2, origin skipped."""
  return qmc.Halton(d=2, scramble=False).random(count + 1)[1:]


def trials(opt: Optimizer, count: int) -> list[tuple[float, float | None]]:
  """(learning rate, weight decay or None) of each trial, to 6 significant digits."""
  def around(centre, decades, u):
    return float(f"{centre * 10 ** (decades * (u - 0.5)):.6g}")
  return [(around(opt.lr_centre, LR_DECADES, lr_u),
           None if opt.wd_centre is None else around(opt.wd_centre, WD_DECADES, wd_u))
          for lr_u, wd_u in trial_points(count)]


def confidence_interval(values: Sequence[float], level: float = CONFIDENCE
                        ) -> tuple[float, float, float]:
  """(mean, low, high): the Student-t confidence interval of the mean of ``values``."""
  x = np.asarray(values, np.float64)
  mean = float(x.mean())
  if len(x) < 2:
    return mean, math.nan, math.nan
  half = stats.t.ppf(0.5 + level / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
  return mean, mean - float(half), mean + float(half)


class RunLog:
  """The append-only record of finished training runs (``runs.jsonl``), by key."""

  def __init__(self, path: Path):
    self.path = path
    self.records: dict[str, dict] = {}
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    self._cut_short = bool(text) and not text.endswith("\n")
    for line in text.splitlines():
      try:
        record = json.loads(line)
        self.records[record["key"]] = record
      except (json.JSONDecodeError, KeyError, TypeError):
        continue  # a line cut short by an interrupted write: that run trains again

  def add(self, record: dict) -> None:
    with self.path.open("a", encoding="utf-8") as f:
      f.write(("\n" if self._cut_short else "") + json.dumps(record) + "\n")
    self._cut_short = False
    self.records[record["key"]] = record


def task_print(task: Task) -> str:
  """The task's identity (``proxy_tasks.identity``, as ``discover.execute.reference.fingerprint``):
  changes when its code (test split included), configuration or data bytes change, and
  not with the machine or Python version. Logs from before it have 16-digit prints, from
  float checksums, which AVX-512 and AVX2 compute differently."""
  return reference.fingerprint(task)


def run_key(task: str, task_print: str, program_hash: str, lr: float, wd: float | None,
            seed: int) -> str:
  """What identifies a training run in the log (floats by repr: they round-trip)."""
  return f"{task}|{task_print}|{program_hash}|{lr!r}|{wd!r}|{seed}|{CURVE_POINTS}"


def _trainer(task: Task, opt: Optimizer, legacy_unscaled: bool = False):
  """``legacy_unscaled``: train as runs logged before a rule that never reads lr had its
  update scaled by learning_rate (only ``replay`` of such a log asks for it)."""
  def make(hp):
    lr, wd = hp
    extra = {} if opt.wd_centre is None else {"weight_decay": wd}
    if legacy_unscaled:
      return export.to_optax(opt.program, 1.0, **extra)
    return export.to_optax(opt.program, lambda count: task.schedule(count) * lr, **extra)
  return make_trainer(task, make, curve_points=min(CURVE_POINTS, task.steps),
                      test=task.test is not None)


def _finite(x) -> float | None:
  x = float(x)
  return x if math.isfinite(x) else None


def train_once(run, task: Task, lr: float, wd: float | None, seed: int) -> dict:
  """One training run's record: validation and test metric (None: diverged; the test
  metric also None for a task without a test split), curve."""
  start = time.perf_counter()
  hp = (np.float32(lr), np.float32(0.0 if wd is None else wd))
  result = jax.device_get(run(hp, jax.random.key(seed)))
  has_test = task.test is not None
  test = _finite(result.test_metrics[task.metric]) if has_test else None
  finished = test is not None if has_test else _finite(result.metric) is not None
  ok = not bool(result.diverged) and finished
  return {"validation": float(result.metric) if ok else None, "test": test if ok else None,
          "steps": int(result.steps),
          "curve": [None if v is None else float(f"{v:.6g}")
                    for v in map(_finite, result.curve)],
          "seconds": round(time.perf_counter() - start, 3)}


def summarise(task: Task, label: str, trial_runs: list[tuple[float, float | None, list[dict]]]
              ) -> dict:
  """The result on one task: every trial, the one chosen on validation and its test score
  (``scored_on``: "test"; for a task without a test split, "validation", the chosen
  trial's own validation metric: optimistic, but alike for every optimizer).

  Args:
    trial_runs: per trial, (learning rate, weight decay, the run record of each seed).
  """
  sign = -1.0 if task.higher_is_better else 1.0
  rows = []
  for index, (lr, wd, seed_runs) in enumerate(trial_runs):
    failed = sum(r["validation"] is None for r in seed_runs)
    rows.append({"index": index, "learning_rate": lr, "weight_decay": wd,
                 "diverged_seeds": failed,
                 "validation": None if failed else float(np.mean([r["validation"]
                                                                  for r in seed_runs]))})
  result = {"task": task.name, "optimizer": label, "metric": task.metric,
            "higher_is_better": task.higher_is_better, "trials": rows, "chosen": None}
  finished = [row for row in rows if row["validation"] is not None]
  if not finished:
    return result
  best = min(finished, key=lambda row: sign * row["validation"])
  runs = trial_runs[best["index"]][2]
  scored_on = "test" if task.test is not None else "validation"
  values = [r[scored_on] for r in runs]
  mean, low, high = confidence_interval(values)
  tried = [row["learning_rate"] for row in rows]
  result.update(chosen=best["index"], scored_on=scored_on, learning_rate=best["learning_rate"],
                weight_decay=best["weight_decay"], validation=best["validation"],
                # At the edge of three or more tried, the best may lie outside them.
                lr_at_edge=len(tried) > 2 and best["learning_rate"] in (min(tried), max(tried)),
                test={"values": values, "mean": mean, "median": float(np.median(values)),
                      "low": low, "high": high},
                curve=_curve(task, [r["curve"] for r in runs]))
  return result


def _curve(task: Task, curves: list[list[float | None]]) -> dict:
  y = np.array([[math.nan if v is None else v for v in c] for c in curves], np.float64)
  steps = ((np.arange(y.shape[1]) + 0.5) * task.steps / y.shape[1]).round(1)
  return {"steps": steps.tolist(), "mean": y.mean(0).tolist(), "low": y.min(0).tolist(),
          "high": y.max(0).tolist()}


# --------------------------------------------------------------------------- the command


def command(specs: Sequence[str], baselines: str, tasks: str, trials_spec: str,
            seeds_spec: str, out: str, progress: bool = True) -> str:
  """Validates the programs and baselines; writes the output directory, returns the table.

  Raises:
    UserError: an unknown task, baseline or program, a task with no test split, a bad
      count, or an output directory that cannot be written.
  """
  trial_count = count(trials_spec, "--trials", 1)
  seeds = range(count(seeds_spec, "--seeds", 2))
  names = _tasks_with_test(tasks)
  opts = optimizers(list(specs) + baseline_names(baselines))
  out_dir = output_dir(out)
  write_manifest(out_dir, ["validate", *specs, "--baselines", baselines or "none",
                           "--tasks", ",".join(names), "--trials", str(trial_count),
                           "--seeds", str(len(seeds))])
  start = time.perf_counter()
  try:
    trained, results = run_all(names, opts, trial_count, seeds,
                                RunLog(out_dir / "runs.jsonl"), progress)
  except KeyboardInterrupt:
    print(f"discover: finished runs are kept in {out_dir / 'runs.jsonl'}; the same command "
          f"continues from them", file=sys.stderr)
    raise
  try:
    table = validate_report.write(out_dir, describe(names, opts, trial_count, seeds), results)
  except OSError as e:
    raise UserError(f"cannot write to {out_dir}: {e.strerror or e}") from None
  reused = len(names) * len(opts) * trial_count * len(seeds) - trained
  return (f"{table}\nwrote {out_dir}: results.md, results.json, scores.png, curves_*.png "
          f"({trained} runs trained, {reused} reused from runs.jsonl, "
          f"{time.perf_counter() - start:.0f}s)")


def describe(names: list[str], opts: list[Optimizer], trial_count: int, seeds: range) -> dict:
  """The protocol as results.json records it: what ``replay`` rebuilds the optimizers from."""
  return {"trials": trial_count, "seeds": list(seeds), "lr_decades": LR_DECADES,
          "wd_decades": WD_DECADES, "confidence": CONFIDENCE, "tasks": names,
          "optimizers": [{"label": o.label, "lr_centre": o.lr_centre, "wd_centre": o.wd_centre,
                          "program": to_text(o.program),
                          "hash": analysis.dataflow_hash(o.program)} for o in opts]}


def write_manifest(out_dir: Path, command: list[str]) -> None:
  """Versions, machine and ``command`` for ``replay``, written when the directory is first
  used: the runs it logs were trained there (a resume elsewhere would mix environments)."""
  path = out_dir / "manifest.json"
  if path.exists():
    return
  try:
    runs.write_json(path, runs.manifest(0, {"command": command}))
  except OSError as e:
    raise UserError(f"cannot write to {out_dir}: {e.strerror or e}") from None


def count(text: str, option: str, minimum: int) -> int:
  try:
    value = int(text)
  except (TypeError, ValueError):
    raise UserError(f"{option} expects an integer, got {text!r}") from None
  if value < minimum:
    raise UserError(f"{option} must be at least {minimum}, got {value}")
  return value


def _tasks_with_test(spec: str) -> list[str]:
  names = task_list(spec)
  missing = [n for n in names if get_task(n).test is None]
  if missing:
    raise UserError(f"task {', '.join(missing)} has no held-out test split to report on "
                    f"(digits tasks use every image for training or validation)")
  return names


def baseline_names(spec: str) -> list[str]:
  names = [n.strip() for n in spec.split(",") if n.strip() and n.strip() != "none"]
  unknown = [n for n in names if n not in BASELINES]
  if unknown:
    raise UserError(f"unknown baseline {', '.join(unknown)} (known: {', '.join(BASELINES)})")
  return names


def optimizers(specs: list[str]) -> list[Optimizer]:
  """One optimizer per distinct spec; labels made unique by the spec where stems clash."""
  specs = list(dict.fromkeys(specs))
  plain = [optimizer(s).label for s in specs]
  return [optimizer(s, label if plain.count(label) == 1 else s)
          for s, label in zip(specs, plain)]


def output_dir(out: str) -> Path:
  path = Path(out)
  try:
    path.mkdir(parents=True, exist_ok=True)
  except OSError as e:
    raise UserError(f"cannot create the output directory {out}: {e.strerror or e}") from None
  return path


def run_all(names, opts, trial_count, seeds, log: RunLog, progress: bool):
  """Trains what the log lacks; returns (runs trained, one result per task and optimizer)."""
  from tqdm import tqdm

  prints = {n: task_print(get_task(n)) for n in names}
  # A rule that never reads lr has its update scaled by learning_rate (export.to_optax);
  # runs logged before that trained it unscaled, so its keys must not match theirs.
  hashes = [analysis.dataflow_hash(o.program) + ("" if analysis.reads_lr(o.program)
                                                 else "+update-scaled")
            for o in opts]
  keyed = [(get_task(n), opt, [(lr, wd, [run_key(n, prints[n], h, lr, wd, s) for s in seeds])
                               for lr, wd in trials(opt, trial_count)])
           for n in names for opt, h in zip(opts, hashes)]
  total = sum(len(keys) for _, _, points in keyed for _, _, keys in points)
  pending = sum(k not in log.records for _, _, points in keyed for _, _, keys in points
                for k in keys)
  trained, results = 0, []
  with tqdm(total=total, initial=total - pending, unit="run", desc="validate",
            disable=not progress, dynamic_ncols=True) as bar:
    for task, opt, points in keyed:
      run = None
      bar.set_postfix_str(f"{task.name}, {opt.label}", refresh=False)
      for lr, wd, keys in points:
        for seed, key in zip(seeds, keys):
          if key in log.records:
            continue
          run = run or _trainer(task, opt)
          log.add({"key": key, "task": task.name, "optimizer": opt.label,
                   "learning_rate": lr, "weight_decay": wd, "seed": seed,
                   **train_once(run, task, lr, wd, seed)})
          trained += 1
          bar.update()
      results.append(summarise(task, opt.label, [(lr, wd, [log.records[k] for k in keys])
                                                  for lr, wd, keys in points]))
  compare_paired(results)
  return trained, results


PAIRED_AGAINST = "adamw"  # the optimizer every other is compared with, seed by seed


def compare_paired(results: list[dict], against: str = PAIRED_AGAINST) -> None:
  """Adds ``vs_<against>`` to each other result of a task where both have test scores: the
  mean difference of their scores seed by seed (the same seed: the same initialisation and
  batches, so most of the spread between seeds cancels), its Student-t interval, and a
  verdict: "better" or "worse" where the interval lies clear of zero, else "no clear
  difference"."""
  base = {r["task"]: r for r in results if r["optimizer"] == against and r["chosen"] is not None}
  for r in results:
    held = base.get(r["task"])
    if held is None or r is held or r["chosen"] is None:
      continue
    diffs = np.subtract(r["test"]["values"], held["test"]["values"])
    mean, low, high = confidence_interval(diffs)
    better = (low > 0) if r["higher_is_better"] else (high < 0)
    worse = (high < 0) if r["higher_is_better"] else (low > 0)
    r[f"vs_{against}"] = {"mean": mean, "low": low, "high": high,
                          "verdict": "better" if better else "worse" if worse
                          else "no clear difference"}
