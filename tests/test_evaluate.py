"""The evaluator: fitness convention, contained divergence, methods and pool agree."""

import math

import numpy as np
import pytest

from discover import BASELINES, baseline_program, parse
from discover.dsl import analysis
from discover.execute.evaluate import WORST_FITNESS, Evaluator, task_score
from discover.search.mutate import mutate
from discover.search.pool import EvaluatorPool
from proxy_tasks import get_task

FAST_TASKS = ["quadratic", "logistic"]


def _scaled(program, factor):
  """The program with its update multiplied by a constant (a learning-rate factor)."""
  text = str(program).replace(f"  return {program.update}",
                              f"  {program.update} = {program.update} * {factor!r}\n"
                              f"  return {program.update}")
  return parse(text)


@pytest.fixture(scope="module")
def machine_evaluator():
  return Evaluator(FAST_TASKS, seeds=(0, 1))


def test_task_score_is_log10_improvement_in_the_task_direction():
  loss_task, acc_task = get_task("quadratic"), get_task("logistic")
  assert task_score(loss_task, 0.1, 1.0) == pytest.approx(1.0)
  assert task_score(loss_task, 10.0, 1.0) == pytest.approx(-1.0)
  flipped = type(acc_task)(**{**acc_task.__dict__, "higher_is_better": True})
  assert task_score(flipped, 0.9, 0.45) == pytest.approx(math.log10(2))
  assert task_score(loss_task, 0.0, 1.0) == pytest.approx(12.0)  # floored, not infinite


@pytest.mark.slow
def test_a_diverging_candidate_is_contained(machine_evaluator):
  ascent = parse("def train(w, g, lr):\n  u = g * -50.0\n  update = u * lr\n  return update\n")
  evaluation = machine_evaluator.evaluate(ascent)
  assert evaluation.fitness == WORST_FITNESS and evaluation.failed
  assert "diverged on quadratic (seed 0) at step" in evaluation.failure
  step = int(evaluation.failure.split("at step ")[1].split()[0])
  assert step < get_task("quadratic").steps  # stopped early
  assert all(math.isnan(v) for v in evaluation.metrics["quadratic"])


def test_better_optimizers_get_higher_fitness(machine_evaluator):
  adam = machine_evaluator.evaluate(_scaled(baseline_program("adam"), 0.1))
  sgd_tiny = machine_evaluator.evaluate(_scaled(baseline_program("sgd"), 1e-5))
  assert not adam.failed and not sgd_tiny.failed
  assert adam.fitness > sgd_tiny.fitness + 1.0


@pytest.mark.parametrize("name", list(BASELINES))
def test_machine_and_compiled_methods_agree_on_baselines(name, machine_evaluator):
  program = _scaled(baseline_program(name), 0.01)
  compiled = Evaluator(FAST_TASKS, seeds=(0, 1), method="compiled").evaluate(program)
  machine = machine_evaluator.evaluate(program)
  assert machine.failed == compiled.failed
  for task in FAST_TASKS:
    np.testing.assert_allclose(machine.metrics[task], compiled.metrics[task], rtol=1e-3)


@pytest.mark.slow
def test_pool_scores_equal_serial_scores():
  rng = np.random.default_rng(3)
  parent = _scaled(baseline_program("adamw_paper"), 10.0)
  programs = [parent] + [mutate(parent, rng)[0] for _ in range(7)]
  serial = Evaluator(["logistic"], seeds=(0,))
  expected = [serial.evaluate(p) for p in programs]
  with EvaluatorPool(2, tasks=["logistic"], seeds=(0,)) as pool:
    got = pool.map(programs)
  assert [e.fitness for e in got] == [e.fitness for e in expected]
  assert [e.failure for e in got] == [e.failure for e in expected]


def test_unknown_method_and_task_are_clear_errors():
  with pytest.raises(ValueError, match="method must be one of"):
    Evaluator(["quadratic"], method="fast")
  with pytest.raises(KeyError, match="known:"):
    Evaluator(["no_such_task"])


