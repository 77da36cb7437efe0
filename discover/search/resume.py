"""Resuming a search: the last checkpoint, then every event logged after it told again.

A checkpoint is written every ``run.checkpoint_every`` evaluations, so a run killed between
two has events the checkpoint does not account for. Each is told again, in order, through
the search's own bookkeeping (``Search.tell``, ``record``, ``record_extra``) with its
logged result, so nothing is retrained and the log is kept as it is. On the serial
executor the search re-makes each child exactly (same parent, same mutation, same random
state after it), so the resumed run goes on as if it had never stopped; on a pool, where
results arrive in any order, the children are told back as logged. Without a checkpoint (a
kill before the first) the whole log is replayed from the start program's event. A last
line cut short by the kill is dropped, and reported on stderr.

The checkpoint is read as a ``SearchState`` (checked field by field) and must not account
for more events than the log holds; the log after it is read one event at a time.
"""

from __future__ import annotations

import itertools
import json
import sys
import time

from discover.dsl import analysis
from discover.dsl.program import Program, ProgramError, to_text
from discover.execute.evaluate import Evaluation
from discover.search import rundir as runs
from discover.search.evolution import Child, RegularizedEvolution
from discover.search.loop import Pending, Search, SearchError
from discover.search.state import Extra, SearchState, StateError, decode_float


def restore(search: Search) -> None:
  """Puts a new ``Search`` on a run directory where the run stopped (see the module
  docstring).

  Raises:
    SearchError: the run directory has nothing to resume, or its files cannot be read.
  """
  path = search.run_dir / "events.jsonl"
  dropped = runs.repair_events(path)
  if dropped:
    print(f"discover: {path}: {dropped}, left by an interrupted write", file=sys.stderr)
  try:
    done = _load_checkpoint(search, runs.count_events(path))
    after = list(runs.EventReader(path, skip=done))
  except (StateError, runs.RunFileError) as e:
    raise SearchError(f"cannot resume {search.run_dir}: {e}") from None
  if not search.evolution.population and not after:
    raise SearchError(f"nothing to resume in {search.run_dir}: the start program was "
                      f"never scored")
  _replay(search, after, done)


def _load_checkpoint(search: Search, logged: int) -> int:
  """Loads checkpoint.json, if there is one; returns the number of events it accounts for.

  Raises:
    StateError: it is not a checkpoint this log can follow.
  """
  path = search.run_dir / "checkpoint.json"
  if not path.exists():
    return 0
  try:
    data = json.loads(path.read_text(encoding="utf-8"))
  except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
    raise StateError(f"{path}: not readable JSON ({e})") from None
  state = SearchState.from_json(data, str(path))
  state.check_against_log(logged, str(path))
  search.load_state(state)
  return state.events


class _Retold:
  """Stands in for the event log while logged events are told again: it writes nothing,
  counts, and checks that each event the search logs again is the one logged before."""

  def __init__(self, events: list[dict], done: int):
    self.events, self.position, self.count = events, 0, done

  def append(self, record: dict) -> None:
    logged = self.events[self.position] if self.position < len(self.events) else None
    if logged is None or any(record[k] != logged[k] for k in ("event", "id", "hash")):
      raise SearchError(f"cannot resume: events.jsonl line {self.count + 1} is not what the "
                        f"search does again ({_describe(logged)} logged, {_describe(record)} "
                        f"now)")
    self.skip()

  def skip(self) -> None:
    self.position += 1
    self.count += 1

  def sync(self) -> None:
    pass


class _Recorded:
  """An executor that answers with a logged evaluation instead of training."""

  def __init__(self, evaluation: Evaluation):
    self.evaluation = evaluation

  def imap(self, jobs):
    for index, _ in enumerate(jobs):
      yield index, self.evaluation


def _replay(search: Search, events: list[dict], done: int) -> None:
  """Tells ``events`` (logged after the checkpoint, which accounts for ``done``) again."""
  retold = _Retold(events, done)
  search.events, search._clock = retold, time.perf_counter()
  while retold.position < len(events):
    line = retold.count + 1
    try:
      _tell_again(search, retold, events[retold.position])
    except (KeyError, TypeError, ValueError, AttributeError, ProgramError) as e:
      problem = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
      raise SearchError(f"cannot resume: events.jsonl line {line} is not an event this "
                        f"search wrote ({problem[:120]})") from None
  search.events = None
  timed = next((e["time"] for e in reversed(events) if "time" in e), None)  # hits have none
  if timed is not None:
    search.elapsed_before = max(search.elapsed_before, timed)


def _tell_again(search: Search, retold: _Retold, event: dict) -> None:
  """One logged event told again through the search's own bookkeeping."""
  before = retold.position
  if event["event"] == "start":
    search.evaluate_start(_Recorded(_logged_evaluation(event)))
  elif event["event"] == "candidate":
    _retell_child(search, event)
  elif event["event"] in ("funnel", "meta", "final") and not event["cached"]:
    search.record_extra(_queued_extra(search, event), _logged_evaluation(event))
  elif event["event"] != "meta":
    raise SearchError(f"cannot resume: events.jsonl line {retold.count + 1} is an event "
                      f"of a kind this version does not know ({event['event']!r})")
  if retold.position == before:  # a meta-validation answered from the cache at the end
    search.meta_points.append([event["id"], event.get("evaluated")])
    retold.skip()


