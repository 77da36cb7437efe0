"""Running a search from its config to the end of its budget: the one path that
``evolve`` and a study's seeds both take.

It loads and checks the config, finds AdamW's references, creates (or resumes) the run
directory, drives the search on the configured executor with a progress bar, and writes
the run's outputs (``discover.search.finish``). Bad input is a ``UserError``; the CLI
(``discover.commands``) only formats what comes back.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from discover.errors import UserError
from discover.dsl import analysis
from discover.dsl.load import load_program
from discover.tasks import check_task_names

if TYPE_CHECKING:
  from discover.config import Config


def run_search(config_path: str | None, overrides: list[str], budget: str | None,
               resume: str | None, progress: bool = True):
  """Runs (or resumes) a search to the end of its budget; returns the ``Search``."""
  from discover.search import finish
  from discover.search.loop import Search

  from discover.search import rundir as runs

  cfg, run_dir = _config(config_path, overrides, budget, resume)
  for name, section in cfg.task_sections().items():
    check_task_names(list(section.tasks), f"{name}.tasks")
  start = load_program(cfg.search.start)
  # Analysed as the search first does, before any run directory exists, so a start that
  # fails there leaves nothing behind.
  analysis.live_count_and_hash(start)
  wanted = _wanted(cfg)
  references = (resume and recorded_references(run_dir, wanted)) or find_references(
      wanted, progress)
  if not resume:
    run_dir = _new_run_dir(cfg, start, references)
  try:
    with runs.locked(run_dir):
      search = Search(cfg, run_dir, start)
      _drive(search, cfg, references, bool(resume), progress)
      search.outcome = finish.write(search)
  except OSError as e:  # a full disk, a folder made read-only: what is logged is kept
    where = e.filename or run_dir
    raise UserError(f"cannot write {where}: {e.strerror or e}; finished work is kept: once "
                    f"it can be written, python -m discover evolve --resume {run_dir}") from None
  return search


def _config(config_path: str | None, overrides: list[str], budget: str | None,
            resume: str | None) -> tuple[Config, Path | None]:
  """The run's config, and its directory when resuming (None: a new run)."""
  from discover import config as config_lib

  budgeted = [f"search.budget={budget}"] if budget else []
  try:
    if resume and (config_path or overrides):
      raise UserError("--resume continues with the run's own config.yaml; only --budget "
                      "may change")
    if not resume:
      return config_lib.load(config_path, list(overrides) + budgeted), None
    run_dir = Path(resume)
    if not resumable(run_dir):
      raise UserError(f"{resume} is not a run directory with a checkpoint or an event log")
    _refuse_links(run_dir)
    return config_lib.load_recorded(run_dir / "config.yaml", budgeted), run_dir
  except config_lib.ConfigError as e:
    raise UserError(str(e)) from None


def _refuse_links(run_dir: Path) -> None:
  from discover.search import rundir as runs
  try:
    runs.refuse_links(run_dir)
  except runs.RunFileError as e:
    raise UserError(str(e)) from None


def _wanted(cfg: Config) -> dict[str, set[int]]:
  """Task -> the seeds any section scores it on: the references the run needs."""
  wanted = {}
  for section in cfg.task_sections().values():
    for task in section.tasks:
      wanted.setdefault(task, set()).update(section.seeds)
  return wanted


def recorded_references(run_dir: Path, wanted: dict[str, set[int]]) -> dict | None:
  """The references a run started with (its manifest), if they cover ``wanted``: a resumed
  run keeps scoring against them, so its fitness stays one scale even where the stores
  have changed since (a task retuned, a reference gone stale); None otherwise."""
  try:
    recorded = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    refs = {t: {int(s): float(v) for s, v in recorded["references"][t].items()}
            for t in wanted}
  except (OSError, ValueError, KeyError, TypeError, AttributeError):
    return None  # unreadable, or from before paired references: look them up as new
  return refs if all(set(s) <= set(refs[t]) for t, s in wanted.items()) else None


def _new_run_dir(cfg: Config, start, references: dict) -> Path:
  """A fresh run directory holding the config and the manifest."""
  from discover import config as config_lib
  from discover.search import rundir as runs

  try:
    run_dir = runs.new_run_dir(cfg.run.root, cfg.seed)
  except OSError as e:  # e.g. run.root names a file, or a folder we may not write
    raise UserError(f"run.root: cannot create a run directory under "
                    f"{cfg.run.root!r}: {e.strerror or e}") from None
  runs.write_atomic(run_dir / "config.yaml", config_lib.dump(cfg))
  runs.write_json(run_dir / "manifest.json", runs.manifest(cfg.seed, {
      "references": {t: {str(s): v for s, v in r.items()} for t, r in references.items()},
      "start": str(start)}))
  return run_dir


def _drive(search, cfg: Config, references: dict, resume: bool, progress: bool) -> None:
  """Runs the search on the configured executor until its budget is spent."""
  from discover.search.mutate import MutationError
  from discover.search.pool import WorkerError
  from discover.search.loop import SearchError

  run_dir = search.run_dir
  try:
    with _signals_as_interrupt():
      _search(search, cfg, references, resume, progress)
  except (SearchError, WorkerError, MutationError) as e:
    raise UserError(f"{e} (run directory: {run_dir})") from None
  except KeyboardInterrupt:
    if resumable(run_dir):
      print(f"discover: progress saved; continue with: python -m discover evolve "
            f"--resume {run_dir}", file=sys.stderr)
    raise


@contextlib.contextmanager
def _signals_as_interrupt():
  """SIGTERM (a service manager, ``kill``) and SIGHUP (a closed terminal) stop a search as
  Ctrl-C does: a checkpoint, then the ``--resume`` line."""
  if threading.current_thread() is not threading.main_thread():
    yield  # signal handlers belong to the main thread
    return
  names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
  before = {n: signal.signal(getattr(signal, n), _interrupt) for n in names}
  try:
    yield
  finally:
    for name, handler in before.items():
      signal.signal(getattr(signal, name), handler)


def _interrupt(signum, frame):
  raise KeyboardInterrupt(signal.Signals(signum).name)


def _search(search, cfg: Config, references: dict, resume: bool, progress: bool) -> None:
  from discover.search import resume as resume_lib
  from discover.search.executors import make_executor

  run_dir = search.run_dir
  if resume:
    resume_lib.restore(search)
  with make_executor(cfg, references) as executor:
    # On stderr, so stdout stays the closing summary; named as the search starts (after
    # anything that fails at once, whose error names it), so a long run can be found.
    print(f"discover: run directory {run_dir} (resume with: python -m discover evolve "
          f"--resume {run_dir})", file=sys.stderr, flush=True)
    with _progress_bar(search, progress) as update:
      search.run(executor, resume=resume, progress=update)


def resumable(run_dir: Path) -> bool:
  """A run directory with a checkpoint, or with an event log to rebuild the run from."""
  if not (run_dir / "config.yaml").exists():
    return False
  events = run_dir / "events.jsonl"
  return (run_dir / "checkpoint.json").exists() or (events.exists() and
                                                    events.stat().st_size > 0)


def find_references(wanted: dict[str, set[int]], progress: bool):
  """AdamW's paired references (task -> {seed: value}), tuned now where none is current:
  a missing or stale reference never stops a command (discover.execute.reference)."""
  from discover.execute import reference as reference_lib
  try:
    return reference_lib.find_or_tune({t: sorted(s) for t, s in wanted.items()}, progress)
  except reference_lib.ReferenceError as e:
    raise UserError(str(e)) from None


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
