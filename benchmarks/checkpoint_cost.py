"""Prints what a checkpoint and a resume cost as a run grows.

A checkpoint writes the search's whole state (population, the fitness caches, the queue)
as JSON to a temporary file, fsyncs and renames it; the event log is fsynced first. Its
size grows with the caches, one entry per distinct program scored. For each cache size
this prints the checkpoint's size and time, the time to re-read the log (what counting
its events by parsing it, as checkpoints once did, cost on every checkpoint), and the
time ``resume.restore`` takes to load the checkpoint and tell again the events logged
after it (``run.checkpoint_every`` evaluations' worth, with their cache hits).

    python benchmarks/checkpoint_cost.py [--sizes 1000,10000,100000] [--tail 200]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from discover.dsl import analysis
from discover import config as config_lib
from discover.search import rundir as runs
from discover.dsl.baselines import baseline_program
from discover.search.mutate import mutate
from discover.dsl.program import to_text
from discover.search import resume
from discover.search.loop import Search


def _best_of(fn, repeats: int = 5) -> float:
  times = []
  for _ in range(repeats):
    start = time.perf_counter()
    fn()
    times.append(time.perf_counter() - start)
  return min(times)


def _filler_event(program, rng: np.random.Generator) -> dict:
  """An event the size of a trained candidate's (program text, metrics, timings)."""
  return {"event": "candidate", "id": -1, "parent": -1, "mutation": "modify", "detail": "x",
          "hash": analysis.dataflow_hash(program), "fitness": float(rng.normal()),
          "cached": False, "program": to_text(program), "probe": "0" * 32,
          "metrics": {"digits_mlp": [0.1], "digits_mlp_long": [0.1]}, "failure": None,
          "seconds": 0.05, "time": 1.0}


def _grown_run(run_dir: Path, size: int, tail: int, rng: np.random.Generator) -> Search:
  """A run whose caches hold ``size`` entries and whose log has as many events, then
  ``tail`` evaluations (real children, made-up scores) past a checkpoint kept aside."""
  cfg = config_lib.load(overrides=["search.behaviour_hash=false", "funnel.tasks=[]",
                                   "meta_validation.tasks=[]", f"run.checkpoint_every={tail}"])
  start = baseline_program("adamw_paper")
  search = Search(cfg, run_dir, start)
  search.evolution.seed_population(start, 0.0)
  search.caches.proxy = {f"{i:032x}": float(rng.normal()) for i in range(size)}
  search.caches.behaviour = {f"{i:032x}": float(rng.normal()) for i in range(size // 4)}
  filler = json.dumps(_filler_event(mutate(start, rng)[0], rng)) + "\n"
  (run_dir / "events.jsonl").write_text(filler * size)
  search.events, search._clock = runs.EventLog(run_dir / "events.jsonl"), time.perf_counter()
  search.checkpoint()
  (run_dir / "before-tail.json").write_bytes((run_dir / "checkpoint.json").read_bytes())
  while search.counters.evaluated < tail:  # the events a resume tells again
    child = search._child()
    if child is not None:
      search.record(child, _scored(child.child.genome, rng))
  search.events.close()
  return search


def _scored(program, rng: np.random.Generator):
  from discover.execute.evaluate import Evaluation
  return Evaluation(float(rng.normal()), {"digits_mlp": (0.1,)}, None, 0.05)


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--sizes", default="1000,10000,100000")
  parser.add_argument("--tail", type=int, default=200)
  args = parser.parse_args()
  rng = np.random.default_rng(0)
  print(f"{'cache':>8} {'checkpoint':>11} {'write':>9} {'re-read log':>12} "
        f"{'resume (+' + str(args.tail) + ' evals)':>22}")
  for size in (int(s) for s in args.sizes.split(",")):
    with tempfile.TemporaryDirectory() as d:
      run_dir = Path(d)
      search = _grown_run(run_dir, size, args.tail, rng)
      search.events = runs.EventLog(run_dir / "events.jsonl")
      write = _best_of(search.checkpoint)
      search.events.close()
      nbytes = (run_dir / "checkpoint.json").stat().st_size
      reread = _best_of(lambda run_dir=run_dir: len(runs.read_events(run_dir / "events.jsonl")[0]), 3)
      (run_dir / "before-tail.json").replace(run_dir / "checkpoint.json")
      resumed = Search(search.cfg, run_dir, search.start)
      start = time.perf_counter()
      resume.restore(resumed)
      resume_seconds = time.perf_counter() - start
      print(f"{size:>8} {nbytes / 2**20:>9.1f}MB {write * 1e3:>7.0f}ms {reread * 1e3:>10.0f}ms "
            f"{resume_seconds:>21.2f}s")


if __name__ == "__main__":
  main()
