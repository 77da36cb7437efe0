"""The command line: parses arguments and dispatches; the work lives in the modules."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from discover.commands import (UserError, evolve, export, reference, show, simplify,
                               study)

_BASELINE_HELP = "a program file (.py or .json) or a baseline name (adamw, lion, ...)"


def build_parser() -> argparse.ArgumentParser:
  parser = argparse.ArgumentParser(
      prog="discover",
      description="Discover optimization algorithms by symbolic program search.")
  commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
  p = commands.add_parser("show", help="print a program's canonical form, slots, "
                          "live statements and hash")
  p.add_argument("program", metavar="PROGRAM_FILE_OR_BASELINE", help=_BASELINE_HELP)
  p.add_argument("--json", action="store_true", help="print the JSON form instead")
  p = commands.add_parser("export", help="write a program as a standalone optax module")
  p.add_argument("program", metavar="PROGRAM_FILE_OR_BASELINE", help=_BASELINE_HELP)
  p.add_argument("-o", "--output", required=True, metavar="NAME.py",
                 help="the module to write")
  p = commands.add_parser("simplify", help="simplify a program (or a run's best programs) "
                          "step by step to a short readable form")
  p.add_argument("program", metavar="PROGRAM_FILE_OR_RUN_DIR")
  p.add_argument("--tasks", help="tasks that measure pruning: names or a tier "
                 "(default: the run's proxy tasks, or the default config's)")
  p.add_argument("--seeds", default="0,1,2", help="training seeds for pruning; the first "
                 "screens, all re-check (default 0,1,2)")
  p.add_argument("--tolerance", type=float, default=1e-3, help="largest fitness change a "
                 "pruning may make (log10 units, default 0.001)")
  p.add_argument("--no-prune", action="store_true", help="exact steps only (no training)")
  p = commands.add_parser("evolve", help="search for optimizers by regularized evolution")
  p.add_argument("--config", metavar="FILE", help="a YAML config (default: the embedded one)")
  p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                 help="override one config value, e.g. --set search.population=50")
  p.add_argument("--budget", help="evaluations (500) or wall time (90s, 10m, 2h)")
  p.add_argument("--resume", metavar="RUN_DIR", help="continue an interrupted run")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  p.add_argument("--executor", help="serial, pool or ray (sets evaluation.executor)")
  p.add_argument("--address", help="a Ray cluster to join (implies --executor ray; default: "
                 "a local Ray instance)")
  p = commands.add_parser("study", help="run N independent searches of one config and "
                          "report what they agree on")
  p.add_argument("config", metavar="CONFIG", help="a YAML config (see runs/configs/)")
  p.add_argument("--seeds", type=int, required=True, help="number of searches (seeds 0..N-1)")
  p.add_argument("--out", metavar="DIR", help="the study directory (default: "
                 "runs/study-<config name>); an existing one is resumed")
  p.add_argument("--budget", help="each search's budget: evaluations or wall time")
  p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                 help="override one config value in every search")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  p = commands.add_parser("reference", help="tune AdamW on tasks and store the reference "
                          "scores fitness is measured against")
  p.add_argument("--tasks", default="proxy", help="comma-separated task names, or a tier "
                 "(proxy, funnel, target); default: proxy")
  p.add_argument("--seeds", type=int, default=2, help="seeds per trial (default 2)")
  p.add_argument("--force", action="store_true", help="recompute even if up to date")
  p = commands.add_parser("validate", help="compare programs and baselines on held-out "
                          "tasks, each tuned with the same budget (mean and 95%% CI)")
  p.add_argument("programs", nargs="+", metavar="PROGRAM_OR_BASELINE", help=_BASELINE_HELP)
  p.add_argument("--baselines", default="adamw,lion", help="baselines to compare with, "
                 "comma-separated, or none (default adamw,lion)")
  p.add_argument("--tasks", default="target", help="task names or a tier (default target)")
  p.add_argument("--trials", default="8", help="tuning trials per optimizer and task "
                 "(default 8)")
  p.add_argument("--seeds", default="5", help="seeds per trial, 0..N-1 (default 5)")
  p.add_argument("--out", default="runs/validate", metavar="DIR", help="output directory; "
                 "its finished runs are reused (default runs/validate)")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  p = commands.add_parser("replay", help="re-evaluate a run's recorded candidates (or a "
                          "validation's training runs) and check that every score reproduces")
  p.add_argument("run_dir", metavar="RUN_DIR_OR_VALIDATION_DIR")
  p.add_argument("--limit", type=int, help="replay an evenly spaced sample of N (with the "
                 "start and each stage's best)")
  p.add_argument("--tolerance", type=float, help="relative tolerance (default: exact; "
                 "needed when versions or machine differ from the recording's)")
  p.add_argument("--workers", type=int, default=1, help="evaluator processes (default 1: "
                 "serial, compiling each task once for all stages)")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  p = commands.add_parser("report", help="write a run's report: report.md with plots")
  p.add_argument("run_dir", metavar="RUN_DIR")
  p.add_argument("-o", "--out", metavar="OUT_DIR", help="default: RUN_DIR/report")
  p = commands.add_parser("bench", help="benchmark the search: 'recovery' counts how often "
                          "it recovers a hidden known optimizer from its behaviour")
  p.add_argument("benchmark", choices=["recovery"])
  p.add_argument("--budget", type=int, help="evaluations per search (default 20000)")
  p.add_argument("--seeds", type=int, help="searches per target and noise level (default 5)")
  p.add_argument("--targets", nargs="+", metavar="TARGET", help="default: all eight")
  p.add_argument("--noise", nargs="+", type=float, metavar="LEVEL",
                 help="relative noise on the target's updates (default: 0 0.001 0.01)")
  p.add_argument("--start", help="the start program: sgd (default) or empty")
  p.add_argument("--jobs", type=int, help="searches at once, one process per core "
                 "(default: the cores available)")
  p.add_argument("--root", default="runs", help="the benchmark directory goes under this")
  p.add_argument("--resume", metavar="BENCH_DIR", help="run the searches not yet finished")
  p.add_argument("--keep-events", action="store_true", help="keep each search's events.jsonl")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  return parser


def main(argv: list[str] | None = None) -> int:
  args = build_parser().parse_args(argv)
  try:
    if args.command == "show":
      print(show(args.program, as_json=args.json))
    elif args.command == "export":
      print(export(args.program, args.output))
    elif args.command == "simplify":
      written = simplify(args.program, args.tasks, args.seeds, args.tolerance,
                         prune=not args.no_prune)
      if written:
        print(written)
    elif args.command == "evolve":
      print(evolve(args.config, args.set, args.budget, args.resume,
                   progress=not args.no_progress, executor=args.executor,
                   address=args.address))
    elif args.command == "study":
      print(study(args.config, args.seeds, args.out, args.budget, args.set,
                  progress=not args.no_progress))
    elif args.command == "reference":
      reference(args.tasks, args.seeds, args.force)
    elif args.command == "validate":
      from discover.validate import command as validate
      print(validate(args.programs, args.baselines, args.tasks, args.trials, args.seeds,
                     args.out, progress=not args.no_progress))
    elif args.command == "replay":
      from discover import replay_validate
      if replay_validate.is_validation(Path(args.run_dir)):
        print(replay_validate.replay_validation(args.run_dir, args.limit, args.tolerance,
                                                progress=not args.no_progress))
      else:
        from discover.replay import replay
        print(replay(args.run_dir, args.limit, args.tolerance, args.workers,
                     progress=not args.no_progress))
    elif args.command == "report":
      from discover.report import report
      print(report(args.run_dir, args.out))
    elif args.command == "bench":
      from discover.recovery import command as bench_recovery
      print(bench_recovery(args.budget, args.seeds, args.targets, args.noise, args.start,
                           args.jobs, args.root, args.resume, args.keep_events,
                           progress=not args.no_progress))
  except UserError as e:
    print(f"discover: error: {e}", file=sys.stderr)
    return 2
  except KeyboardInterrupt:
    print("discover: interrupted", file=sys.stderr)
    return 130
  return 0


if __name__ == "__main__":
  sys.exit(main())
