"""Run directories: resolved config, manifest, event log, checkpoints, best programs.

Layout of ``runs/<time>-seed<seed>/`` (DESIGN.md §7)::

    config.yaml       the resolved configuration
    manifest.json     seed, package and JAX versions, the op registry's fingerprint, machine
    events.jsonl      one JSON line per candidate, appended as it finishes
    checkpoint.json   the search's whole state, replaced atomically
    best.py           the best program so far, replaced atomically

Every file that is replaced is written to a temporary file, fsynced and renamed, so a kill
at any moment leaves the old or the new version, never half of one. The event log is
append-only; a truncated last line (a kill mid-write) is dropped and reported on reading.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Iterator

from primitives import REGISTRY

PACKAGES = ("jax", "jaxlib", "flax", "optax", "numpy", "scikit-learn", "multiprocess", "pyyaml")


def new_run_dir(root: str | Path, seed: int) -> Path:
  stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
  path = Path(root) / f"{stamp}-seed{seed}"
  n = 1
  while path.exists():
    n += 1
    path = Path(root) / f"{stamp}-seed{seed}-{n}"
  path.mkdir(parents=True)
  return path


def manifest(seed: int, extra: dict | None = None) -> dict:
  versions = {}
  for name in PACKAGES:
    try:
      versions[name] = metadata.version(name)
    except metadata.PackageNotFoundError:
      versions[name] = None
  return {
      "seed": seed,
      "python": sys.version.split()[0],
      "packages": versions,
      "op_registry": REGISTRY.fingerprint(),
      "machine": {"platform": platform.platform(), "processor": platform.machine(),
                  "cpus": os.cpu_count()},
      "created": datetime.datetime.now().isoformat(timespec="seconds"),
      **(extra or {}),
  }


def write_atomic(path: Path, text: str) -> None:
  """Replaces ``path`` with ``text`` atomically (temporary file, fsync, rename)."""
  tmp = path.with_name(path.name + ".tmp")
  with open(tmp, "w", encoding="utf-8") as f:
    f.write(text)
    f.flush()
    os.fsync(f.fileno())
  os.replace(tmp, path)


def write_json(path: Path, data) -> None:
  write_atomic(path, json.dumps(data, indent=1) + "\n")


class EventLog:
  """Append-only JSON lines; each line is flushed as it is written."""

  def __init__(self, path: Path):
    self.path = path
    self._file = open(path, "a", encoding="utf-8")

  def append(self, event: dict) -> None:
    self._file.write(json.dumps(event, allow_nan=False) + "\n")
    self._file.flush()

  def sync(self) -> None:
    os.fsync(self._file.fileno())

  def close(self) -> None:
    self._file.close()


def read_events(path: Path) -> tuple[list[dict], bool]:
  """The events of a log, and whether a truncated last line was dropped."""
  events, truncated = [], False
  lines = path.read_text(encoding="utf-8").split("\n") if path.exists() else []
  for i, line in enumerate(lines):
    if not line.strip():
      continue
    try:
      events.append(json.loads(line))
    except json.JSONDecodeError:
      if i >= len(lines) - 2:  # only the last line may be cut short
        truncated = True
        break
      raise
  return events, truncated


def truncate_events(path: Path, keep: int) -> None:
  """Keeps the first ``keep`` events (those a checkpoint already accounts for)."""
  events, _ = read_events(path)
  write_atomic(path, "".join(json.dumps(e, allow_nan=False) + "\n" for e in events[:keep]))


def iter_runs(root: str | Path) -> Iterator[Path]:
  yield from sorted(p for p in Path(root).iterdir() if (p / "manifest.json").exists())
