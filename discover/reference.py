"""Reference scores: AdamW with its learning rate and weight decay tuned on each task.

They are the zero point of fitness (``discover.evaluate``): a fitness above 0 beats a tuned
AdamW. ``python -m discover reference`` computes them with a grid search (every trial on
the same seeds, one compile per task), and stores each with its whole tuning record and
the task's fingerprint in ``runs/reference/adamw.json``. A task whose fingerprint no longer
matches (its model, data, budget or schedule changed) has a stale reference: loading it is
an error that names the command to recompute it.

References are *paired*: after the grid search picks a learning rate and weight decay on
the tuning seeds, the chosen AdamW is trained once more on each of ``PAIRED_SEEDS``, and a
candidate trained on seed ``s`` is compared with AdamW on the same seed ``s`` (the same
initial parameters and batch order). Seed-to-seed spread on the digits tasks is about
20%, most of which the pairing cancels.

Tuned with optax's own ``adamw`` (the DSL's ``adamw`` baseline matches it to 1e-5).
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from pathlib import Path
from typing import Sequence

import jax
import numpy as np
import optax

from proxy_tasks import Task, get_task, make_trainer

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "runs" / "reference" / "adamw.json"
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
WEIGHT_DECAYS = (0.0, 1e-4, 1e-2)
PAIRED_SEEDS = tuple(range(8))  # seeds a search may train candidates on


class ReferenceError(ValueError):
  """A reference score is missing or stale."""


@functools.lru_cache(maxsize=None)
def fingerprint(task: Task) -> str:
  """Changes when the task's definition, initial parameters or data stream change.

  Memoised per process (a ``Task`` is frozen): every search start checks its references.
  """
  checksum = measure_checksum(task, test=False)
  text = (f"{task.name}|{task.tier}|{task.steps}|{task.metric}|{task.higher_is_better}|"
          f"{task.description}|{checksum}|{float(task.schedule(task.steps // 2)):.6e}")
  return hashlib.sha256(text.encode()).hexdigest()[:16]


def measure_checksum(task: Task, test: bool) -> str:
  """Sums of the task's initial parameters, first batch, and its loss and metrics there
  (the test metrics too, with ``test``), which catch changes to the code behind them.

  Measured in one compiled call: op by op, every primitive of flax's initialisers and the
  data pipeline compiles on its own (char_lm_small: 49 s op by op, 18 s in one call, on a
  loaded 2-core machine).
  """
  @jax.jit
  def measure(key):
    params = task.init(key)
    batch = task.batch(task.stream(key), 0)
    measured = task.loss(params, batch), task.evaluate(params)
    return params, batch, measured + ((task.test(params),) if test else ())

  numbers = [np.asarray(x, np.float64) for x in jax.tree.leaves(
      jax.device_get(measure(jax.random.key(0))))]
  return ",".join(f"{x.sum():.6e}:{np.abs(x).sum():.6e}" for x in numbers)


def tune(task: Task, seeds: Sequence[int] = (0, 1),
         learning_rates: Sequence[float] = LEARNING_RATES,
         weight_decays: Sequence[float] = WEIGHT_DECAYS,
         paired_seeds: Sequence[int] = PAIRED_SEEDS) -> dict:
  """Grid-searches AdamW on ``task``; returns the best trial, its score on each of
  ``paired_seeds`` and the whole record."""
  run = make_trainer(task, lambda hp: optax.adamw(lambda c: task.schedule(c) * hp[0],
                                                  weight_decay=hp[1]))
  start, trials = time.perf_counter(), []
  for lr in learning_rates:
    for wd in weight_decays:
      hp = (np.float32(lr), np.float32(wd))
      results = [jax.device_get(run(hp, jax.random.key(s))) for s in seeds]
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
    result = jax.device_get(run(hp, jax.random.key(s)))
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
      "seconds": round(time.perf_counter() - start, 1),
      "trials": trials,
  }


def compute(names: Sequence[str], path: Path = DEFAULT_PATH, seeds: Sequence[int] = (0, 1),
            force: bool = False, log=print) -> dict:
  """Tunes the tasks whose reference is missing or stale (all of them with ``force``)."""
  stored = _read(path)
  for name in names:
    task = get_task(name)
    current = stored.get(name, {})
    if (not force and current.get("fingerprint") == fingerprint(task)
        and "per_seed" in current):
      log(f"{name}: up to date ({stored[name]['metric']} {stored[name]['value']:.4g})")
      continue
    stored[name] = tune(task, seeds)
    r = stored[name]
    log(f"{name}: {r['metric']} {r['value']:.4g} with learning_rate {r['learning_rate']:g}, "
        f"weight_decay {r['weight_decay']:g} ({len(r['trials'])} trials x "
        f"{len(seeds)} seeds, {r['seconds']:.0f}s)")
    lrs = [t["learning_rate"] for t in r["trials"]]
    if r["learning_rate"] in (min(lrs), max(lrs)):
      log(f"{name}: warning: the best learning rate is at the edge of the grid")
    _write(path, stored)
  return stored


def load(names: Sequence[str], seeds: Sequence[int] = (),
         path: Path = DEFAULT_PATH) -> dict[str, dict[int, float]]:
  """Paired reference values, ``{task: {seed: value}}``, for ``names`` and ``seeds``.

  Raises:
    ReferenceError: a reference is missing or stale, or lacks one of ``seeds``.
  """
  stored = _read(path)
  values = {}
  for name in names:
    command = f"python -m discover reference --tasks {name}"
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
    values[name] = {s: per_seed[s] for s in sorted(set(seeds))} if seeds else per_seed
  return values


def _read(path: Path) -> dict:
  if not path.exists():
    return {}
  try:
    return json.loads(path.read_text())
  except json.JSONDecodeError as e:
    raise ReferenceError(f"{path} is not valid JSON ({e.msg}); delete it and recompute")


def _write(path: Path, stored: dict) -> None:
  path.parent.mkdir(parents=True, exist_ok=True)
  tmp = path.with_suffix(".tmp")
  tmp.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")
  tmp.replace(path)
