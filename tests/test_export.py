"""Tests for discover.export.transform: an optax-style conformance suite over every baseline and some
random programs, each as a ``to_optax`` transformation and as an exported module.

Every optimizer's update is compiled once (module-scoped caches) and that one compile
serves the interpreter comparison, the recompile check and the convergence run; the other
checks run eagerly on small trees, so the file stays within about a minute on 2 cores.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import inspect
import itertools
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from discover.dsl import analysis
from discover import as_transform
from discover.__main__ import main
from discover.dsl.baselines import BASELINES, baseline_program
from discover.export.module import module_source
from discover.export.transform import factory, hyperparameters, state_type, to_optax
from discover.search.mutate import mutate
from discover.dsl.parse import parse
from discover.dsl.program import GRADIENT, Const, Program, Statement, Var
from primitives import REGISTRY, Kind


def _random_programs(count: int = 5) -> dict[str, Program]:
  """Mutants of random baselines whose update reads the gradient and that keep a slot."""
  rng = np.random.default_rng(0)
  names, found = list(BASELINES), {}
  while len(found) < count:
    program = baseline_program(names[rng.integers(len(names))])
    for _ in range(6):
      program, _ = mutate(program, rng)
    flow = analysis.Dataflow(program)
    _, inputs = flow.reach([flow.output(program.update)])
    if GRADIENT in inputs and analysis.useful_slots(program) and program not in found.values():
      analysis.check(program)
      found[f"random{len(found)}"] = program
  return found


# Lion on a gradient clipped by its global norm: a tree-level op, so the exported module
# runs this program on whole trees rather than leaf by leaf.
CLIPPED_LION = parse("""
def train(w, g, m, lr):
  g = clip_by_global_norm(g, 1.0)
  update = interp(g, m, 0.9)
  update = sign(update)
  m = interp(g, m, 0.99)
  decay = w * 0.001
  update = update + decay
  update = update * lr
  return update, m
""")

PROGRAMS = {name: baseline_program(name) for name in BASELINES}
PROGRAMS.update(_random_programs())
PROGRAMS["clipped_lion"] = CLIPPED_LION
FORMS = ("to_optax", "module")

# Peak learning rates (cosine decay to 1% over STEPS) under which each baseline converges.
PEAK_LR = {"sgd": 0.02, "momentum": 0.01, "nesterov": 0.005, "adam": 0.1, "adamw": 0.1,
           "rmsprop": 0.02, "adagrad": 0.3, "adabelief": 0.1, "lion": 0.03,
           "signsgd": 0.01, "signum": 0.02, "adamw_paper": 10.0}
STEPS, MATCH_STEPS = 1000, 20
CURVATURES = (3.0, 0.5)  # of the parabola, per leaf


def _schedule(name: str):
  return optax.cosine_decay_schedule(PEAK_LR.get(name, 0.01), STEPS, alpha=0.01)


def _start(dtype=jnp.float32):
  """A mixed pytree: the Rosenbrock point, and the parabola's vector and scalar leaves.

  Few shapes on purpose: eager JAX compiles each op once per shape, and eager runs are
  most of this file's cost.
  """
  return {"rosenbrock": (jnp.array([-0.5, 0.5], dtype),),
          "parabola": {"vector": jnp.array([1.0, -1.5], dtype),
                       "layers": [jnp.array(2.0, dtype)]}}


def _loss(params):
  (point,) = params["rosenbrock"]
  x, y = point[0], point[1]
  # Rosenbrock with b = 10: the classic curved valley, ten times less stiff than b = 100,
  # so that plain SGD crosses it within STEPS updates.
  rosenbrock = (1.0 - x) ** 2 + 10.0 * (y - x * x) ** 2
  parabola = sum(c * jnp.sum(leaf ** 2)
                 for c, leaf in zip(CURVATURES, jax.tree.leaves(params["parabola"])))
  return rosenbrock + parabola


@jax.jit
def _descend(params, updates):
  """Applies the updates; returns the new params and the gradient there."""
  params = optax.apply_updates(params, updates)
  return params, jax.grad(_loss)(params)


def _descent(tx, update, steps: int) -> list:
  """The params after each of ``steps`` updates on the problem, from the start."""
  params, grads = _descend(_start(), jax.tree.map(jnp.zeros_like, _start()))
  state, trajectory = tx.init(params), []
  for _ in range(steps):
    updates, state = update(grads, state, params)
    params, grads = _descend(params, updates)
    trajectory.append(params)
  return trajectory


def _import(path: Path, name: str):
  spec = importlib.util.spec_from_file_location(path.stem, path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return getattr(module, name)


def _write_and_import(path: Path, source: str, name: str):
  path.write_text(source)
  return _import(path, name)


@pytest.fixture(scope="module")
def make(tmp_path_factory):
  """(program name, form) -> its factory: export.factory, or the exported module's."""
  directory = tmp_path_factory.mktemp("exported")

  @functools.cache
  def make_factory(name: str, form: str):
    program = PROGRAMS[name]
    if form == "to_optax":
      return factory(program, name)
    return _write_and_import(directory / f"{name}.py", module_source(program, name), name)

  return make_factory


