"""The recovery benchmark with each search technique switched off in turn: what each is worth.

(Second edits are off by default, so that variant switches them on; it is left out unless
named in ``--variants``, as a past ablation measured no help from it.)

Runs (or resumes) one ``bench recovery`` per variant under ROOT/<variant>, each with the
same targets, seeds and CPU limit, and prints recovered/searches and the median
evaluations to recovery per target and variant. A variant that finished is not rerun.

    python benchmarks/recovery_ablation.py ROOT [--targets momentum signum rmsprop lion]
        [--seeds 5] [--cpu-minutes 10] [--jobs 2] [--full-from BENCH_DIR] [--variants NAME...]

``--full-from`` takes the ``full`` variant's searches from a finished full table made with
the same engine (its noise-0 searches of these targets and seeds) instead of running them.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from discover.bench.recovery import benchmark

VARIANTS = {
    "full": [],
    "no_fit": ["search.fit_constants=false"],
    "no_dataflow_moves": ["mutation.wrap=0", "mutation.slot=0", "mutation.swap_op=0",
                          "mutation.term=0"],
    "no_parsimony": ["search.parsimony=0"],
    "no_unique": ["search.unique=false"],
    "no_prior": ["mutation.op_prior_weight=1.0"],
    "with_second_edit": ["mutation.second_edit=0.25"],  # off by default: measured no help
    "no_restarts": ["search.restart_after=0", "search.max_hits=0"],
    "no_term": ["mutation.term=0"],
}
DEFAULT_VARIANTS = [name for name in VARIANTS if name != "with_second_edit"]


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("root", help="folder for one benchmark directory per variant")
  parser.add_argument("--targets", nargs="+", default=["momentum", "signum", "rmsprop", "lion"])
  parser.add_argument("--seeds", type=int, default=5)
  parser.add_argument("--cpu-minutes", type=float, default=10.0)
  parser.add_argument("--jobs", type=int, default=2)
  parser.add_argument("--full-from", help="a full recovery table's directory to read the "
                      "full variant from")
  parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=DEFAULT_VARIANTS)
  args = parser.parse_args()
  rows = {}
  if args.full_from:
    rows["full"] = [r for r in benchmark.read_results(Path(args.full_from))
                    if r["target"] in args.targets and r["noise"] == 0
                    and r["seed"] < args.seeds]
  for name in args.variants:
    overrides = VARIANTS[name]
    if name in rows:
      continue
    folder = Path(args.root) / name
    existing = sorted(folder.glob("*-recovery"))
    if existing:
      benchmark.command(None, None, None, None, None, args.jobs, str(folder),
                        str(existing[-1]), False, progress=False)
    else:
      benchmark.command(None, args.seeds, args.targets, [0.0], None, args.jobs, str(folder),
                        None, False, progress=False, overrides=overrides,
                        cpu_minutes=args.cpu_minutes)
    bench_dir = sorted(folder.glob("*-recovery"))[-1]
    rows[name] = [json.loads(line) for line in (bench_dir / "results.jsonl").open()]
  print(table(rows, args.targets))


def table(rows: dict[str, list[dict]], targets: list[str]) -> str:
  lines = ["| variant | " + " | ".join(targets) + " |",
           "| --- |" + " --- |" * len(targets)]
  for name, results in rows.items():
    cells = []
    for target in targets:
      mine = [r for r in results if r["target"] == target]
      done = [r["evaluations"] for r in mine if r["recovered"]]
      median = f" ({statistics.median(done):g})" if done else ""
      cells.append(f"{len(done)}/{len(mine)}{median}")
    lines.append(f"| {name} | " + " | ".join(cells) + " |")
  return "\n".join(lines)


if __name__ == "__main__":
  main()
