"""Evaluation throughput on the digits MLP proxy: new programs, an evolution stream, naive.

    python benchmarks/eval_throughput.py [--workers 2] [--count 120] [--naive 6]

Prints, one per line: evaluations/s for new programs (distinct random valid mutants of
the paper's AdamW), for a realistic evolution stream (mutants of recent mutants, where
structures recur; only programs with an unseen dataflow hash are evaluated, as in a
search), for the naive jit-per-candidate path, and the FLOP floor (FLOPs of one training
run, from XLA's cost analysis, against a large matmul's measured rate on all cores).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

TASK = "digits_mlp"


def _programs(count: int, seed: int):
  from discover.dsl import analysis
  from discover import baseline_program
  from discover.search.mutate import mutate

  rng = np.random.default_rng(seed)
  start = baseline_program("adamw_paper")
  seen, new = {analysis.dataflow_hash(start)}, []
  while len(new) < count:
    child, _ = mutate(start, rng)
    if analysis.dataflow_hash(child) not in seen:
      seen.add(analysis.dataflow_hash(child))
      new.append(child)
  seen, stream, recent = {analysis.dataflow_hash(start)}, [], [start]
  while len(stream) < count:
    child, _ = mutate(recent[rng.integers(len(recent))], rng)
    recent = (recent + [child])[-20:]
    if analysis.dataflow_hash(child) not in seen:
      seen.add(analysis.dataflow_hash(child))
      stream.append(child)
  return new, stream


OVERHEAD = []  # per-candidate wall time in the pool beyond the evaluation itself


def _rate(pool, programs) -> tuple[float, int, float]:
  """(evals/s, how many failed, evals/s implied by the trained-to-the-end ones alone)."""
  start = time.perf_counter()
  results = pool.map(programs)
  elapsed = time.perf_counter() - start
  full = [r.seconds for r in results if not r.failed]
  OVERHEAD.append(pool.workers * elapsed / len(programs) - np.mean([r.seconds for r in results]))
  return len(programs) / elapsed, len(programs) - len(full), pool.workers / np.mean(full)


def _floor() -> tuple[float, float, float]:
  """(evals/s floor, GFLOP per run, measured GFLOP/s of a large matmul on all cores)."""
  import jax
  import jax.numpy as jnp
  from proxy_tasks import get_task

  task = get_task(TASK)
  params = task.init(jax.random.key(0))
  batch = task.batch(task.stream(jax.random.key(1)), 0)
  step = jax.jit(jax.grad(task.loss)).lower(params, batch).compile()
  flops = step.cost_analysis()["flops"] * task.steps
  a = jnp.ones((2048, 2048), jnp.float32)
  matmul = jax.jit(lambda x: x @ x)
  matmul(a).block_until_ready()
  start = time.perf_counter()
  for _ in range(10):
    matmul(a).block_until_ready()
  rate = 10 * 2 * 2048**3 / (time.perf_counter() - start)
  return rate / flops, flops / 1e9, rate / 1e9


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("--workers", type=int, default=2)
  parser.add_argument("--count", type=int, default=120, help="programs per stream")
  parser.add_argument("--naive", type=int, default=6, help="programs for the naive path")
  parser.add_argument("--seed", type=int, default=0)
  args = parser.parse_args()

  from discover.search.pool import EvaluatorPool

  from discover.dsl import analysis
  from discover import baseline_program

  new, stream = _programs(args.count, args.seed)
  start = time.perf_counter()
  with EvaluatorPool(args.workers, tasks=[TASK], seeds=(0,)) as pool:
    startup = time.perf_counter() - start
    new_rate, new_failed, new_full = _rate(pool, new)
    stream_rate, stream_failed, stream_full = _rate(pool, stream)
    # Breakdown: sgd is one live statement (the model and loop alone); the paper's AdamW
    # has ten, so the difference is the machine's cost per statement and step.
    sgd, adamw = baseline_program("sgd"), baseline_program("adamw_paper")
    sgd_s = np.median([e.seconds for e in pool.map([sgd] * 10)])
    adamw_s = np.median([e.seconds for e in pool.map([adamw] * 10)])
    extra = len(analysis.live_statements(adamw)) - len(analysis.live_statements(sgd))
  with EvaluatorPool(args.workers, tasks=[TASK], seeds=(0,), method="compiled") as pool:
    naive_rate, _, _ = _rate(pool, new[:args.naive])
  floor, gflop, gflops = _floor()
  print(f"task: {TASK}, {args.workers} workers, {args.count} programs per stream")
  print(f"new      {new_rate:6.1f} evals/s  ({new_failed} diverged and stopped early; "
        f"{new_full:.1f} evals/s if all had trained to the end)")
  print(f"stream   {stream_rate:6.1f} evals/s  ({stream_failed} diverged and stopped early; "
        f"{stream_full:.1f} evals/s if all had trained to the end)")
  print(f"naive    {naive_rate:6.2f} evals/s  (jit per candidate, {args.naive} programs)")
  print(f"floor    {floor:6.1f} evals/s  ({gflop:.2f} GFLOP a run at {gflops:.0f} GFLOP/s)")
  per_statement = (adamw_s - sgd_s) / (extra * 500) * 1e6
  print(f"breakdown: model, data and loop {sgd_s * 1e3:.1f} ms a run (sgd); machine "
        f"{per_statement:.2f} us per statement and step (adamw_paper {adamw_s * 1e3:.1f} ms a "
        f"run); process overhead {np.mean(OVERHEAD[:2]) * 1e3:.2f} ms a candidate (pipes, "
        f"JSON, scheduling); worker start {startup:.1f} s (import and compile, once); no "
        f"compile per candidate")
  print(f"ratios   new/naive {new_rate / naive_rate:.0f}x, stream/naive "
        f"{stream_rate / naive_rate:.0f}x, floor/new {floor / new_rate:.2f}x, "
        f"floor/stream {floor / stream_rate:.2f}x")


if __name__ == "__main__":
  main()
