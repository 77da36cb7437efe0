"""Reference scores: AdamW with its learning rate and weight decay tuned on each task.

They are the zero point of fitness (``discover.execute.evaluate``): a fitness above 0 beats a tuned
AdamW. A grid search (every trial on the same seeds, one compile per task) computes each,
stored with its whole tuning record and the task's fingerprint: its identity
(``proxy_tasks.identity``), a digest of its code, configuration and data bytes, the same
on every machine and Python version. A reference whose fingerprint no longer matches (the
task's model, data, budget or schedule changed) is stale.

Two stores hold them: ``runs/reference/adamw.json``, committed with the code, and a local
store outside the repository, ``references.json`` in ``$DISCOVER_CACHE_DIR`` (default
``$XDG_CACHE_HOME/discover``, i.e. ``~/.cache/discover``). ``find_or_tune`` (what
``evolve``, ``study`` and ``simplify`` use) takes the committed reference if current, else
the local one if current, else tunes AdamW there and then into the local store: a missing
or stale reference never stops a search. ``python -m discover reference`` tunes into the
local store, or with ``--commit`` into the committed file. ``load`` reads one store and
raises for a missing or stale reference, for what must not tune.

Each reference also keeps a float checksum of the task (sums of its initial parameters,
first batch and loss there), as a diagnostic only: where it comes out differently beyond
rounding (``CHECKSUM_RTOL``), one note line says so.

References are *paired*: after the grid search picks a learning rate and weight decay on
the tuning seeds, the chosen AdamW is trained once more on each of ``PAIRED_SEEDS``, and a
candidate trained on seed ``s`` is compared with AdamW on the same seed ``s`` (the same
initial parameters and batch order). Seed-to-seed spread on the digits tasks is about
20%, most of which the pairing cancels.

Tuned with optax's own ``adamw`` (the DSL's ``adamw`` baseline matches it to 1e-5).
"""

from __future__ import annotations

import functools
import json
import math
import os
import sys
import time
from pathlib import Path
from collections.abc import Callable, Mapping, Sequence

import jax
import numpy as np
import optax

from discover import files
from proxy_tasks import Task, get_task, make_trainer
from proxy_tasks.identity import identity

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "runs" / "reference" / "adamw.json"
CACHE_ENV = "DISCOVER_CACHE_DIR"
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
WEIGHT_DECAYS = (0.0, 1e-4, 1e-2)
TUNING_SEEDS = (0, 1)
PAIRED_SEEDS = tuple(range(8))  # seeds a search may train candidates on
# AVX-512 against AVX2 moves char_lm_small's checksum by 4e-7 relative; a changed
# initialiser, data set or PRNG moves it by far more than this.
CHECKSUM_RTOL = 1e-4


class ReferenceError(ValueError):
  """A reference score is missing or stale."""


def local_path() -> Path:
  """The local reference store: ``$DISCOVER_CACHE_DIR/references.json``, by default in
  ``$XDG_CACHE_HOME/discover`` (``~/.cache/discover``)."""
  root = os.environ.get(CACHE_ENV)
  if not root:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "discover"
  return Path(root) / "references.json"


@functools.cache
def fingerprint(task: Task) -> str:
  """The task's identity (``proxy_tasks.identity``): changes when its code, configuration
  or data bytes change, and nowhere else. Memoised per process (a ``Task`` is frozen)."""
  return identity(task)


def measure_checksum(task: Task, test: bool = False) -> list[list[float]]:
  """``[sum, sum of absolute values]`` of each of the task's initial parameters, its first
  batch, and its loss and metrics there (the test metrics too, with ``test``): a
  diagnostic of what the task computes, which differs in rounding between machines.

  Measured in one compiled call: op by op, every primitive of flax's initialisers and the
  data pipeline would compile on its own.
  """
  @jax.jit
  def measure(key):
    params = task.init(key)
    batch = task.batch(task.stream(key), 0)
    measured = task.loss(params, batch), task.evaluate(params)
    return params, batch, measured + ((task.test(params),) if test else ())

  numbers = [np.asarray(x, np.float64) for x in jax.tree.leaves(
      jax.device_get(measure(jax.random.key(0))))]
  return [[float(x.sum()), float(np.abs(x).sum())] for x in numbers]


def checksum_difference(stored: Sequence, measured: Sequence) -> float:
  """The largest difference of two checksums, relative to each leaf's sum of absolute
  values (a plain sum can cancel to near 0); inf where their shapes differ."""
  if len(stored) != len(measured):
    return math.inf
  worst = 0.0
  for (s1, a1), (s2, a2) in zip(stored, measured):
    scale = max(abs(a1), abs(a2))
    if [s1, a1] == [s2, a2]:
      continue
    if not scale > 0 or not math.isfinite(scale):
      return math.inf
    worst = max(worst, abs(s1 - s2) / scale, abs(a1 - a2) / scale)
  return worst


