"""Simplifying a search result to a short, readable program, step by step.

The paper simplified Lion by hand; here every step is automatic and recorded:

1. constant folding: a call on constants only becomes its value (computed by the op);
2. dead code: statements that reach no output, state writes overwritten before the next
   step reads them, and state slots that never influence the update are removed
   (``analysis.live_statements``, ``analysis.useful_slots``);
3. rewriting (``discover.simplify.algebra``): the canonical short form; every rewrite is run on the
   probe gradient streams against the program before it and kept only if they agree.
   The algebra has size and time budgets (``algebra.MAX_NODES``, ``algebra.SECONDS``, ...);
   past one, the program of steps 1-2 is kept and one "algebra skipped" step says why;
4. measured pruning: a statement is replaced by one of its arguments (a ``clip`` or an
   ``arcsin`` that barely acts, a weight-decay term that does not help) when fitness
   changes by less than a tolerance, first on the screening seeds, then re-checked on
   every seed; the most harmless change is taken first, and the program is rewritten
   again after each;
5. the known-optimizer detector (``discover.simplify.detect``) names the result when it is a
   baseline up to its hyperparameters.

Steps 1-3 are exact (up to float rounding, checked); step 4 is measured and needs a
``Scorer``; without one it is skipped.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence

import jax
import jax.numpy as jnp
import numpy as np

from discover.simplify import algebra
from discover.dsl import analysis
from discover.execute.behaviour import probe_streams, shared_prober
from discover.execute.interpreter import step_function
from discover.dsl.program import Const, Program, Statement, Var, format_statement, to_text
from primitives import REGISTRY, Kind

# Probe agreement: an element agrees when within this relative error (or a tiny absolute
# one, for values near zero); a few elements may disagree, where a sign() meets a value
# that rounds to either side of zero.
RELATIVE_ERROR = 1e-3
DISAGREEING_SHARE = 0.005
PROBE_SEEDS = (20230213, 7)


@dataclasses.dataclass(frozen=True)
class Step:
  """One simplification step: what changed and why, and the program after it.

  ``change`` is the measured fitness change (new minus old) for a pruning step, None for
  an exact one.
  """

  kind: str
  detail: str
  program: Program
  change: float | None = None

  def describe(self) -> str:
    measured = "" if self.change is None else f" (fitness {self.change:+.4f})"
    return f"[{self.kind}] {self.detail}{measured}"


@dataclasses.dataclass
class Result:
  original: Program
  program: Program
  steps: list[Step]
  match: object | None = None  # a discover.simplify.detect.Match, when the result is a baseline


class Scorer:
  """Fitness of a program on screening seeds and on all seeds (``evaluate.Evaluator``s)."""

  def __init__(self, screen: Callable[[Program], float], full: Callable[[Program], float]):
    self.screen, self.full = screen, full

  @classmethod
  def on_tasks(cls, tasks: Sequence[str], seeds: Sequence[int], references,
               aggregate: str = "min") -> Scorer:
    from discover.execute.evaluate import Evaluator
    screen = Evaluator(tasks, seeds[:1], references, aggregate=aggregate)
    full = Evaluator(tasks, seeds, references, aggregate=aggregate)
    return cls(lambda p: screen.evaluate(p).fitness, lambda p: full.evaluate(p).fitness)


def simplify(program: Program, scorer: Scorer | None = None, tolerance: float = 1e-3,
             log: Callable[[Step], None] = lambda step: None, detect: bool = True) -> Result:
  """Runs every step (see the module docstring); ``log`` sees each step as it is taken."""
  steps: list[Step] = []

  def record(step: Step) -> None:
    if step.kind == SKIPPED and any(s.kind == SKIPPED for s in steps):
      return  # pruning rewrites after every change: one note says it
    steps.append(step)
    if step.kind != "rename":  # a renaming alone is not worth a line
      log(step)

  current = _exact_steps(program, record)
  if scorer is not None:
    current = prune(current, scorer, tolerance, record)
  match = None
  if detect:
    from discover.simplify import detect as detect_lib
    match = detect_lib.detect(current)
    if match is not None:
      record(Step("known optimizer", match.describe(), current))
  return Result(program, current, steps, match)


def _exact_steps(program: Program, record) -> Program:
  for exact_step in (fold_constants, remove_dead):  # each sees the previous one's result
    step = exact_step(program)
    if step:
      record(step)
      program = step.program
  for step in rewrite(program):
    record(step)
    program = step.program
  return program


# -- exact steps --------------------------------------------------------------------------


def fold_constants(program: Program) -> Step | None:
  """Replaces every use of a value computed from constants alone by that constant."""
  known: dict[str, float] = {}
  statements, folded = [], []
  for stmt in program.statements:
    args = tuple(Const(known[a.name]) if isinstance(a, Var) and a.name in known else a
                 for a in stmt.args)
    stmt = Statement(stmt.target, stmt.op, args)
    statements.append(stmt)
    value = _constant_value(stmt)
    if value is None:
      known.pop(stmt.target, None)
    else:
      known[stmt.target] = value
      folded.append(f"{format_statement(stmt)} -> {value:.7g}")
  if not folded:
    return None
  new = program.replace(statements=tuple(statements))
  if new == program:
    return None
  return Step("constant folding", "; ".join(folded), new)


def _constant_value(stmt: Statement) -> float | None:
  """The value of a call on constants only, if it is finite (computed like the machine)."""
  if not all(isinstance(a, Const) for a in stmt.args):
    return None
  op = REGISTRY[stmt.op]
  if not op.leafwise:
    return None  # tree reductions of a scalar: leave them to the dead-code pass
  args = [jnp.float32(a.value) for a in stmt.args]
  value = float(op.apply(args, [Kind.SCALAR] * len(args)))
  return value if math.isfinite(value) else None


def remove_dead(program: Program) -> Step | None:
  """Drops statements that reach no output and slots that never influence the update."""
  live = analysis.live_statements(program)
  useful = analysis.useful_slots(program)
  statements = tuple(s for i, s in enumerate(program.statements) if i in live)
  uses_step = any(isinstance(a, Var) and a.name == "step" for s in statements for a in s.args)
  new = Program(useful, statements, program.update, uses_step)
  dropped = [i + 1 for i in range(len(program.statements)) if i not in live]
  if new == program:
    return None
  parts = []
  if dropped:
    lines = ", ".join(str(i) for i in dropped)
    many = len(dropped) > 1
    parts.append(f"{len(dropped)} statement{'s' * many} that reach{'' if many else 'es'} "
                 f"no output (statement{'s' * many} {lines})")
  gone = [s for s in program.slots if s not in useful]
  if gone:
    parts.append(f"state slot{'s' * (len(gone) > 1)} {', '.join(gone)} (never read by "
                 f"a later update: written and overwritten, or unused)")
  if program.uses_step and not uses_step:
    parts.append("the unused step counter")
  return Step("dead code", "removed " + "; ".join(parts), new)


def rewrite(program: Program, seconds: float = algebra.SECONDS) -> list[Step]:
  """The canonical form (``discover.simplify.algebra``), if the probe agrees with it; past
  the algebra's budgets (size, then ``seconds`` of wall time), one "algebra skipped" step
  that keeps the program and says why."""
  try:
    new, merges = _canonical_program(program, algebra.Deadline(seconds))
  except algebra.NotExpressible:
    return []
  except algebra.OverBudget as e:
    return [Step(SKIPPED, str(e), program)]
  except RecursionError:  # the budgets' depth limits should have caught it first
    return [Step(SKIPPED, "expression too deep for SymPy (Python's recursion limit)",
                 program)]
  if new == program:
    return []
  agree, error = agrees(program, new)
  if not agree:
    return []
  steps = [Step("merge slot", f"slot {dropped} is {factor:.7g} x slot {kept}: its old "
                f"value is read as that", new) for dropped, kept, factor in merges]
  before, after = len(program.statements), len(new.statements)
  notes = _rewrites(program, new)
  if before == after and not merges and notes == _RENAMED:
    return [Step("rename", "canonical names and order", new)]
  steps.append(Step("rewrite", f"canonical form ({before} -> {after} statements): "
                    f"{notes}; probe agrees (max relative error "
                    f"{error:.1e})", new))
  return steps


SKIPPED = "algebra skipped"


def _canonical_program(program: Program, deadline: algebra.Deadline):
  """The program written back from its outputs' canonical forms, and the slot merges.

  Raises:
    algebra.NotExpressible: as ``algebra.to_program``.
    algebra.OverBudget: as the ``algebra`` checks, or past ``deadline``.
  """
  algebra.check_program(program)  # before SymPy builds anything
  symbols = algebra.input_symbols(program)
  outputs = algebra.to_expressions(program)
  algebra.check_expressions(outputs)
  outputs, merges = algebra.merge_slots(outputs, symbols, deadline)
  canonical = {}
  for output, expr in outputs.items():
    deadline.check(f"the canonical form of {output}")
    canonical[output] = algebra.canonical(expr)
  deadline.check("writing the program")
  slots = [s for s in program.slots if s in canonical]
  new = algebra.to_program(canonical, slots, program.uses_step)
  deadline.check("the probe")
  return new, merges


def _rewrites(old: Program, new: Program) -> str:
  """Which named rewrites the new form shows (for the log)."""
  ops = lambda p: [s.op for s in p.statements]
  notes = []
  if ops(new).count("sign") > ops(old).count("sign"):
    notes.append("x / sqrt(x*x) -> sign(x)")
  if _composed_interps(new) < _composed_interps(old):
    notes.append("composed interps merged")
  if len(new.slots) < len(old.slots):
    notes.append("state slot merged")
  notes.append(_RENAMED)
  return ", ".join(notes)


_RENAMED = "constants folded, canonical names and order"


def _composed_interps(program: Program) -> int:
  """Live interps reading the result of another interp."""
  live = analysis.live_statements(program)
  made_by: dict[str, str] = {}
  count = 0
  for i, stmt in enumerate(program.statements):
    if i in live and stmt.op == "interp":
      count += any(isinstance(a, Var) and made_by.get(a.name) == "interp" for a in stmt.args)
    made_by[stmt.target] = stmt.op
  return count


# -- probes -------------------------------------------------------------------------------


def probe_outputs(program: Program, seed: int) -> np.ndarray:
  """The program's updates on one probe stream (steps x elements): on the register
  machine (compiled once per seed), or through the interpreter for a program too large
  for it."""
  prober = shared_prober(seed=seed)
  out = prober.outputs(program)
  return out if out is not None else _interpreted(program, seed)


def _interpreted(program: Program, seed: int) -> np.ndarray:
  params, grads, _ = probe_streams(seed=seed)
  run = step_function(program)
  steps = len(grads)

  @jax.jit
  def trajectory(params, grads):
    def step(state, inputs):
      count, slots = state
      w, g = inputs
      lr = 0.5 + 0.5 * jnp.cos(jnp.pi * count / (2 * steps))
      update, slots = run(w, g, slots, lr, count + 1.0)
      # Negated: the machine returns optax-style updates (added to the weights), and
      # agrees() compares this with its outputs.
      return (count + 1.0, slots), -jnp.broadcast_to(update, w.shape)

    slots = tuple(jnp.zeros_like(params[0]) for _ in program.slots)
    return jax.lax.scan(step, (jnp.float32(0.0), slots), (params, grads))[1]

  return np.asarray(trajectory(jnp.asarray(params), jnp.asarray(grads)))


def agrees(a: Program, b: Program) -> tuple[bool, float]:
  """Whether two programs' updates agree on the probe streams, and the largest relative
  error among the elements that agree (see ``RELATIVE_ERROR``)."""
  worst = 0.0
  for seed in PROBE_SEEDS:
    # float64: squares of float32 updates near its largest value must not overflow.
    x, y = (probe_outputs(p, seed).astype(np.float64) for p in (a, b))
    finite = np.isfinite(x) & np.isfinite(y)
    if not np.array_equal(np.isfinite(x), np.isfinite(y)):
      return False, math.inf
    x, y = np.where(finite, x, 0.0), np.where(finite, y, 0.0)
    scale = np.sqrt(np.mean(x ** 2, axis=0, keepdims=True)) + 1e-30
    error = np.abs(x - y) / np.maximum(np.maximum(np.abs(x), np.abs(y)), 1e-6 * scale)
    bad = error > RELATIVE_ERROR
    if bad.mean() > DISAGREEING_SHARE:
      return False, float(error.max())
    worst = max(worst, float(error[~bad].max(initial=0.0)))
  return True, worst


# -- measured pruning ---------------------------------------------------------------------


def prune(program: Program, scorer: Scorer, tolerance: float, record) -> Program:
  """Replaces statements by an argument while fitness moves by less than ``tolerance``
  (either way: a change that helps a lot is a different optimizer, not a simpler one)
  from the original's, on the screening seeds and then on all seeds; the smallest change
  first; rewrites after each."""
  base_screen, base_full = scorer.screen(program), scorer.full(program)
  while True:
    trials = []
    for candidate, detail in prunings(program):
      fitness = scorer.screen(candidate)
      if math.isfinite(fitness) and abs(fitness - base_screen) < tolerance:
        trials.append((abs(fitness - base_screen), detail, candidate))
    accepted = None
    for _, detail, candidate in sorted(trials, key=lambda t: t[0]):
      full = scorer.full(candidate)
      if math.isfinite(full) and abs(full - base_full) < tolerance:
        accepted = (full, detail, candidate)
        break
    if accepted is None:
      return program
    full, detail, candidate = accepted
    step = remove_dead(candidate)
    candidate = step.program if step else candidate
    record(Step("prune", f"{detail}: fitness moves by less than {tolerance:g} on every "
                f"seed", candidate, change=full - base_full))
    program = candidate
    for step in rewrite(program):
      record(step)
      program = step.program


def prunings(program: Program):
  """Programs with one live statement's value replaced by one of its arguments."""
  kinds = analysis.check(program)
  live = analysis.live_statements(program)
  env_kinds = analysis.input_kinds(program)
  for i, stmt in enumerate(program.statements):
    if i in live and not _is_copy(stmt):
      seen = set()
      for arg in stmt.args:
        arg_kind = Kind.SCALAR if isinstance(arg, Const) else env_kinds[arg.name]
        if arg in seen or (kinds[i] == Kind.TREE and arg_kind != Kind.TREE):
          continue
        seen.add(arg)
        candidate = _replace_value(program, i, arg)
        try:
          analysis.check(candidate)
        except ValueError:
          continue
        yield candidate, (f"{format_statement(stmt)} replaced by "
                          f"{arg.name if isinstance(arg, Var) else arg.value}")
    env_kinds[stmt.target] = kinds[i]


