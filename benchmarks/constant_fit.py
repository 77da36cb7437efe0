"""How well and how fast constant fitting recovers each recovery target's constants.

For every target of the recovery benchmark, its right structure with wrong constants (each
interp weight set to 0.5, every other constant multiplied by 1.7) is fitted by
``MatchEvaluator.fit``; the script prints the match fitness before and after (6 is an
exact match) and the CPU time of the fit, once compiled.

    python benchmarks/constant_fit.py [--seeds N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from discover.bench.recovery.match import MatchEvaluator
from discover.bench.recovery.targets import TARGETS
from discover.dsl.program import Const, Statement
from discover.execute import fit


def perturbed(program):
  """The target with its interp weights at 0.5 and its other constants times 1.7."""
  statements = []
  for stmt in program.statements:
    args = tuple(Const(0.5 if stmt.op == "interp" and k == 2 else a.value * 1.7)
                 if isinstance(a, Const) else a for k, a in enumerate(stmt.args))
    statements.append(Statement(stmt.target, stmt.op, args))
  return program.replace(statements=tuple(statements))


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--seeds", type=int, default=3, help="noise seeds per target")
  args = parser.parse_args()
  print(f"{'target':18} {'constants':>9} {'before':>7} {'after':>18} {'cpu s':>12}")
  for name, target in TARGETS.items():
    before, after, seconds = [], [], []
    for seed in range(args.seeds):
      evaluator = MatchEvaluator(target.text, noise_seed=seed)
      start = perturbed(target.program)
      evaluator.fit(start)  # compiles once per process
      clock = time.process_time()
      result = evaluator.fit(start)
      seconds.append(time.process_time() - clock)
      before.append(evaluator.evaluate(start).fitness)
      after.append(result.fitness)
    print(f"{name:18} {len(fit.live_constants(target.program)):9d} {np.mean(before):7.2f} "
          f"{np.mean(after):7.2f} (min {min(after):5.2f}) {np.mean(seconds):7.3f}")


if __name__ == "__main__":
  main()
