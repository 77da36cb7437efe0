"""Run directories: resolved config, manifest, event log, checkpoints, best programs.

Layout of ``runs/<time>-seed<seed>/`` (docs/architecture.md, "Run directories")::

    config.yaml       the resolved configuration
    manifest.json     seed, package and JAX versions, the op registry's fingerprint, machine
    events.jsonl      one JSON line per candidate, appended as it finishes
    checkpoint.json   the search's whole state, replaced atomically
    best.py           the best program so far, replaced atomically
    best_funnel.py    the best program on the funnel so far
    winner.py         at the end: the winner, chosen on held-out tiers (discover.search.finish)
    optimizer.py      at the end: the winner simplified, as an optax module
    summary.md        at the end: the winner on each tier, the finalists, how to use it

Every file that is replaced is written to a temporary file, fsynced and renamed (and the
directory fsynced), so a kill at any moment leaves the old or the new version, never half
of one. The event log is append-only: each event is one ``write`` of one whole line, and
is fsynced before every checkpoint, which records how many events it accounts for. A
truncated last line (a kill or a full disk mid-write) is dropped by ``repair_events``,
which says what it dropped; any other line that is not JSON is an error.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import json
import os
import platform
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from collections.abc import Iterable, Iterator

from discover.errors import UserError
from discover.files import NOFOLLOW, write_atomic, write_json  # noqa: F401  (run files are written through here)
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
      "source": source_commit(),
      "machine": machine(),
      "created": datetime.datetime.now().isoformat(timespec="seconds"),
      **(extra or {}),
  }


def machine() -> dict:
  """The machine a run was recorded on. ``cpu`` and ``isa`` decide XLA:CPU's float
  results (AVX-512 and AVX2 round differently); ``platform`` (the kernel's build string)
  is kept for the record only."""
  return {"platform": platform.platform(), "processor": platform.machine(),
          "cpus": os.cpu_count(), **_CPU}


# The machine fields a bit-for-bit replay needs to match.
FLOAT_MACHINE_FIELDS = ("processor", "cpus", "cpu", "isa")


def _cpu() -> dict:
  """The CPU's model name and widest vector ISA, from /proc/cpuinfo (Linux); None where
  unreadable. XLA_FLAGS' --xla_cpu_max_isa caps the ISA XLA uses, so it is part of it."""
  try:
    info = Path("/proc/cpuinfo").read_text(errors="replace")
  except OSError:
    return {"cpu": None, "isa": None}
  model = next((line.partition(":")[2].strip() for line in info.splitlines()
                if line.startswith("model name")), None)
  flags = next((set(line.partition(":")[2].split()) for line in info.splitlines()
                if line.startswith("flags")), set())
  isa = next((name for name, flag in _ISAS if flag in flags), None)
  cap = re.search(r"--xla_cpu_max_isa=(\S+)", os.environ.get("XLA_FLAGS", ""))
  return {"cpu": model, "isa": f"{isa} (max {cap.group(1)})" if cap else isa}


_ISAS = (("avx512", "avx512f"), ("avx2", "avx2"), ("avx", "avx"), ("sse4.2", "sse4_2"))
_CPU = _cpu()


def source_commit() -> str | None:
  """The git commit of the code this process runs, with ``-dirty`` if its checkout had
  uncommitted changes; None outside a git checkout (an installed wheel) or without git.
  Read when this module was imported, since that is the code the process loaded: a
  commit made later, while a long benchmark runs, is not the code that ran it."""
  return _SOURCE


def _read_source_commit() -> str | None:
  root = Path(__file__).resolve().parents[2]
  try:
    def git(*args):
      return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                            timeout=10, check=True).stdout.strip()
    if Path(git("rev-parse", "--show-toplevel")).resolve() != root:
      return None  # installed inside some other repository's tree
    commit = git("rev-parse", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "discover",
                "primitives", "proxy_tasks")
  except (OSError, subprocess.SubprocessError):
    return None
  return commit + ("-dirty" if dirty else "")


_SOURCE = _read_source_commit()


class RunFileError(ValueError):
  """A run file that cannot be read back (not a kill's truncated last line)."""


LOCK = "lock"


@contextlib.contextmanager
def locked(run_dir: Path) -> Iterator[None]:
  """Holds the run directory's exclusive lock: one process at a time runs or resumes it.

  The lock is ``flock`` on ``run_dir/lock``, which names its holder; the kernel lets go
  of it when the holder exits, however it exits, so a lock file left by a killed process
  is stale and taken over, never mistaken for a live one.

  Raises:
    UserError: another live process holds it (naming that process).
  """
  fd = os.open(Path(run_dir) / LOCK, os.O_RDWR | os.O_CREAT | NOFOLLOW, 0o644)
  try:
    try:
      fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
      holder = os.read(fd, 512).decode("utf-8", "replace").strip() or "another process"
      raise UserError(f"{run_dir} is in use by {holder}: wait for it to end, or stop it "
                      "(a run resumes from its own checkpoint)") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"process {os.getpid()} on {platform.node()}\n".encode())
    yield
  finally:
    os.close(fd)  # releases the lock; the file stays, stale until the next holder


def refuse_links(run_dir: Path) -> None:
  """Refuses a run directory holding a symbolic link: every file of a run is its own, so a
  link there was planted, and reading or writing through it would reach outside the run.

  Raises:
    RunFileError: naming the first link.
  """
  for entry in sorted(Path(run_dir).iterdir()):
    if entry.is_symlink():
      raise RunFileError(f"{entry}: a symbolic link inside a run directory; refused (every "
                         "file of a run is its own: remove the link)")


