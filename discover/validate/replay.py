"""Replaying a validation: every recorded training run of ``discover validate`` again.

``python -m discover replay OUT_DIR``, where ``OUT_DIR`` is a ``validate`` output directory
(``results.json``, ``runs.jsonl``, ``manifest.json``), rebuilds each optimizer from the
program text and tuning centres ``results.json`` recorded (not from today's baselines) and
trains each recorded run again: same task, learning rate, weight decay and seed. Its
validation metric, test metric and loss curve must equal the record's, bit for bit on the
machine and versions of the manifest (``--tolerance`` otherwise, as for a search's replay).
The task's identity (``proxy_tasks.identity``) is part of each record's key, so a task whose
code, configuration or data has changed since is named before anything trains. Keys from
before identities came from the task's definition hold a float checksum instead (16 hex
digits), which another CPU computes otherwise: those are not checked, with a note, and
the replayed numbers show any change.
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

from discover.dsl import analysis
from discover.audit import replay
from discover.validate import protocol as validate
from discover.errors import UserError
from discover.dsl.program import ProgramError
from discover.dsl.parse import parse
from proxy_tasks import get_task
from proxy_tasks.identity import LENGTH

_COMPARED = ("validation", "test")
_FIELDS = ("task", "optimizer", "learning_rate", "weight_decay", "seed", *_COMPARED, "curve")


def is_validation(path: Path) -> bool:
  return (path / "runs.jsonl").exists() and (path / "results.json").exists()


def _optimizers(out_dir: Path) -> dict[str, validate.Optimizer]:
  try:
    protocol = json.loads((out_dir / "results.json").read_text(encoding="utf-8"))["protocol"]
    return {o["label"]: validate.Optimizer(o["label"], parse(o["program"]),
                                           o["lr_centre"], o["wd_centre"])
            for o in protocol["optimizers"]}
  except (OSError, ValueError, KeyError, TypeError, ProgramError) as e:
    raise UserError(f"{out_dir / 'results.json'}: not a validation's results ({e})") from None


def _records(out_dir: Path, optimizers: dict) -> list[dict]:
  log = validate.RunLog(out_dir / "runs.jsonl")
  records = list(log.records.values())
  if not records:
    raise UserError(f"{out_dir / 'runs.jsonl'} records no training runs")
  for r in records:
    missing = [f for f in _FIELDS if f not in r]
    if missing:
      raise UserError(f"{out_dir / 'runs.jsonl'}: run {r['key']!r} lacks "
                      f"{', '.join(missing)}")
    if r["optimizer"] not in optimizers:
      raise UserError(f"{out_dir / 'runs.jsonl'}: run {r['key']!r} names an optimizer "
                      f"results.json lacks ({r['optimizer']!r})")
    if not isinstance(r["key"], str) or r["key"].count("|") < 2:
      raise UserError(f"{out_dir / 'runs.jsonl'}: {r['key']!r} is not a run key")
  return records


def _check_tasks(records: list[dict]) -> None:
  for name in sorted({r["task"] for r in records}):
    try:
      today = validate.task_print(get_task(name))
    except KeyError:
      raise UserError(f"task {name!r} of the recording no longer exists") from None
    recorded = {r["key"].split("|")[1] for r in records if r["task"] == name}
    if {p for p in recorded if len(p) == LENGTH} - {today}:
      raise UserError(f"task {name} has changed since the recording (its identity "
                      f"differs), so its runs cannot reproduce")
    if any(len(p) != LENGTH for p in recorded):
      print(f"discover: note: runs on {name} recorded before task identities (their keys "
            f"hold a float checksum) are not checked for a changed task", file=sys.stderr,
            flush=True)


def _legacy_unscaled(record: dict, optimizer: validate.Optimizer) -> bool:
  """A run of a rule that never reads lr, logged before its update was scaled by the
  learning rate (its key lacks the marker ``validate`` adds since)."""
  return (not analysis.reads_lr(optimizer.program)
          and not record["key"].split("|")[2].endswith("+update-scaled"))


def difference(record: dict, again: dict, tolerance: float | None) -> str | None:
  """The first way a replayed run differs from its record, in words, or None."""
  for field in _COMPARED:
    if not _same(record[field], again[field], tolerance):
      return f"{field}: recorded {record[field]!r}, replayed {again[field]!r}"
  if len(record["curve"]) != len(again["curve"]):
    return f"curve: recorded {len(record['curve'])} points, replayed {len(again['curve'])}"
  for i, (a, b) in enumerate(zip(record["curve"], again["curve"])):
    if not _same(a, b, tolerance):
      return f"curve point {i}: recorded {a!r}, replayed {b!r}"
  return None


def _same(recorded, replayed, tolerance: float | None) -> bool:
  """As ``replay.same``; a training run records a diverged value as None."""
  return replay.same(recorded, math.nan if replayed is None else replayed, tolerance)


def _sample(records: list[dict], limit: int | None) -> list[dict]:
  if limit is None or limit >= len(records):
    return records
  return [records[i * len(records) // limit] for i in range(limit)]


def replay_validation(out_dir: str | Path, limit: int | None, tolerance: float | None,
                      progress: bool = True) -> str:
  """Trains the recorded runs (an evenly spaced sample of ``limit``) again; returns the
  summary or raises ``UserError`` naming the first run that differs."""
  from tqdm import tqdm

  out_dir = Path(out_dir)
  differences = replay.environment_differences(replay.read_manifest(out_dir / "manifest.json"))
  if differences and tolerance is None:
    raise UserError(f"recorded elsewhere ({'; '.join(differences)}), so scores need not "
                    f"reproduce bit for bit: pass --tolerance (e.g. 1e-6) to compare relatively")
  optimizers = _optimizers(out_dir)
  records = _records(out_dir, optimizers)
  _check_tasks(records)
  chosen = sorted(_sample(records, limit), key=lambda r: (r["task"], r["optimizer"]))
  start, pair, trainer = time.perf_counter(), None, None
  for record in tqdm(chosen, unit="run", desc="replay", disable=not progress,
                     dynamic_ncols=True):
    task = get_task(record["task"])
    legacy = _legacy_unscaled(record, optimizers[record["optimizer"]])
    if (record["task"], record["optimizer"], legacy) != pair:  # one compile per optimizer
      pair = record["task"], record["optimizer"], legacy
      trainer = validate._trainer(task, optimizers[record["optimizer"]], legacy)
    again = validate.train_once(trainer, task, record["learning_rate"],
                                record["weight_decay"], record["seed"])
    detail = difference(record, again, tolerance)
    if detail:
      raise UserError(f"run {record['key']} ({record['optimizer']} on {record['task']}, lr "
                      f"{record['learning_rate']}, wd {record['weight_decay']}, seed "
                      f"{record['seed']}) differs: {detail}")
  how = "exactly" if tolerance is None else f"within relative tolerance {tolerance:g}"
  return (f"replayed {len(chosen)} of {len(records)} training runs of {out_dir}: all "
          f"reproduce {how} ({time.perf_counter() - start:.0f}s)")
