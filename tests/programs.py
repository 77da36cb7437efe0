"""Random valid programs for tests (a stand-in until the search's mutator exists)."""

from __future__ import annotations

import numpy as np

from discover import analysis
from discover.program import Const, Program, ProgramError, Statement, Var
from primitives import REGISTRY

# Ops whose results stay tame on small inputs, so random programs run without overflow.
TAME_OPS = ("add", "sub", "mul", "div", "interp", "sign", "sqrt", "abs", "tanh", "clip",
            "square", "max", "min", "negative", "global_norm", "clip_by_global_norm")


def random_program(rng: np.random.Generator, n_statements: int = 8, n_slots: int = 2,
                   ops=TAME_OPS, uses_step: bool = False) -> Program:
  """A random program that passes ``analysis.check``; its update depends on g."""
  slots = tuple(f"s{i}" for i in range(n_slots))
  while True:
    names = ["w", "g", *slots, "lr"] + (["step"] if uses_step else [])
    statements = []
    for i in range(n_statements):
      op = REGISTRY[ops[rng.integers(len(ops))]]
      args = tuple(Var(names[rng.integers(len(names))]) if rng.random() < 0.75
                   else Const(float(np.round(rng.normal(), 3))) for _ in range(op.arity))
      target = names[rng.integers(2, len(names))] if rng.random() < 0.3 else f"t{i}"
      statements.append(Statement(target, op.name, args))
      names.append(target)
    statements.append(Statement("update", "mul", (Var(statements[-1].target), Var("g"))))
    program = Program(slots, tuple(statements), "update", uses_step)
    try:
      analysis.check(program)
      return program
    except ProgramError:
      continue
