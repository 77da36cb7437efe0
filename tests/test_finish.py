"""The end of a run: the winner chosen on held-out tiers, and optimizer.py, winner.py and
summary.md in the run directory, also after an interrupted run resumes."""

import importlib.util
import math
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import optax
import pytest

from discover import config as config_lib
from discover.search import loop as search_lib
from discover.dsl.baselines import baseline_program
from discover.search.finish import OVERFIT_MARGIN, Finalist, choose, held_out, meta_overfitting
from discover.dsl.parse import read_program
from discover.search.rundir import read_events
from support import STAGED
from support import evolve_small as _evolve, interrupt_after as _interrupt_after
from support import stable as _stable

OUTPUTS = ("winner.py", "optimizer.py", "summary.md")


@pytest.fixture(scope="module")
def straight(tmp_path_factory):
  """A staged run (funnel and meta-validation on cheap tasks) whose finalists need
  meta-validating at the end; its summary and run directory."""
  summary, run_dir = _evolve(tmp_path_factory.mktemp("straight"), "30", STAGED)
  return summary, Path(run_dir)


def test_a_run_ends_with_the_winner_and_an_optimizer_to_use(straight):
  summary, run_dir = straight
  for name in OUTPUTS:
    assert (run_dir / name).is_file(), name
  events = read_events(run_dir / "events.jsonl")[0]
  finals = [e for e in events if e["event"] == "final"]
  assert finals and all(e["metrics"] and not e["cached"] for e in finals)
  validated = {e["hash"] for e in events if e["event"] in ("meta", "final") and not e["cached"]}
  assert len(validated) == len([e for e in events if e["event"] in ("meta", "final")
                                and not e["cached"]])  # none validated twice
  lines = summary.splitlines()
  last = lines[max(i for i, line in enumerate(lines) if line.startswith("winner: ")):]
  assert [line.split(":")[0].strip() for line in last[2:5]] == ["proxy", "funnel",
                                                               "meta-validation"]
  overfitting = meta_overfitting(events)  # said after the tiers, when the run shows it
  if overfitting:
    assert last.pop(5) == overfitting.describe()
  assert len(last) == 9
  assert last[5].startswith(f"optimizer: {run_dir / 'optimizer.py'} (optimizer(learning_rate")
  assert last[6:8] == [f'  import sys; sys.path.insert(0, "{run_dir}")',
                       "  from optimizer import optimizer"]
  assert last[8].startswith("  tx = optimizer(learning_rate=1.0)  # 1.0: the step size")
  md = (run_dir / "summary.md").read_text()
  for heading in ("## The winner", "## Finalists", "## Meta-overfitting", "## The program",
                  "## Using optimizer.py", "## What ran"):
    assert heading in md
  assert md.count("(winner) |") == 1
  assert (run_dir / "winner.py").read_text().startswith('"""Winner: ')
  read_program(run_dir / "winner.py")  # a program file, its header a docstring


def _train(factory, learning_rate, steps: int = 20) -> float:
  """The loss of a small quadratic after ``steps`` updates of the optimizer."""
  target = {"w": jnp.array([1.0, -2.0, 3.0]), "b": jnp.array(0.5)}

  def loss(params):
    return sum(jnp.sum((p - t) ** 2) for p, t in zip(jax.tree.leaves(params),
                                                     jax.tree.leaves(target)))

  params = jax.tree.map(jnp.zeros_like, target)
  tx = factory(learning_rate=learning_rate)
  state = tx.init(params)
  for _ in range(steps):
    updates, state = tx.update(jax.grad(loss)(params), state, params)
    params = optax.apply_updates(params, updates)
  return float(loss(params))


def test_optimizer_py_trains_through_optax_and_learning_rate_sets_its_step(straight):
  summary, run_dir = straight
  spec = importlib.util.spec_from_file_location("run_optimizer", run_dir / "optimizer.py")
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  losses = [_train(module.optimizer, lr) for lr in (1.0, 0.1)]
  assert all(math.isfinite(x) for x in losses)
  assert losses[0] != losses[1]
  # The snippet evolve prints runs as it is.
  snippet = "\n".join(line.strip() for line in summary.splitlines()[-3:])
  namespace, path = {}, list(sys.path)
  try:
    exec(snippet, namespace)
  finally:
    sys.path[:] = path
    sys.modules.pop("optimizer", None)
  assert isinstance(namespace["tx"], optax.GradientTransformation)


def test_the_winner_is_the_start_program_when_no_candidate_reaches_the_held_out_tiers(
    tmp_path):
  summary, run_dir = _evolve(tmp_path, "12", ["funnel.tasks=[quadratic]", "funnel.seeds=[1]",
                                               "funnel.threshold=100.0",
                                               "meta_validation.tasks=[noisy_quadratic]"])
  run_dir = Path(run_dir)
  assert read_program(run_dir / "winner.py") == baseline_program("adamw_paper")
  assert "winner: the start program: no candidate reached the funnel" in summary
  assert "Chosen: the start program" in (run_dir / "summary.md").read_text()
  assert "optimizer(learning_rate" in (run_dir / "optimizer.py").read_text()
  events = read_events(run_dir / "events.jsonl")[0]
  assert not [e for e in events if e["event"] == "final"]  # the start's score was known


def _finalist(id_, funnel, meta, proxy=0.0):
  return Finalist(id_, baseline_program("sgd"), f"hash{id_}", proxy, ["test"], funnel, meta)