def _is_copy(stmt: Statement) -> bool:
  return stmt.op == "mul" and stmt.args[1] == Const(1.0)


def _replace_value(program: Program, index: int, arg) -> Program:
  """Statement ``index`` removed and its value's readers reading ``arg`` instead (a copy
  ``target = arg * 1.0`` where the value is an output)."""
  target = program.statements[index].target
  later = program.statements[index + 1:]
  redefined = next((j for j, s in enumerate(later) if s.target == target), len(later))
  is_output = redefined == len(later) and target in program.outputs
  if is_output or (isinstance(arg, Var) and any(s.target == arg.name
                                                  for s in later[:redefined])):
    copy = Statement(target, "mul", (arg, Const(1.0)))
    return program.replace(statements=program.statements[:index] + (copy,) + later)
  swap = lambda a: arg if a == Var(target) else a
  rewired = tuple(Statement(s.target, s.op, tuple(map(swap, s.args))) if j <= redefined
                  else s for j, s in enumerate(later))
  return program.replace(statements=program.statements[:index] + rewired)


def render(result: Result, steps: bool = True) -> str:
  """The log of steps (unless already shown) and the final program."""
  shown = [s for s in result.steps if s.kind != "rename"]
  lines = [f"{i}. {step.describe()}" for i, step in enumerate(shown, 1)] if steps else []
  if not result.steps:
    lines = ["nothing to simplify"]
  before, after = len(result.original.statements), len(result.program.statements)
  lines += ["", f"final program ({before} -> {after} statements):", "",
            to_text(result.program).rstrip()]
  return "\n".join(lines).lstrip("\n")
