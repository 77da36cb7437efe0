"""Reproducibility studies: N independent searches of one config, and what they agree on.

``python -m discover study CONFIG --seeds N`` runs the config's search once per seed
(0..N-1), each in its own run directory under the study directory, and then reports:

* **families**: each run's best program is simplified by the exact steps (constant
  folding, dead code, the canonical algebra; no training) and named by the known-optimizer
  detector ("Lion", "AdamW", ...) or, when it is none of them, by the dataflow hash of its
  simplified form, so two runs that found the same new rule count as one family;
* **spread** of the best proxy fitness over runs (min, median, max, standard deviation);
* **time to beat AdamW**: the first candidate whose proxy fitness is above 0 (the tuned
  AdamW reference), in seconds and evaluations, per run;
* **how well the proxy predicts**: the Spearman rank correlation between the proxy
  fitness and the larger-task fitness of every candidate a run re-scored (funnel and
  meta-validation events, each pair counted once per program);
* **winners**: each run's ``winner.py`` (chosen on the funnel and meta-validation), its
  fitness there, whether the run showed meta-overfitting (``finish.meta_overfitting``),
  and the ``validate`` command that compares the winners with tuned AdamW and Lion on the
  held-out target tier.

The study is resumable: ``study.json`` lists the finished runs, a seed with a run
directory but no entry there is resumed (``evolve --resume``), and a finished seed is
skipped. ``study.md`` and ``study.json`` are rewritten after every run.
"""

from __future__ import annotations

import dataclasses
import json
import math
import statistics
from pathlib import Path
from collections.abc import Callable

from discover.search import rundir as runs


@dataclasses.dataclass
class RunSummary:
  """What one search of the study found."""

  seed: int
  run_dir: str
  best_fitness: float | None
  family: str
  simplified: str  # the best program after the exact simplification steps
  evaluated: int
  seconds: float
  beat_adamw_seconds: float | None  # first proxy fitness above 0 (None: never)
  beat_adamw_evaluations: int | None
  rescored: list[tuple[float, float]]  # (proxy fitness, larger-task fitness)
  winner: str = ""  # why winner.py won ("": the run wrote none)
  winner_funnel: float | None = None  # its funnel fitness (None: not funneled or failed)
  winner_meta: float | None = None  # its meta-validation fitness
  overfitting: str | None = None  # the run's meta-overfitting, described (None: not seen)


def run_study(config_path: str, seeds: int, study_dir: Path, overrides: list[str] = (),
              budget: str | None = None, progress: bool = True,
              search: Callable | None = None) -> dict:
  """Runs (or resumes) every seed's search, then writes and returns the study summary.

  ``search`` is ``discover.search.run.run_search`` unless given (a test may count the calls); it is
  called as ``search(config, overrides, budget, resume, progress)``.
  """
  from discover.search.run import resumable, run_search  # the search imports JAX: only when run

  search = search or run_search
  study_dir.mkdir(parents=True, exist_ok=True)
  with runs.locked(study_dir):  # two studies in one folder would run each seed twice
    return _run_seeds(config_path, seeds, study_dir, overrides, budget, progress, search,
                      resumable)


def _run_seeds(config_path, seeds, study_dir, overrides, budget, progress, search,
               resumable) -> dict:
  done = _finished(study_dir)
  for seed in range(seeds):
    if str(seed) in done:
      continue
    unfinished = _run_dir_of(study_dir, seed)
    if unfinished is not None and resumable(unfinished):
      finished = search(None, [], budget, str(unfinished), progress)
    else:
      finished = search(config_path, [*overrides, f"seed={seed}", f"run.root={study_dir}"],
                        budget, None, progress)
    done[str(seed)] = str(Path(finished.run_dir).relative_to(study_dir))
    _write_finished(study_dir, done)
  finished_runs = sorted((int(seed), d) for seed, d in done.items() if int(seed) < seeds)
  summary = summarize([summarize_run(study_dir / d) for _, d in finished_runs])
  runs.write_json(study_dir / "study.json", {"runs": done, "summary": summary})
  runs.write_atomic(study_dir / "study.md", render(summary))
  return summary


def _finished(study_dir: Path) -> dict[str, str]:
  path = study_dir / "study.json"
  return dict(json.loads(path.read_text(encoding="utf-8"))["runs"]) if path.exists() else {}


def _write_finished(study_dir: Path, done: dict[str, str]) -> None:
  path = study_dir / "study.json"
  data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
  runs.write_json(path, {**data, "runs": done})


