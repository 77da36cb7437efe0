"""Prints the resident memory of a long search over time: does anything grow without bound?

Starts a real ``python -m discover evolve`` (the embedded default config unless ``--config``
or ``--set`` say otherwise) in a temporary run root, with a wall-time budget, and every
``--every`` seconds samples the resident set size (``VmRSS`` in ``/proc``, Linux only) of the
main process and of each of its worker processes, and the number of events logged so far.
The main process holds the population and the fitness caches (one entry per distinct
program, expected to grow slowly and without bound); the workers hold compiled tasks
(expected flat once every stage is compiled). At the end it prints each column's growth
between the first sample past ``--warmup`` and the last, in MiB per hour, and per thousand
evaluations for the main process.

    python benchmarks/soak.py [--minutes 60] [--every 30] [--warmup 120]
                              [--config FILE] [--set KEY=VALUE ...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def rss_mib(pid: int) -> float | None:
  """The process's resident set size in MiB, or None once it has gone."""
  try:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
      if line.startswith("VmRSS:"):
        return int(line.split()[1]) / 1024
  except (FileNotFoundError, ProcessLookupError, PermissionError):
    return None
  return None


def workers(pid: int) -> list[int]:
  """The process's evaluator workers: its children, less multiprocess's resource tracker."""
  found = set()
  for task in Path(f"/proc/{pid}/task").glob("*"):
    try:
      found.update(int(c) for c in (task / "children").read_text().split())
    except (FileNotFoundError, ProcessLookupError):
      pass
  return sorted(c for c in found if b"resource_tracker" not in _cmdline(c))


def _cmdline(pid: int) -> bytes:
  try:
    return Path(f"/proc/{pid}/cmdline").read_bytes()
  except (FileNotFoundError, ProcessLookupError):
    return b"resource_tracker"  # gone: leave it out


def events_logged(root: Path) -> int:
  logs = list(root.glob("*/events.jsonl"))
  if not logs:
    return 0
  with open(logs[0], "rb") as f:
    return sum(1 for _ in f)


def slope(samples: list[tuple[float, ...]], column: int, per: int = 0) -> float:
  """Least-squares growth of one column, per hour (``per=0``) or per evaluation."""
  xs = [s[per] for s in samples]
  ys = [s[column] for s in samples]
  n = len(xs)
  mean_x, mean_y = sum(xs) / n, sum(ys) / n
  var = sum((x - mean_x) ** 2 for x in xs)
  if var == 0:
    return float("nan")
  return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / var


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--minutes", type=float, default=60.0)
  parser.add_argument("--every", type=float, default=30.0, help="seconds between samples")
  parser.add_argument("--warmup", type=float, default=120.0,
                      help="seconds of start-up (compiles, first stages) left out of slopes")
  parser.add_argument("--config")
  parser.add_argument("--set", action="append", default=[])
  parser.add_argument("--keep", help="keep the run directory here instead of deleting it")
  args = parser.parse_args()
  if not Path("/proc/self/status").exists():
    sys.exit("soak.py reads /proc and needs Linux")

  root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="discover-soak-"))
  command = [sys.executable, "-m", "discover", "evolve", "--no-progress",
             "--budget", f"{int(args.minutes * 60)}s", "--set", f"run.root={root}"]
  command += ["--config", args.config] if args.config else []
  for item in args.set:
    command += ["--set", item]
  print(" ".join(command[1:]), flush=True)
  process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
  start = time.perf_counter()
  samples: list[tuple[float, ...]] = []  # (hours, evaluations, main MiB, worker MiB...)
  print(f"{'minutes':>8} {'events':>8} {'main MiB':>9}  workers MiB", flush=True)
  try:
    while process.poll() is None:
      time.sleep(args.every)
      main_rss = rss_mib(process.pid)
      if main_rss is None:
        break
      worker_rss = [r for r in map(rss_mib, workers(process.pid)) if r is not None]
      elapsed = time.perf_counter() - start
      logged = events_logged(root)
      print(f"{elapsed / 60:8.1f} {logged:8d} {main_rss:9.1f}  "
            + " ".join(f"{w:7.1f}" for w in worker_rss), flush=True)
      if elapsed >= args.warmup:
        samples.append((elapsed / 3600, logged, main_rss, sum(worker_rss), len(worker_rss)))
  finally:
    if process.poll() is None:
      process.terminate()
    process.wait()
    if not args.keep:
      shutil.rmtree(root, ignore_errors=True)
  if process.returncode:
    sys.exit(f"the search exited with code {process.returncode}")
  if len(samples) < 3:
    sys.exit("too few samples past the warm-up for a slope; run longer")
  first, last = samples[0], samples[-1]
  print(f"\nfrom {first[0] * 60:.1f} to {last[0] * 60:.1f} minutes "
        f"({last[1] - first[1]} events):")
  print(f"  main process: {first[2]:.1f} -> {last[2]:.1f} MiB, "
        f"slope {slope(samples, 2):+.1f} MiB/hour, "
        f"{1000 * slope(samples, 2, per=1):+.2f} MiB per 1000 events")
  print(f"  workers ({first[4]} -> {last[4]}, summed): {first[3]:.1f} -> {last[3]:.1f} MiB, "
        f"slope {slope(samples, 3):+.1f} MiB/hour")
  # A worker steps up once when it first compiles a funnel or meta stage, which may be
  # well past the warm-up; growth that goes on shows in the second half as well.
  half = samples[len(samples) // 2:]
  if len(half) >= 3:
    print(f"  second half ({half[0][0] * 60:.1f} to {half[-1][0] * 60:.1f} minutes): main "
          f"{slope(half, 2):+.1f} MiB/hour, workers {slope(half, 3):+.1f} MiB/hour")


if __name__ == "__main__":
  main()
