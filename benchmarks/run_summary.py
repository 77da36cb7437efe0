"""Prints what finished `evolve` runs spent and found, one row per run, for comparing engines.

Per run, read from its ``events.jsonl`` and best programs: proxy evaluations (failed),
children and the share the caches answered, how the workers' seconds split between proxy
trainings and the funnel, meta-validation and finalist jobs, and the live statements of
the proxy's best (``best.py``) and of the winner (``winner.py``).

    python benchmarks/run_summary.py runs/reference/study_default/2026*/
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from discover.dsl import analysis
from discover.dsl.load import load_program

STAGE_EVENTS = ("funnel", "meta", "final")  # jobs beyond the proxy's trainings


def run_row(run: Path) -> str:
  """One markdown row of the run's figures."""
  seconds: collections.Counter = collections.Counter()
  evaluated = failed = children = hits = 0
  with (run / "events.jsonl").open(encoding="utf-8") as f:
    for line in f:
      event = json.loads(line)
      kind = event["event"] if event["event"] in STAGE_EVENTS else "proxy"
      children += event["event"] == "candidate"
      if event.get("cached"):
        hits += 1
        continue
      seconds[kind] += event.get("seconds") or 0.0
      if kind == "proxy":
        evaluated += 1
        failed += event.get("failure") is not None
  stage_share = sum(seconds[k] for k in STAGE_EVENTS) / max(sum(seconds.values()), 1e-9)
  return (f"| {run.name} | {evaluated:,} ({failed:,}) | {children:,} ({hits / max(children, 1):.0%}) "
          f"| {stage_share:.0%} | {_live(run / 'best.py')} | {_live(run / 'winner.py')} |")


def _live(path: Path) -> str:
  if not path.exists():
    return "-"
  program = load_program(str(path))
  return f"{len(analysis.live_statements(program))} of {len(program.statements)}"


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
  parser.add_argument("runs", nargs="+", type=Path, help="evolve run directories")
  args = parser.parse_args()
  print("| run | proxy evaluations (failed) | children (cache hits) | worker time on funnel, "
        "meta-validation, finalists | best.py live | winner.py live |")
  print("| --- | --- | --- | --- | --- | --- |")
  for run in args.runs:
    if not (run / "events.jsonl").is_file():
      raise SystemExit(f"run_summary: {run} has no events.jsonl (not an evolve run directory)")
    print(run_row(run))


if __name__ == "__main__":
  main()