def _run_dir_of(study_dir: Path, seed: int) -> Path | None:
  """The (latest) run directory of ``seed`` under the study, finished or not."""
  found = [p for p in runs.iter_runs(study_dir)
           if json.loads((p / "manifest.json").read_text(encoding="utf-8"))["seed"] == seed]
  return found[-1] if found else None


def summarize_run(run_dir: Path) -> RunSummary:
  """One run's best program, its family, and its timings, read from its files."""
  from discover.dsl import analysis
  from discover.simplify.detect import detect
  from discover.dsl.parse import parse
  from discover.dsl.program import to_text
  from discover.simplify.steps import simplify

  events, _ = runs.read_events(run_dir / "events.jsonl")
  manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
  proxy = [e for e in events if e["event"] in ("start", "candidate")]
  # A cached child may be logged without its text; the score it copies came first.
  best = max((e for e in proxy if e["fitness"] is not None and "program" in e),
             key=lambda e: e["fitness"], default=None)
  family, simplified = "none", ""
  if best is not None:
    program = simplify(parse(best["program"]), scorer=None, detect=False).program
    match = detect(program)
    family = match.baseline if match else f"new:{analysis.dataflow_hash(program)[:10]}"
    simplified = to_text(program)
  trained = [e for e in proxy if not e["cached"]]
  beat, beat_evaluations = None, None
  for count, e in enumerate(trained, 1):
    if e["event"] == "candidate" and e["fitness"] is not None and e["fitness"] > 0:
      beat, beat_evaluations = e, count
      break
  return RunSummary(
      seed=manifest["seed"], run_dir=str(run_dir),
      best_fitness=None if best is None else best["fitness"], family=family,
      simplified=simplified, evaluated=len(trained),
      seconds=events[-1]["time"] if events else 0.0,
      beat_adamw_seconds=None if beat is None else beat["time"],
      beat_adamw_evaluations=beat_evaluations, rescored=_rescored(events),
      **_winner(run_dir, events))


def _winner(run_dir: Path, events: list[dict]) -> dict:
  """The run's winner: why it won, and its funnel and meta-validation fitness, found by
  its dataflow hash in the events; plus the run's meta-overfitting."""
  from discover.dsl import analysis
  from discover.dsl.parse import read_program
  from discover.search.finish import meta_overfitting

  overfitting = meta_overfitting(events)
  found = {"overfitting": overfitting.describe() if overfitting else None}
  path = run_dir / "winner.py"
  if not path.exists():
    return found
  key = analysis.dataflow_hash(read_program(path))
  parts = path.read_text(encoding="utf-8").split('"""')
  head = parts[1] if len(parts) > 2 else "winner.py"  # the search writes a docstring
  scores = {stage: next((e["fitness"] for e in reversed(events) if e["event"] in kinds
                         and e["hash"] == key), None)
            for stage, kinds in (("funnel", ("funnel",)), ("meta", ("meta", "final")))}
  return {**found, "winner": head.removeprefix("Winner: ").rstrip("."),
          "winner_funnel": scores["funnel"], "winner_meta": scores["meta"]}


def _rescored(events: list[dict]) -> list[tuple[float, float]]:
  """(proxy, larger-task) fitness of each re-scored program, once per program and stage."""
  pairs, seen = [], set()
  for e in events:
    if e["event"] not in ("funnel", "meta", "final") or e.get("proxy_fitness") is None:
      continue
    stage = "meta" if e["event"] == "final" else e["event"]  # a finalist's meta-validation
    if e["fitness"] is None or (stage, e["hash"]) in seen:
      continue
    seen.add((stage, e["hash"]))
    pairs.append((e["proxy_fitness"], e["fitness"]))
  return pairs


def summarize(summaries: list[RunSummary]) -> dict:
  """The study's figures over its runs (see the module docstring)."""
  fitness = [s.best_fitness for s in summaries if s.best_fitness is not None]
  families: dict[str, list[int]] = {}
  for s in summaries:
    families.setdefault(s.family, []).append(s.seed)
  pairs = [pair for s in summaries for pair in s.rescored]
  beat = [s.beat_adamw_seconds for s in summaries if s.beat_adamw_seconds is not None]
  return {
      "runs": [dataclasses.asdict(s) for s in summaries],
      "families": dict(sorted(families.items(), key=lambda kv: (-len(kv[1]), kv[0]))),
      "best_fitness": _spread(fitness),
      "beat_adamw": {"runs": len(beat), "of": len(summaries),
                     "median_seconds": statistics.median(beat) if beat else None},
      "proxy_vs_larger": {"pairs": len(pairs), "spearman": spearman(pairs)},
      "overfitting": {"runs": sum(s.overfitting is not None for s in summaries),
                      "of": len(summaries)},
  }