@pytest.fixture(scope="module")
def jitted(make):
  """(program name, form) -> (transformation under its schedule, its jitted update)."""

  @functools.cache
  def compile_once(name: str, form: str):
    tx = make(name, form)(_schedule(name))
    return tx, jax.jit(tx.update)

  return compile_once


def _as_exported(program: Program, learning_rate) -> optax.GradientTransformation:
  """The interpreter's transformation with export's step-size convention: a rule that never
  reads lr has its update multiplied by the learning rate (a number or a schedule)."""
  tx = as_transform(program, learning_rate)
  if analysis.reads_lr(program):
    return tx

  def update(grads, state, params=None):
    updates, new_state = tx.update(grads, state, params)
    lr = learning_rate(state.count) if callable(learning_rate) else learning_rate
    return jax.tree.map(lambda u: u * jnp.asarray(lr, jnp.float32), updates), new_state

  return optax.GradientTransformation(tx.init, update)


@functools.cache
def _interpreted(name: str) -> list:
  tx = _as_exported(PROGRAMS[name], _schedule(name))
  return _descent(tx, tx.update, MATCH_STEPS)


def _assert_trees_close(actual, expected, rtol=1e-6, atol=1e-7, what=""):
  assert jax.tree.structure(actual) == jax.tree.structure(expected), what
  for a, b in zip(jax.tree.leaves(actual), jax.tree.leaves(expected)):
    np.testing.assert_allclose(np.asarray(a, np.float32), np.asarray(b, np.float32),
                               rtol=rtol, atol=atol, err_msg=what)