def test_programs_too_large_for_the_machine_fall_back_to_compiling():
  text = "def train(w, g, lr):\n" + "".join(f"  g = g * {1.0 + i / 100}\n" for i in range(40))
  program = parse(text + "  update = g * 0.001\n  return update\n")
  small = Evaluator(["quadratic"], seeds=(0,))
  compiled = Evaluator(["quadratic"], seeds=(0,), method="compiled")
  assert len(analysis.live_statements(program)) > small.capacity.statements
  np.testing.assert_allclose(small.evaluate(program).fitness,
                             compiled.evaluate(program).fitness, rtol=1e-6)


@pytest.mark.parametrize("aggregate", ["mean", "min"])
def test_fitness_pairs_seeds_with_their_reference_and_aggregates_tasks(aggregate):
  refs = {"logistic": {0: 0.4, 1: 0.5}, "noisy_quadratic": {0: 0.05, 1: 0.06}}
  evaluator = Evaluator(["logistic", "noisy_quadratic"], seeds=(0, 1), references=refs,
                        aggregate=aggregate)
  evaluation = evaluator.evaluate(baseline_program("adam"))
  per_task = [np.mean([task_score(get_task(t), m, refs[t][s])
                       for s, m in zip((0, 1), evaluation.metrics[t])]) for t in refs]
  expected = min(per_task) if aggregate == "min" else np.mean(per_task)
  assert evaluation.fitness == pytest.approx(expected, rel=1e-12)
  with pytest.raises(ValueError, match="no value for seeds \\[2\\]"):
    Evaluator(["logistic"], seeds=(0, 2), references={"logistic": {0: 0.4, 1: 0.5}})


def test_scaling_the_learning_rate_scales_the_update_of_a_rule_linear_in_it():
  import jax.numpy as jnp
  from discover.execute.evaluate import scale_learning_rate
  from discover.execute.interpreter import step_function

  program = baseline_program("adamw_paper")
  w, g = jnp.linspace(-1.0, 1.0, 7), jnp.linspace(0.5, -2.0, 7)
  slots = (jnp.full(7, 0.1), jnp.full(7, 0.2))
  base = step_function(program)(w, g, slots, 0.5, 3)
  scaled = step_function(scale_learning_rate(program, 0.25))(w, g, slots, 0.5, 3)
  np.testing.assert_allclose(scaled[0], 0.25 * base[0], rtol=1e-6)
  np.testing.assert_allclose(scaled[1], base[1], rtol=1e-6)  # state does not see lr


def test_learning_rate_tuning_keeps_each_tasks_best_scale():
  from discover.execute.evaluate import scale_learning_rate

  program = baseline_program("adamw_paper")
  scales = (0.3, 1.0, 3.0)
  references = {"logistic": 0.4, "rosenbrock": 0.05}
  tuned = Evaluator(list(references), seeds=(0,), references=references, aggregate="min",
                    lr_scales=scales).evaluate(program)
  plain = Evaluator(list(references), seeds=(0,), references=references, aggregate="mean")
  per_scale = [plain.evaluate(scale_learning_rate(program, k)) for k in scales]
  expected = {}
  for name, task_reference in references.items():
    scores = [math.log10(task_reference / e.metrics[name][0]) for e in per_scale]
    expected[name] = (max(scores), scales[int(np.argmax(scores))])
  assert tuned.lr_scales == {name: k for name, (_, k) in expected.items()}
  assert tuned.fitness == pytest.approx(min(s for s, _ in expected.values()), rel=1e-6)
  assert tuned.metrics["rosenbrock"] == per_scale[
      scales.index(tuned.lr_scales["rosenbrock"])].metrics["rosenbrock"]


def test_learning_rate_tuning_fails_a_task_only_if_every_scale_fails():
  from discover.execute.evaluate import scale_learning_rate

  exploding = parse("def train(w, g, lr):\n  u = g * 1e30\n  u = u * lr\n  return u\n")
  tuned = Evaluator(["quadratic"], seeds=(0,), lr_scales=(1e-40, 1.0)).evaluate(exploding)
  assert not tuned.failed and tuned.lr_scales == {"quadratic": 1e-40}
  assert Evaluator(["quadratic"], seeds=(0,)).evaluate(exploding).failed
  assert Evaluator(["quadratic"], seeds=(0,), lr_scales=(1.0, 2.0)).evaluate(exploding).failed
  with pytest.raises(ValueError, match="lr_scales"):
    Evaluator(["quadratic"], lr_scales=(0.0,))
  assert scale_learning_rate(exploding, 2.0).statements[0].target == "lr"