def test_the_winner_has_the_best_worse_held_out_tier_and_ties_go_to_the_start():
  cfg = config_lib.load(overrides=["funnel.tasks=[quadratic]",
                                   "meta_validation.tasks=[noisy_quadratic]"])
  start, big_funnel = _finalist(None, -0.1, -0.05, 0.0), _finalist(1, 0.2, -0.3, 0.5)
  winner, reason = choose([start, big_funnel], cfg)
  assert winner is start and held_out(big_funnel) == -0.3
  assert reason == ("the start program: no finalist beat it on min(funnel, meta-validation) "
                    "fitness (the start program -0.1000; the best other, candidate 1, -0.3000)")
  steady = _finalist(2, 0.05, 0.01)
  assert choose([start, big_funnel, steady], cfg)[0] is steady
  assert choose([start, _finalist(3, -0.1, 0.4)], cfg)[0] is start  # a tie
  assert choose([start, _finalist(4, -math.inf, 1.0)], cfg)[0] is start  # failed the funnel


def test_without_held_out_tiers_the_proxy_best_wins_and_the_reason_says_so():
  cfg = config_lib.load(overrides=["funnel.tasks=[]", "meta_validation.tasks=[]"])
  start, best = _finalist(None, None, None, 0.0), _finalist(7, None, None, 0.3)
  winner, reason = choose([start, best], cfg)
  assert winner is best and "chosen on the proxy alone" in reason
  cfg = config_lib.load(overrides=["funnel.tasks=[]"])
  winner, reason = choose([start, _finalist(7, None, -0.2, 0.3)], cfg)
  assert winner is start and "meta-validation fitness" in reason


@pytest.mark.slow
def test_an_interrupted_run_resumes_through_its_final_stage_to_the_same_outputs(
    straight, tmp_path, monkeypatch, capsys):
  _interrupt_after(monkeypatch, 12)  # before the final stage
  with pytest.raises(KeyboardInterrupt):
    _evolve(tmp_path, "30", STAGED)
  monkeypatch.undo()
  run_dir = next(p for p in tmp_path.iterdir() if p.is_dir())
  assert not (run_dir / "optimizer.py").exists()
  original = search_lib.Search.record_extra

  def interrupt_at_a_finalist(self, extra, evaluation):
    original(self, extra, evaluation)
    if extra.final:
      raise KeyboardInterrupt

  monkeypatch.setattr(search_lib.Search, "record_extra", interrupt_at_a_finalist)
  with pytest.raises(KeyboardInterrupt):  # then during it
    _evolve(tmp_path, None, resume=str(run_dir))
  monkeypatch.undo()
  capsys.readouterr()
  _evolve(tmp_path, None, resume=str(run_dir))
  assert (f"discover: run directory {run_dir} (resume with: python -m discover evolve "
          f"--resume {run_dir})") in capsys.readouterr().err.splitlines()
  _, done = straight
  for name in ("winner.py", "optimizer.py"):  # optimizer.py names its run
    ours = (run_dir / name).read_text().replace(run_dir.name, done.name)
    assert ours == (done / name).read_text(), name
  tables = [(d / "summary.md").read_text().split("## The program")[0] for d in (run_dir, done)]
  assert tables[0].replace(run_dir.name, done.name) == tables[1]
  # The same log as the straight run's: every finalist's meta-validation once, none lost.
  ours, theirs = (_stable(read_events(d / "events.jsonl")[0]) for d in (run_dir, done))
  assert ours == theirs


def test_the_number_of_finalists_is_checked():
  assert config_lib.load(
      overrides=["meta_validation.finalists=5"]).meta_validation.finalists == 5
  for value, problem in (("0", "meta_validation.finalists: must be positive, got 0"),
                         ("1.5", "meta_validation.finalists: expected an integer, got 1.5"),
                         ("all", "meta_validation.finalists: expected an integer")):
    with pytest.raises(config_lib.ConfigError, match=problem.replace(".", r"\.")):
      config_lib.load(overrides=[f"meta_validation.finalists={value}"])


def _meta(evaluated, proxy, fitness, event="meta"):
  return {"event": event, "evaluated": evaluated, "proxy_fitness": proxy, "fitness": fitness}


def test_meta_overfitting_is_proxy_up_while_held_out_falls_from_its_peak():
  rising = [_meta(1, -0.3, -0.10), _meta(200, 0.0, -0.02), _meta(400, 0.1, -0.05)]
  found = meta_overfitting(rising)
  assert found.peak == (200, 0.0, -0.02) and found.last == (400, 0.1, -0.05)
  assert "rose on the proxy (+0.0000 -> +0.1000)" in found.describe()
  assert "(-0.0200 -> -0.0500)" in found.describe()
  # Within the margin, still climbing, or a finalist's score: none of them is a fall.
  small = -0.02 - OVERFIT_MARGIN / 2
  assert meta_overfitting(rising[:2] + [_meta(400, 0.1, small)]) is None
  assert meta_overfitting(rising[:2] + [_meta(400, 0.1, 0.0)]) is None
  assert meta_overfitting(rising[:2] + [_meta(400, 0.1, -0.5, event="final")]) is None
  # A best so far that fails meta-validation has fallen as far as it can.
  assert meta_overfitting(rising[:2] + [_meta(400, 0.1, None)]).last[2] == -math.inf
  assert meta_overfitting(rising[:1]) is None
