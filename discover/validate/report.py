"""What ``discover validate`` writes: the markdown table, results.json and the PNG plots.

Plots are drawn on matplotlib's Agg canvas (no display, no pyplot state): for each task,
``curves_<task>.png``, the training loss of each optimizer's chosen trial (the mean over
seeds, a band from the lowest to the highest seed); and ``scores.png``, each optimizer's
test score on each task with its confidence interval as error bars.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def write(out_dir: Path, protocol: dict, results: list[dict]) -> str:
  """Writes results.md, results.json and the plots into ``out_dir``; returns the table."""
  table = render(protocol, results)
  (out_dir / "results.md").write_text(table, encoding="utf-8")
  text = json.dumps(json_safe({"protocol": protocol, "results": results}), indent=1)
  (out_dir / "results.json").write_text(text + "\n", encoding="utf-8")
  for task in protocol["tasks"]:
    plot_curves(out_dir / f"curves_{task}.png", task, [r for r in results if r["task"] == task])
  plot_scores(out_dir / "scores.png", protocol["tasks"], results)
  return table


def render(protocol: dict, results: list[dict]) -> str:
  """The markdown table: one row per task and optimizer, the best mean per task in bold."""
  level = f"{protocol['confidence']:.0%}"
  lines = [
      "# Validation", "",
      f"Each optimizer: {protocol['trials']} trials (Halton over the learning rate, "
      f"{protocol['lr_decades']:g} decades, and the weight decay, {protocol['wd_decades']:g} "
      f"decades, where it has one), chosen on validation, scored on held-out test data over "
      f"{len(protocol['seeds'])} seeds: mean ± half-width of the {level} Student-t interval. "
      "The learning rate is the factor on the program's `lr` (a baseline's learning rate; "
      "for a program with its own learning-rate constant, a multiple of it).",
      "", f"| task | optimizer | test metric | mean ± {level} CI | median | validation | "
      "learning rate | weight decay | diverged trials | vs adamw, paired by seed |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
  best = best_by_task(results)
  for r in results:
    failed = sum(t["diverged_seeds"] > 0 for t in r["trials"])
    tail = f"{failed}/{len(r['trials'])} | {_paired(r)} |"
    if r["chosen"] is None:
      lines.append(f"| {r['task']} | {r['optimizer']} | {r['metric']} | diverged | | | | | "
                   + tail)
      continue
    t = r["test"]
    score = f"{digits(t['mean'], 4)} ± {digits((t['high'] - t['low']) / 2, 2)}"
    if best.get(r["task"]) is r:
      score = f"**{score}**"
    wd = "-" if r["weight_decay"] is None else f"{r['weight_decay']:.3g}"
    lines.append(f"| {r['task']} | {r['optimizer']} | {r['metric']} | {score} | "
                 f"{digits(t['median'], 4)} | {digits(r['validation'], 4)} | "
                 f"{r['learning_rate']:.3g}{' (edge)' * r['lr_at_edge']} | {wd} | " + tail)
  centres = "; ".join(f"{o['label']} learning rate {o['lr_centre']:g}"
                      + ("" if o["wd_centre"] is None else f", weight decay {o['wd_centre']:g}")
                      for o in protocol["optimizers"])
  lines += ["", f"Search centres: {centres}."]
  if any("vs_adamw" in r for r in results):
    lines += ["", f"vs adamw: the mean difference of test scores from adamw's, seed by seed "
              f"(the same seed: the same initialisation and batches), ± its {level} interval; "
              "better or worse where the interval is clear of zero."]
  edges = [f"{r['optimizer']} on {r['task']}" for r in results if r.get("lr_at_edge")]
  if edges:
    lines += ["", f"(edge): the chosen learning rate is the largest or smallest tried "
              f"({', '.join(edges)}); more trials may find a better one."]
  return "\n".join(lines) + "\n"


def _paired(r: dict) -> str:
  d = r.get("vs_adamw")
  if d is None:
    return "-"
  return (f"{digits(d['mean'], 3)} ± {digits((d['high'] - d['low']) / 2, 2)}: "
          f"{d['verdict']}")


def best_by_task(results: list[dict]) -> dict[str, dict]:
  best = {}
  for r in results:
    if r["chosen"] is None:
      continue
    sign = -1.0 if r["higher_is_better"] else 1.0
    held = best.get(r["task"])
    if held is None or sign * r["test"]["mean"] < sign * held["test"]["mean"]:
      best[r["task"]] = r
  return best


def json_safe(value):
  """The value with non-finite floats as None (strict JSON has no NaN)."""
  if isinstance(value, float):
    return value if math.isfinite(value) else None
  if isinstance(value, dict):
    return {k: json_safe(v) for k, v in value.items()}
  if isinstance(value, (list, tuple)):
    return [json_safe(v) for v in value]
  return value


def plot_curves(path: Path, task: str, results: list[dict]) -> None:
  """The training loss of each chosen trial over steps: seed mean, min-max band."""
  fig = Figure(figsize=(6.4, 4.0), layout="constrained")
  ax = fig.add_subplot()
  lows, highs = [], []
  for colour, r in ((f"C{n}", r) for n, r in enumerate(results) if r["chosen"] is not None):
    c = r["curve"]
    ax.plot(c["steps"], c["mean"], color=colour, label=f"{r['optimizer']} ({_hyper(r)})")
    ax.fill_between(c["steps"], c["low"], c["high"], color=colour, alpha=0.2)
    lows.append(min(c["low"]))
    highs.append(max(c["high"]))
  if ax.lines and min(lows) > 0 and max(highs) > 10 * min(lows):  # log only over decades
    ax.set_yscale("log")
  ax.set(xlabel="step", ylabel="training loss",
         title=f"{task}: chosen trials (mean over seeds, band: min to max)")
  if ax.lines:
    ax.legend(fontsize="small")
  else:
    ax.text(0.5, 0.5, "every trial diverged", ha="center", transform=ax.transAxes)
  FigureCanvasAgg(fig).print_png(str(path))


def plot_scores(path: Path, tasks: list[str], results: list[dict]) -> None:
  """One panel per task: each optimizer's mean test score, confidence interval as error bars.

  The value axis spans the intervals, not zero: the differences are what matters.
  """
  fig = Figure(figsize=(max(4.0, 3.2 * len(tasks)), 3.6), layout="constrained")
  for n, task in enumerate(tasks):
    ax = fig.add_subplot(1, len(tasks), n + 1)
    rows = [r for r in results if r["task"] == task]
    done = [r for r in rows if r["chosen"] is not None]
    means = [r["test"]["mean"] for r in done]
    errors = [[m - r["test"]["low"] for m, r in zip(means, done)],
              [r["test"]["high"] - m for m, r in zip(means, done)]]
    ax.bar(range(len(done)), means, yerr=errors, capsize=4,
           color=[f"C{rows.index(r)}" for r in done])
    ax.set_xticks(range(len(done)), [r["optimizer"] for r in done], rotation=30, ha="right")
    if done:
      low = min(r["test"]["low"] for r in done)
      high = max(r["test"]["high"] for r in done)
      pad = 0.5 * (high - low) or 0.05 * abs(high) or 1.0
      ax.set_ylim(max(low - pad, 0.0) if low >= 0 else low - pad, high + pad)
      ax.set_ylabel(f"test {done[0]['metric']}")
    ax.set_title(task + "".join(f"\n{r['optimizer']}: diverged"
                                for r in rows if r["chosen"] is None), fontsize="medium")
  FigureCanvasAgg(fig).print_png(str(path))


def digits(x: float, significant: int) -> str:
  """``x`` to so many significant digits, trailing zeros kept; an exponent only for a
  very small or large ``x``."""
  if x != 0 and not 1e-4 <= abs(x) < 1e6:
    return f"{x:.{significant}g}"
  return np.format_float_positional(x, precision=significant, unique=False, fractional=False,
                                    trim="k").rstrip(".")


def _hyper(r: dict) -> str:
  text = f"lr {r['learning_rate']:.3g}"
  return text if r["weight_decay"] is None else f"{text}, wd {r['weight_decay']:.3g}"