# An lr-dead rule: momentum whose step is a constant, with lr overwritten and then read.
LR_DEAD = """
def train(w, g, m, lr):
  m = interp(g, m, 0.9)
  lr = w * 0.0
  lr = lr + 0.005
  update = m * lr
  return update, m
"""


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_scaling_the_learning_rate_of_a_rule_that_reads_lr_is_the_recorded_form(name):
  """Every recorded run scaled lr by a first statement; a rule that reads lr still gets
  exactly that program, so its scores replay bit for bit."""
  from discover.execute.evaluate import scale_learning_rate
  from discover.dsl.program import Const, Statement, Var

  program = baseline_program(name)
  old_form = program.replace(
      statements=(Statement("lr", "mul", (Var("lr"), Const(0.3))), *program.statements))
  assert scale_learning_rate(program, 0.3) == old_form


@pytest.mark.parametrize("clash", [False, True], ids=["plain", "name taken"])
def test_scaling_the_learning_rate_of_a_rule_that_never_reads_lr_scales_its_update(clash):
  import jax.numpy as jnp
  from discover.execute.evaluate import scale_learning_rate
  from discover.execute.interpreter import step_function

  text = LR_DEAD.replace("m", "scaled_update") if clash else LR_DEAD
  program = parse(text)
  assert not analysis.reads_lr(program)
  scaled = scale_learning_rate(program, 0.25)
  assert scaled.slots == program.slots and scaled.update not in program.slots
  assert scaled.statements[:len(program.statements)] == program.statements
  w, g = jnp.linspace(-1.0, 1.0, 7), jnp.linspace(0.5, -2.0, 7)
  slots = (jnp.full(7, 0.1),)
  base = step_function(program)(w, g, slots, 0.5, 3)
  tuned = step_function(scaled)(w, g, slots, 0.5, 3)
  np.testing.assert_array_equal(tuned[0], base[0] * np.float32(0.25))
  np.testing.assert_array_equal(tuned[1][0], base[1][0])  # the state is the rule's own


def test_learning_rate_tuning_works_on_a_rule_that_never_reads_lr():
  from discover.execute.evaluate import scale_learning_rate

  program = parse(LR_DEAD)
  scales = (0.1, 1.0, 3.0)
  plain = Evaluator(["quadratic"], seeds=(0,))
  per_scale = [plain.evaluate(scale_learning_rate(program, k)).metrics["quadratic"][0]
               for k in scales]
  assert len(set(per_scale)) == len(scales), per_scale  # each scale trains differently
  assert per_scale[1] == plain.evaluate(program).metrics["quadratic"][0]
  tuned = Evaluator(["quadratic"], seeds=(0,), lr_scales=scales).evaluate(program)
  finite = [(m, k) for m, k in zip(per_scale, scales) if math.isfinite(m)]
  assert tuned.lr_scales == {"quadratic": min(finite)[1]}
  assert tuned.metrics["quadratic"][0] == min(finite)[0]


def test_scaling_only_lr_reproduces_how_older_runs_scored_a_rule_that_never_reads_it():
  from discover.execute.evaluate import scale_learning_rate

  program = parse(LR_DEAD)
  old_form = scale_learning_rate(program, 0.3, scaling="lr")
  assert old_form.statements[0].target == "lr" and old_form.update == program.update
  legacy = Evaluator(["quadratic"], seeds=(0,), lr_scales=(0.1, 1.0), lr_scaling="lr")
  plain = Evaluator(["quadratic"], seeds=(0,))
  # The factor never reaches the update, so every scale scores as the rule itself.
  assert legacy.evaluate(program).metrics == plain.evaluate(program).metrics
  with pytest.raises(ValueError, match="lr_scaling"):
    Evaluator(["quadratic"], lr_scaling="update")
