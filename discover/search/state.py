"""The search's state as data: what a checkpoint holds, written to JSON and read back checked.

``SearchState`` is everything a search needs to go on from a checkpoint: the evolution's
population, best and random state, the counters, the fitness caches, the queued funnel and
meta jobs, the clocks and how many events of the log it accounts for. ``to_json`` gives
plain JSON (non-finite floats as null); ``from_json`` checks every field's type and
refuses unknown keys, so a damaged or tampered checkpoint is a one-line ``StateError``
naming the file and the field, never a traceback or a silently wrong search.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from discover.dsl.parse import from_json
from discover.dsl.program import Program, ProgramError, to_json
from discover.search.jobs import Job


class StateError(ValueError):
  """A checkpoint that cannot be what a search wrote."""


@dataclasses.dataclass
class Counters:
  generated: int = 0  # children made (valid ones)
  evaluated: int = 0  # children trained on the proxy
  hash_hits: int = 0  # children whose dataflow hash was already scored
  behaviour_hits: int = 0  # children whose probe behaviour matched a scored program
  failed: int = 0  # trained children that diverged or failed
  statements: int = 0  # statements in generated children
  dead: int = 0  # of which reach no output
  restarts: int = 0
  funneled: int = 0  # candidates re-scored in the funnel
  validated: int = 0  # meta-validations run
  finalists: int = 0  # finalists meta-validated at the end (discover.search.finish)

  @property
  def hit_rate(self) -> float:
    hits = self.hash_hits + self.behaviour_hits
    return hits / self.generated if self.generated else 0.0


@dataclasses.dataclass
class Extra:
  """A funnel or meta job: whose program, and its proxy fitness when it was queued."""

  stage: str  # "funnel" or "meta"
  id: int | None  # candidate id (None: the start program)
  program: Program
  proxy_fitness: float
  final: bool = False  # a finalist's meta-validation at the end (logged as "final")
  # Evaluations done when a meta job was queued, which its event logs: on a pool a long job
  # (the start's, or one a --resume restored) returns many evaluations later.
  evaluated: int | None = None
  # A funnel job's behaviour fingerprint, the key its proxy fitness is cached under, so
  # that funnel feedback revises it there (None: behaviour hashing off, or older state).
  probe: str | None = None

  def to_dict(self) -> dict:
    return {"stage": self.stage, "id": self.id, "program": to_json(self.program),
            "proxy_fitness": encode_float(self.proxy_fitness), "final": self.final,
            "evaluated": self.evaluated, "probe": self.probe}

  @property
  def event(self) -> str:
    return "final" if self.final else self.stage

  @property
  def job(self) -> Job:
    return Job(self.stage, self.program)


@dataclasses.dataclass
class SearchState:
  """A search between two evaluations (see the module docstring)."""

  evolution: dict  # RegularizedEvolution.state(), genomes as programs
  counters: Counters
  cache: dict[str, float]  # dataflow hash -> proxy fitness
  behaviour_cache: dict[str, float]  # probe fingerprint -> proxy fitness
  meta_cache: dict[str, float]  # dataflow hash -> held-out fitness
  meta_points: list[list]  # [candidate id, evaluations] of each meta event
  queue: list[Extra]  # funnel and meta jobs not yet done, in-flight ones first
  next_meta: float  # evaluations at which the next meta-validation is due
  elapsed: float  # seconds the search has run, over all its sessions
  since_best: int  # children told since the last new best
  funnel_bar: float  # proxy fitness a candidate must beat to enter the funnel
  funnel_best: dict | None  # id, genome, fitness, proxy_fitness of the best on the funnel
  events: int  # events of events.jsonl this state accounts for
  fitted: list[str] = dataclasses.field(default_factory=list)  # structures fitted once
  hits_in_a_row: int = 0  # cache-hit children since the last trained one

  def to_json(self) -> dict:
    evolution = dict(self.evolution)
    evolution["population"] = [_member_to_json(m) for m in evolution["population"]]
    evolution["best"] = evolution["best"] and _member_to_json(evolution["best"])
    return {
        "evolution": evolution, "counters": dataclasses.asdict(self.counters),
        "cache": _encode_floats(self.cache),
        "behaviour_cache": _encode_floats(self.behaviour_cache),
        "meta_cache": _encode_floats(self.meta_cache), "meta_points": self.meta_points,
        "queue": [e.to_dict() for e in self.queue],
        "next_meta": encode_float(self.next_meta), "elapsed": self.elapsed,
        "since_best": self.since_best, "funnel_bar": encode_float(self.funnel_bar),
        "funnel_best": self.funnel_best and {
            **self.funnel_best, "genome": to_json(self.funnel_best["genome"])},
        "events": self.events, "fitted": self.fitted, "hits_in_a_row": self.hits_in_a_row}

  @classmethod
  def from_json(cls, data: Any, source: str = "checkpoint.json") -> SearchState:
    """The state a checkpoint holds.

    Raises:
      StateError: one line naming ``source`` and the first field that is wrong.
    """
    try:
      return _read_state(data)
    except _FieldError as e:
      raise StateError(f"{source}: {e.field + ': ' if e.field else ''}{e.problem}") from None

  def check_against_log(self, logged: int, source: str = "checkpoint.json") -> None:
    """Refuses a state that accounts for more events than the log holds (a log emptied or
    cut short since, or a tampered count).

    Raises:
      StateError: naming the counts.
    """
    if self.events > logged:
      raise StateError(f"{source}: events: accounts for {self.events} events but "
                       f"events.jsonl holds {logged}")
    if self.counters.evaluated > self.events:
      raise StateError(f"{source}: counters.evaluated: {self.counters.evaluated} "
                       f"evaluations cannot come from {self.events} events")


def encode_float(x: float):
  return x if math.isfinite(x) else None


def decode_float(x, none: float = -math.inf) -> float:
  return none if x is None else float(x)


def _encode_floats(d: dict) -> dict:
  return {k: encode_float(v) for k, v in d.items()}


def _member_to_json(member: dict) -> dict:
  return {**member, "genome": to_json(member["genome"]),
          "fitness": encode_float(member["fitness"])}


# -- reading back, checked --------------------------------------------------------------


class _FieldError(Exception):
  def __init__(self, field: str, problem: str):
    super().__init__(field, problem)
    self.field, self.problem = field, problem


def _is_int(x) -> bool:
  return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x) -> bool:
  return (_is_int(x) or isinstance(x, float)) and not (isinstance(x, float) and math.isnan(x))


def _number_or_null(x) -> bool:
  return x is None or _is_number(x)


def _count(x) -> bool:
  return _is_int(x) and x >= 0


def _check(field: str, value, ok: Callable[[Any], bool], wanted: str):
  if not ok(value):
    shown = repr(value)
    raise _FieldError(field, f"expected {wanted}, got {shown[:60]}"
                      + ("..." if len(shown) > 60 else ""))
  return value


def _object(field: str, value, required: set[str], optional: frozenset = frozenset()) -> dict:
  _check(field, value, lambda v: isinstance(v, dict), "an object")
  unknown = sorted(set(value) - required - optional, key=str)
  if unknown:
    raise _FieldError(f"{field}.{unknown[0]}" if field else str(unknown[0]), "unknown key")
  missing = sorted(required - set(value))
  if missing:
    raise _FieldError(f"{field}.{missing[0]}" if field else missing[0], "missing")
  return value


_TOP = {"evolution", "counters", "cache", "behaviour_cache", "meta_cache", "queue",
        "next_meta", "elapsed", "since_best", "funnel_bar", "funnel_best", "events"}
_EXTRA = {"stage", "id", "program", "proxy_fitness"}


def _read_state(data) -> SearchState:
  # Older checkpoints lack meta_points, fitted and hits_in_a_row.
  _object("", data, _TOP, frozenset({"meta_points", "fitted", "hits_in_a_row"}))
  return SearchState(
      evolution=_read_evolution(data["evolution"]),
      counters=_read_counters(data["counters"]),
      cache=_read_floats("cache", data["cache"]),
      behaviour_cache=_read_floats("behaviour_cache", data["behaviour_cache"]),
      meta_cache=_read_floats("meta_cache", data["meta_cache"]),
      meta_points=_read_meta_points(data.get("meta_points", [])),
      queue=[_read_extra(f"queue[{i}]", e) for i, e in enumerate(
          _check("queue", data["queue"], lambda v: isinstance(v, list), "a list"))],
      next_meta=decode_float(_check("next_meta", data["next_meta"], _number_or_null,
                                    "a number or null"), math.inf),
      elapsed=float(_check("elapsed", data["elapsed"], lambda v: _is_number(v) and v >= 0,
                           "seconds >= 0")),
      since_best=_check("since_best", data["since_best"], _count, "a count"),
      funnel_bar=decode_float(_check("funnel_bar", data["funnel_bar"], _number_or_null,
                                     "a number or null")),
      funnel_best=_read_funnel_best(data["funnel_best"]),
      events=_check("events", data["events"], _count, "a count of events"),
      fitted=list(_check("fitted", data.get("fitted", []), lambda v: isinstance(v, list)
                         and all(isinstance(k, str) for k in v), "a list of hashes")),
      hits_in_a_row=_check("hits_in_a_row", data.get("hits_in_a_row", 0), _count, "a count"))


def _read_counters(value) -> Counters:
  names = {f.name for f in dataclasses.fields(Counters)}
  _object("counters", value, set(), frozenset(names))
  for name, count in value.items():
    _check(f"counters.{name}", count, _count, "a count")
  return Counters(**value)


def _read_floats(field: str, value) -> dict[str, float]:
  _check(field, value, lambda v: isinstance(v, dict), "an object")
  for key, x in value.items():
    _check(f"{field}[{key[:40]!r}]", x, _number_or_null, "a number or null")
  return {k: decode_float(v) for k, v in value.items()}


def _read_program(field: str, value) -> Program:
  try:
    return from_json(value)
  except (ProgramError, ValueError, TypeError, KeyError, AttributeError) as e:
    raise _FieldError(field, f"not a program ({str(e).splitlines()[0][:80] if str(e) else e})") from None


def _read_member(field: str, value) -> dict:
  _object(field, value, {"id", "genome", "fitness"})
  _check(f"{field}.id", value["id"], lambda v: v is None or _count(v), "an id")
  _check(f"{field}.fitness", value["fitness"], _number_or_null, "a number or null")
  return {"id": value["id"], "genome": _read_program(f"{field}.genome", value["genome"]),
          "fitness": decode_float(value["fitness"])}


def _read_evolution(value) -> dict:
  _object("evolution", value, {"population", "next_id", "best", "rng"})
  population = _check("evolution.population", value["population"],
                      lambda v: isinstance(v, list), "a list")
  state = {"population": [_read_member(f"evolution.population[{i}]", m)
                          for i, m in enumerate(population)],
           "next_id": _check("evolution.next_id", value["next_id"], _count, "an id"),
           "best": None if value["best"] is None else _read_member("evolution.best",
                                                                    value["best"]),
           "rng": value["rng"]}
  try:
    np.random.default_rng().bit_generator.state = value["rng"]
  except (TypeError, ValueError, KeyError, OverflowError):
    raise _FieldError("evolution.rng", "not the state of NumPy's PCG64 generator") from None
  return state


def _read_meta_points(value) -> list[list]:
  _check("meta_points", value, lambda v: isinstance(v, list), "a list")
  for i, point in enumerate(value):
    _check(f"meta_points[{i}]", point, lambda p: isinstance(p, list) and len(p) == 2 and all(
        x is None or _count(x) for x in p), "[candidate id, evaluations]")
  return value


def _read_extra(field: str, value) -> Extra:
  # Optional: checkpoints from before finalists, meta counts and funnel feedback lack them.
  _object(field, value, _EXTRA, frozenset({"final", "evaluated", "probe"}))
  _check(f"{field}.stage", value["stage"], lambda v: v in ("funnel", "meta"),
         '"funnel" or "meta"')
  _check(f"{field}.id", value["id"], lambda v: v is None or _count(v), "an id or null")
  _check(f"{field}.proxy_fitness", value["proxy_fitness"], _number_or_null,
         "a number or null")
  _check(f"{field}.final", value.get("final", False), lambda v: isinstance(v, bool),
         "true or false")
  _check(f"{field}.evaluated", value.get("evaluated"), lambda v: v is None or _count(v),
         "a count or null")
  _check(f"{field}.probe", value.get("probe"), lambda v: v is None or isinstance(v, str),
         "a string or null")
  return Extra(value["stage"], value["id"], _read_program(f"{field}.program", value["program"]),
               decode_float(value["proxy_fitness"]), value.get("final", False),
               evaluated=value.get("evaluated"), probe=value.get("probe"))


def _read_funnel_best(value) -> dict | None:
  if value is None:
    return None
  _object("funnel_best", value, {"id", "genome", "fitness", "proxy_fitness"})
  _check("funnel_best.id", value["id"], lambda v: v is None or _count(v), "an id or null")
  for name in ("fitness", "proxy_fitness"):
    _check(f"funnel_best.{name}", value[name], _is_number, "a number")
  return {**value, "genome": _read_program("funnel_best.genome", value["genome"])}