# --------------------------------------------------------------------------- conformance


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", PROGRAMS)
def test_jitted_update_compiles_once_and_matches_the_interpreter_under_a_schedule(
    name, form, jitted):
  tx, update = jitted(name, form)
  ours = _descent(tx, update, MATCH_STEPS)
  assert update._cache_size() == 1  # the second and later updates reused the first compile
  theirs = _interpreted(name)
  for step, (a, b) in enumerate(zip(ours, theirs), 1):
    # atol: compiled and eager float32 round differently, and 20 steps carry it along.
    _assert_trees_close(a, b, atol=1e-6, what=f"{name} ({form}) after step {step}")
  if name in BASELINES:
    moved = max(float(jnp.abs(a - b).max())
                for a, b in zip(jax.tree.leaves(ours[-1]), jax.tree.leaves(_start())))
    assert moved > 1e-3


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", BASELINES)
def test_baselines_converge_on_a_parabola_and_on_rosenbrock(name, form, jitted):
  assert name in PEAK_LR, f"pick a peak learning rate under which {name} converges"
  tx, update = jitted(name, form)
  final = _descent(tx, update, STEPS)[-1]
  (point,) = final["rosenbrock"]
  np.testing.assert_allclose(point, [1.0, 1.0], atol=0.05)
  for leaf in jax.tree.leaves(final["parabola"]):
    np.testing.assert_allclose(leaf, 0.0, atol=0.02)
  assert update._cache_size() == 1


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", PROGRAMS)
def test_inject_hyperparams_injects_the_learning_rate_and_named_hyperparameters(
    name, form, make):
  make_tx = make(name, form)
  known = hyperparameters(PROGRAMS[name])
  changed = {h.name: h.value * 0.9 for h in known[:1]}
  injected = optax.inject_hyperparams(make_tx)(learning_rate=0.02, **changed)
  # What inject_hyperparams passes: every hyperparameter as a float32 array.
  direct = make_tx(jnp.float32(0.02), **{h.name: jnp.float32(changed.get(h.name, h.value))
                                         for h in known})
  params = _start()["rosenbrock"]  # mixed trees are the jit test's
  grads = jax.grad(_loss)(_start())["rosenbrock"]
  state, direct_state = injected.init(params), direct.init(params)
  assert set(state.hyperparams) == {"learning_rate", *(h.name for h in known)}
  jax.eval_shape(injected.update, grads, state, params)  # hyperparameters as tracers
  for step in range(2):
    ours, state = injected.update(grads, state, params)
    theirs, direct_state = direct.update(grads, direct_state, params)
    _assert_trees_close(ours, theirs, what=f"update {step + 1}")
    params = optax.apply_updates(params, ours)


def test_injected_hyperparameters_change_the_update():
  """A named hyperparameter really reaches the program: with b1 = 0, Lion is sign(g)."""
  lion = factory(baseline_program("lion"), "lion")
  injected = optax.inject_hyperparams(lion)(learning_rate=0.1)
  params = _start()
  grads = jax.grad(_loss)(params)
  state = injected.init(params)
  _, state = injected.update(grads, state, params)
  state.hyperparams["b1"] = jnp.asarray(0.0)  # sign(g) instead of sign(0.1 g + 0.9 m)
  second, _ = injected.update(jax.tree.map(lambda g: -0.5 * g, grads), state, params)
  expected = jax.tree.map(lambda g, p: -0.1 * (jnp.sign(-g) + 0.001 * p), grads, params)
  _assert_trees_close(second, expected)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", PROGRAMS)
