"""What the CLI's commands do, importable without the argument parser.

Thin glue: each command takes the parsed arguments, calls the library (``discover.search.run``,
``discover.dsl.load``, ``discover.simplify.steps``, ...) and formats its result as text. Bad input
is a ``UserError`` (``discover.errors``); the entry point (``discover.__main__``) turns it
into one line on stderr and exit code 2. Only the entry point imports this module.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from discover.dsl import analysis
from discover.dsl.baselines import BASELINES
from discover.errors import UserError
from discover.dsl.load import load_program
from discover.dsl.program import Program, ProgramError, to_json, to_text
from discover.search.run import find_references, run_search
from discover.tasks import task_list

if TYPE_CHECKING:
  from discover.config import Config


def show(spec: str, as_json: bool = False) -> str:
  """The canonical program, its state slots, live statements, hash and step size; a
  warning on stderr where ``learning_rate`` would not simply scale its step."""
  program = load_program(spec)
  size, warning = step_size(program)
  _warn(spec, warning)
  if as_json:
    return json.dumps(to_json(program), indent=2)
  live = analysis.live_statements(program)
  useful = analysis.useful_slots(program)
  dead_lines = [str(i + 2) for i in range(len(program.statements)) if i not in live]
  slots = ", ".join(program.slots) or "none"
  unused = [s for s in program.slots if s not in useful]
  lines = [to_text(program).rstrip("\n"), ""]
  if spec in BASELINES and not Path(spec).exists():
    b = BASELINES[spec]
    params = ", ".join(f"{k}={v!r}" for k, v in b.defaults.items()) or "none"
    lines += [f"baseline:        {spec} ({params})", f"conventions:     {b.conventions}"]
  lines += [
      f"state slots:     {slots}" + (f" (never influence the update: {', '.join(unused)})"
                                     if unused else ""),
      f"step counter:    {'yes' if program.uses_step else 'no'}",
      f"live statements: {len(live)} of {len(program.statements)}"
      + (f" (dead: line {', '.join(dead_lines)})" if dead_lines else ""),
      f"dataflow hash:   {analysis.dataflow_hash(program)}",
      f"step size:       {size}",
  ]
  return "\n".join(lines)


def step_size(program: Program) -> tuple[str, str | None]:
  """How ``learning_rate`` sets this program's step, in words, and a warning to follow
  the program's name (or None) where it does not simply scale it."""
  from discover.execute import behaviour

  if not analysis.reads_lr(program):
    return ("none: the program never reads lr (export multiplies the update by "
            "learning_rate)",
            "never reads lr: export multiplies its update by learning_rate (1.0 is the "
            "step size the search found)")
  proportional = behaviour.lr_proportional(program)
  if proportional is None:
    return "from lr (not measured: its updates on the probe are not finite)", None
  if not proportional:
    return ("from lr, not in proportion (doubling lr does not double the update)",
            "reads lr nonlinearly (doubling lr does not double its update): "
            "learning_rate, which export passes as lr, does not simply scale its step")
  return "from lr (learning_rate scales the update)", None


def _warn(spec: str, warning: str | None) -> None:
  if warning:
    print(f"discover: warning: {spec} {warning}", file=sys.stderr, flush=True)


def export(spec: str, output: str) -> str:
  """Writes the program as a standalone optax module; returns what it wrote.

  The factory is named after the baseline, or else after the output file.
  """
  from discover.export import module as exporter

  program = load_program(spec)
  baseline = spec in BASELINES and not Path(spec).exists()
  name = spec if baseline else exporter.factory_name(Path(output).stem)
  description = BASELINES[spec].conventions if baseline else None
  try:
    source = exporter.module_source(program, name, description=description)
  except ProgramError as e:
    raise UserError(f"{spec}: {e}") from None
  try:
    Path(output).write_text(source, encoding="utf-8")
  except OSError as e:
    raise UserError(f"cannot write {output}: {e.strerror or e}") from None
  _warn(spec, step_size(program)[1])  # after the errors: an error stays one line
  return (f"wrote {output}: {exporter.factory_signature(program, name)} "
          f"-> optax.GradientTransformation")


def simplify(spec: str, tasks: str | None, seeds: str, tolerance: float,
             prune: bool = True) -> str:
  """Simplifies a program file (or a run directory's best programs) and reports each step.

  Measured pruning trains on ``tasks`` (default: the run's proxy tasks, or the default
  config's) with ``seeds``, screening on the first. For a run directory, each simplified
  program is also written next to its original as ``*_simplified.py``.
  """
  from discover import config as config_lib
  from discover.simplify import steps as simplify_lib

  path = Path(spec)
  run_dir = path.is_dir()
  if run_dir:
    targets = [path / name for name in ("winner.py", "best.py", "best_funnel.py")
               if (path / name).exists()]
    if not targets:
      raise UserError(f"{spec}: a run directory with no winner.py or best.py to simplify")
  else:
    targets = [spec]
  programs = [(str(t), load_program(str(t))) for t in targets]
  scorer = None
  if prune:
    cfg = _run_config(path) if run_dir else config_lib.load()
    names = task_list(tasks) if tasks else list(cfg.evaluation.tasks)
    seed_list = _seeds(seeds)
    scorer = simplify_lib.Scorer.on_tasks(names, seed_list, _references(names, seed_list),
                                          aggregate=cfg.evaluation.aggregate)
  written = []
  for name, program in programs:
    _warn(name, step_size(program)[1])
    print(f"== {name}", flush=True)
    counter = iter(range(1, 1000))
    result = simplify_lib.simplify(program, scorer, tolerance,
                                   log=lambda step, counter=counter: print(f"{next(counter)}. {step.describe()}",
                                                          flush=True))
    print("\n" + simplify_lib.render(result, steps=False) + "\n", flush=True)
    if analysis.reads_lr(program) and not analysis.reads_lr(result.program):
      _warn(f"{name}, simplified", step_size(result.program)[1])
    if run_dir:
      out = Path(name).with_name(Path(name).stem + "_simplified.py")
      header = f'"""{Path(name).name}, simplified ({len(result.steps)} steps)."""\n\n'
      out.write_text(header + to_text(result.program), encoding="utf-8")
      written.append(str(out))
  return f"written: {', '.join(written)}" if written else ""


