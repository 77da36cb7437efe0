"""The landscape: every baseline, tuned alike, on every task of every tier
(``python -m discover bench landscape``).

What a search could find on each tier: does tuned Lion beat tuned AdamW anywhere, and where?
Each baseline gets ``validate``'s protocol (``discover.validate.protocol``): the same number
of quasirandom learning-rate and weight-decay trials around its conventional values, the
trial with the best mean validation metric chosen, and its score over seeds ``0..N-1`` as a
mean with a 95% Student-t interval. Tasks with a held-out test split are scored on it; the
others (the digits tasks use every image for training or validation) on the chosen trial's
own validation metric, which favours no optimizer over another.

Output in ``--out``: ``landscape.md`` (one table per tier, a row per task, a column per
baseline, the best mean per task in bold), ``results.json`` (every trial) and the run log
``runs.jsonl``, keyed as ``validate``'s, so running the same command again trains only what
the log lacks, and ``replay`` retrains any sample of it.
"""

from __future__ import annotations

import dataclasses
import math
import time

from discover.dsl.baselines import BASELINES
from discover.errors import UserError
from discover.search import rundir as runs
from discover.validate import protocol
from discover.validate import report as validate_report
from discover.validate.report import digits, json_safe

DEFAULT_TASKS = "proxy,funnel,target"


def command(tasks: str, baselines: str, trials_spec: str, seeds_spec: str, out: str,
            progress: bool = True, lr_scale: str = "1") -> str:
  """Runs (or continues) the landscape; writes ``out``; returns the tables.

  ``lr_scale`` moves every learning-rate search's centre by that factor (the trials keep
  their spread): where the chosen rates sit at an edge of the default search.

  Raises:
    UserError: an unknown task, tier or baseline, a bad count or scale, or an output
      directory that cannot be written.
  """
  trial_count = protocol.count(trials_spec, "--trials", 1)
  seeds = range(protocol.count(seeds_spec, "--seeds", 2))
  scale = _scale(lr_scale)
  names = task_names(tasks)
  chosen = list(BASELINES) if baselines == "all" else protocol.baseline_names(baselines)
  if not chosen:
    raise UserError("--baselines: name at least one baseline (or all)")
  opts = [dataclasses.replace(o, lr_centre=o.lr_centre * scale)
          for o in protocol.optimizers(chosen)]
  out_dir = protocol.output_dir(out)
  protocol.write_manifest(out_dir, ["bench", "landscape", "--tasks", ",".join(names),
                                    "--baselines", ",".join(chosen), "--trials",
                                    str(trial_count), "--seeds", str(len(seeds)),
                                    "--lr-scale", repr(scale)])
  start = time.perf_counter()
  trained, results = protocol.run_all(names, opts, trial_count, seeds,
                                       protocol.RunLog(out_dir / "runs.jsonl"), progress)
  text = render(names, [o.label for o in opts], results, trial_count, len(seeds), scale)
  try:
    (out_dir / "landscape.md").write_text(text, encoding="utf-8")
    runs.write_json(out_dir / "results.json", json_safe(
        {"protocol": protocol.describe(names, opts, trial_count, seeds), "results": results}))
  except OSError as e:
    raise UserError(f"cannot write to {out_dir}: {e.strerror or e}") from None
  return (f"{text}\nwrote {out_dir}: landscape.md, results.json ({trained} runs trained, "
          f"{time.perf_counter() - start:.0f}s)")


def _scale(text: str) -> float:
  try:
    value = float(text)
  except (TypeError, ValueError):
    raise UserError(f"--lr-scale expects a number, got {text!r}") from None
  if not (math.isfinite(value) and value > 0):
    raise UserError(f"--lr-scale must be a positive number, got {text!r}")
  return value


def task_names(spec: str) -> list[str]:
  """Task names from a comma-separated list of tiers and task names, in tier order."""
  from discover.tasks import task_list

  names: list[str] = []
  for part in (p.strip() for p in spec.split(",")):
    if part:
      names += [n for n in task_list(part) if n not in names]
  if not names:
    raise UserError(f"--tasks: no task in {spec!r}")
  return names


def render(tasks: list[str], labels: list[str], results: list[dict], trials: int,
           seeds: int, lr_scale: float = 1.0) -> str:
  """One markdown table per tier: mean ± half-width of the 95% interval, best in bold."""
  from proxy_tasks import get_task

  by_cell = {(r["task"], r["optimizer"]): r for r in results}
  best = validate_report.best_by_task(results)
  lines = ["# Landscape", "",
           f"Every baseline gets {trials} trials of learning rate and weight decay (validate's "
           f"protocol), chosen on validation, scored over {seeds} seeds: mean ± half-width of "
           "the 95% Student-t interval. Lower is better for a loss. A task marked * has no "
           "test split and is scored on the chosen trial's validation metric. ↑ (↓): the "
           "chosen learning rate is the largest (smallest) tried, so a search reaching "
           "further may do better."
           + ("" if lr_scale == 1 else f" Every learning-rate search is centred at "
              f"{lr_scale:g} times the baseline's conventional rate.")]
  tiers = list(dict.fromkeys(get_task(t).tier for t in tasks))
  for tier in tiers:
    mine = [t for t in tasks if get_task(t).tier == tier]
    lines += ["", f"## {tier}", "", "| task | " + " | ".join(labels) + " |",
              "| --- |" + " --- |" * len(labels)]
    for task in mine:
      cells = [by_cell.get((task, label)) for label in labels]
      marks = "*" if any(c and c.get("scored_on") == "validation" for c in cells) else ""
      row = " | ".join(_cell(c, c is best.get(task)) for c in cells)
      lines.append(f"| {task}{marks} | {row} |")
  return "\n".join(lines) + "\n"


def _cell(result: dict | None, best: bool) -> str:
  if result is None:
    return ""
  if result["chosen"] is None:
    return "diverged"
  score = result["test"]
  half = (score["high"] - score["low"]) / 2
  text = f"{digits(score['mean'], 4)} ± {digits(half, 2)}"
  return (f"**{text}**" if best else text) + _edge(result)


def _edge(result: dict) -> str:
  """An arrow up (down) where the chosen learning rate is the largest (smallest) tried."""
  if not result.get("lr_at_edge"):
    return ""
  top = result["learning_rate"] == max(t["learning_rate"] for t in result["trials"])
  return " ↑" if top else " ↓"
