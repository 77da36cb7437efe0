"""Search configuration: one embedded default, strict YAML overrides, one-line errors.

``DEFAULT_YAML`` below is the single source of defaults, with a comment on every field. A
user's file and ``--set key=value`` overrides are merged onto it: an unknown key, a value
of the wrong type or out of range is a ``ConfigError`` naming the key. YAML is read with
``yaml.safe_load``, so a file cannot build Python objects.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, Callable

import yaml

DEFAULT_YAML = """\
seed: 0                  # seeds the search (tournaments, mutations)
search:
  start: adamw_paper     # warm start: a baseline name or a program file
  population: 100        # members kept (the paper used 1000; ours must fit 10 minutes)
  tournament: 10         # members per tournament; the fittest is the parent
  budget: 10m            # evaluations ("500") or wall time ("90s", "10m", "2h")
  restart_after: 0       # restart after this many evaluations without a new best (0: never)
  behaviour_hash: true   # also dedup by behaviour on fixed probe gradient streams
mutation:
  ops: all               # ops inserts may use: "all" or a list of names
  insert: 1.0            # relative weight of inserting a statement
  delete: 1.0            # relative weight of deleting one
  modify: 1.0            # relative weight of changing one argument
  max_statements: 30     # inserts stop at this program length
evaluation:
  tasks: [digits_mlp, digits_mlp_long]  # proxy tasks every candidate trains on (two
                         # horizons and batch sizes, so no rule fits just one)
  seeds: [0]             # training seeds per task (each paired with AdamW's on that seed)
  workers: 2             # worker processes, each pinned to one core (1: no pool)
  method: machine        # machine (program as data, no compile) or compiled
  aggregate: min         # fitness over tasks: min (the worst task decides) or mean;
                         # min resists rules that win big on one task and lose on another
funnel:
  tasks: [digits_mlp, digits_mlp_wide]  # re-scored on these when a candidate sets a new
                         # proxy best above the threshold ([]: no funnel)
  seeds: [1, 2, 3]       # fresh seeds, so a proxy winner's luck does not carry over
  threshold: 0.0         # proxy fitness needed to enter the funnel (0 = tuned AdamW)
meta_validation:
  tasks: [char_lm_small] # held-out target tasks the best so far is scored on ([]: none)
  seeds: [0]             # seeds per held-out task (paired with AdamW on the same seed)
  every: 2000            # evaluations between meta-validations (0: only at the start and end)
run:
  root: runs             # run directories are created under this folder
  checkpoint_every: 200  # evaluations between checkpoints