def _run_config(run_dir: Path) -> Config:
  from discover import config as config_lib
  try:
    return config_lib.load(run_dir / "config.yaml")
  except config_lib.ConfigError as e:
    raise UserError(str(e)) from None


def _seeds(spec: str) -> list[int]:
  try:
    seeds = [int(s) for s in spec.split(",") if s.strip()]
  except ValueError:
    raise UserError(f"--seeds expects comma-separated integers, got {spec!r}") from None
  if not seeds:
    raise UserError("--seeds needs at least one seed")
  return seeds


def _references(names: list[str], seeds: list[int], progress: bool = True):
  return find_references({name: set(seeds) for name in names}, progress)


def reference(tasks: str, seeds: int, force: bool, commit: bool = False,
              progress: bool = True) -> None:
  """Tunes AdamW on the tasks and stores the reference scores (discover.execute.reference) in the
  local store, or with ``commit`` in the committed runs/reference/adamw.json."""
  from discover.execute import reference as ref

  if seeds < 1:
    raise UserError("--seeds must be at least 1")
  try:
    ref.compute(task_list(tasks), path=ref.DEFAULT_PATH if commit else None,
                seeds=range(seeds), force=force, progress=progress)
  except ref.ReferenceError as e:
    raise UserError(str(e)) from None


def evolve(config_path: str | None, overrides: list[str], budget: str | None,
           resume: str | None, progress: bool = True, executor: str | None = None,
           address: str | None = None) -> str:
  """Runs (or resumes) a search; returns the closing summary. ``executor`` and ``address``
  set ``evaluation.executor`` and ``evaluation.address`` (an address means Ray)."""
  executor = executor or ("ray" if address else None)
  overrides = list(overrides) + [f"evaluation.{key}={json.dumps(value)}" for key, value in
                                 (("executor", executor), ("address", address)) if value]
  return _summary(run_search(config_path, overrides, budget, resume, progress))


def study(config_path: str, seeds: int, out: str | None, budget: str | None,
          overrides: list[str], progress: bool = True) -> str:
  """Runs (or resumes) a study; returns its markdown summary and where it is."""
  from discover import config as config_lib
  from discover.bench import study as study_lib

  if seeds < 1:
    raise UserError(f"--seeds must be at least 1, got {seeds}")
  try:
    cfg = config_lib.load(config_path, list(overrides))
  except config_lib.ConfigError as e:
    raise UserError(str(e)) from None
  study_dir = Path(out) if out else Path(cfg.run.root) / f"study-{Path(config_path).stem}"
  summary = study_lib.run_study(config_path, seeds, study_dir, overrides, budget, progress)
  return study_lib.render(summary) + f"\nstudy directory: {study_dir} (study.md, study.json)"


def _funnel_line(search) -> str:
  f = search.funnel_best
  if not search.cfg.funnel.tasks:
    return "funnel: off"
  if f is None or f["id"] is None:
    return (f"funnel: {search.counters.funneled - 1} candidates re-scored, none beat the start "
            f"program there (threshold {search.cfg.funnel.threshold})")
  return (f"funnel best: candidate {f['id']}, funnel fitness {f['fitness']:+.4f} on "
          f"{', '.join(search.cfg.funnel.tasks)} (proxy {f['proxy_fitness']:+.4f}); "
          f"best_funnel.py")


def _meta_line(search) -> str:
  tasks = search.cfg.meta_validation.tasks
  if not tasks:
    return "meta-validation: off"
  points = ", ".join(f"{'start' if e['id'] is None else e['evaluated']}: "
                     f"{'failed' if e['fitness'] is None else format(e['fitness'], '+.3f')}"
                     # a pool logs each when it ends; the count says when it was queued
                     for e in sorted(search.meta_events(), key=lambda e: e["evaluated"]))
  return f"meta-validation on {', '.join(tasks)} (evaluations: fitness of the best) {points}"


def _summary(search) -> str:
  """The search in a few lines, then what to take away: the winner (``discover.search.finish``),
  last, since the proxy best alone is not what to use."""
  from discover.search import finish

  c, best = search.counters, search.evolution.best
  dead = c.dead / c.statements if c.statements else 0.0
  who = "the start program" if best.id is None else f"candidate {best.id}"
  lines = [
      f"searched {search.wall_time():.0f}s: generated {c.generated}, evaluated {c.evaluated} "
      f"({c.failed} failed), cache hits {c.hash_hits + c.behaviour_hits} ({c.hit_rate:.1%}: "
      f"dataflow hash {c.hash_hits}, behaviour {c.behaviour_hits}), dead statements "
      f"{dead:.1%}, restarts {c.restarts}",
      f"proxy: best fitness {best.fitness:+.4f} ({who}; best.py)",
      _funnel_line(search),
      _meta_line(search),
      f"run directory: {search.run_dir} (summary.md, winner.py, optimizer.py, best.py, "
      f"events.jsonl, checkpoint.json, config.yaml, manifest.json)",
  ]
  closing = finish.closing_lines(search.outcome) if search.outcome else []
  return "\n".join(lines + ([""] + closing if closing else []))
