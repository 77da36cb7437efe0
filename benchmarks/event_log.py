"""Prints what a run's event log costs: its size per evaluation and per event kind, and the
time and peak memory a resume takes to read it back.

Point it at finished (or interrupted) run directories:

    python benchmarks/event_log.py RUN_DIR [RUN_DIR ...]

For each it prints the log's size, its events by kind with their mean size, the bytes per
proxy evaluation, and what ``resume.restore`` costs on it (the last checkpoint, then the
events logged after it told again), in a fresh process so that the peak resident memory
is the resume's own. The runs behind the figures in the closing notes were made by

    python -m discover evolve --budget 10m                     # the default run
    python -m discover evolve --budget 300s --set search.population=20
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
from pathlib import Path

RESUME = """
import json, resource, sys, time
from pathlib import Path
from discover import config
from discover.dsl.load import load_program
from discover.search import resume
from discover.search.loop import Search

run_dir = Path(sys.argv[1])
cfg = config.load_recorded(run_dir / "config.yaml")
search = Search(cfg, run_dir, load_program(cfg.search.start))
began = time.perf_counter()
resume.restore(search)
seconds = time.perf_counter() - began
print(json.dumps({"seconds": seconds, "evaluated": search.counters.evaluated,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def sizes(path: Path) -> tuple[collections.Counter, collections.Counter]:
  """Events and bytes by kind ("candidate, cached", "candidate, trained", "funnel", ...)."""
  count, size = collections.Counter(), collections.Counter()
  with open(path, "rb") as f:
    for line in f:
      try:
        event = json.loads(line)
      except ValueError:
        continue
      kind = event.get("event", "?")
      if kind == "candidate":
        kind += ", cached" if event.get("cached") else ", trained"
      count[kind] += 1
      size[kind] += len(line)
  return count, size


def resume_cost(run_dir: Path) -> dict:
  done = subprocess.run([sys.executable, "-c", RESUME, str(run_dir)], capture_output=True,
                        text=True, check=True)
  return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("runs", nargs="+", type=Path)
  args = parser.parse_args()
  for run_dir in args.runs:
    log = run_dir / "events.jsonl"
    count, size = sizes(log)
    total = log.stat().st_size
    trained = count["candidate, trained"] + count["start"]
    print(f"{run_dir}: events.jsonl {total / 1e6:.1f} MB, {sum(count.values())} events, "
          f"{trained} proxy evaluations, {total / max(trained, 1) / 1e3:.2f} kB per evaluation")
    for kind in sorted(count):
      print(f"  {kind:20s} {count[kind]:>9d} events, {size[kind] / count[kind]:7.0f} B each")
    cost = resume_cost(run_dir)
    print(f"  resume: {cost['seconds']:.1f} s, peak resident memory {cost['peak_mb']:.0f} MB "
          f"(restored {cost['evaluated']} evaluations)")


if __name__ == "__main__":
  main()
