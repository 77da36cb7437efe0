"""Tests for discover.dsl.analysis: checking, cross-step liveness and the dataflow hash."""

import json
from pathlib import Path

import numpy as np
import jax
import jax.numpy as jnp
import pytest

from discover.dsl import analysis
from discover.dsl.parse import parse
from discover.dsl.baselines import BASELINES
from discover.dsl.hyperparameters import named
from discover.execute.interpreter import as_transform
from discover.dsl.program import Const, Program, ProgramError, Statement, Var
from support import random_program

LION_RAW = """
def train(w, g, m, v, lr):
  c = clip(g, 10.0)
  junk = arcsin(m)
  v = interp(g, v, 0.5)
  u = interp(g, m, 0.9)
  u = sign(u)
  m = interp(g, m, 0.99)
  wd = w * 0.01
  u = u + wd
  u = u * lr
  v = g * 2.0
  return u, m, v
"""


def _rename(program: Program, suffix: str = "_x") -> Program:
  """Renames every assigned variable and every slot, consistently."""
  inputs = {"w", "g", "lr", "step"}
  rename = lambda n: n if n in inputs else n + suffix
  statements = tuple(
      Statement(rename(s.target), s.op,
                tuple(Var(rename(a.name)) if isinstance(a, Var) else a for a in s.args))
      for s in program.statements)
  return Program(tuple(map(rename, program.slots)), statements, rename(program.update),
                 program.uses_step)


def _without(program: Program, indices) -> Program:
  kept = tuple(s for i, s in enumerate(program.statements) if i not in indices)
  return program.replace(statements=kept)


def test_liveness_finds_dead_statements_and_dead_state_writes():
  program = parse(LION_RAW)
  # v is overwritten (v = g * 2.0) every step before anything reads it: v is dead, and so
  # are both writes to it; `c` and `junk` reach nothing.
  assert analysis.useful_slots(program) == ("m",)
  dead = set(range(len(program.statements))) - analysis.live_statements(program)
  dead_text = {program.statements[i].op + ":" + program.statements[i].target for i in dead}
  assert dead_text == {"clip:c", "arcsin:junk", "interp:v", "mul:v"}
  assert analysis.dead_fraction(program) == pytest.approx(4 / 10)


def test_useful_slots_follow_dependencies_across_steps():
  program = parse("""
def train(w, g, a, b, c, lr):
  a = interp(g, a, 0.9)
  b = interp(a, b, 0.9)
  c = c + g
  update = b * lr
  return update, a, b, c
""")
  # The update reads b; b's next value reads a (this step's, which reads the old a).
  assert analysis.useful_slots(program) == ("a", "b")


@pytest.mark.parametrize("name", list(BASELINES))
def test_baselines_have_no_dead_code(name):
  program = BASELINES[name].program()
  assert analysis.live_statements(program) == frozenset(range(len(program.statements)))
  assert analysis.useful_slots(program) == program.slots


def test_hash_ignores_names_slot_order_and_dead_code():
  program = parse(LION_RAW)
  reference = analysis.dataflow_hash(program)
  assert analysis.dataflow_hash(_rename(program)) == reference
  dead = set(range(len(program.statements))) - analysis.live_statements(program)
  pruned = _without(program, dead).replace(slots=("m",))
  pruned = pruned.replace(statements=pruned.statements)
  # Dropping the dead slot changes the signature, not the dataflow.
  assert analysis.dataflow_hash(_without(program, dead)) == reference
  swapped = parse(LION_RAW.replace("m, v, lr", "v, m, lr").replace("u, m, v", "u, v, m"))
  assert analysis.dataflow_hash(swapped) == reference
  lion = BASELINES["lion"].program(b1=0.9, b2=0.99, weight_decay=0.01)
  assert analysis.dataflow_hash(lion) == reference


@pytest.mark.parametrize("edit", [
    lambda t: t.replace("interp(g, m, 0.99)", "interp(g, m, 0.98)"),  # a constant
    lambda t: t.replace("interp(g, m, 0.9)", "interp(m, g, 0.9)"),  # argument positions
    lambda t: t.replace("sign(u)", "tanh(u)"),  # an op
    lambda t: t.replace("u = u * lr", "u = u * w"),  # an input
])
def test_hash_changes_with_constants_positions_and_ops(edit):
  program = parse(LION_RAW)
  assert analysis.dataflow_hash(parse(edit(LION_RAW))) != analysis.dataflow_hash(program)


def test_structure_hash_abstracts_constants_only():
  a = BASELINES["adam"].program(b1=0.9)
  b = BASELINES["adam"].program(b1=0.8)
  assert analysis.dataflow_hash(a) != analysis.dataflow_hash(b)
  assert analysis.dataflow_hash(a, constants=False) == analysis.dataflow_hash(b, constants=False)
  c = BASELINES["adabelief"].program()
  assert analysis.dataflow_hash(a, constants=False) != analysis.dataflow_hash(c, constants=False)