"""

DEFAULTS: dict = yaml.safe_load(DEFAULT_YAML)

_BUDGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$")


class ConfigError(ValueError):
  """A bad configuration: the message names the key and the problem."""


def parse_budget(value: Any) -> tuple[str, float]:
  """("evaluations", n) for "500" or 500; ("seconds", s) for "90s", "10m", "2h"."""
  match = _BUDGET.match(str(value))
  if not match or float(match.group(1)) <= 0:
    raise ConfigError(f"search.budget: expected a count (500) or a time (90s, 10m, 2h), "
                      f"got {value!r}")
  number, unit = float(match.group(1)), match.group(2)
  if unit is None:
    if number != int(number):
      raise ConfigError(f"search.budget: a number of evaluations must be whole, got {value!r}")
    return "evaluations", number
  return "seconds", number * {"s": 1, "m": 60, "h": 3600}[unit]


def _positive(v):
  return v > 0 or "must be positive"


def _non_negative(v):
  return v >= 0 or "must be >= 0"


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "search.population": _positive,
    "search.tournament": _positive,
    "search.restart_after": _non_negative,
    "search.budget": lambda v: parse_budget(v) and True,
    "mutation.insert": _non_negative,
    "mutation.delete": _non_negative,
    "mutation.modify": _non_negative,
    "mutation.max_statements": _positive,
    "evaluation.workers": _positive,
    "evaluation.method": lambda v: v in ("machine", "compiled") or "must be machine or compiled",
    "evaluation.aggregate": lambda v: v in ("mean", "min") or "must be mean or min",
    "evaluation.tasks": lambda v: bool(v) or "needs at least one task",
    "evaluation.seeds": lambda v: bool(v) or "needs at least one seed",
    "run.checkpoint_every": _positive,
    "funnel.seeds": lambda v: bool(v) or "needs at least one seed",
    "meta_validation.seeds": lambda v: bool(v) or "needs at least one seed",
    "meta_validation.every": _non_negative,
}


def load(path: str | Path | None = None, overrides: list[str] = ()) -> dict:
  """The default config, merged with a YAML file and ``key=value`` overrides, checked."""
  config = copy.deepcopy(DEFAULTS)
  if path is not None:
    _merge(config, _read(Path(path)), "")
  for item in overrides:
    key, sep, text = item.partition("=")
    if not sep or not key.strip():
      raise ConfigError(f"--set expects key=value, got {item!r}")
    _merge(config, _nest(key.strip(), _yaml(text, f"--set {key}")), "")
  for key, check in _CHECKS.items():
    verdict = check(_get(config, key))
    if verdict is not True:
      raise ConfigError(f"{key}: {verdict}, got {_get(config, key)!r}")
  if config["search"]["tournament"] > config["search"]["population"]:
    raise ConfigError("search.tournament: cannot exceed search.population")
  return config


def dump(config: dict) -> str:
  return yaml.safe_dump(config, sort_keys=False)


def _read(path: Path) -> dict:
  try:
    text = path.read_text(encoding="utf-8")
  except (OSError, UnicodeDecodeError) as e:
    raise ConfigError(f"cannot read config {path}: {getattr(e, 'strerror', None) or e}") from None
  data = _yaml(text, str(path))
  if data is None:
    return {}
  if not isinstance(data, dict):
    raise ConfigError(f"{path}: a config is a mapping of keys to values")
  return data


def _yaml(text: str, where: str) -> Any:
  try:
    return yaml.safe_load(text)
  except yaml.YAMLError as e:
    first = str(e).strip().splitlines()[0]
    raise ConfigError(f"{where}: invalid YAML ({first})") from None


def _merge(base: dict, update: dict, prefix: str) -> None:
  for key, value in update.items():
    name = f"{prefix}{key}"
    if not isinstance(key, str) or key not in base:
      raise ConfigError(f"unknown key '{name}' (known: {', '.join(prefix + k for k in base)})")
    default = base[key]
    if isinstance(default, dict):
      if not isinstance(value, dict):
        raise ConfigError(f"{name}: expected a mapping, got {value!r}")
      _merge(default, value, name + ".")
    else:
      base[key] = _typed(name, default, value)


def _typed(name: str, default: Any, value: Any) -> Any:
  if name == "mutation.ops" and (value == "all" or _is_list_of(value, str)):
    return value
  if name == "search.budget" and isinstance(value, (int, str)) and not isinstance(value, bool):
    return value
  if isinstance(default, bool) or isinstance(value, bool):
    ok = isinstance(value, bool) and isinstance(default, bool)
  elif isinstance(default, float):
    ok, value = isinstance(value, (int, float)), float(value) if isinstance(value, (int, float)) else value
  elif isinstance(default, list):
    element = type(_get(DEFAULTS, name)[0])  # the built-in default, never emptied
    ok = _is_list_of(value, element) or (value == [] and name.endswith(".tasks")
                                         and name != "evaluation.tasks")
  else:
    ok = isinstance(value, type(default))
  if not ok:
    raise ConfigError(f"{name}: expected {_describe(default)}, got {value!r}")
  return value


def _is_list_of(value, kind) -> bool:
  if kind is float:
    kind = (int, float)
  return isinstance(value, list) and all(isinstance(v, kind) and not isinstance(v, bool)
                                         for v in value)


def _describe(default: Any) -> str:
  if isinstance(default, list):
    return f"a list of {type(default[0]).__name__}" if default else "a list"
  return {int: "an integer", float: "a number", str: "a string"}.get(type(default), "a value")


def _nest(dotted: str, value: Any) -> dict:
  out: Any = value
  for part in reversed(dotted.split(".")):
    out = {part: out}
  return out


def _get(config: dict, dotted: str) -> Any:
  for part in dotted.split("."):
    config = config[part]
  return config
