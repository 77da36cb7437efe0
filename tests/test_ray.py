"""The Ray executor on one local Ray instance: the same scores as the serial executor and
the pool, crashed actors recorded and replaced, and its selection and errors."""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

import pytest

from discover.dsl import analysis
from discover import config
from discover.search import executors
from discover.search import pool
from discover.search import ray_executor
from discover.__main__ import main
from discover.dsl.baselines import baseline_program
from discover.commands import evolve
from discover.execute.evaluate import Evaluation
from discover.dsl.program import to_text
from discover.search.pool import WorkerError
from discover.search.ray_executor import RayExecutor, start_local
from discover.search.rundir import read_events
from support import SMALL

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def local_ray():
  """One local instance for the module; its workers can import this file (the factory).
  Ray is imported here, not at the top, so ``start_local`` sets its environment first."""
  path = os.pathsep.join([str(TESTS), str(TESTS.parent), os.environ.get("PYTHONPATH", "")])
  ray = start_local(2, runtime_env={"env_vars": {"PYTHONPATH": path.rstrip(os.pathsep)}})
  yield
  ray.shutdown()


class Faulty:
  """A JAX-free evaluator (fitness: the program's text length) that exits, as a segfault
  would, on one program and hangs on another."""

  def __init__(self, crash: str = "", hang: str = ""):
    self.crash, self.hang = crash, hang

  def warm_up(self):
    pass

  def evaluate(self, program):
    key = analysis.dataflow_hash(program)
    if key == self.crash:
      os._exit(3)
    if key == self.hang:
      time.sleep(3600)
    return Evaluation(float(len(to_text(program))), {})


def _trained(run_dir: str) -> dict[str, tuple]:
  """Program hash -> (fitness, metrics, failure) of every candidate the run trained."""
  events = read_events(Path(run_dir) / "events.jsonl")[0]
  return {e["hash"]: (e["fitness"], e["metrics"], e["failure"]) for e in events
          if e["event"] in ("start", "candidate") and not e["cached"]}


@pytest.mark.slow
def test_serial_pool_and_ray_searches_record_the_same_scores(tmp_path, local_ray):
  runs = {}
  for executor in ("serial", "pool", "ray"):
    summary = evolve(None, SMALL + [f"run.root={tmp_path / executor}", "evaluation.workers=2"],
                     "12", None, progress=False, executor=executor)
    runs[executor] = _trained(summary.split("run directory: ")[1].split(" (")[0])
  serial = runs["serial"]
  for executor in ("pool", "ray"):
    common = serial.keys() & runs[executor].keys()
    assert len(runs[executor]) >= 12 and len(common) >= 3  # the start and its first children
    assert {h: runs[executor][h] for h in common} == {h: serial[h] for h in common}


def _faulty(**faults) -> dict:
  return {"proxy": {"factory": "test_ray:Faulty",
                    **{k: analysis.dataflow_hash(baseline_program(v)) for k, v in faults.items()}}}


NAMES = ["rmsprop", "lion", "adam", "signum", "adagrad", "adabelief", "sgd", "momentum"]


@pytest.mark.slow
def test_crashed_and_hung_actors_are_recorded_as_failed_and_replaced(local_ray):
  programs = [baseline_program(n) for n in NAMES]
  with RayExecutor(2, stages=_faulty(crash="adam", hang="signum"), timeout=5.0) as executor:
    before = executor.pids()
    got = executor.map(programs)
    after = executor.pids()
    again = executor.map(programs[:2])  # the new actors go on scoring
  failures = {"adam": "worker died (its Ray actor was lost)", "signum": "timed out after 5 s"}
  for name, program, evaluation in zip(NAMES, programs, got):
    if name in failures:
      assert evaluation.failed and evaluation.failure == failures[name]
    else:  # including the jobs queued behind a failure, which went to another actor
      assert (evaluation.fitness, evaluation.failure) == (len(to_text(program)), None)
  assert got[3].seconds >= 5.0 and [e.fitness for e in again] == [e.fitness for e in got[:2]]
  assert len(set(after)) == 2 and set(after) != set(before)


def test_ray_missing_is_a_one_line_error_saying_how_to_install_it(tmp_path, monkeypatch,
                                                                   capsys):
  monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if not installed
  overrides = SMALL + [f"run.root={tmp_path}", "search.behaviour_hash=false"]
  code = main(["evolve", "--executor", "ray", "--budget", "1", "--no-progress"]
              + [arg for item in overrides for arg in ("--set", item)])
  err = capsys.readouterr().err.strip().splitlines()
  assert code == 2 and len(err) == 1
  assert 'pip install -e ".[ray]"' in err[0] and err[0].startswith("discover: error:")


def test_an_unreachable_cluster_is_a_one_line_error_at_once():
  with socket.socket() as probe:  # a loopback port that nothing listens on once closed
    probe.bind(("127.0.0.1", 0))
    address = f"127.0.0.1:{probe.getsockname()[1]}"
  with pytest.raises(WorkerError, match=f"^cannot connect to the Ray cluster at {address}: "
                     "Connection refused$"):
    ray_executor.connect(address)


@pytest.mark.parametrize("argv, message", [
    (["--executor", "gpu"], "evaluation.executor: must be serial, pool or ray, got 'gpu'"),
    (["--set", "evaluation.executor=[ray]"],
     "evaluation.executor: expected a string, got ['ray']"),
    (["--executor", "pool", "--address", "127.0.0.1:6379"],
     "evaluation.address: only the ray executor joins a cluster"),
])
def test_bad_executor_settings_are_one_line_config_errors(argv, message, capsys):
  assert main(["evolve", "--no-progress"] + argv) == 2
  err = capsys.readouterr().err.strip().splitlines()
  assert err == [f"discover: error: {message}"]


class _Recorder:
  def __init__(self, workers, stages, address=None, timeout=None):
    self.workers, self.stages, self.address, self.timeout = workers, stages, address, timeout


@pytest.mark.parametrize("executor, workers, address, expected", [
    ("serial", 2, "", ("SerialExecutor", 1, None, None)),
    ("pool", 1, "", ("SerialExecutor", 1, None, None)),  # as before `executor` existed
    ("pool", 2, "", ("EvaluatorPool", 2, None, 7.5)),
    ("ray", 1, "", ("RayExecutor", 1, None, 7.5)),
    ("ray", 3, "127.0.0.1:6379", ("RayExecutor", 3, "127.0.0.1:6379", 7.5)),
])
def test_make_executor_builds_the_configured_executor(executor, workers, address, expected,
                                                      monkeypatch):
  monkeypatch.setattr(pool, "EvaluatorPool", type("EvaluatorPool", (_Recorder,), {}))
  monkeypatch.setattr(ray_executor, "RayExecutor", type("RayExecutor", (_Recorder,), {}))
  cfg = config.load(None, SMALL + [f"evaluation.executor={executor}", "evaluation.timeout=7.5",
                                   f"evaluation.workers={workers}",
                                   f"evaluation.address={address!r}"])
  built = executors.make_executor(cfg, {"logistic": {0: 1.0}})
  assert (type(built).__name__, built.workers, getattr(built, "address", None),
          getattr(built, "timeout", None)) == expected
  stages = built.stages if isinstance(built, _Recorder) else built.evaluators.stages
  assert list(stages) == ["proxy"] and stages["proxy"]["tasks"] == ["logistic"]
