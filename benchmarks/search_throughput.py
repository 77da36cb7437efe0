"""Prints how fast the search's main process makes children, and where the time goes.

The search's own work (tournament, mutation, abstract execution, the dataflow hash, the
probe fingerprint, the event log) runs in the main process for every child, trained or
answered by a cache. When training is cheap (the recovery benchmark's match fitness) or
the caches answer for most children (a long search), it decides the evaluations per
second. This runs one recovery search (target, noise 0, seed 0, the SGD start: the
benchmark's own settings) for ``--budget`` evaluations under cProfile and prints children
per second, evaluations per second and the cache hit rate of a plain run, then the
cumulative time of each step of ``Search._child`` per child from a second, identical run
under cProfile (which inflates every figure; compare steps with each other).

    python benchmarks/search_throughput.py [--budget 500] [--target rmsprop]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path

from discover.bench.recovery import benchmark as recovery

STEPS = {  # what each step of making a child is, by the function that does it
    "evolution.py:ask": "tournament + mutation (incl. analysis.check)",
    "mutate.py:mutate": "  of which mutation + analysis.check",
    "analysis.py:live_count_and_hash": "live count and dataflow hash",
    "analysis.py:hash": "  of which hashing (children whose edit was not neutral)",
    "behaviour.py:fingerprint": "probe fingerprint",
    "loop.py:_log": "event log",
    "match.py:evaluate": "match fitness (the evaluation)",
}


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--budget", type=int, default=500)
  parser.add_argument("--target", default="rmsprop")
  args = parser.parse_args()
  key = (args.target, 0.0, 0)
  with tempfile.TemporaryDirectory() as root:
    warm = recovery.Spec(targets=(args.target,), noise=(0.0,), seeds=1, budget=5)
    recovery.run_search(warm, key, Path(root))  # compiles the streams and the prober
    spec = recovery.Spec(targets=(args.target,), noise=(0.0,), seeds=1, budget=args.budget)
    start = time.perf_counter()
    record = recovery.run_search(spec, key, Path(root))
    seconds = time.perf_counter() - start
    children = record["generated"]
    print(f"{record['evaluated']} evaluations, {children} children, cache hit rate "
          f"{record['hit_rate']:.1%}, {seconds:.1f} s")
    print(f"  {children / seconds:.0f} children/s, {record['evaluated'] / seconds:.1f} "
          f"evaluations/s, {1000 * seconds / children:.2f} ms per child in all")
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    record = recovery.run_search(spec, key, Path(root))
    profile.disable()
    seconds = time.perf_counter() - start
  print(f"under cProfile: {seconds:.1f} s, {1000 * seconds / children:.2f} ms per child")
  stats = pstats.Stats(profile).stats
  for where, what in STEPS.items():
    file, name = where.split(":")
    total = sum(v[3] for (path, _, func), v in stats.items()
                if path.endswith(file) and func == name)
    print(f"  {1000 * total / children:6.3f} ms per child  {what}")


if __name__ == "__main__":
  main()
