"""The command line: parses arguments and dispatches; the work lives in the modules."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from discover.commands import evolve, export, reference, show, simplify, study
from discover.errors import UserError, one_line

_BASELINE_HELP = "a program file (.py or .json) or a baseline name (adamw, lion, ...)"


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
  """Ends each option's help with its default, where it has one: not for flags, nor for
  options whose default depends on other input (their help says what it is)."""

  def _get_help_string(self, action):
    if action.default is None or action.default is False or action.default == []:
      return action.help
    return super()._get_help_string(action)


def build_parser() -> argparse.ArgumentParser:
  parser = argparse.ArgumentParser(
      prog="discover",
      description="Discover optimization algorithms by symbolic program search.")
  commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
  p = commands.add_parser("show", help="print a program's canonical form, slots, "
                          "live statements and hash",
                          description="Print a program in canonical form, then its state "
                          "slots, whether it reads the step counter, its live statements and "
                          "its dataflow hash; a baseline also shows its hyperparameters and "
                          "conventions.")
  p.add_argument("program", metavar="PROGRAM_FILE_OR_BASELINE", help=_BASELINE_HELP)
  p.add_argument("--json", action="store_true", help="print the JSON form instead")
  p = commands.add_parser("export", help="write a program as a standalone optax module",
                          description="Write a program as a standalone Python module that "
                          "imports only jax and optax: a factory (learning_rate, then the "
                          "program's constants as named hyperparameters) returning an "
                          "optax.GradientTransformation.")
  p.add_argument("program", metavar="PROGRAM_FILE_OR_BASELINE", help=_BASELINE_HELP)
  p.add_argument("-o", "--output", required=True, metavar="NAME.py",
                 help="the module to write")
  p = commands.add_parser("simplify", help="simplify a program (or a run's best programs) "
                          "step by step to a short readable form",
                          description="Simplify a program step by step, printing each step: "
                          "constant folding, dead code, a canonical algebraic form (each "
                          "rewrite checked on probe gradient streams), measured pruning "
                          "(training on --tasks) and the name of a known optimizer it "
                          "matches.")
  p.add_argument("program", metavar="PROGRAM_FILE_OR_RUN_DIR", help="a program file (.py or "
                 ".json), or a run directory: its best.py and best_funnel.py are simplified "
                 "and written beside them as *_simplified.py")
  p.add_argument("--tasks", help="tasks that measure pruning: names or a tier "
                 "(default: the run's proxy tasks, or the default config's)")
  p.add_argument("--seeds", default="0,1,2", help="training seeds for pruning, "
                 "comma-separated; the first screens, all re-check")
  p.add_argument("--tolerance", type=float, default=1e-3, help="largest fitness change a "
                 "pruning may make, in log10 units")
  p.add_argument("--no-prune", action="store_true", help="exact steps only (no training)")
  p = commands.add_parser("evolve", help="search for optimizers by regularized evolution",
                          description="Search for an optimizer by regularized evolution, "
                          "scored against AdamW tuned on each task; choose the winner on the "
                          "funnel and meta-validation, never the proxy alone, and write it, "
                          "simplified and exported, as optimizer.py in a run directory under "
                          "run.root (runs/).")
  p.add_argument("--config", metavar="FILE", help="a YAML config (default: the embedded one)")
  p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                 help="override one config value, e.g. --set search.population=50")
  p.add_argument("--budget", help="evaluations (500) or wall time (90s, 10m, 2h) (default: "
                 "the config's search.budget, 10m in the embedded one)")
  p.add_argument("--resume", metavar="RUN_DIR", help="continue an interrupted run with its "
                 "own config.yaml (only --budget may change)")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  p.add_argument("--executor", help="serial, pool or ray: sets evaluation.executor "
                 "(default: the config's, pool in the embedded one)")
  p.add_argument("--address", metavar="HOST:PORT", help="a Ray cluster to join; implies "
                 "--executor ray (default: start a private local Ray instance)")
  p = commands.add_parser("study", help="run N independent searches of one config and "
                          "report what they agree on",
                          description="Run one config's search once per seed 0..N-1 and "
                          "report the program families found, the spread of best fitness, "
                          "the time to beat tuned AdamW and how well proxy fitness predicts "
                          "funnel and meta-validation fitness. Resumable.")
  p.add_argument("config", metavar="CONFIG", help="a YAML config (see runs/configs/)")
  p.add_argument("--seeds", type=int, required=True, help="number of searches (seeds 0..N-1)")
  p.add_argument("--out", metavar="DIR", help="the study directory; an existing one is "
                 "resumed (default: study-<CONFIG's file name> under the config's run.root)")
  p.add_argument("--budget", help="each search's budget: evaluations or wall time "
                 "(default: the config's search.budget)")
  p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                 help="override one config value in every search")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  p = commands.add_parser("reference", help="tune AdamW on tasks and store the reference "
                          "scores fitness is measured against",
                          description="Grid-search AdamW's learning rate and weight decay "
                          "on each task whose reference is missing or stale, rerun the "
                          "chosen setting on the paired seeds, and store the result, the "
                          "zero point of fitness, in the local store (or with --commit in "
                          "runs/reference/adamw.json). evolve, study and simplify do this "
                          "themselves for a task that needs it.")
  p.add_argument("--tasks", default="proxy", help="comma-separated task names, or a tier "
                 "(proxy, funnel, target)")
  p.add_argument("--seeds", type=int, default=2, help="seeds per grid trial")
  p.add_argument("--force", action="store_true", help="recompute even if up to date")
  p.add_argument("--commit", action="store_true", help="store in the committed "
                 "runs/reference/adamw.json, not the local store (DISCOVER_CACHE_DIR, "
                 "default ~/.cache/discover)")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  p = commands.add_parser("validate", help="compare programs and baselines on held-out "
                          "tasks, each tuned with the same budget (mean and 95%% CI)",
                          description="Compare programs and baselines on held-out tasks: "
                          "each optimizer gets the same number of quasirandom learning-rate "
                          "and weight-decay trials, the best on validation data is scored on "
                          "test data over several seeds (mean, median, 95% CI). Writes "
                          "results.md, results.json and plots; rerunning continues.")
  p.add_argument("programs", nargs="+", metavar="PROGRAM_OR_BASELINE", help=_BASELINE_HELP)
  p.add_argument("--baselines", default="adamw,lion", help="baselines to compare with, "
                 "comma-separated, or none")
  p.add_argument("--tasks", default="target", help="comma-separated task names, or a tier")
  p.add_argument("--trials", default="8", help="tuning trials per optimizer and task")
  p.add_argument("--seeds", default="5", help="seeds per trial, 0..N-1")
  p.add_argument("--out", default="runs/validate", metavar="DIR", help="output directory; "
                 "its finished runs are reused")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  p = commands.add_parser("replay", help="re-evaluate a run's recorded candidates (or a "
                          "validation's training runs) and check that every score reproduces",
                          description="Train every recorded evaluation of a run (or every "
                          "training run of a validate output directory) again and check that "
                          "each metric, fitness and failure reproduces: bit for bit on the "
                          "recording's machine and package versions, else within --tolerance.")
  p.add_argument("run_dir", metavar="RUN_DIR_OR_VALIDATION_DIR", help="a run directory of "
                 "evolve, or an output directory of validate")
  p.add_argument("--limit", type=int, help="replay an evenly spaced sample of N (with the "
                 "start and each stage's best)")
  p.add_argument("--tolerance", type=float, help="relative tolerance, needed when versions "
                 "or machine differ from the recording's (default: exact)")
  p.add_argument("--workers", type=int, default=1, help="evaluator processes; 1 is serial, "
                 "compiling each task once for all stages")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  p = commands.add_parser("report", help="write a run's report: report.md with plots",
                          description="Write a run's report from its directory alone: "
                          "report.md with counts, PNG plots (fitness, cache hits, "
                          "meta-validation, funnel) and the final programs raw, simplified "
                          "and exported.")
  p.add_argument("run_dir", metavar="RUN_DIR", help="a run directory of evolve")
  p.add_argument("-o", "--out", metavar="OUT_DIR", help="where to write the report "
                 "(default: RUN_DIR/report)")
  p = commands.add_parser("bench", help="benchmark the search: 'recovery' counts how often "
                          "it recovers a hidden known optimizer from its behaviour; "
                          "'landscape' tunes every baseline on every task; 'proxies' "
                          "measures how well each proxy ranks programs as the target tier",
                          description="Benchmark the search. recovery: hide a known update "
                          "rule, show evolve's search only its (noisy) updates on fixed "
                          "gradient streams, and count how often it recovers the rule "
                          "exactly, per target and noise level. landscape: every baseline, "
                          "tuned alike, on every task of every tier. proxies: a fixed set "
                          "of programs on candidate proxies and the target tier, each "
                          "proxy's cost and rank correlation. All resumable.")
  benches = p.add_subparsers(dest="benchmark", metavar="BENCHMARK", required=True,
                             help="recovery, landscape or proxies")
  p = benches.add_parser("recovery", help="how often the search recovers hidden optimizers",
                         description="Hide a known update rule, show evolve's search only "
                         "its (noisy) updates on fixed gradient streams, and count how often "
                         "it recovers the rule exactly, per target and noise level. Resumable.")
  p.add_argument("--budget", type=int, help="evaluations per search (default: 20000)")
  p.add_argument("--cpu-minutes", type=float, help="CPU time per search, whichever of it "
                 "and --budget ends first (default: 10)")
  p.add_argument("--seeds", type=int, help="searches per target and noise level "
                 "(default: 5)")
  p.add_argument("--targets", nargs="+", metavar="TARGET", help="hidden rules to recover: "
                 "known names or program files (.py) (default: all eight)")
  p.add_argument("--noise", nargs="+", type=float, metavar="LEVEL",
                 help="relative noise on the target's updates (default: 0 0.001 0.01)")
  p.add_argument("--start", help="the start program: sgd or empty (default: sgd)")
  p.add_argument("--jobs", type=int, help="searches at once, one process per core "
                 "(default: the cores available)")
  p.add_argument("--root", default="runs", help="the folder the benchmark directory is "
                 "made in")
  p.add_argument("--resume", metavar="BENCH_DIR", help="run the searches not yet finished")
  p.add_argument("--keep-events", action="store_true", help="keep each search's events.jsonl")
  p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override one config "
                 "value in every search, e.g. --set search.tournament=2 (ablations)")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  p = benches.add_parser("landscape", help="every baseline, tuned alike, on every task",
                         description="Every baseline gets validate's tuning budget (trials of "
                         "learning rate and weight decay) on every task of the given tiers, "
                         "scored over seeds with 95% intervals: what a search could find on "
                         "each tier. Rerunning continues.")
  p.add_argument("--tasks", default="proxy,funnel,target", help="tiers and task names, "
                 "comma-separated (default: proxy,funnel,target)")
  p.add_argument("--baselines", default="all", help="baselines, comma-separated, or all "
                 "(default: all)")
  p.add_argument("--trials", default="8", help="tuning trials per baseline and task "
                 "(default: 8)")
  p.add_argument("--seeds", default="5", help="seeds per trial, 0..N-1 (default: 5)")
  p.add_argument("--lr-scale", default="1", help="centre every learning-rate search this "
                 "factor away from the baseline's conventional value, where the table marks "
                 "chosen rates at the edge (default: 1)")
  p.add_argument("--out", default="runs/landscape", help="output directory; its finished "
                 "runs are reused (default: runs/landscape)")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  p = benches.add_parser("proxies", help="how well candidate proxy tasks rank programs as "
                         "the target tier does",
                         description="Score a fixed set of programs (baselines and search "
                         "mutants) on candidate proxies and on the target tier; report each "
                         "proxy's cost and its Spearman correlation with the target tier. "
                         "Rerunning continues.")
  p.add_argument("--proxies", help="comma-separated: a tier (each task alone), a task, tasks "
                 "joined by + (worst task against tuned AdamW), or config (the default "
                 "config's proxy) (default: proxy,config,char_lm_tiny+digits_vit_tiny)")
  p.add_argument("--targets", default="target", help="target tasks or a tier, "
                 "comma-separated, one seed each (default: target)")
  p.add_argument("--seeds", default="2", help="seeds per proxy task, 0..N-1 (default: 2)")
  p.add_argument("--out", default="runs/proxies", help="output directory; its finished "
                 "jobs are reused (default: runs/proxies)")
  p.add_argument("--programs", metavar="FILE", help="the program set, JSON lines of name, "
                 "origin and program (default: the committed set)")
  p.add_argument("--no-progress", action="store_true", help="no progress bar")
  for verb in commands.choices.values():
    verb.formatter_class = _HelpFormatter
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
      reference(args.tasks, args.seeds, args.force, commit=args.commit,
                progress=not args.no_progress)
    elif args.command == "validate":
      from discover.validate.protocol import command as validate
      print(validate(args.programs, args.baselines, args.tasks, args.trials, args.seeds,
                     args.out, progress=not args.no_progress))
    elif args.command == "replay":
      from discover.validate import replay as replay_validate
      if replay_validate.is_validation(Path(args.run_dir)):
        print(replay_validate.replay_validation(args.run_dir, args.limit, args.tolerance,
                                                progress=not args.no_progress))
      else:
        from discover.audit.replay import replay
        print(replay(args.run_dir, args.limit, args.tolerance, args.workers,
                     progress=not args.no_progress))
    elif args.command == "report":
      from discover.audit.report import report
      print(report(args.run_dir, args.out))
    elif args.command == "bench" and args.benchmark == "landscape":
      from discover.bench.landscape import command as landscape
      print(landscape(args.tasks, args.baselines, args.trials, args.seeds, args.out,
                      progress=not args.no_progress, lr_scale=args.lr_scale))
    elif args.command == "bench" and args.benchmark == "proxies":
      from discover.bench.proxies import command as proxies
      print(proxies(args.proxies, args.targets, args.seeds, args.out, args.programs,
                    progress=not args.no_progress))
    elif args.command == "bench":
      from discover.bench.recovery.benchmark import command as bench_recovery
      print(bench_recovery(args.budget, args.seeds, args.targets, args.noise, args.start,
                           args.jobs, args.root, args.resume, args.keep_events,
                           progress=not args.no_progress, overrides=args.set,
                           cpu_minutes=args.cpu_minutes))
  except UserError as e:
    print(f"discover: error: {one_line(str(e))}", file=sys.stderr)
    return 2
  except KeyboardInterrupt:
    print("discover: interrupted", file=sys.stderr)
    return 130
  return 0


if __name__ == "__main__":
  sys.exit(main())
