"""Faults: candidates that crash or hang their worker, kill -9 and resume, torn writes."""

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import faulty
from support import PAPER_MUTATIONS
from discover import config as config_lib
from discover.search import rundir as runs
from discover.search.executors import SerialExecutor
from discover.dsl.load import load_program
from discover.search.pool import EvaluatorPool
from discover.search.rundir import EventLog, RunFileError, count_events, read_events, repair_events
from discover.search import resume
from discover.search.loop import Search

TESTS = Path(__file__).parent
TIMEOUT = 10.0  # the hang's limit; ample for the other faults on a loaded machine
REASONS = {  # the hang first: the other worker's replacements overlap its wait
    "hang": f"timed out after {TIMEOUT:g} s",
    "segfault": "worker died (killed by SIGSEGV)",
    "exit": "worker died (exit code 3)",
    "oom": "evaluator raised MemoryError",
}
SMALL = ["search.population=8", "search.tournament=3", "evaluation.tasks=[logistic]",
         "evaluation.workers=1", "run.checkpoint_every=5", "funnel.tasks=[]",
         "meta_validation.tasks=[]", "search.behaviour_hash=false"]  # no probe compile
STAGED = SMALL[:-3] + ["funnel.tasks=[quadratic]", "funnel.seeds=[1]", "funnel.threshold=-100.0",
                       "meta_validation.tasks=[noisy_quadratic]", "meta_validation.every=10"]
BUDGET = 30


def _constant(program) -> float:
  return program.statements[0].args[1].value


@pytest.mark.slow
def test_crashing_and_hanging_candidates_fail_alone_and_their_workers_are_replaced():
  jobs = []
  for c, fault in enumerate(REASONS, start=1):
    jobs += [faulty.program(c), faulty.faulty(fault)]
  jobs += [faulty.program(c) for c in (5, 6, 7)]
  with EvaluatorPool(2, stages={"proxy": {"factory": "faulty:FaultyEvaluator"}},
                     timeout=TIMEOUT) as pool:
    results = list(pool.imap(jobs))
    after = pool.map([faulty.program(c) for c in (9, 10, 11, 12)])
  assert sorted(i for i, _ in results) == list(range(len(jobs)))  # none lost, none twice
  got = dict(results)
  for i, job in enumerate(jobs):
    fault = faulty.FAULTS.get(_constant(job))
    if fault:
      assert got[i].fitness == -math.inf and got[i].failure == REASONS[fault]
    else:
      assert got[i].fitness == _constant(job) and got[i].failure is None
  assert got[1].seconds >= TIMEOUT  # the hang ran to its limit
  # Jobs 0-1 went to the first worker and 2-3 to the second: a hang and a segfault.
  first_workers = {got[0].metrics["pid"], got[2].metrics["pid"]}
  assert [e.fitness for e in after] == [9, 10, 11, 12]
  assert not first_workers & {e.metrics["pid"] for e in after}


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_the_time_limit_must_be_a_positive_number_of_seconds(value):
  with pytest.raises(config_lib.ConfigError, match="evaluation.timeout"):
    config_lib.load(overrides=[f"evaluation.timeout={value}"])


def test_a_torn_last_event_is_dropped_and_reported_and_other_damage_is_an_error(tmp_path):
  path = tmp_path / "events.jsonl"
  log = EventLog(path)
  for i in range(3):
    log.append({"event": "candidate", "id": i})
  log.close()
  whole = path.read_bytes()
  path.write_bytes(whole + b'{"event": "cand')  # as a kill mid-write leaves it
  events, truncated = read_events(path)
  assert count_events(path) == len(events) == 3 and truncated
  log = EventLog(path)  # a new event never runs on from the torn one
  log.append({"event": "meta", "id": 3})
  log.close()
  assert log.repaired == "dropped an incomplete last line (15 bytes, line 4)"
  assert read_events(path) == (events + [{"event": "meta", "id": 3}], False) and log.count == 4
  assert read_events(path, skip=2) == (read_events(path)[0][2:], False)
  assert repair_events(path) is None and path.read_bytes().startswith(whole)
  last = b'{"event": "meta", "id": 3}'
  path.write_bytes(whole + last)  # complete but for its newline
  assert repair_events(path) is None and path.read_bytes() == whole + last + b"\n"
  path.write_bytes(whole.replace(b'"id": 1', b'"id": \x00'))
  with pytest.raises(RunFileError, match="line 2 is not a JSON event"):
    read_events(path)


