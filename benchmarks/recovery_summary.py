"""Prints what a recovery benchmark's finished searches show beyond its table.

``table.md`` gives recovery rates and median best fitness per cell. This reads the same
``results.jsonl`` and prints the figures that say why a search did not recover: the best
and median fitness per target, the searches whose best program was checked and why it
failed, how long the best programs are against ``mutation.max_statements``, how much of
each search's children the caches answered, and what the searches cost.

    python benchmarks/recovery_summary.py runs/reference/recovery/20261205-134301-recovery
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
from pathlib import Path

from discover.dsl.parse import parse


def summary(records: list[dict]) -> str:
  """The figures, as markdown lines."""
  lengths = [len(parse(r["best"]).statements) for r in records]
  hits = [r["hit_rate"] for r in records]
  cpu = [r["cpu_seconds"] for r in records]
  worst = max(records, key=lambda r: r["generated"])
  fitness = collections.defaultdict(list)
  for r in records:
    fitness[r["target"]].append(r["best_fitness"])
  checked = [r for r in records if r["check"]]
  lines = [f"{len(records)} searches, {sum(r['recovered'] for r in records)} recovered.", "",
           "| target | best fitness | median |", "| --- | --- | --- |"]
  lines += [f"| {t} | {max(v):.2f} | {statistics.median(v):.2f} |" for t, v in fitness.items()]
  lines += ["", f"Checked (best fitness reached the check threshold): {len(checked)}"]
  lines += [f"- {r['target']} noise {r['noise']:g} seed {r['seed']} "
            f"(fitness {r['best_fitness']:.2f}): {r['check']}" for r in checked]
  lines += ["", f"Best program statements: min {min(lengths)}, median "
            f"{statistics.median(lengths):g}, max {max(lengths)}; 28 or more: "
            f"{sum(n >= 28 for n in lengths)} of {len(lengths)}",
            f"Children answered by the caches: min {min(hits):.1%}, median "
            f"{statistics.median(hits):.1%}, max {max(hits):.1%}",
            f"Most children: {worst['target']} noise {worst['noise']:g} seed {worst['seed']}, "
            f"{worst['generated']:,} for {worst['evaluated']:,} evaluations, "
            f"{worst['cpu_seconds']:,.0f} CPU s",
            f"CPU seconds per search: min {min(cpu):,.0f}, median {statistics.median(cpu):,.0f}, "
            f"max {max(cpu):,.0f}; {sum(cpu) / 3600:.1f} CPU-hours in all"]
  return "\n".join(lines)


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("run_dir", type=Path, help="a bench recovery run directory")
  path = parser.parse_args().run_dir / "results.jsonl"
  if not path.is_file():
    parser.error(f"no results.jsonl in {path.parent}")
  records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
  if not records:
    parser.error(f"{path} holds no finished search yet")
  print(summary(records))


if __name__ == "__main__":
  main()