def _spread(values: list[float]) -> dict:
  if not values:
    return {"min": None, "median": None, "max": None, "std": None}
  return {"min": min(values), "median": statistics.median(values), "max": max(values),
          "std": statistics.stdev(values) if len(values) > 1 else 0.0}


def spearman(pairs: list[tuple[float, float]]) -> float | None:
  """Spearman's rank correlation (``proxies.spearman``: ties get average ranks); None under
  3 pairs or no variation."""
  from discover.bench.proxies import spearman as rho

  if len(pairs) < 3:
    return None
  value = rho([p[0] for p in pairs], [p[1] for p in pairs])
  return None if math.isnan(value) else value


def render(summary: dict) -> str:
  """The study as markdown."""
  f, beat, proxy = summary["best_fitness"], summary["beat_adamw"], summary["proxy_vs_larger"]
  n = len(summary["runs"])
  lines = ["# Study", "",
           f"{n} independent searches. Fitness is log10 improvement over tuned AdamW "
           "(0: as good; higher is better).", "",
           "## Program families found", "", "| family | runs | seeds |", "| --- | --- | --- |"]
  lines += [f"| {name} | {len(seeds)}/{n} | {', '.join(map(str, seeds))} |"
            for name, seeds in summary["families"].items()]
  lines += ["", "## Best proxy fitness", "",
            f"min {_fmt(f['min'])}, median {_fmt(f['median'])}, max {_fmt(f['max'])}, "
            f"standard deviation {_fmt(f['std'])}", "",
            "## Time to beat tuned AdamW on the proxy", "",
            f"{beat['runs']} of {beat['of']} runs; median {_seconds(beat['median_seconds'])}",
            "",
            "| seed | best fitness | family | evaluated | beat AdamW after | run |",
            "| --- | --- | --- | --- | --- | --- |"]
  for r in summary["runs"]:
    after = ("never" if r["beat_adamw_seconds"] is None else
             f"{_seconds(r['beat_adamw_seconds'])}, {r['beat_adamw_evaluations']} evaluations")
    lines.append(f"| {r['seed']} | {_fmt(r['best_fitness'])} | {r['family']} | "
                 f"{r['evaluated']} | {after} | {Path(r['run_dir']).name} |")
  rho = proxy["spearman"]
  lines += ["", "## How well the proxy predicts larger tasks", "",
            f"Spearman rank correlation of proxy fitness with funnel and meta-validation "
            f"fitness over {proxy['pairs']} re-scored programs: "
            f"{'n/a (fewer than 3 pairs)' if rho is None else format(rho, '+.2f')}", ""]
  lines += _winners(summary)
  for r in summary["runs"]:
    if r["simplified"]:
      lines += [f"### Seed {r['seed']}: {r['family']}", "", "```python",
                r["simplified"].rstrip(), "```", ""]
  return "\n".join(lines)


def _winners(summary: dict) -> list[str]:
  over = summary["overfitting"]
  lines = ["## Winners", "",
           "Each run's `winner.py`, chosen on the funnel and meta-validation, never on the "
           f"proxy alone. Meta-overfitting (the best so far rising on the proxy while falling "
           f"on meta-validation) in {over['runs']} of {over['of']} runs.", "",
           "| seed | funnel | meta-validation | meta-overfitting | why it won |",
           "| --- | --- | --- | --- | --- |"]
  for r in summary["runs"]:
    over_text = "-" if r["overfitting"] is None else r["overfitting"].split(": ", 1)[1]
    lines.append(f"| {r['seed']} | {_fmt(r['winner_funnel'])} | {_fmt(r['winner_meta'])} | "
                 f"{over_text} | {r['winner'] or 'no winner.py'} |")
  winners = [str(Path(r["run_dir"]) / "winner.py") for r in summary["runs"] if r["winner"]]
  if winners:
    lines += ["", "Validate the winners against tuned AdamW and Lion on the held-out target "
              "tier (equal tuning budgets, test scores with 95% intervals):", "", "```bash",
              "python -m discover validate " + " ".join(winners)
              + " --baselines adamw,lion --tasks target --seeds 5", "```"]
  return lines + [""]


def _fmt(x: float | None) -> str:
  return "-" if x is None else f"{x:+.4f}"


def _seconds(x: float | None) -> str:
  return "-" if x is None else f"{x:.0f} s"
