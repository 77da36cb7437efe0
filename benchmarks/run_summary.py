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
import sys
from pathlib import Path

from discover.audit.replay import Run, load_run
from discover.audit.report import summarize_run
from discover.dsl import analysis
from discover.dsl.load import load_program
from discover.errors import UserError

STAGE_EVENTS = ("funnel", "meta", "final")  # jobs beyond the proxy's trainings


def run_row(run: Run) -> str:
  """One markdown row of the run's figures (counts as ``discover report`` gives them)."""
  s = summarize_run(run)
  seconds: collections.Counter = collections.Counter()
  for record in run.records:
    event = record.event
    if not event.get("cached"):
      kind = event["event"] if event["event"] in STAGE_EVENTS else "proxy"
      seconds[kind] += event.get("seconds") or 0.0
  stage_share = sum(seconds[k] for k in STAGE_EVENTS) / max(sum(seconds.values()), 1e-9)
  hits = s.hash_hits + s.behaviour_hits
  return (f"| {run.path.name} | {s.evaluated:,} ({s.failed:,}) | {s.generated:,} "
          f"({hits / max(s.generated, 1):.0%}) | {stage_share:.0%} "
          f"| {_live(run.path / 'best.py')} | {_live(run.path / 'winner.py')} |")


def _live(path: Path) -> str:
  if not path.exists():
    return "-"
  program = load_program(str(path))
  return f"{len(analysis.live_statements(program))} of {len(program.statements)}"


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
  parser.add_argument("runs", nargs="+", help="evolve run directories")
  args = parser.parse_args()
  print("| run | proxy evaluations (failed) | children (cache hits) | worker time on funnel, "
        "meta-validation, finalists | best.py live | winner.py live |")
  print("| --- | --- | --- | --- | --- | --- |")
  try:
    for run_dir in args.runs:
      print(run_row(load_run(run_dir)))
  except UserError as e:
    sys.exit(f"run_summary: {e}")


if __name__ == "__main__":
  main()