def test_constants_hash_at_float32_precision():
  text = "def train(w, g, lr):\n  update = g * {}\n  return update\n"
  same = [parse(text.format(c)) for c in (0.1, 0.1 + 1e-12)]
  assert analysis.dataflow_hash(same[0]) == analysis.dataflow_hash(same[1])
  assert analysis.dataflow_hash(parse(text.format(0.1001))) != analysis.dataflow_hash(same[0])


def test_recursive_slots_with_different_dynamics_hash_differently():
  base = "def train(w, g, m, lr):\n  m = interp(g, m, 0.9)\n  update = m * lr\n  return update, m\n"
  other = base.replace("interp(g, m, 0.9)", "interp(g, g, 0.9)")
  assert analysis.dataflow_hash(parse(base)) != analysis.dataflow_hash(parse(other))


def _trajectory(program, params, steps=6):
  tx = as_transform(program, 0.1)
  state = tx.init(params)
  key = jax.random.key(1)
  out = []
  for _ in range(steps):
    key, sub = jax.random.split(key)
    grads = jax.tree.map(lambda p, sub=sub: jax.random.normal(sub, p.shape), params)
    updates, state = tx.update(grads, state, params)
    params = jax.tree.map(jnp.add, params, updates)
    out.append(params)
  return out


@pytest.mark.parametrize("seed", range(6))
def test_removing_dead_statements_changes_neither_behaviour_nor_hash(seed, nested_params):
  rng = np.random.default_rng(seed)
  program = random_program(rng, n_statements=12, n_slots=2)
  dead = set(range(len(program.statements))) - analysis.live_statements(program)
  pruned = _without(program, dead)
  assert analysis.dataflow_hash(pruned) == analysis.dataflow_hash(program)
  assert analysis.dataflow_hash(_rename(program)) == analysis.dataflow_hash(program)
  for a, b in zip(_trajectory(program, nested_params), _trajectory(pruned, nested_params)):
    for x, y in zip(jax.tree.leaves(a), jax.tree.leaves(b)):
      np.testing.assert_array_equal(x, y)


def test_check_reports_kinds_and_rejects_programmatic_mistakes():
  ok = Program((), (Statement("n", "global_norm", (Var("g"),)),
                    Statement("update", "div", (Var("g"), Var("n")))), "update")
  assert [k.value for k in analysis.check(ok)] == ["scalar", "tree"]
  cases = {
      "unknown function 'nope'": Statement("update", "nope", (Var("g"),)),
      "takes 2 arguments, got 1": Statement("update", "add", (Var("g"),)),
      "undefined variable 'q'": Statement("update", "add", (Var("g"), Var("q"))),
      "argument 1 of 'dot' must be a tree": Statement("update", "dot", (Var("lr"), Var("g"))),
      "out of range": Statement("update", "mul", (Var("g"), Const(1e31))),
  }
  for message, stmt in cases.items():
    with pytest.raises(ProgramError, match=message) as info:
      analysis.check(Program((), (stmt,), "update"))
    assert info.value.line == 2  # the statement's line in canonical text
  scalar_update = Statement("update", "mul", (Var("lr"), Const(2.0)))
  with pytest.raises(ProgramError, match="must be a tree shaped like w") as info:
    analysis.check(Program((), (scalar_update,), "update"))
  assert info.value.line == 3  # the return's line


def test_check_limits_size():
  stmt = Statement("update", "mul", (Var("g"), Var("lr")))
  with pytest.raises(ProgramError, match="program too long"):
    analysis.check(Program((), (stmt,) * (analysis.MAX_STATEMENTS + 1), "update"))
  slots = tuple(f"s{i}" for i in range(analysis.MAX_SLOTS + 1))
  with pytest.raises(ProgramError, match="too many state slots"):
    analysis.check(Program(slots, (stmt,), "update"))


def _chain(n: int, constant: float = 0.5) -> str:
  """n statements, each reading the one before: ``u{i+1} = interp(u{i}, g, c)`` from g,
  the last one also feeding a slot (so slot labels are refined across the chain)."""
  lines = ["def train(w, g, m, lr):", f"  u1 = interp(g, m, {constant!r})"]
  lines += [f"  u{i + 1} = interp(u{i}, g, 0.5)" for i in range(1, n - 1)]
  lines += [f"  m = u{n - 1} * 0.25", f"  return u{n - 1}, m"]
  return "\n".join(lines) + "\n"


