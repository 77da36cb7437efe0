"""Writes the committed program set that ``bench proxies`` scores candidate proxies on.

``discover/bench/proxy_programs.jsonl``: one JSON object a line (name, origin, program
text), distinct by dataflow hash. Two kinds of program, so that the set spans both what a
search starts from and what it produces:

* **baselines** (origin "baseline"): every baseline at its conventional learning rate
  (``discover.validate.protocol.CONVENTIONAL``, 1 for one that writes its own) and at 0.3
  and 3 times it, plus a few at other betas or weight decay (``VARIANTS``). Task schedules
  feed ``lr`` as a cosine from 1.0, so each carries its learning rate as a first statement
  ``lr = lr * c``, the form a search's programs carry theirs in.
* **mutants** (origin: the study run they came from): ``MUTANTS_PER_RUN`` uncached,
  finished candidates of each search of the committed study
  ``runs/reference/study_small/study``, at evenly spaced ranks of their recorded proxy
  fitness (worst to best), so the set spans that range rather than its top.

Deterministic: running it twice writes the same file.

    python benchmarks/make_proxy_set.py [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from discover.dsl import analysis
from discover.dsl.baselines import BASELINES, baseline_program
from discover.dsl.parse import parse
from discover.dsl.program import Const, Program, Statement, Var, to_text
from discover.validate.protocol import CONVENTIONAL

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "discover" / "bench" / "proxy_programs.jsonl"
STUDY = ROOT / "runs" / "reference" / "study_small" / "study"
LR_FACTORS = (1.0, 0.3, 3.0)
MUTANTS_PER_RUN = 6
# Baseline -> other hyperparameters, each at the conventional learning rate only: common
# alternatives (a language model's Adam b2, Lion's LM betas) and a few far from default.
VARIANTS = {
    "momentum": [{"momentum": 0.5}],
    "nesterov": [{"momentum": 0.99}],
    "adam": [{"b2": 0.99}, {"b1": 0.5}],
    "adamw": [{"weight_decay": 0.1}],
    "rmsprop": [{"decay": 0.99}],
    "lion": [{"b1": 0.95, "b2": 0.98}],
    "signum": [{"beta": 0.5}],
}


def with_lr(program: Program, factor: float) -> Program:
  """The program with ``lr = lr * factor`` first (unchanged for a factor of 1)."""
  if factor == 1.0:
    return program
  first = Statement("lr", "mul", (Var("lr"), Const(float(f"{factor:.6g}"))))
  return program.replace(statements=(first, *program.statements))


def _label(value: float) -> str:
  return f"{value:g}"


def baselines() -> list[dict]:
  """Every baseline at three learning rates, then the variants, in registry order."""
  rows = []
  for name in BASELINES:
    centre = CONVENTIONAL.get(name, (1.0, None))[0]
    for factor in LR_FACTORS:
      suffix = "" if factor == 1.0 else f"_lr_x{_label(factor)}"
      rows.append((f"{name}{suffix}", with_lr(baseline_program(name), centre * factor)))
    for hyperparameters in VARIANTS.get(name, []):
      suffix = "".join(f"_{k}_{_label(v)}" for k, v in hyperparameters.items())
      rows.append((f"{name}{suffix}", with_lr(baseline_program(name, **hyperparameters),
                                               centre)))
  return [{"name": n, "origin": "baseline", "program": to_text(p)} for n, p in rows]


def candidates(events: Path) -> list[tuple[float, int, str]]:
  """(recorded fitness, id, program text) of each trained, finished candidate of a run."""
  found = []
  for line in events.read_text(encoding="utf-8").splitlines():
    record = json.loads(line)
    fitness = record.get("fitness")
    if (record.get("event") == "candidate" and record.get("cached") is False
        and isinstance(fitness, float) and math.isfinite(fitness)):
      found.append((fitness, record["id"], record["program"]))
  return sorted(found)


def spread(items: list, count: int) -> list:
  """``count`` items at evenly spaced positions, first and last included."""
  if len(items) <= count:
    return list(items)
  return [items[round(i * (len(items) - 1) / (count - 1))] for i in range(count)]


def mutants(seen: set[str]) -> list[dict]:
  """``MUTANTS_PER_RUN`` of each study run's candidates, spread over its fitness range;
  none whose dataflow hash is in ``seen``, which the chosen join."""
  rows = []
  for run in sorted(p for p in STUDY.iterdir() if (p / "events.jsonl").exists()):
    fresh = {}
    for fitness, ident, text in candidates(run / "events.jsonl"):
      digest = analysis.dataflow_hash(parse(text))
      if digest not in seen and digest not in fresh:
        fresh[digest] = (fitness, ident, text)
    chosen = spread(sorted(fresh.items(), key=lambda item: item[1]), MUTANTS_PER_RUN)
    seen.update(digest for digest, _ in chosen)
    origin = str(run.relative_to(ROOT / "runs" / "reference"))
    rows += [{"name": f"{run.name.rsplit('-', 1)[-1]}_id{ident}", "origin": origin,
              "program": text} for _, (_, ident, text) in chosen]
  return rows


def program_set() -> list[dict]:
  rows = baselines()
  hashes = [analysis.dataflow_hash(parse(r["program"])) for r in rows]
  if len(set(hashes)) != len(hashes):
    raise SystemExit("two baselines of the set share a dataflow hash")
  return rows + mutants(set(hashes))


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--out", type=Path, default=OUT, help="where to write the set")
  args = parser.parse_args()
  rows = program_set()
  args.out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
  kinds = sum(r["origin"] == "baseline" for r in rows)
  print(f"wrote {args.out}: {len(rows)} programs ({kinds} baselines, "
        f"{len(rows) - kinds} mutants)")


if __name__ == "__main__":
  main()