def tune(task: Task, seeds: Sequence[int] = TUNING_SEEDS,
         learning_rates: Sequence[float] = LEARNING_RATES,
         weight_decays: Sequence[float] = WEIGHT_DECAYS,
         paired_seeds: Sequence[int] = PAIRED_SEEDS, progress: bool = False) -> dict:
  """Grid-searches AdamW on ``task``; returns the best trial, its score on each of
  ``paired_seeds`` and the whole record. ``progress``: a bar over the runs on stderr."""
  from tqdm import tqdm

  run = make_trainer(task, lambda hp: optax.adamw(lambda c: task.schedule(c) * hp[0],
                                                  weight_decay=hp[1]))
  extra = len(set(paired_seeds) - set(seeds))
  bar = tqdm(total=len(learning_rates) * len(weight_decays) * len(seeds) + extra,
             unit="run", desc=f"AdamW on {task.name}", disable=not progress,
             dynamic_ncols=True, file=sys.stderr)
  with bar:
    record = _tune(task, run, seeds, learning_rates, weight_decays, paired_seeds, bar)
  return record


def _tune(task, run, seeds, learning_rates, weight_decays, paired_seeds, bar) -> dict:
  def one(hp, seed):
    result = jax.device_get(run(hp, jax.random.key(seed)))
    bar.update()
    return result

  start, trials = time.perf_counter(), []
  for lr in learning_rates:
    for wd in weight_decays:
      hp = (np.float32(lr), np.float32(wd))
      results = [one(hp, s) for s in seeds]
      values = [None if r.diverged else float(r.metric) for r in results]
      trials.append({"learning_rate": lr, "weight_decay": wd, "values": values})
  finished = [t for t in trials if None not in t["values"]]
  if not finished:
    raise ReferenceError(f"AdamW diverged on {task.name} at every grid point")
  sign = -1.0 if task.higher_is_better else 1.0
  best = min(finished, key=lambda t: sign * float(np.mean(t["values"])))
  hp = (np.float32(best["learning_rate"]), np.float32(best["weight_decay"]))
  # The tuning seeds already ran with these hyperparameters; only the others run now.
  per_seed = {str(s): v for s, v in zip(seeds, best["values"]) if s in paired_seeds}
  for s in [s for s in paired_seeds if str(s) not in per_seed]:
    result = one(hp, s)
    if result.diverged:
      raise ReferenceError(f"tuned AdamW diverged on {task.name} with seed {s}")
    per_seed[str(s)] = float(result.metric)
  per_seed = {str(s): per_seed[str(s)] for s in paired_seeds}
  return {
      "value": float(np.mean(best["values"])),
      "metric": task.metric,
      "higher_is_better": task.higher_is_better,
      "learning_rate": best["learning_rate"],
      "weight_decay": best["weight_decay"],
      "seeds": list(seeds),
      "per_seed": per_seed,
      "fingerprint": fingerprint(task),
      "checksum": measure_checksum(task),
      "seconds": round(time.perf_counter() - start, 1),
      "trials": trials,
  }


def compute(names: Sequence[str], path: Path | None = None,
            seeds: Sequence[int] = TUNING_SEEDS, force: bool = False, log=print,
            progress: bool = False) -> dict:
  """Tunes the tasks whose reference is missing or stale (all of them with ``force``) into
  ``path``, by default the local store, where a current committed reference counts too."""
  target = path or local_path()
  sources = [target] if path else [DEFAULT_PATH, target]
  stored = _read(target)
  for name in names:
    task = get_task(name)
    found = [(s, r) for s in sources for r in [_current(_read(s), task, ())] if r]
    if found and not force:
      where, r = found[0]
      log(f"{name}: up to date in {where} ({r['metric']} {r['value']:.4g})")
      continue
    stored[name] = r = tune(task, seeds, progress=progress)
    _write(target, stored)
    log(f"{name}: {r['metric']} {r['value']:.4g} with learning_rate {r['learning_rate']:g}, "
        f"weight_decay {r['weight_decay']:g} ({len(r['trials'])} trials x "
        f"{len(seeds)} seeds, {r['seconds']:.0f}s), written to {target}")
    lrs = [t["learning_rate"] for t in r["trials"]]
    if r["learning_rate"] in (min(lrs), max(lrs)):
      log(f"{name}: warning: the best learning rate is at the edge of the grid")
  return stored


def find_or_tune(wanted: Mapping[str, Sequence[int]], progress: bool = True,
                 log: Callable[[str], None] | None = None) -> dict[str, dict[int, float]]:
  """Paired reference values, ``{task: {seed: value}}``, for ``wanted`` (task -> seeds):
  the committed reference if current, else the local store's, else AdamW tuned now (one
  line and, with ``progress``, a bar on stderr) and kept in the local store.

  Raises:
    ReferenceError: a store is unreadable or unwritable, or AdamW diverges everywhere.
  """
  log = log or _stderr
  values = {}
  for name, seeds in wanted.items():
    task = get_task(name)
    record = _current(_read(DEFAULT_PATH), task, seeds) or _current(
        _read(local_path()), task, seeds)
    if record:
      _diagnose(task, record, log)
    else:
      record = _tune_into_local_store(task, seeds, progress, log)
    values[name] = _paired(record, seeds)
  return values