def test_a_chain_at_the_statement_cap_is_analysed_without_recursion():
  """Dependency chains as long as a program may be: a recursive walk overflowed Python's
  stack on them (RecursionError in the hash, for 500 statements already)."""
  n = analysis.MAX_STATEMENTS
  program = parse(_chain(n))
  assert len(analysis.check(program)) == n
  assert analysis.live_statements(program) == frozenset(range(n))
  assert analysis.useful_slots(program) == ("m",) and not analysis.reads_lr(program)
  key = analysis.dataflow_hash(program)
  assert analysis.live_count_and_hash(program) == (n, key)
  assert analysis.dataflow_hash(_rename(program)) == key
  assert analysis.dataflow_hash(parse(_chain(n, constant=0.25))) != key
  assert analysis.dataflow_hash(program, constants=False) == analysis.dataflow_hash(
      parse(_chain(n, constant=0.25)), constants=False)
  assert len(named(program)) == n
  params = {"a": jnp.linspace(-1.0, 1.0, 3)}
  tx = as_transform(program, 0.1)
  update, _ = tx.update(params, tx.init(params), params)
  assert np.all(np.isfinite(update["a"]))


def test_a_program_at_the_cap_still_runs_with_its_step_size_scaled():
  """Tuning the step size adds a statement (scale_learning_rate), one over the cap for a
  program at it: the evaluator must still run it, though no program may be that long."""
  from discover.execute import machine
  from discover.execute.evaluate import scale_learning_rate
  program = parse(_chain(analysis.MAX_STATEMENTS).replace("u1 = interp(g, m, 0.5)",
                                                           "u1 = interp(g, lr, 0.5)"))
  assert analysis.reads_lr(program)
  scaled = scale_learning_rate(program, 2.0)
  assert len(scaled.statements) == analysis.MAX_STATEMENTS + 1
  with pytest.raises(ProgramError, match="program too long"):
    analysis.check(scaled)
  try:
    machine.encode(scaled)
  except machine.TooLarge:
    pass  # the evaluator falls back to the interpreter
  params = {"a": jnp.linspace(-1.0, 1.0, 3)}
  tx = as_transform(scaled, 0.1)
  update, _ = tx.update(params, tx.init(params), params)
  assert np.all(np.isfinite(update["a"]))
  with pytest.raises(ProgramError, match="program too long"):
    analysis.check(scaled)  # still: having run it does not make it a valid program


# Run logs record each candidate's dataflow hash, which run logs and caches key on: it must
# be computed exactly as it was when they were written (a log of 2026-12-05, and the
# committed reference study's).
_RECORDED = [Path(__file__).resolve().parent / "data/run_20261205/events.jsonl", *sorted(
    Path(__file__).resolve().parents[1].glob("runs/reference/study_small/study/*-seed0/events.jsonl"))]


def test_dataflow_hashes_recorded_in_run_logs_are_reproduced():
  assert _RECORDED
  events = [json.loads(line) for line in _RECORDED[0].read_text().splitlines()]
  recorded = {e["program"]: e["hash"] for e in events if e.get("program") and e.get("hash")}
  assert len(recorded) > 100
  for text, key in recorded.items():
    assert analysis.dataflow_hash(parse(text)) == key, text


def _outcome(fn):
  try:
    return fn()
  except ProgramError as e:
    return str(e)


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_checking_an_edit_agrees_with_checking_the_whole_child(name):
  # check_edit skips the parent's prefix; children valid or not, kinds or message, it must
  # say what check says. The mutation makers produce the edits, invalid ones included.
  from discover.search.mutate import _MAKERS, MutationConfig
  program, rng, config = BASELINES[name].program(), np.random.default_rng(0), MutationConfig()
  outcomes = set()
  for _ in range(300):
    made = _MAKERS[("insert", "delete", "modify")[rng.integers(3)]](program, rng, config)
    if made is None:
      continue
    child, _, position = made
    whole = _outcome(lambda child=child: analysis.check(child))
    assert _outcome(lambda c=child, p=program, at=position: analysis.check_edit(c, p, at)) == whole
    outcomes.add(isinstance(whole, str))
    if not isinstance(whole, str):
      program = child
  assert outcomes == {True, False}  # both valid and invalid children were compared


EDITED = """
def train(w, g, m, lr):
  m = interp(g, m, 0.9)
  n = global_norm(g)
  u = sign(m)
  d = u * n
  u = d * lr
  return u, m
"""
_S = lambda target, op, *args: Statement(target, op, tuple(
    Var(a) if isinstance(a, str) else Const(a) for a in args))


