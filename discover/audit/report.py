"""A run's report: ``report.md`` with PNG plots, rebuilt from the run directory alone.

``python -m discover report RUN_DIR [-o OUT_DIR]`` reads the run (``discover.audit.replay.load_run``)
and writes, by default under ``RUN_DIR/report/``:

* counts from ``events.jsonl``: children generated, evaluations, failures, cache hits of
  both kinds (dataflow hash, behaviour) and their rate, restarts, funnel re-scores,
  meta-validations, the best fitness;
* ``fitness.png``: the best and the median fitness of the population over evaluations;
* ``cache_hits.png``: the cache hit rate of each kind over the children generated;
* ``meta_validation.png``: held-out fitness of the best so far against its proxy fitness;
* ``funnel.png``: each funnel re-score against the proxy fitness that earned it;
* the final programs (``best.py``, ``best_funnel.py``): raw; simplified (an existing
  ``*_simplified.py`` from ``discover simplify`` when it is newer than the program, else
  the exact steps of ``discover.simplify.steps``: folding, dead code, canonical form, no
  training); exported (``discover.export.module.module_source``, written beside the report as
  ``*_optax.py``).

The population is not logged, but it can be rebuilt from the events, because regularized
evolution (``discover.search.evolution``) is a queue: the start event seeds ``P`` copies of the
start program's fitness (``P = search.population``); each ``candidate`` event, cached or
trained, in log order (the order children were told) appends its fitness and drops the
oldest member. Restarts are rebuilt too: as in ``discover.search.loop``, a tell that does not
raise the best (strictly, failures lowest) adds one to a counter that a new best resets;
when it reaches ``search.restart_after`` the population is reseeded with copies of the
start program's fitness (odd restarts) or the best's (even ones). The median after each
tell is the curve's median. (tests/test_report.py checks the rebuilt population against
the one a checkpoint saved.)
"""

from __future__ import annotations

import collections
import dataclasses
import math
from pathlib import Path

import numpy as np

from discover.config import TaskSection
from discover.errors import UserError
from discover.dsl.program import ProgramError, to_text
from discover.audit.replay import Run, load_run, who


@dataclasses.dataclass
class Summary:
  """Counts and curves of a run, from its events (see the module docstring)."""

  generated: int = 0  # children told (the start program not included)
  evaluated: int = 0  # trained on the proxy, the start program included
  failed: int = 0  # trained children that failed
  hash_hits: int = 0
  behaviour_hits: int = 0
  restarts: int = 0
  funneled: int = 0  # funnel evaluations (the start program's yardstick included)
  validated: int = 0  # meta-validations trained (not logged from the cache)
  seconds: float = 0.0  # the last event's time
  best: dict | None = None  # the event of the best proxy fitness (the first to reach it)
  # per told child (index: children generated - 1)
  evaluations: list[int] = dataclasses.field(default_factory=list)  # evaluations so far
  best_curve: list[float] = dataclasses.field(default_factory=list)
  median_curve: list[float] = dataclasses.field(default_factory=list)
  cached: list[str | bool] = dataclasses.field(default_factory=list)  # False or the kind
  trained: list[tuple[int, float]] = dataclasses.field(default_factory=list)  # (n, fitness)
  population: list[float] = dataclasses.field(default_factory=list)  # at the end, oldest first
  meta: list[dict] = dataclasses.field(default_factory=list)
  funnel: list[dict] = dataclasses.field(default_factory=list)

  @property
  def hit_rate(self) -> float:
    return (self.hash_hits + self.behaviour_hits) / self.generated if self.generated else 0.0


def _fitness(event: dict) -> float:
  """An event's fitness; a failure (stored as null) ranks lowest."""
  return -math.inf if event.get("fitness") is None else float(event["fitness"])


def summarize_run(run: Run) -> Summary:
  """``summarize`` of a run's events, with the settings its config recorded."""
  search = run.cfg.search
  return summarize([r.event for r in run.records], search.population, search.restart_after,
                   logged_restarts=search.max_hits is not None,
                   feedback=bool(run.cfg.funnel.feedback))