def _tune_into_local_store(task: Task, seeds: Sequence[int], progress: bool, log) -> dict:
  # Read at call time, not bound as defaults, so a test can shrink the grid.
  grid = len(LEARNING_RATES) * len(WEIGHT_DECAYS)
  log(f"tuning AdamW on {task.name}: no current reference ({grid} trials x "
      f"{len(TUNING_SEEDS)} seeds)")
  record = tune(task, TUNING_SEEDS, LEARNING_RATES, WEIGHT_DECAYS,
                sorted(set(PAIRED_SEEDS) | set(seeds)), progress=progress)
  path = local_path()
  stored = _read(path)  # read again: another process may have stored a task meanwhile
  stored[task.name] = record
  _write(path, stored)
  log(f"tuned AdamW on {task.name}: {record['metric']} {record['value']:.4g} with "
      f"learning_rate {record['learning_rate']:g}, weight_decay {record['weight_decay']:g} "
      f"({record['seconds']:.0f}s), kept in {path}")
  return record


def _diagnose(task: Task, record: dict, log) -> None:
  """One note line where the task computes beyond rounding otherwise than where its
  reference was tuned (a library changed its initialiser, say): the identity still holds."""
  if not isinstance(record.get("checksum"), list):
    return  # a reference from before checksums were kept
  difference = checksum_difference(record["checksum"], measure_checksum(task))
  if difference > CHECKSUM_RTOL:
    how = "in shape" if math.isinf(difference) else f"by {difference:.1e} relative"
    log(f"note: {task.name} computes differently here than where its AdamW reference was "
        f"tuned (checksums differ {how}); if that is more than rounding, retune it: "
        f"python -m discover reference --tasks {task.name} --force")


def _current(stored: dict, task: Task, seeds: Sequence[int]) -> dict | None:
  """``stored``'s reference for ``task`` if it is current and has every one of ``seeds``."""
  record = stored.get(task.name)
  if not (isinstance(record, dict) and isinstance(record.get("per_seed"), dict)
          and record.get("fingerprint") == fingerprint(task)):
    return None
  return record if {str(s) for s in seeds} <= set(record["per_seed"]) else None


def _paired(record: dict, seeds: Sequence[int]) -> dict[int, float]:
  per_seed = {int(s): v for s, v in record["per_seed"].items()}
  return {s: per_seed[s] for s in sorted(set(seeds))} if seeds else per_seed


def _stderr(line: str) -> None:
  print(f"discover: {line}", file=sys.stderr, flush=True)


def load(names: Sequence[str], seeds: Sequence[int] = (),
         path: Path = DEFAULT_PATH) -> dict[str, dict[int, float]]:
  """Paired reference values, ``{task: {seed: value}}``, for ``names`` and ``seeds``.

  Raises:
    ReferenceError: a reference is missing or stale, or lacks one of ``seeds``.
  """
  stored = _read(path)
  values = {}
  for name in names:
    command = f"python -m discover reference --tasks {name}" + (
        " --commit" if path == DEFAULT_PATH else "")
    if name not in stored:
      raise ReferenceError(f"no AdamW reference for task '{name}' in {path}: run `{command}`")
    if (stored[name]["fingerprint"] != fingerprint(get_task(name))
        or "per_seed" not in stored[name]):
      raise ReferenceError(f"the AdamW reference for '{name}' is stale (the task changed): "
                           f"run `{command}`")
    per_seed = {int(s): v for s, v in stored[name]["per_seed"].items()}
    missing = sorted(set(seeds) - set(per_seed))
    if missing:
      raise ReferenceError(f"the AdamW reference for '{name}' has no run with seed "
                           f"{missing[0]} (paired seeds: {min(per_seed)}..{max(per_seed)})")
    values[name] = _paired(stored[name], seeds)
  return values


def _read(path: Path) -> dict:
  try:
    stored = json.loads(path.read_text(encoding="utf-8"))
  except FileNotFoundError:
    return {}
  except OSError as e:
    raise ReferenceError(f"cannot read {path}: {e.strerror or e}") from None
  except (json.JSONDecodeError, UnicodeDecodeError) as e:
    raise ReferenceError(f"{path} is not valid JSON ({getattr(e, 'msg', e)}); delete it "
                         f"and recompute") from None
  if not isinstance(stored, dict):
    raise ReferenceError(f"{path} is not a reference store (a JSON object); delete it "
                         f"and recompute")
  return stored


def _write(path: Path, stored: dict) -> None:
  # files.write_atomic: a temporary name of its own, so two processes tuning at once do not
  # write one temporary file.
  try:
    path.parent.mkdir(parents=True, exist_ok=True)
    files.write_atomic(path, json.dumps(stored, indent=1, sort_keys=True) + "\n")
  except OSError as e:
    hint = f" (set {CACHE_ENV} to a writable folder)" if path != DEFAULT_PATH else ""
    raise ReferenceError(f"cannot write {path}: {e.strerror or e}{hint}") from None