@pytest.mark.parametrize("edit, position, valid", [
    (("insert", _S("u", "global_norm", "m")), 2, True),  # a name the parent defines later
    (("insert", _S("n", "square", "n")), 2, True),  # the same kind again
    (("insert", _S("n", "mul", "g", 2.0)), 2, True),  # a kind changes, nothing breaks
    (("insert", _S("m", "global_norm", "g")), 1, False),  # the slot becomes a scalar
    (("insert", _S("n", "global_norm", "g")), 5, True),  # after the last read
    (("delete",), 0, True),  # m is still the input slot, a tree
    (("delete",), 1, False),  # n undefined where d reads it
    (("delete",), 2, False),  # u undefined where d reads it
    (("delete",), 4, True),  # the update is then sign(m), still a tree
    (("modify", _S("u", "sign", "lr")), 2, False),  # u scalar: d, then the update, too
    (("modify", _S("d", "mul", "u", "u")), 3, True),
])
def test_checking_an_edit_that_changes_kinds_downstream_agrees_with_check(edit, position,
                                                                          valid):
  # Edits whose effect reaches past the edited statement: a name redefined with another
  # kind, a definition removed, so later statements must be checked again (or not).
  parent = parse(EDITED)
  statements = list(parent.statements)
  if edit[0] == "insert":
    statements.insert(position, edit[1])
  elif edit[0] == "delete":
    del statements[position]
  else:
    statements[position] = edit[1]
  child = parent.replace(statements=tuple(statements))
  whole = _outcome(lambda child=child: analysis.check(child))
  assert _outcome(lambda: analysis.check_edit(child, parent, position)) == whole
  assert isinstance(whole, list) == valid


def test_checking_an_edit_needs_the_parents_prefix():
  parent = BASELINES["adamw"].program()
  child = parent.replace(statements=parent.statements[1:])
  with pytest.raises(ValueError, match="prefix"):
    analysis.check_edit(child, parent, 1)


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_live_count_and_hash_of_a_child_equal_its_own_from_scratch(name):
  # A child's summary is taken from its parent when the edit is neutral; it must equal
  # what the child's own analysis gives, along lineages long enough to carry dead code.
  from discover.search.mutate import mutate
  rng = np.random.default_rng(1)
  population = [BASELINES[name].program()]
  inherited = 0
  for _ in range(400):
    parent = population[rng.integers(len(population))]
    child, _ = mutate(parent, rng)
    live, key = analysis.live_count_and_hash(child)
    scratch = analysis.Dataflow(child)  # not the memoised analysis the search shares
    assert (live, key) == (len(scratch.live), scratch.hash())
    assert analysis.live_statements(child) == scratch.live
    inherited += key == analysis.live_count_and_hash(parent)[1]
    population = (population + [child])[-20:]
  assert inherited > 50  # neutral edits were among them


# --- Whether the update reads the lr input (the step size is the user's only if it does)

READS_LR = {
    "directly": "def train(w, g, lr):\n  update = g * lr\n  return update\n",
    # lr reaches the update only through a slot, one step later.
    "through a slot": ("def train(w, g, m, lr):\n  update = g * m\n  m = m + lr\n"
                       "  return update, m\n"),
    "only in weight decay": ("def train(w, g, lr):\n  d = w * lr\n  update = g * 0.01\n"
                             "  update = update + d\n  return update\n"),
}
NEVER_READS_LR = {
    "never named": "def train(w, g, lr):\n  update = g * 0.01\n  return update\n",
    # Overwritten, then read: the name is read, the input never is.
    "overwritten then read": ("def train(w, g, m, lr):\n  m = interp(g, m, 0.9)\n"
                              "  lr = m * 0.03\n  update = sign(m)\n"
                              "  update = update * lr\n  return update, m\n"),
    "only in a dead statement": ("def train(w, g, lr):\n  x = g * lr\n  update = g * 0.1\n"
                                 "  return update\n"),
    "only in a slot the update never reads": (
        "def train(w, g, m, lr):\n  m = m + lr\n  update = g * 0.1\n  return update, m\n"),
}


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_every_baseline_reads_lr(name):
  assert analysis.reads_lr(BASELINES[name].program())


@pytest.mark.parametrize("case", READS_LR)
def test_reads_lr_when_the_lr_input_reaches_the_update(case):
  assert analysis.reads_lr(parse(READS_LR[case]))


@pytest.mark.parametrize("case", NEVER_READS_LR)
def test_does_not_read_lr_when_the_lr_input_never_reaches_the_update(case):
  program = parse(NEVER_READS_LR[case])
  assert not analysis.reads_lr(program)
  # The interpreter agrees: the update is the same under any learning rate.
  params = {"a": jnp.linspace(-1.0, 1.0, 5)}
  grads = {"a": jnp.linspace(0.5, -2.0, 5)}
  updates = []
  for lr in (1.0, 0.01):
    tx = as_transform(program, lr)
    state = tx.init(params)
    for _ in range(3):
      update, state = tx.update(grads, state, params)
    updates.append(update["a"])
  np.testing.assert_array_equal(*updates)