class EventLog:
  """Append-only JSON lines, each written whole in one ``write`` as it happens.

  Opening a log drops an incomplete last line first (``repaired`` says what was dropped,
  or is None), so a new event never runs on from half of an old one. ``count`` is the
  number of events in the file, those there before it was opened included.
  """

  def __init__(self, path: Path):
    self.path = path
    self.repaired = repair_events(path)
    self.count = count_events(path)
    self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | NOFOLLOW, 0o644)

  def append(self, event: dict) -> None:
    data = (json.dumps(event, allow_nan=False) + "\n").encode("utf-8")
    while data:  # one write in practice; a short write (full disk) goes on where it stopped
      data = data[os.write(self._fd, data):]
    self.count += 1

  def sync(self) -> None:
    os.fsync(self._fd)

  def close(self) -> None:
    os.close(self._fd)


def count_events(path: Path) -> int:
  """Complete, non-blank lines in an event log (0 if there is none)."""
  if not path.exists():
    return 0
  with open(path, "rb") as f:
    return sum(1 for line in f if line.endswith(b"\n") and line.strip())


def read_events(path: Path, skip: int = 0) -> tuple[list[dict], bool]:
  """The events of a log after the first ``skip`` (left unparsed), and whether a
  truncated last line was dropped.

  Raises:
    RunFileError: a line other than the last is not JSON.
  """
  events = EventReader(path, skip)
  return list(events), events.truncated


class EventReader:
  """The events of a log after the first ``skip``, one line in memory at a time: a long
  run's log holds millions. ``truncated`` says, once read through, whether a last line
  cut short by a kill mid-write was dropped.

  Read from the start (``skip=0``), a cache hit's short record gets back what it leaves
  out (``complete_hits``); after a skip it is as logged.

  Raises (while iterating):
    RunFileError: a line other than the last is not a JSON object.
  """

  def __init__(self, path: Path, skip: int = 0):
    self.path, self.skip, self.truncated = path, skip, False

  def __iter__(self) -> Iterator[dict]:
    events = self._lines()
    return events if self.skip else complete_hits(events)

  def _lines(self) -> Iterator[dict]:
    if not self.path.exists():
      return
    skip = self.skip
    with open(self.path, "rb") as f:
      for number, line in enumerate(f, 1):
        if not line.strip():
          continue
        if skip:
          skip -= 1
          continue
        try:
          event = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
          event = None
        if not isinstance(event, dict):
          if not line.endswith(b"\n"):  # the last line, cut short by a kill mid-write
            self.truncated = True
            return
          raise RunFileError(f"{self.path}: line {number} is not a JSON event")
        yield event


def complete_hits(events: Iterable[dict]) -> Iterator[dict]:
  """Events with a cache hit's short record completed: the fitness it copies (its hash's
  score, or for a behaviour hit its probe's, both logged before it; a funnel event's
  ``revised`` fitness replaces them, as funnel feedback replaced them in the caches) and
  the time of the event before it. Full records pass as they are."""
  by_hash: dict[str, float | None] = {}
  by_probe: dict[str, float | None] = {}
  time = 0.0
  for event in events:
    if event.get("event") == "candidate" and event.get("cached") and "fitness" not in event:
      if event["cached"] == "behaviour":
        by_hash[event.get("hash")] = by_probe.get(event.get("probe"))
      event = {**event, "fitness": by_hash.get(event.get("hash")), "time": time}
    elif event.get("event") in ("start", "candidate") or "revised" in event:
      fitness = event["revised"] if "revised" in event else event.get("fitness")
      by_hash[event.get("hash")] = fitness
      if event.get("probe") is not None:
        by_probe[event["probe"]] = fitness
    time = event.get("time", time)
    yield event


def last_event(path: Path) -> dict | None:
  """The last complete event of a log (None if it has none), read from the file's end:
  a long run's log is too big to read whole for one line."""
  if not path.exists():
    return None
  with open(path, "rb") as f:
    end, size = f.seek(0, os.SEEK_END), 1 << 14
    while True:
      start = max(0, end - size)
      f.seek(start)
      lines = f.read(end - start).split(b"\n")[:-1]  # after the last newline: torn or empty
      for line in reversed(lines[1:] if start else lines):  # the first may be cut by start
        if line.strip():
          return json.loads(line)
      if not start:
        return None
      size *= 4


def repair_events(path: Path) -> str | None:
  """Drops a last line left incomplete by a kill mid-write; says what it dropped, if any.

  A last line that lacks only its newline is kept (the newline is added). Only the file's
  end is read.
  """
  if not path.exists():
    return None
  with open(path, "rb") as f:
    size = f.seek(0, os.SEEK_END)
    keep, block = 0, 1 << 14
    while True:  # back to the last newline
      start = max(0, size - block)
      f.seek(start)
      data = f.read(size - start)
      if b"\n" in data or not start:
        keep = start + data.rfind(b"\n") + 1
        break
      block *= 4
    f.seek(keep)
    tail = f.read()
  if not tail.strip():
    return None
  try:
    complete = isinstance(json.loads(tail), dict)
  except ValueError:
    complete = False
  if not complete:
    with open(path, "r+b") as f:
      f.truncate(keep)
      os.fsync(f.fileno())
    return f"dropped an incomplete last line ({len(tail)} bytes, line {count_lines(path) + 1})"
  with open(path, "ab") as f:
    f.write(b"\n")
    os.fsync(f.fileno())
  return None


def count_lines(path: Path) -> int:
  """Newlines in a file, read in blocks."""
  with open(path, "rb") as f:
    return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))


def iter_runs(root: str | Path) -> Iterator[Path]:
  yield from sorted(p for p in Path(root).iterdir() if (p / "manifest.json").exists())