def test_multisteps_accumulates_then_applies_one_update(name, form, make):
  tx = make(name, form)(0.02)
  multi = optax.MultiSteps(tx, every_k_schedule=2)
  params = _start()["rosenbrock"]  # one leaf: disable_jit runs every op one by one
  first = jax.grad(_loss)(_start())["rosenbrock"]
  second = jax.tree.map(lambda g: 0.5 - g, first)
  state = multi.init(params)
  jax.eval_shape(multi.update, first, state, params)  # lax.cond: both branches' types agree
  with jax.disable_jit():  # eager lax.cond would compile on every call
    skipped, state = multi.update(first, state, params)
    applied, state = multi.update(second, state, params)
  mean = jax.tree.map(lambda a, b: (a + b) / 2, first, second)
  expected, _ = tx.update(mean, tx.init(params), params)
  assert all(not np.any(np.asarray(u)) for u in jax.tree.leaves(skipped))
  _assert_trees_close(applied, expected, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", PROGRAMS)
def test_updates_and_state_keep_float32_and_bfloat16_dtypes(name, form, make):
  tx = make(name, form)(0.02)
  params = {"f32": _start(jnp.float32)["rosenbrock"], "bf16": _start(jnp.bfloat16)["rosenbrock"]}
  grads = jax.tree.map(lambda p: (0.5 * p + 0.1).astype(p.dtype), params)
  dtypes = [p.dtype for p in jax.tree.leaves(params)]
  state = tx.init(params)
  for _ in range(2):
    updates, state = tx.update(grads, state, params)
    assert [u.dtype for u in jax.tree.leaves(updates)] == dtypes
    assert state._fields == ("count", *PROGRAMS[name].slots)
    assert state.count.dtype == jnp.int32
    for slot in state[1:]:
      assert [s.dtype for s in jax.tree.leaves(slot)] == dtypes
      assert jax.tree.structure(slot) == jax.tree.structure(params)


@pytest.mark.parametrize("form", FORMS)
def test_update_needs_params(form, make):
  tx = make("lion", form)(0.1)
  params = _start()
  with pytest.raises(ValueError, match="params"):
    tx.update(params, tx.init(params))


@pytest.mark.parametrize("name", PROGRAMS)
def test_exported_module_imports_only_jax_optax_and_typing(name):
  module = ast.parse(module_source(PROGRAMS[name], name))
  imported = {alias.name for node in ast.walk(module) if isinstance(node, ast.Import)
              for alias in node.names}
  imported |= {node.module for node in ast.walk(module) if isinstance(node, ast.ImportFrom)}
  assert imported == {"typing", "jax", "jax.numpy", "optax"}


# --------------------------------------------------------------------------- op templates


def test_every_registry_op_has_a_template():
  assert all(op.template is not None for op in REGISTRY.values())


def _op_program(op, kinds, constant_scalars: bool) -> Program:
  """``x = op(...)`` on the trees g, w and g - w and on scalars, then an update using x."""
  values = (0.7, -1.3, 0.45)
  statements, args, trees = [Statement("d", "sub", (Var("g"), Var("w")))], [], iter("gwd")
  for n, kind in enumerate(kinds):
    if kind is Kind.TREE:
      args.append(Var(next(trees)))
    elif constant_scalars:
      args.append(Const(values[n]))
    else:  # a float32 array: lr times a constant
      statements.append(Statement(f"s{n}", "mul", (Var("lr"), Const(values[n]))))
      args.append(Var(f"s{n}"))
  statements.append(Statement("x", op.name, tuple(args)))
  update = "x"
  if op.result_kind(kinds) is Kind.SCALAR:
    statements.append(Statement("update", "mul", (Var("g"), Var("x"))))
    update = "update"
  program = Program((), tuple(statements), update)
  analysis.check(program)
  return program


@pytest.mark.parametrize("op_name", list(REGISTRY))
def test_emitted_code_matches_the_registry_op(op_name, tmp_path):
  """Each argument kind the op allows, with constants (Python floats) or float32 arrays as
  scalars, the module run per leaf and on whole trees: all equal to the interpreter, which
  applies the registry op. (to_optax applies the registry op itself.)"""
  op = REGISTRY[op_name]
  rng = np.random.default_rng(len(op_name))
  params = {"a": jnp.asarray(rng.normal(size=2), jnp.float32),
            "b": (jnp.asarray(rng.normal(size=2), jnp.float32), jnp.float32(rng.normal()))}
  grads = jax.tree.map(lambda p: jnp.asarray(2 * rng.normal(size=p.shape), jnp.float32),
                       params)
  choices = [(Kind.TREE, Kind.SCALAR) if k is Kind.ANY else (k,) for k in op.arg_kinds]
  for n, kinds in enumerate(itertools.product(*choices)):
    for constant_scalars in (True, False):
      program = _op_program(op, kinds, constant_scalars)
      expected = _one_update(as_transform(program, 1.0), params, grads)
      per_leaf = None if constant_scalars else False
      source = module_source(program, "exported", per_leaf=per_leaf)
      module = _write_and_import(tmp_path / f"op_{n}_{constant_scalars}.py", source,
                                 "exported")
      actual = _one_update(module(1.0), params, grads)
      what = f"{[k.value for k in kinds]}, constants: {constant_scalars}"
      for a, b in zip(jax.tree.leaves(actual), jax.tree.leaves(expected)):
        np.testing.assert_array_equal(a, b, err_msg=what)


def _one_update(tx, params, grads):
  updates, _ = tx.update(grads, tx.init(params), params)
  return updates


# --------------------------------------------------------------------------- names


def _named(program: Program) -> list[tuple]:
  return [(h.name, h.value, h.sites) for h in hyperparameters(program)]


def test_lion_hyperparameters_are_optax_lion_s():
  program = baseline_program("lion", b1=0.8, b2=0.95, weight_decay=0.1)
  assert _named(program) == [("b1", 0.8, ((0, 2),)), ("b2", 0.95, ((2, 2),)),
                             ("weight_decay", 0.1, ((3, 1),))]


def test_roles_name_constants_of_a_program_that_is_no_baseline():
  program = parse("""
def train(w, g, mu, nu, lr, step):
  mu = interp(g, mu, 0.8)
  sq = square(g)
  nu = interp(sq, nu, 0.95)
  t1 = power(0.8, step)
  t1 = 1.0 - t1
  t2 = power(0.95, step)
  t2 = 1.0 - t2
  mu_hat = mu / t1
  nu_hat = nu / t2
  r = sqrt(nu_hat)
  r = r + 1e-06
  u = mu_hat / r
  wd = w * 0.01
  u = u + wd
  lr = lr * 0.5
  u = u * lr
  u = u * 0.7
  unused = u * 0.3
  return u, mu, nu
""")
  # One b1 for the interp and its bias correction; the 1.0s stay literal; the dead
  # statement's 0.3 is no hyperparameter.
  assert _named(program) == [
      ("b1", 0.8, ((0, 2), (3, 0))), ("b2", 0.95, ((2, 2), (5, 0))), ("eps", 1e-06, ((10, 1),)),
      ("weight_decay", 0.01, ((12, 1),)), ("lr_scale", 0.5, ((14, 1),)),
      ("c0", 0.7, ((16, 1),))]


def test_a_lion_shaped_program_reads_b1_and_writes_b2():
  program = parse("""
def train(w, g, mom, lr):
  d = interp(g, mom, 0.85)
  d = sign(d)
  mom = interp(g, mom, 0.97)
  d = d * lr
  return d, mom
""")
  assert _named(program) == [("b1", 0.85, ((0, 2),)), ("b2", 0.97, ((2, 2),))]


def test_a_baseline_s_own_names_win_where_its_structure_matches():
  assert [h.name for h in hyperparameters(baseline_program("rmsprop"))] == ["decay", "eps"]
  assert [h.name for h in hyperparameters(baseline_program("signum"))] == ["beta"]
  nesterov = hyperparameters(baseline_program("nesterov", momentum=0.8))
  assert [(h.name, h.value, len(h.sites)) for h in nesterov] == [("momentum", 0.8, 2)]
  # adagrad adds its initial accumulator to eps in one constant: it is named by its role.
  adagrad = hyperparameters(baseline_program("adagrad"))
  assert [(h.name, h.value) for h in adagrad] == [("eps", 0.1 + 1e-7)]
  renamed = parse(str(baseline_program("rmsprop")).replace("g2", "squared"))
  assert [h.name for h in hyperparameters(renamed)] == ["b2", "eps"]


def test_different_values_in_one_role_get_separate_names():
  program = parse("""
def train(w, g, m1, m2, lr):
  m1 = interp(g, m1, 0.9)
  m2 = interp(g, m2, 0.8)
  update = m1 + m2
  update = update * lr
  return update, m1, m2
""")
  assert _named(program) == [("b1", 0.9, ((0, 2),)), ("c0", 0.8, ((1, 2),))]


def test_to_optax_rejects_unknown_hyperparameters():
  with pytest.raises(TypeError, match="'beta'.*b1, b2, weight_decay"):
    to_optax(baseline_program("lion"), 0.1, beta=0.5)


def test_factory_signatures_name_every_hyperparameter_with_its_default(make):
  expected = ["learning_rate", "b1=0.9", "b2=0.99", "weight_decay=0.001"]
  for form in FORMS:
    parameters = inspect.signature(make("lion", form)).parameters.values()
    assert [p.name + (f"={p.default}" if p.default is not p.empty else "")
            for p in parameters] == expected


def test_state_types_are_shared_per_slot_tuple():
  a = to_optax(baseline_program("lion"), 0.1).init(_start())
  b = to_optax(baseline_program("signum"), 0.1).init(_start())
  assert type(a) is type(b) is state_type(("count", "m"))


def test_variables_that_shadow_the_module_s_names_are_renamed(tmp_path):
  """Slots and variables named like the exported code's own names, and slots that cannot
  be NamedTuple fields as they are."""
  program = parse("""
def train(w, g, count, _m, train, lr):
  b1 = interp(g, count, 0.9)
  jnp = sign(b1)
  count = interp(g, count, 0.99)
  _unzip = w * 0.001
  update = jnp + _unzip
  _m = update * 2.5
  update = update + train
  train = g * 0.5
  update = update * lr
  return update, count, _m, train
""")
  # _m never influences the update: its statement is dead, and its 2.5 no hyperparameter.
  assert [h.name for h in hyperparameters(program)] == ["b1", "b2", "weight_decay", "c0"]
  source = module_source(program, "clashing")
  module = _write_and_import(tmp_path / "clashing.py", source, "clashing")
  params = _start()
  grads = jax.grad(_loss)(params)
  for tx in (module(0.1), to_optax(program, 0.1)):
    reference = as_transform(program, 0.1)
    state, ref_state = tx.init(params), reference.init(params)
    assert state._fields == ("count", "slot_count", "slot_m", "train")
    for _ in range(3):
      ours, state = tx.update(grads, state, params)
      theirs, ref_state = reference.update(grads, ref_state, params)
      _assert_trees_close(ours, theirs, rtol=0, atol=0)
      for slot, ref_slot in zip(state[1:], ref_state.slots):
        _assert_trees_close(slot, ref_slot, rtol=0, atol=0)


def test_module_docstring_shows_the_program_and_its_math():
  source = module_source(baseline_program("lion"), "lion")
  docstring = ast.get_docstring(ast.parse(source))
  assert "update = interp(g, m, 0.9)" in docstring
  assert "update = (1 - b1) * g + b1 * m" in docstring
  assert "decay = w * weight_decay" in docstring


# --------------------------------------------------------------------------- step size

# Evolution may overwrite lr: this rule reads the name lr, but never the lr input.
LR_DEAD = parse("""
def train(w, g, m, lr):
  m = interp(g, m, 0.9)
  lr = m * 0.03
  update = sign(m)
  update = update * lr
  return update, m
""")


def _lr_dead_factory(form: str, tmp_path: Path):
  if form == "to_optax":
    return factory(LR_DEAD, "lr_dead")
  return _write_and_import(tmp_path / "lr_dead.py", module_source(LR_DEAD, "lr_dead"),
                           "lr_dead")


@pytest.mark.parametrize("form", FORMS)
def test_learning_rate_multiplies_the_update_of_a_rule_that_never_reads_lr(form, tmp_path):
  assert not analysis.reads_lr(LR_DEAD)
  make_tx = _lr_dead_factory(form, tmp_path)
  steps = 10

  def trained(learning_rate):
    tx = make_tx(learning_rate)
    return _descent(tx, tx.update, steps)

  raw = as_transform(LR_DEAD, 123.0)  # the rule as discovered: it ignores lr
  one = trained(1.0)
  for step, (a, b) in enumerate(zip(one, _descent(raw, raw.update, steps)), 1):
    _assert_trees_close(a, b, atol=1e-6, what=f"learning_rate=1.0 after step {step}")
  params = _start()
  grads = jax.grad(_loss)(params)
  half, one_update = (_one_update(make_tx(lr), params, grads) for lr in (0.5, 1.0))
  _assert_trees_close(half, jax.tree.map(lambda u: 0.5 * u, one_update))
  scheduled = trained(optax.cosine_decay_schedule(1.0, steps))
  _assert_trees_close(scheduled[0], one[0], what="the schedule starts at 1.0")
  for other in (trained(0.5)[-1], scheduled[-1]):
    moved = max(float(jnp.abs(a - b).max())
                for a, b in zip(jax.tree.leaves(other), jax.tree.leaves(one[-1])))
    assert moved > 1e-3


def _docstring_text(program: Program, name: str) -> str:
  return " ".join(ast.get_docstring(ast.parse(module_source(program, name))).split())


def test_module_docstring_says_how_learning_rate_sets_the_step():
  assert ("This rule never reads lr: learning_rate multiplies its update; 1.0 is the step "
          "size the search found.") in _docstring_text(LR_DEAD, "lr_dead")
  lion = _docstring_text(baseline_program("lion"), "lion")
  assert "learning_rate=1.0 (or optax.cosine_decay_schedule(1.0, steps))" in lion
  assert "never reads lr" not in lion and "nonlinearly" not in lion
  decay_only = parse("def train(w, g, lr):\n  d = w * lr\n  update = g * 0.01\n"
                     "  update = update + d\n  return update\n")
  assert "lr enters this rule nonlinearly" in _docstring_text(decay_only, "decay_only")


# --------------------------------------------------------------------------- CLI


def _noisy_quadratic(tx, params, steps: int) -> list:
  """Params after each step on a noisy quadratic (as in tests/test_baselines.py)."""
  rng = np.random.default_rng(0)
  update, state, trajectory = jax.jit(tx.update), tx.init(params), []
  for _ in range(steps):
    grads = jax.tree.map(lambda p: 0.3 * p + rng.normal(size=p.shape).astype(np.float32),
                         params)
    updates, state = update(grads, state, params)
    params = optax.apply_updates(params, updates)
    trajectory.append(params)
  return trajectory


def test_cli_exports_lion_equal_to_optax_lion_over_200_steps(tmp_path, capsys):
  path = tmp_path / "exported_lion.py"
  assert main(["export", "lion", "-o", str(path)]) == 0
  out = capsys.readouterr().out
  assert "lion(learning_rate, b1=0.9, b2=0.99, weight_decay=0.001)" in out
  assert str(path) in out
  lion = _import(path, "lion")
  hyper = {"b1": 0.8, "b2": 0.95, "weight_decay": 0.1}
  schedule = optax.cosine_decay_schedule(0.02, 200)
  ours = _noisy_quadratic(lion(schedule, **hyper), _start(), 200)
  theirs = _noisy_quadratic(optax.lion(schedule, **hyper), _start(), 200)
  for step, (a, b) in enumerate(zip(ours, theirs), 1):
    _assert_trees_close(a, b, rtol=1e-6, atol=1e-6, what=f"step {step}")
  moved = max(float(jnp.abs(a - p).max())
              for a, p in zip(jax.tree.leaves(ours[-1]), jax.tree.leaves(_start())))
  assert moved > 0.1


def _bad_program(tmp_path: Path) -> list[str]:
  bad = tmp_path / "bad.py"
  bad.write_text("def train(w, g, lr):\n  update = nope(g)\n  return update\n")
  return [str(bad), "-o", str(tmp_path / "out.py")]


@pytest.mark.parametrize("argv, message", [
    (lambda t: [str(t / "missing.py"), "-o", str(t / "out.py")], "neither a program file"),
    (_bad_program, "bad.py:2: unknown function 'nope'"),
    (lambda t: ["lion", "-o", str(t / "no_such_dir" / "out.py")], "cannot write"),
    (lambda t: ["lion", "-o", str(t)], "cannot write"),
], ids=["missing file", "bad program", "missing directory", "directory"])
def test_cli_export_errors_are_one_line_and_exit_code_2(argv, message, tmp_path, capsys):
  code = main(["export", *argv(tmp_path)])
  out, err = capsys.readouterr()
  assert code == 2
  assert out == ""
  assert err.startswith("discover: error: ") and err.count("\n") == 1, err
  assert message in err
  assert not (tmp_path / "out.py").exists()


# --------------------------------------------------------------------------- names


SGD_TEXT = "def train(w, g, lr):\n  update = g * lr\n  return update\n"


@pytest.mark.parametrize("stem, name", [
    ("ｊａｘ", "jax_optimizer"),  # full-width letters: Python reads the name as jax
    ("ｏｐｔａｘ", "optax_optimizer"),
    ("_ｃａｓｔ_ｌｉｋｅ", "_cast_like_optimizer"),
    ("sum", "sum_optimizer"),  # a builtin the module's own code calls
    ("ｃａｌｌａｂｌｅ", "callable_optimizer"),
    ("ｍｙ-ｏｐｔ", "my_opt"),  # spelt as Python reads it
    ("ｄｅｆ", "optimizer"),  # a keyword once normalised
])
def test_factory_names_are_compared_as_python_reads_them(stem, name):
  from discover.export.module import factory_name
  assert factory_name(stem) == name


@pytest.mark.parametrize("name", ["ｊａｘ", "ｊｎｐ", "NamedＴuple", "ｓｕｍ", "ValueError",
                                  "ｌａｍｂｄａ"])
def test_module_source_refuses_a_factory_name_that_shadows_the_module_s_names(name):
  with pytest.raises(ValueError, match="cannot name the exported factory"):
    module_source(parse(SGD_TEXT), name)


def test_module_source_spells_the_factory_name_normalised():
  # The text itself, not its ast: the parser normalises names, which hides the spelling.
  source = module_source(parse(SGD_TEXT), "ｍｙ_ｏｐｔ")
  assert "def my_opt(" in source and "class MyOptState(" in source
  assert "ｍｙ" not in source and "Ｍｙ" not in source


def test_cli_export_to_a_full_width_file_name_does_not_shadow_jax(tmp_path, capsys):
  program, path = tmp_path / "sgd.py", tmp_path / "ｊａｘ.py"
  program.write_text(SGD_TEXT)
  assert main(["export", str(program), "-o", str(path)]) == 0
  assert "jax_optimizer(learning_rate)" in capsys.readouterr().out
  spec = importlib.util.spec_from_file_location("exported_full_width", path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  assert module.jax is jax
  params = {"a": jnp.ones(3)}
  tx = module.jax_optimizer(0.1)
  updates, _ = tx.update(params, tx.init(params), params)
  np.testing.assert_allclose(updates["a"], -0.1 * np.ones(3), rtol=1e-6)


def test_cli_exports_a_500_statement_chain(tmp_path, capsys):
  """A long dependency chain is a valid program: its analysis once overflowed the stack."""
  lines = ["def train(w, g, lr):", "  u1 = interp(g, g, 0.5)"]
  lines += [f"  u{i + 1} = interp(u{i}, g, 0.5)" for i in range(1, 500)] + ["  return u500"]
  program, path = tmp_path / "chain.py", tmp_path / "chain_export.py"
  program.write_text("\n".join(lines) + "\n")
  assert main(["export", str(program), "-o", str(path)]) == 0
  assert "chain_export(learning_rate, c0=0.5, c1=0.5," in capsys.readouterr().out
  params = {"a": jnp.ones(3)}
  tx = _import(path, "chain_export")(0.1)
  updates, _ = tx.update(params, tx.init(params), params)
  np.testing.assert_allclose(updates["a"], -0.1 * np.ones(3), rtol=1e-5)