def summarize(events: list[dict], population_size: int, restart_after: int,
              logged_restarts: bool = False, feedback: bool = False) -> Summary:
  """Counts and curves from a run's events, in log order.

  A run whose config has ``search.max_hits`` logs each restart on the child that caused it
  (``"restart": true``) and each child that did not join the population (``"joined":
  false``, with ``search.unique``): ``logged_restarts`` reads those. Older runs restarted
  only after ``restart_after`` children without a new best, which is counted here. With
  ``funnel.feedback`` (``feedback``), a funnel event's ``revised`` fitness replaces the
  candidate's in the population, and restarts from the best reseed from the best on the
  funnel, as ``discover.search.loop`` does."""
  s = Summary()
  population: collections.deque[list] = collections.deque(maxlen=population_size)  # [id, f]
  proxy_fitness = {}  # candidate id -> proxy fitness (None: the start program)
  start_fitness = best = -math.inf
  funnel_best = None  # (funnel fitness, the lower of it and the proxy's) of the funnel best
  since_best = 0
  for e in events:
    kind = e["event"]
    s.seconds = max(s.seconds, e.get("time") or 0.0)
    if kind == "start":
      start_fitness = best = _fitness(e)
      population.extend([None, start_fitness] for _ in range(population_size))
      s.evaluated += 1
      s.best = e
      proxy_fitness[None] = start_fitness
    elif kind == "candidate":
      fitness = _fitness(e)
      proxy_fitness[e["id"]] = fitness
      if e.get("joined", True):
        population.append([e["id"], fitness])
      s.generated += 1
      s.hash_hits += e["cached"] == "dataflow"
      s.behaviour_hits += e["cached"] == "behaviour"
      if not e["cached"]:
        s.evaluated += 1
        s.failed += e.get("failure") is not None
        s.trained.append((s.evaluated, fitness))
      since_best = 0 if fitness > best else since_best + 1
      if fitness > best:
        best, s.best = fitness, e
      if (e.get("restart", False) if logged_restarts
          else restart_after and since_best >= restart_after):
        s.restarts, since_best = s.restarts + 1, 0
        reseed = best if not (feedback and funnel_best) else funnel_best[1]
        population.extend([None, start_fitness if s.restarts % 2 else reseed]
                          for _ in range(population_size))
      s.evaluations.append(s.evaluated)
      s.best_curve.append(best)
      s.median_curve.append(float(np.median([f for _, f in population])))
      s.cached.append(e["cached"])
    elif kind == "funnel":
      s.funneled += 1
      s.funnel.append({**_row(e), "proxy": proxy_fitness.get(e["id"]),
                       "revised": "revised" in e})
      if e.get("failure") is None and e["fitness"] is not None and (
          funnel_best is None or e["fitness"] > funnel_best[0]):
        proxy = _fitness({"fitness": e.get("proxy_fitness", proxy_fitness.get(e["id"]))})
        funnel_best = (e["fitness"], min(e["fitness"], proxy))
      if "revised" in e:  # null: it failed on the funnel
        revised = _fitness({"fitness": e["revised"]})
        for member in population:
          if member[0] == e["id"]:
            member[1] = revised
    elif kind == "meta":
      s.validated += not e["cached"]
      s.meta.append({**_row(e), "proxy": proxy_fitness.get(e["id"]),
                     "evaluated": e.get("evaluated")})
  s.population = [f for _, f in population]
  return s


def _row(e: dict) -> dict:
  return {"id": e["id"], "fitness": _fitness(e), "failure": e.get("failure"),
          "cached": e["cached"]}


# -- plots --------------------------------------------------------------------------------


def _finite(values) -> np.ndarray:
  out = np.asarray(values, dtype=float)
  return np.where(np.isfinite(out), out, np.nan)  # unplottable points leave gaps


def _figure(title: str, xlabel: str, ylabel: str):
  from matplotlib.figure import Figure  # no pyplot: no global backend or figure state

  fig = Figure(figsize=(7, 4), layout="constrained")
  ax = fig.subplots()
  ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
  ax.grid(alpha=0.3)
  return fig, ax


def _save(fig, path: Path) -> str:
  fig.savefig(path, dpi=100, format="png")
  return path.name