def test_the_last_event_is_read_from_the_end_past_a_torn_line(tmp_path):
  path = tmp_path / "events.jsonl"
  assert runs.last_event(path) is None
  path.write_text("")
  assert runs.last_event(path) is None
  events = [{"event": "candidate", "id": i, "program": "x" * (40_000 * (i == 2))}
            for i in range(3)]  # the last longer than the first chunk read
  path.write_text("".join(json.dumps(e) + "\n" for e in events))
  assert runs.last_event(path) == events[-1]
  with open(path, "a") as f:
    f.write('{"event": "cand')  # as a kill mid-write leaves it
  assert runs.last_event(path) == events[-1]


def _scored_search(tmp_path, monkeypatch, executor):
  """A staged search of 60 evaluations on the hash scorer; returns its run directory, its
  config and every checkpoint it wrote, in order."""
  cfg = config_lib.load(overrides=STAGED + PAPER_MUTATIONS + ["search.budget=60",
                                                              f"run.root={tmp_path}"])
  checkpoints, write_json = [], runs.write_json
  monkeypatch.setattr(runs, "write_json", lambda path, data: (
      checkpoints.append(json.loads(json.dumps(data))) if path.name == "checkpoint.json"
      else None, write_json(path, data))[-1])
  run_dir = runs.new_run_dir(tmp_path, cfg.seed)
  (run_dir / "config.yaml").write_text(config_lib.dump(cfg))
  stages = {s: {"factory": "faulty:HashScorer", "salt": s} for s in ("proxy", "funnel", "meta")}
  search = Search(cfg, run_dir, load_program(cfg.search.start))
  search.caches.prober = faulty.StructureProber()  # behaviour hits without the probes' compile
  with executor(stages=stages) as ex:
    search.run(ex)
  monkeypatch.undo()
  return run_dir, cfg, checkpoints


def _rebuild(cfg, run_dir: Path, lines: list[str], checkpoint: dict | None, count: int) -> dict:
  """The checkpoint a search restored from ``checkpoint`` and ``count`` events writes."""
  if checkpoint is not None:
    (run_dir / "checkpoint.json").write_text(json.dumps(checkpoint))
  (run_dir / "events.jsonl").write_text("".join(lines[:count]))
  search = Search(cfg, run_dir, load_program(cfg.search.start))
  resume.restore(search)
  search.events, search._clock = EventLog(run_dir / "events.jsonl"), time.perf_counter()
  search.checkpoint()
  return json.loads((run_dir / "checkpoint.json").read_text())


# On a pool, children are asked ahead of their results: a checkpoint counts children in
# flight (generated, statements, dead) and has drawn their random numbers; a replay cannot.
AHEAD = {"counters": ("generated", "statements", "dead"), "evolution": ("rng", "next_id")}


@pytest.mark.parametrize("executor", [SerialExecutor, EvaluatorPool])
def test_events_after_a_checkpoint_are_told_again_into_the_later_state(
    tmp_path, monkeypatch, executor):
  """Each checkpoint of a staged search (funnel, meta-validation, the caches), rebuilt
  from an earlier one (or from none) and the events logged in between."""
  run_dir, cfg, checkpoints = _scored_search(tmp_path / "run", monkeypatch, executor)
  lines = (run_dir / "events.jsonl").read_text().splitlines(keepends=True)
  events = [json.loads(line) for line in lines]
  # Every stage (on a pool, results arrive in any order: the finalists may all have been
  # meta-validated already, so that no "final" event is needed).
  assert {"funnel", "meta"} | ({"final"} if executor is SerialExecutor else set()) <= {
      e["event"] for e in events}
  assert {False, "dataflow", "behaviour"} <= {e["cached"] for e in events}
  assert any(e["cached"] and "program" not in e for e in events)  # rebuilt, not read
  metas = [e for e in events if e["event"] == "meta"]
  # Each at the count it was queued at (the start's: 1), wherever a pool finished it.
  assert metas[0]["id"] is None and metas[0]["evaluated"] == 1
  assert all(m["evaluated"] % 10 == 0 for m in metas[1:])
  assert len({(m["id"], m["evaluated"]) for m in metas}) == len(metas)
  last = len(checkpoints) - 1
  for before, after in [(None, 0), (None, last), (0, 1), (1, 4), (2, last)]:
    expected = checkpoints[after]
    replay = tmp_path / f"from-{before}-to-{after}"
    replay.mkdir()
    rebuilt = _rebuild(cfg, replay, lines, None if before is None else checkpoints[before],
                       expected["events"])
    assert rebuilt["elapsed"] >= events[expected["events"] - 1]["time"]
    pool = executor is EvaluatorPool
    if pool:  # ids stay unique: new children come after every logged one
      assert rebuilt["evolution"]["next_id"] > max(
          e["id"] or 0 for e in events[:expected["events"]])
    assert _comparable(rebuilt, pool) == _comparable(expected, pool)


