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
  from discover import behaviour

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
  from discover import config as config_lib, simplify as simplify_lib

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
    cfg = _run_config(path) if run_dir else config_lib.DEFAULTS
    names = task_list(tasks) if tasks else list(cfg["evaluation"]["tasks"])
    seed_list = _seeds(seeds)
    scorer = simplify_lib.Scorer.on_tasks(names, seed_list, _references(names, seed_list),
                                          aggregate=cfg["evaluation"]["aggregate"])
  written = []
  for name, program in programs:
    _warn(name, step_size(program)[1])
    print(f"== {name}", flush=True)
    counter = iter(range(1, 1000))
    result = simplify_lib.simplify(program, scorer, tolerance,
                                   log=lambda step: print(f"{next(counter)}. {step.describe()}",
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


def _references(names: list[str], seeds: list[int], progress: bool = True):
  return _references_by_task({name: set(seeds) for name in names}, progress)


def _references_by_task(wanted: dict[str, set[int]], progress: bool):
  """AdamW's paired references (task -> {seed: value}), tuned now where none is current:
  a missing or stale reference never stops a command (discover.reference)."""
  from discover import reference as reference_lib
  try:
    return reference_lib.find_or_tune({t: sorted(s) for t, s in wanted.items()}, progress)
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


def reference(tasks: str, seeds: int, force: bool, commit: bool = False,
              progress: bool = True) -> None:
  """Tunes AdamW on the tasks and stores the reference scores (discover.reference) in the
  local store, or with ``commit`` in the committed runs/reference/adamw.json."""
  from discover import reference as ref

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


def run_search(config_path: str | None, overrides: list[str], budget: str | None,
               resume: str | None, progress: bool = True):
  """Runs (or resumes) a search to the end of its budget; returns the ``Search``."""
  from discover import config as config_lib, runs
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
  wanted = {}
  for section in sections:
    for task in section["tasks"]:
      wanted.setdefault(task, set()).update(section["seeds"])
  references = _references_by_task(wanted, progress)
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
    with make_executor(cfg, references) as executor:
      # On stderr, so stdout stays the closing summary; named as the search starts (after
      # anything that fails at once, whose error names it), so a long run can be found.
      print(f"discover: run directory {run_dir} (resume with: python -m discover evolve "
            f"--resume {run_dir})", file=sys.stderr, flush=True)
      with _progress_bar(search, progress) as update:
        search.run(executor, resume=bool(resume), progress=update)
  except (SearchError, WorkerError, MutationError) as e:
    raise UserError(f"{e} (run directory: {run_dir})") from None
  except KeyboardInterrupt:
    if resumable(run_dir):
      print(f"discover: progress saved; continue with: python -m discover evolve "
            f"--resume {run_dir}", file=sys.stderr)
    raise
  from discover import finish
  try:
    search.outcome = finish.write(search)
  except OSError as e:
    raise UserError(f"cannot write the run's outputs in {run_dir}: {e.strerror or e}") from None
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


TIME_BAR_FORMAT = "{l_bar}{bar}| {n_fmt}/{total_fmt} s{postfix}"


class _progress_bar:
  """A tqdm bar over the budget (evaluations or seconds), or nothing."""

  def __init__(self, search, enabled: bool):
    self.search, self.enabled, self.bar = search, enabled, None

  def __enter__(self):
    if not self.enabled:
      return None
    from tqdm import tqdm

    kind, amount = self.search.budget
    # tqdm's rate of a bar that counts seconds is seconds per second ("1.01s/s"): a time
    # budget's bar shows seconds done of the total, and evaluations/s in the postfix.
    time_format = None if kind == "evaluations" else TIME_BAR_FORMAT
    self.bar = tqdm(total=int(amount), unit="eval", desc="evolve", dynamic_ncols=True,
                    bar_format=time_format)
    return self.update

  def update(self, search) -> None:
    kind, _ = search.budget
    done = (search.counters.evaluated if kind == "evaluations"
            else min(int(search.elapsed()), self.bar.total))  # in-flight children run over
    self.bar.update(done - self.bar.n)
    c, best = search.counters, search.evolution.best
    self.bar.set_postfix_str(
        f"{c.evaluated / max(search.elapsed(), 1e-9):.1f} evals/s, hits {c.hit_rate:.0%}, "
        f"best {best.fitness:+.4f}", refresh=False)

  def __exit__(self, *exc):
    if self.bar is not None:
      if exc[0] is None:  # the last proxy result came before the budget's last seconds
        self.update(self.search)
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
  points = ", ".join(f"{'start' if e['id'] is None else e['evaluated']}: "
                     f"{'failed' if e['fitness'] is None else format(e['fitness'], '+.3f')}"
                     # a pool logs each when it ends; the count says when it was queued
                     for e in sorted(search.meta_events(), key=lambda e: e["evaluated"]))
  return f"meta-validation on {', '.join(tasks)} (evaluations: fitness of the best) {points}"


def _summary(search) -> str:
  """The search in a few lines, then what to take away: the winner (``discover.finish``),
  last, since the proxy best alone is not what to use."""
  from discover import finish

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
