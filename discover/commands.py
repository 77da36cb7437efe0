"""What the CLI's commands do, importable without the argument parser.

Each command returns text (or writes files) and raises ``UserError`` for bad input; the
entry point (``discover.__main__``) turns that into one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
import reprlib
import sys
from pathlib import Path

from discover import analysis
from discover.baselines import BASELINES, baseline_program
from discover.parse import read_program, read_text
from discover.program import Program, ProgramError, from_json, to_json, to_text


class UserError(Exception):
  """Bad input from the user: reported in one line, exit code 2."""


def load_program(spec: str) -> Program:
  """A program from a baseline name, a program file (.py text) or its JSON form (.json).

  Raises:
    UserError: naming the file (and line) and the problem.
  """
  path = Path(spec)
  exists = _exists(path)
  if spec in BASELINES and not exists:
    return baseline_program(spec)
  if not exists:
    quoted = f"'{spec}'" if spec.isprintable() else repr(spec)
    if len(quoted) > 200:  # e.g. a config's search.start: the error stays one short line
      quoted = quoted[:100] + "..." + quoted[-50:]
    raise UserError(f"{quoted} is neither a program file nor a baseline "
                    f"(baselines: {', '.join(BASELINES)})")
  try:
    if path.suffix == ".json":
      return from_json(read_text(path))
    return read_program(path)
  except ProgramError as e:
    where = f"{spec}:{e.line}" if e.line else spec
    raise UserError(f"{where}: {e.message}") from None


def _exists(path: Path) -> bool:
  try:
    return path.exists()
  except (OSError, ValueError):  # a name too long for the OS, or with a NUL byte
    return False


def show(spec: str, as_json: bool = False) -> str:
  """The canonical program, its state slots, live statements and hash."""
  program = load_program(spec)
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
  ]
  return "\n".join(lines)


def export(spec: str, output: str) -> str:
  """Writes the program as a standalone optax module; returns what it wrote.

  The factory is named after the baseline, or else after the output file.
  """
  from discover import export as exporter

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
  return (f"wrote {output}: {exporter.factory_signature(program, name)} "
          f"-> optax.GradientTransformation")


def simplify(spec: str, tasks: str | None, seeds: str, tolerance: float,
             prune: bool = True) -> str:
  """Simplifies a program file (or a run directory's best programs) and reports each step.

  Measured pruning trains on ``tasks`` (default: the run's proxy tasks, or the default
  config's) with ``seeds``, screening on the first. For a run directory, each simplified
  program is also written next to its original as ``*_simplified.py``.
  """
  from discover import config as config_lib, simplify as simplify_lib

  path = Path(spec)
  run_dir = path.is_dir()
  if run_dir:
    targets = [path / name for name in ("best.py", "best_funnel.py") if (path / name).exists()]
    if not targets:
      raise UserError(f"{spec}: a run directory with no best.py to simplify")
  else:
    targets = [spec]
  programs = [(str(t), load_program(str(t))) for t in targets]
  scorer = None
  if prune:
    cfg = _run_config(path) if run_dir else config_lib.DEFAULTS
    names = task_list(tasks) if tasks else list(cfg["evaluation"]["tasks"])
    seed_list = _seeds(seeds)
    scorer = simplify_lib.Scorer.on_tasks(names, seed_list, _references(names, seed_list),
                                          aggregate=cfg["evaluation"]["aggregate"])
  written = []
  for name, program in programs:
    print(f"== {name}", flush=True)
    counter = iter(range(1, 1000))
    result = simplify_lib.simplify(program, scorer, tolerance,
                                   log=lambda step: print(f"{next(counter)}. {step.describe()}",
                                                          flush=True))
    print("\n" + simplify_lib.render(result, steps=False) + "\n", flush=True)
    if run_dir:
      out = Path(name).with_name(Path(name).stem + "_simplified.py")
      header = f'"""{Path(name).name}, simplified ({len(result.steps)} steps)."""\n\n'
      out.write_text(header + to_text(result.program), encoding="utf-8")
      written.append(str(out))
  return f"written: {', '.join(written)}" if written else ""


def _run_config(run_dir: Path) -> dict:
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


def _references(names: list[str], seeds: list[int]):
  from discover import reference as reference_lib
  try:
    return reference_lib.load(names, seeds)
  except reference_lib.ReferenceError as e:
    raise UserError(str(e)) from None


def task_list(spec: str) -> list[str]:
  """Task names from "a,b" or a tier name; UserError for unknown names."""
  from proxy_tasks import TIERS, task_names

  if spec in TIERS:
    return task_names(spec)
  names = [n.strip() for n in spec.split(",") if n.strip()]
  unknown = [n for n in names if n not in task_names()]
  if unknown or not names:
    raise UserError(f"unknown task {', '.join(unknown) or repr(spec)} "
                    f"(known: {', '.join(task_names())}; tiers: {', '.join(TIERS)})")
  return names


def check_task_names(names: list[str], key: str) -> None:
  """UserError unless every entry of a config's task list names one task (not a tier)."""
  from proxy_tasks import task_names

  unknown = [n for n in names if n not in task_names()]
  if unknown:
    raise UserError(f"{key}: unknown task {reprlib.repr(unknown[0])} "
                    f"(known: {', '.join(task_names())})")


def reference(tasks: str, seeds: int, force: bool) -> None:
  """Tunes AdamW on the tasks and stores the reference scores (discover.reference)."""
  from discover import reference as ref

  if seeds < 1:
    raise UserError("--seeds must be at least 1")
  try:
    ref.compute(task_list(tasks), seeds=range(seeds), force=force)
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


def run_search(config_path: str | None, overrides: list[str], budget: str | None,
               resume: str | None, progress: bool = True):
  """Runs (or resumes) a search to the end of its budget; returns the ``Search``."""
  from discover import config as config_lib, reference, runs
  from discover.executors import make_executor
  from discover.search import Search

  try:
    if resume and (config_path or overrides):
      raise UserError("--resume continues with the run's own config.yaml; only --budget "
                      "may change")
    if resume:
      run_dir = Path(resume)
      if not resumable(run_dir):
        raise UserError(f"{resume} is not a run directory with a checkpoint or an event log")
      cfg = config_lib.load(run_dir / "config.yaml",
                            [f"search.budget={budget}"] if budget else [])
    else:
      cfg = config_lib.load(config_path, list(overrides) + (
          [f"search.budget={budget}"] if budget else []))
  except config_lib.ConfigError as e:
    raise UserError(str(e)) from None
  names = ("evaluation", "funnel", "meta_validation")
  sections = [cfg[k] for k in names]
  for name, section in zip(names, sections):
    check_task_names(section["tasks"], f"{name}.tasks")
  start = load_program(cfg["search"]["start"])
  try:
    references = {}
    for section in sections:
      for task, paired in reference.load(section["tasks"], section["seeds"]).items():
        references.setdefault(task, {}).update(paired)
  except reference.ReferenceError as e:
    raise UserError(str(e)) from None
  if not resume:
    try:
      run_dir = runs.new_run_dir(cfg["run"]["root"], cfg["seed"])
    except OSError as e:  # e.g. run.root names a file, or a folder we may not write
      raise UserError(f"run.root: cannot create a run directory under "
                      f"{cfg['run']['root']!r}: {e.strerror or e}") from None
    runs.write_atomic(run_dir / "config.yaml", config_lib.dump(cfg))
    runs.write_json(run_dir / "manifest.json", runs.manifest(cfg["seed"], {
        "references": {t: {str(s): v for s, v in r.items()} for t, r in references.items()},
        "start": str(start)}))
  search = Search(cfg, run_dir, start)
  from discover.mutate import MutationError
  from discover.pool import WorkerError
  from discover.search import SearchError

  try:
    if resume:
      search.restore()
    with _progress_bar(search, progress) as update, \
        make_executor(cfg, references) as executor:
      search.run(executor, resume=bool(resume), progress=update)
  except (SearchError, WorkerError, MutationError) as e:
    raise UserError(f"{e} (run directory: {run_dir})") from None
  except KeyboardInterrupt:
    if resumable(run_dir):
      print(f"discover: progress saved; continue with: python -m discover evolve "
            f"--resume {run_dir}", file=sys.stderr)
    raise
  return search


def resumable(run_dir: Path) -> bool:
  """A run directory with a checkpoint, or with an event log to rebuild the run from."""
  if not (run_dir / "config.yaml").exists():
    return False
  events = run_dir / "events.jsonl"
  return (run_dir / "checkpoint.json").exists() or (events.exists() and
                                                    events.stat().st_size > 0)


def study(config_path: str, seeds: int, out: str | None, budget: str | None,
          overrides: list[str], progress: bool = True) -> str:
  """Runs (or resumes) a study; returns its markdown summary and where it is."""
  from discover import config as config_lib, study as study_lib

  if seeds < 1:
    raise UserError(f"--seeds must be at least 1, got {seeds}")
  try:
    cfg = config_lib.load(config_path, list(overrides))
  except config_lib.ConfigError as e:
    raise UserError(str(e)) from None
  study_dir = Path(out) if out else Path(cfg["run"]["root"]) / f"study-{Path(config_path).stem}"
  summary = study_lib.run_study(config_path, seeds, study_dir, overrides, budget, progress)
  return study_lib.render(summary) + f"\nstudy directory: {study_dir} (study.md, study.json)"


class _progress_bar:
  """A tqdm bar over the budget (evaluations or seconds), or nothing."""

  def __init__(self, search, enabled: bool):
    self.search, self.enabled, self.bar = search, enabled, None

  def __enter__(self):
    if not self.enabled:
      return None
    from tqdm import tqdm

    kind, amount = self.search.budget
    self.bar = tqdm(total=int(amount), unit="eval" if kind == "evaluations" else "s",
                    desc="evolve", dynamic_ncols=True)
    return self.update

  def update(self, search) -> None:
    kind, _ = search.budget
    done = search.counters.evaluated if kind == "evaluations" else int(search.elapsed())
    self.bar.update(done - self.bar.n)
    c, best = search.counters, search.evolution.best
    self.bar.set_postfix_str(
        f"{c.evaluated / max(search.elapsed(), 1e-9):.1f} evals/s, hits {c.hit_rate:.0%}, "
        f"best {best.fitness:+.4f}", refresh=False)

  def __exit__(self, *exc):
    if self.bar is not None:
      self.bar.close()


def _funnel_line(search) -> str:
  f = search.funnel_best
  if not search.cfg["funnel"]["tasks"]:
    return "funnel: off"
  if f is None or f["id"] is None:
    return (f"funnel: {search.counters.funneled - 1} candidates re-scored, none beat the start "
            f"program there (threshold {search.cfg['funnel']['threshold']})")
  return (f"funnel best: candidate {f['id']}, funnel fitness {f['fitness']:+.4f} on "
          f"{', '.join(search.cfg['funnel']['tasks'])} (proxy {f['proxy_fitness']:+.4f}); "
          f"best_funnel.py")


def _meta_line(search) -> str:
  tasks = search.cfg["meta_validation"]["tasks"]
  if not tasks:
    return "meta-validation: off"
  curve = [(e["evaluated"], e["fitness"]) for e in search.meta_events()]
  points = ", ".join(f"{n}: {'failed' if f is None else f'{f:+.3f}'}" for n, f in curve)
  return f"meta-validation on {', '.join(tasks)} (evaluations: fitness of the best) {points}"


def _summary(search) -> str:
  c, best = search.counters, search.evolution.best
  dead = c.dead / c.statements if c.statements else 0.0
  lines = [
      f"best fitness {best.fitness:+.4f} (log10 improvement over tuned AdamW; "
      f"candidate {best.id}):", "", to_text(best.genome).rstrip(), "",
      f"generated {c.generated}, evaluated {c.evaluated} ({c.failed} failed), "
      f"cache hits {c.hash_hits + c.behaviour_hits} ({c.hit_rate:.1%}: dataflow hash "
      f"{c.hash_hits}, behaviour {c.behaviour_hits}), dead statements {dead:.1%}, "
      f"restarts {c.restarts}, {search.elapsed():.0f}s",
      _funnel_line(search),
      _meta_line(search),
      f"run directory: {search.run_dir} (best.py, events.jsonl, checkpoint.json, "
      f"config.yaml, manifest.json)",
  ]
  return "\n".join(lines)