def _comparable(checkpoint: dict, pool: bool) -> dict:
  out = {k: v for k, v in checkpoint.items() if k != "elapsed"}
  for key, fields in (AHEAD.items() if pool else ()):
    out[key] = {k: v for k, v in out[key].items() if k not in fields}
  return out


def _stable(events):
  """Events without their timings."""
  return [{k: v for k, v in e.items() if k not in ("time", "seconds")} for e in events]


def _trained(events):
  return sum(e["event"] in ("start", "candidate") and not e["cached"] for e in events)


def _start(args, cache: Path, stop=None):
  """``python -m discover ARGS``; with ``stop`` (N, STOP_FILE), under faulty.py's launcher.

  Runs share ``cache``, JAX's compilation cache: the first compiles the machine, the
  others load it (5 s instead of 14 s of CPU a process).
  """
  launcher = [str(TESTS / "faulty.py"), *stop] if stop else ["-m", "discover"]
  return subprocess.Popen([sys.executable, *launcher, *args],
                          env={**os.environ, "JAX_PLATFORMS": "cpu",
                               "JAX_COMPILATION_CACHE_DIR": str(cache)},
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_when(proc, ready, what: str) -> None:
  while not ready():
    if proc.poll() is not None:
      pytest.fail(f"the run ended before {what}: {proc.communicate()[1][-2000:]}")
    time.sleep(0.005)
  proc.send_signal(signal.SIGKILL)
  assert proc.wait() == -signal.SIGKILL


def _past_a_checkpoint(run_dir: Path, extra: int) -> bool:
  """A checkpoint exists, and ``extra`` events were logged after it."""
  try:
    done = json.loads((run_dir / "checkpoint.json").read_text())["events"]
  except (OSError, ValueError):
    return False
  return count_events(run_dir / "events.jsonl") >= done + extra


@pytest.mark.slow
def test_kill_9_at_any_moment_then_resume_loses_and_retrains_nothing(tmp_path):
  cache, root = tmp_path / "jax-cache", tmp_path / "killed"
  settings = [a for kv in SMALL for a in ("--set", kv)]
  proc = _start(["evolve", "--no-progress", "--budget", str(BUDGET), "--set",
                 f"run.root={root}", *settings], cache)
  _kill_when(proc, lambda: root.exists() and any(root.iterdir()) and _past_a_checkpoint(
      next(root.iterdir()), 3), "3 events past a checkpoint")
  run_dir = next(root.iterdir())
  snapshots = [(run_dir / "events.jsonl").read_bytes()]
  straight = _start(["evolve", "--no-progress", "--budget", str(BUDGET), "--set",
                     f"run.root={tmp_path / 'straight'}", *settings], cache)  # meanwhile

  stop = tmp_path / "stopped"
  proc = _start(["evolve", "--no-progress", "--resume", str(run_dir)], cache,
                stop=["2", str(stop)])  # killed inside its second checkpoint
  _kill_when(proc, stop.exists, "its second checkpoint")
  assert (run_dir / "checkpoint.json.tmp").exists()
  json.loads((run_dir / "checkpoint.json").read_text())  # the one before, whole
  snapshots.append((run_dir / "events.jsonl").read_bytes())
  torn = b'{"event": "candidate", "id": 99, "parent": 3, "mutat'
  with open(run_dir / "events.jsonl", "ab") as f:  # as a kill mid-write leaves it
    f.write(torn)

  resumed = _start(["evolve", "--no-progress", "--resume", str(run_dir)], cache)
  _, err = resumed.communicate()
  assert resumed.returncode == 0, err
  line = snapshots[-1].count(b"\n") + 1
  lines = err.strip().splitlines()
  assert len(lines) == 2  # the repair, then the run directory as the search goes on
  assert lines[1].startswith(f"discover: run directory {run_dir} (resume with: ")
  assert f"dropped an incomplete last line ({len(torn)} bytes, line {line})" in err
  assert straight.communicate() and straight.returncode == 0
  straight = next((tmp_path / "straight").iterdir())

  final = (run_dir / "events.jsonl").read_bytes()
  for snapshot in snapshots:  # every line written before a kill is kept as it was
    assert final.startswith(snapshot) and snapshot.endswith(b"\n")
  assert len(snapshots[0]) < len(snapshots[1]) < len(final)
  a, b = (read_events(d / "events.jsonl")[0] for d in (straight, run_dir))
  assert _stable(b) == _stable(a) and _trained(b) == BUDGET
  counters = [json.loads((d / "checkpoint.json").read_text())["counters"]
              for d in (straight, run_dir)]
  assert counters[0] == counters[1]
