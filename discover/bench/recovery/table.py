"""The recovery benchmark's table: target x noise level -> how often, and how fast.

A cell counts the finished searches of one target at one noise level, how many recovered
the target, and the median number of evaluations to recovery over those that did. A
second table gives the median best fitness each cell's searches reached (the target's own
is the cap, 6, at noise 0 and about ``-log10(noise)`` otherwise), so a cell with no
recovery still shows how close the search came. Both are written as markdown
(``table.md``) and JSON (``table.json``, with the benchmark's settings).
"""

from __future__ import annotations

import statistics
from pathlib import Path

from discover.search import rundir as runs


def table(spec: dict, records: list[dict]) -> dict:
  """Cells for every target and noise level of ``spec`` (``recovery.Spec.to_dict()``)."""
  cells = []
  for target in spec["targets"]:
    for noise in spec["noise"]:
      mine = [r for r in records if r["target"] == target and r["noise"] == noise]
      hits = [r["evaluations"] for r in mine if r["recovered"]]
      cells.append({
          "target": target, "noise": noise, "searches": len(mine), "recovered": len(hits),
          "rate": len(hits) / len(mine) if mine else None,
          "median_evaluations": statistics.median(hits) if hits else None,
          "median_best_fitness": _median([r["best_fitness"] for r in mine]),
          "median_evaluations_per_second": _median(
              [r["evaluations_per_second"] for r in mine if "evaluations_per_second" in r])})
  return {"spec": dict(spec), "cells": cells}


def _median(values: list) -> float | None:
  values = [v for v in values if v is not None]
  return statistics.median(values) if values else None


def render(result: dict) -> str:
  """Markdown: recovered/searches (median evaluations to recovery), then best fitness."""
  spec, cells = result["spec"], result["cells"]
  header = ["| target | " + " | ".join(f"noise {n:g}" for n in spec["noise"]) + " |",
            "| --- |" + " --- |" * len(spec["noise"])]
  rows = lambda fmt: [f"| {t} | " + " | ".join(fmt(c) for c in cells if c["target"] == t)
                      + " |" for t in spec["targets"]]
  speeds = [c["median_evaluations_per_second"] for c in cells]
  speed = _median(speeds)
  return "\n".join([
      f"Recovery: {spec['seeds']} seeds x {spec['budget']} evaluations per search, start "
      f"{spec['start']!r}. A cell is recovered/searches (median evaluations to recovery).",
      "", *header, *rows(_rate), "",
      "Median best fitness reached (an exact match scores 6 at noise 0, about "
      "-log10(noise) otherwise):", "", *header, *rows(_fitness), "",
      f"Median search speed: {speed:.1f} evaluations/s." if speed else ""]).rstrip() + "\n"


def _rate(cell: dict) -> str:
  if not cell["searches"]:
    return "-"
  median = cell["median_evaluations"]
  return f"{cell['recovered']}/{cell['searches']}" + (
      f" ({median:,.0f})" if median is not None else "")


def _fitness(cell: dict) -> str:
  value = cell["median_best_fitness"]
  return "-" if value is None else f"{value:.2f}"


def write_table(spec: dict, records: list[dict], bench_dir: Path) -> dict:
  """Writes table.md and table.json (atomically); returns the table."""
  result = table(spec, records)
  runs.write_atomic(bench_dir / "table.md", render(result))
  runs.write_json(bench_dir / "table.json", result)
  return result