def _retell_child(search: Search, event: dict) -> None:
  """What ``Search._child`` and ``record`` did for this child, with its logged result."""
  child = _child_again(search.evolution, event)
  counters, key = search.counters, event["hash"]
  counters.generated += 1
  counters.statements += len(child.genome.statements)
  counters.dead += len(child.genome.statements) - len(analysis.live_statements(child.genome))
  fitness = _copied_fitness(search, event) if event["cached"] else None
  if event["cached"] == "dataflow":
    counters.hash_hits += 1
    search.tell(child, fitness, key, None, cached="dataflow")
  elif event["cached"] == "behaviour":
    counters.behaviour_hits += 1
    search.caches.proxy[key] = fitness
    search.tell(child, fitness, key, None, cached="behaviour", probe=event["probe"])
  else:
    structure = (analysis.dataflow_hash(child.genome, constants=False)
                 if event.get("fitted") else None)
    search.record(Pending(child, key, event.get("probe"), structure), _logged_evaluation(event))


def _copied_fitness(search: Search, event: dict) -> float:
  """The score a cache hit copies: from its hash, or for a behaviour hit its probe (logs
  from before short hits carry it)."""
  if "fitness" in event:
    return decode_float(event["fitness"])
  table, key = ((search.caches.proxy, event["hash"]) if event["cached"] == "dataflow"
                else (search.caches.behaviour, event.get("probe")))
  if key not in table:
    raise SearchError(f"cannot resume: {_describe(event)} copies a score the log never gave")
  return table[key]


def _child_again(evolution: RegularizedEvolution, event: dict) -> Child:
  """The logged child, asked for again when the search makes exactly it next (always, on
  the serial executor), so the random state moves on as it did; else rebuilt from the log."""
  from discover.search.mutate import MutationError
  rng, next_id = evolution.rng.bit_generator.state, evolution.next_id
  try:
    child = evolution.ask()
    if _is_logged(child, event):
      return child
  except MutationError:  # the parent drawn now is not the logged child's (a pool's order)
    pass
  evolution.rng.bit_generator.state = rng
  evolution.next_id = max(next_id, event["id"] + 1)  # ids stay unique after the resume
  return Child(event["id"], event["parent"], _logged_genome(evolution, event),
               {"kind": event["mutation"], "detail": event["detail"]})


def _is_logged(child: Child, event: dict) -> bool:
  """Whether ``child`` is the logged one: the same text, or for a cached child logged
  without it, the same parent and mutation (so the same text) and the same hash."""
  if child.id != event["id"]:
    return False
  if event.get("fitted"):  # logged with its constants fitted: the same edit of the parent
    return (child.parent, child.mutation["detail"]) == (event["parent"], event["detail"])
  if "program" in event:
    return to_text(child.genome) == event["program"]
  return ((child.parent, child.mutation["detail"]) == (event["parent"], event["detail"])
          and analysis.dataflow_hash(child.genome) == event["hash"])


def _logged_genome(evolution: RegularizedEvolution, event: dict) -> Program:
  """A logged child's program: its text, or for a cached child logged without it, its
  mutation (``mutate.redo``) redone on its parent, which was in the population when it
  was made and told (at once), so is in the population rebuilt to this event.

  Raises:
    SearchError: no member of the population gives the logged child.
  """
  from discover.search.mutate import redo
  from discover.dsl.parse import parse

  if "program" in event:
    return parse(event["program"])
  # Its parent first; then the others, since restarts number their copies from the ids
  # drawn so far, which on a pool include children in flight that a replay never sees.
  members = evolution.population
  tried = set()  # genomes by identity: a restart's copies share one
  for member in itertools.chain((m for m in members if m.id == event["parent"]), members):
    if id(member.genome) in tried:
      continue
    tried.add(id(member.genome))
    try:
      child = redo(member.genome, event["detail"])
    except ProgramError:
      continue
    if analysis.dataflow_hash(child) == event["hash"]:
      return child
  raise SearchError(f"cannot resume: no member of the population is the parent of "
                    f"{_describe(event)} (mutation {event['detail']!r})")


def _queued_extra(search: Search, event: dict) -> Extra:
  """The queued funnel or meta job this event is the result of (taken off the queue)."""
  for extra in search.queue:
    if (extra.event, extra.id) == (event["event"], event["id"]) and (
        analysis.dataflow_hash(extra.program) == event["hash"]):
      search.queue.remove(extra)
      return extra
  from discover.dsl.parse import parse  # queued after the last checkpoint, by the run's end
  final = event["event"] == "final"
  return Extra("meta" if final else event["event"], event["id"], parse(event["program"]),
               decode_float(event.get("proxy_fitness")), final,
               evaluated=event.get("evaluated"), probe=event.get("probe"))


def _logged_evaluation(event: dict) -> Evaluation:
  nan = float("nan")
  metrics = {k: tuple(nan if v is None else v for v in vs)
             for k, vs in (event.get("metrics") or {}).items()}
  from discover.dsl.parse import parse

  fitted = parse(event["program"]) if event.get("fitted") else None
  return Evaluation(decode_float(event["fitness"]), metrics, event.get("failure"),
                    event.get("seconds", 0.0), event.get("lr_scales"), fitted)


def _describe(event: dict | None) -> str:
  if event is None:
    return "nothing"
  return f"{event['event']} {event['id']} with hash {event['hash']}"