def plot_fitness(s: Summary, path: Path) -> str:
  fig, ax = _figure("Fitness over evaluations", "evaluations (proxy trainings)",
                    "fitness (log10 improvement over tuned AdamW)")
  if s.trained:
    n, f = zip(*s.trained)
    ax.plot(n, _finite(f), ".", ms=3, alpha=0.25, color="gray", label="trained child")
  ax.plot(s.evaluations, _finite(s.median_curve), drawstyle="steps-post",
          label="population median")
  ax.plot(s.evaluations, _finite(s.best_curve), drawstyle="steps-post", label="best so far")
  ax.axhline(0.0, color="black", lw=0.8, ls=":", label="tuned AdamW")
  _zoom_to_curves(ax, s)
  ax.legend(loc="lower right")
  return _save(fig, path)


def _zoom_to_curves(ax, s: Summary) -> None:
  """Frames the best and median curves; failed children far below would flatten them."""
  shown = _finite(s.best_curve + s.median_curve + [0.0])
  low, high = np.nanmin(shown), np.nanmax(shown)
  pad = 0.1 * (high - low) or 0.1
  ax.set_ylim(low - pad, high + pad)


def plot_cache_hits(s: Summary, path: Path) -> str:
  fig, ax = _figure("Cache hits over the search", "children generated", "hit rate")
  n = np.arange(1, len(s.cached) + 1)
  for kind in ("dataflow", "behaviour"):
    hits = np.cumsum([c == kind for c in s.cached])
    ax.plot(n, hits / np.maximum(n, 1), label=f"{kind} (cumulative)")
  window = max(20, len(s.cached) // 20)
  hit = np.asarray([bool(c) for c in s.cached], dtype=float)
  if len(hit) >= window:
    rolling = np.convolve(hit, np.ones(window) / window, mode="valid")
    ax.plot(n[window - 1:], rolling, alpha=0.6, label=f"both kinds (last {window})")
  ax.set_ylim(0, 1)
  ax.legend(loc="lower right")
  return _save(fig, path)


def plot_meta(s: Summary, path: Path) -> str:
  return _save(meta_figure(s), path)


def meta_figure(s: Summary):
  fig, ax = _figure("Meta-validation: the best so far on held-out tasks",
                    "evaluations", "fitness (log10 improvement over tuned AdamW)")
  # A pool logs a long job when it ends, not in the order it was queued.
  meta = sorted(s.meta, key=lambda m: m["evaluated"] or 0)
  n = [m["evaluated"] for m in meta]
  ax.plot(n, _finite([m["fitness"] for m in meta]), "o-", label="held-out fitness")
  ax.plot(n, _finite([m["proxy"] for m in meta]), "s--", label="its proxy fitness")
  ax.axhline(0.0, color="black", lw=0.8, ls="--", label="tuned AdamW")
  ax.legend(loc="best")
  return fig


def plot_funnel(s: Summary, path: Path) -> str:
  return _save(funnel_figure(s), path)


def funnel_figure(s: Summary):
  """Winners coloured by candidate id (the table below the plot names each one): a label
  per point overlaps its neighbours once winners cluster, as the later ones do."""
  fig, ax = _figure("Funnel: re-scored on larger tasks and fresh seeds", "proxy fitness",
                    "funnel fitness")
  rows = [r for r in s.funnel if math.isfinite(r["fitness"]) and r["proxy"] is not None]
  winners = [r for r in rows if r["id"] is not None]
  if winners:
    dots = ax.scatter([r["proxy"] for r in winners], [r["fitness"] for r in winners],
                      c=[r["id"] for r in winners], cmap="viridis", label="a new proxy best")
    fig.colorbar(dots, ax=ax, label="candidate id")
  start = [r for r in rows if r["id"] is None]
  ax.scatter([r["proxy"] for r in start], [r["fitness"] for r in start], marker="s",
             color="tab:red", label="the start program (the yardstick)")
  if rows:
    best = max(rows, key=lambda r: r["fitness"])  # the first to reach it, as best_funnel.py
    ax.scatter([best["proxy"]], [best["fitness"]], s=250, marker="*", facecolors="none",
               edgecolors="black", label=f"best on the funnel: {who(best['id'])}")
    ax.legend(loc="best", fontsize=8)
  return fig


# -- the final programs -------------------------------------------------------------------


def final_program(run_dir: Path, name: str, out_dir: Path, detect: bool) -> list[str] | None:
  """The markdown of one final program (raw, simplified, exported), or None if absent."""
  from discover.export import module as exporter
  from discover.dsl.parse import read_program

  raw_path = run_dir / name
  if not raw_path.exists():
    return None
  try:
    raw = read_program(raw_path)
  except ProgramError as e:
    return [f"### {name}", "", f"Not a readable program: {e}", ""]
  simplified, how = _simplified(raw, raw_path, detect)
  stem = raw_path.stem
  lines = [f"### {name}", "", _docstring(raw_path), "", "Raw:", "", "```python",
           to_text(raw).rstrip(), "```", "", *how, "", "```python",
           to_text(simplified).rstrip(), "```", ""]
  try:
    source = exporter.module_source(simplified, exporter.factory_name(stem))
  except (ProgramError, ValueError) as e:
    return lines + [f"Not exported: {e}", ""]
  (out_dir / f"{stem}_optax.py").write_text(source, encoding="utf-8")
  return lines + [
      f"Exported: [`{stem}_optax.py`]({stem}_optax.py), "
      f"`{exporter.factory_signature(simplified, exporter.factory_name(stem))}` -> "
      "`optax.GradientTransformation` (imports only jax and optax).", "",
      "<details><summary>source</summary>", "", "```python", source.rstrip(), "```", "",
      "</details>", ""]


def _docstring(path: Path) -> str:
  """The first line of a program file's docstring (the search writes its fitness there)."""
  first = path.read_text(encoding="utf-8").splitlines()[0]
  return first.strip('"') if first.startswith('"""') else ""


def _simplified(raw, raw_path: Path, detect: bool) -> tuple:
  """The simplified program and lines saying how it was obtained (see the module
  docstring)."""
  from discover.simplify import steps as simplify_lib
  from discover.dsl.parse import read_program

  done = raw_path.with_name(raw_path.stem + "_simplified.py")
  if done.exists() and done.stat().st_mtime >= raw_path.stat().st_mtime:
    try:
      return read_program(done), [f"Simplified (`{done.name}`, by `discover simplify`):"]
    except ProgramError:
      pass  # unreadable: simplify again below
  result = simplify_lib.simplify(raw, None, detect=detect)
  steps = [s.describe() for s in result.steps if s.kind != "rename"]
  listed = [f"{i}. {step}" for i, step in enumerate(steps, 1)] or ["Nothing to simplify."]
  return result.program, ["Simplified (the exact steps of `discover simplify`, no training):",
                          "", *listed]


# -- the report ---------------------------------------------------------------------------


def report(run_dir: str, out_dir: str | None = None, detect: bool = True) -> str:
  """Writes ``report.md`` and its plots; returns a one-line account of what it wrote.

  Args:
    run_dir: the run directory.
    out_dir: where to write (default ``RUN_DIR/report``).
    detect: name a simplified program that is a known optimizer (``discover.simplify.detect``;
      about ten seconds of fitting).
  """
  run = load_run(run_dir)
  out = Path(out_dir) if out_dir else run.path / "report"
  try:
    out.mkdir(parents=True, exist_ok=True)
  except OSError as e:
    raise UserError(f"cannot create {out}: {e.strerror or e}") from None
  s = summarize_run(run)
  lines = _header(run, s) + _counts(s)
  lines += _section("Fitness", plot_fitness(s, out / "fitness.png"), _FITNESS_TEXT)
  lines += _section("Cache hits", plot_cache_hits(s, out / "cache_hits.png"), _CACHE_TEXT)
  lines += _meta_section(run, s, out) + _funnel_section(run, s, out)
  lines += ["## Final programs", ""]
  for name in ("winner.py", "best.py", "best_funnel.py"):
    lines += final_program(run.path, name, out, detect) or []
  path = out / "report.md"
  path.write_text("\n".join(lines), encoding="utf-8")
  plots = [line.split("](")[1].rstrip(")") for line in lines if line.startswith("![")]
  return f"wrote {path} ({len(plots)} plots: {', '.join(plots)})"


_FITNESS_TEXT = (
    "Gray dots: each trained child. The population median is rebuilt from the events "
    "(the start seeds the population; each told child, cached or trained, replaces the "
    "oldest member; restarts reseed it), so it moves with cache hits too.")
_CACHE_TEXT = (
    "A dataflow hit is a child whose canonical dataflow hash was already scored; a "
    "behaviour hit one whose updates on the probe gradient streams matched a scored "
    "program. Both are told the cached fitness without training.")


def _header(run: Run, s: Summary) -> list[str]:
  m, cfg = run.manifest, run.cfg
  packages = ", ".join(f"{k} {v}" for k, v in (m.get("packages") or {}).items() if v)
  machine = m.get("machine") or {}
  lines = [f"# Run {run.path.name}", "",
           f"Created {m.get('created', '?')}, seed {cfg.seed}, Python {m.get('python', '?')}"
           f" on {machine.get('platform', '?')} ({machine.get('cpus', '?')} CPUs); {packages}.",
           "",
           f"Search: population {cfg.search.population}, tournament "
           f"{cfg.search.tournament}, budget {cfg.search.budget}, proxy tasks "
           f"{_stage_text(cfg.evaluation)}, aggregate {cfg.evaluation.aggregate}, "
           f"{cfg.evaluation.workers} workers.", ""]
  if run.truncated:
    lines += ["The event log ends in a cut-short line (a kill mid-write); it is left out.", ""]
  return lines


def _stage_text(section: TaskSection) -> str:
  return f"{', '.join(section.tasks)} (seeds {', '.join(map(str, section.seeds))})"


def _counts(s: Summary) -> list[str]:
  def share(n: int) -> str:
    return f"{n} ({n / s.generated:.1%})" if s.generated else str(n)

  best = s.best or {}
  rows = [("children generated", str(s.generated)),
          ("evaluations (proxy trainings, the start program included)", str(s.evaluated)),
          ("failed (diverged or crashed)", str(s.failed)),
          ("cache hits: dataflow hash", share(s.hash_hits)),
          ("cache hits: behaviour", share(s.behaviour_hits)),
          ("cache hit rate", f"{s.hit_rate:.1%}"),
          ("restarts", str(s.restarts)),
          ("funnel re-scores", str(s.funneled)),
          ("meta-validations trained", str(s.validated)),
          ("wall time", f"{s.seconds:.0f} s"),
          ("best proxy fitness", f"{_fitness(best):+.4f} ({who(best.get('id'))})")]
  return (["## Counts", "", "| | |", "| --- | --- |"]
          + [f"| {name} | {value} |" for name, value in rows] + [""])


def _section(title: str, image: str, text: str) -> list[str]:
  return [f"## {title}", "", f"![{title}]({image})", "", text, ""]


def _show(x) -> str:
  return "failed" if x is None or not math.isfinite(x) else f"{x:+.4f}"


def _meta_section(run: Run, s: Summary, out: Path) -> list[str]:
  section = run.cfg.meta_validation
  if not section.tasks:
    return ["## Meta-validation", "", "Off (`meta_validation.tasks` is empty).", ""]
  lines = _section("Meta-validation", plot_meta(s, out / "meta_validation.png"),
                   f"The best so far, scored on {_stage_text(section)} every "
                   f"{section.every or 'start and end of the run'} evaluations; proxy "
                   "fitness rising while held-out fitness falls is meta-overfitting.")
  lines += ["| evaluations | program | proxy fitness | held-out fitness |",
            "| --- | --- | --- | --- |"]
  lines += [f"| {m['evaluated']} | {who(m['id'])} | {_show(m['proxy'])} | "
            f"{_show(m['fitness'])}{' (cached)' if m['cached'] else ''} |" for m in s.meta]
  return lines + [""]


def _funnel_section(run: Run, s: Summary, out: Path) -> list[str]:
  section = run.cfg.funnel
  if not section.tasks:
    return ["## Funnel", "", "Off (`funnel.tasks` is empty).", ""]
  lines = _section("Funnel", plot_funnel(s, out / "funnel.png"),
                   f"Every new proxy best above {section.threshold} re-scored on "
                   f"{_stage_text(section)}; the start program (red) is the yardstick.")
  lines += ["| program | proxy fitness | funnel fitness | failure |", "| --- | --- | --- | --- |"]
  lines += [f"| {who(r['id'])} | {_show(r['proxy'])} | {_show(r['fitness'])} | "
            f"{r['failure'] or ''} |" for r in s.funnel]
  return lines + [""]
