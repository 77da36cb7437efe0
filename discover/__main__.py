"""The command line: parses arguments and dispatches; the work lives in the modules."""

from __future__ import annotations

import argparse
import sys

from discover.commands import UserError, evolve, export, reference, show, simplify

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
  p = commands.add_parser("reference", help="tune AdamW on tasks and store the reference "
                          "scores fitness is measured against")
  p.add_argument("--tasks", default="proxy", help="comma-separated task names, or a tier "
                 "(proxy, funnel, target); default: proxy")
  p.add_argument("--seeds", type=int, default=2, help="seeds per trial (default 2)")
  p.add_argument("--force", action="store_true", help="recompute even if up to date")
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
                   progress=not args.no_progress))
    elif args.command == "reference":
      reference(args.tasks, args.seeds, args.force)
  except UserError as e:
    print(f"discover: error: {e}", file=sys.stderr)
    return 2
  except KeyboardInterrupt:
    print("discover: interrupted", file=sys.stderr)
    return 130
  return 0


if __name__ == "__main__":
  sys.exit(main())
