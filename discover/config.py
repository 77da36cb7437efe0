"""Search configuration: one embedded default, strict YAML overrides, one-line errors.

``DEFAULT_YAML`` below is the single source of defaults, with a comment on every field. A
user's file and ``--set key=value`` overrides are merged onto it: an unknown key, a value
of the wrong type or out of range is a ``ConfigError`` naming the key. YAML is read with
``yaml.safe_load`` (plus a check for keys given twice), so a file cannot build Python
objects; every failure of reading or loading, however odd the bytes, is a ``ConfigError``
whose message is one line of bounded length.

``load`` returns a ``Config``: frozen dataclasses, one per section, so a key is a name that a
reader and a type checker can follow (``cfg.search.population``). ``Config.from_dict`` and
``to_dict`` convert to and from the plain dict (lists there, tuples here), and ``dump`` writes
the YAML a run directory keeps as config.yaml.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
import reprlib
import typing
from pathlib import Path
from typing import Any
from collections.abc import Callable

import yaml

from discover import files

DEFAULT_YAML = """\
seed: 0                  # seeds the search (tournaments, mutations)
search:
  start: adamw_paper     # warm start: a baseline name or a program file
  population: 100        # members kept (the paper used 1000; ours must fit 10 minutes)
  tournament: 10         # members per tournament; the fittest is the parent
  budget: 10m            # evaluations ("500") or wall time ("90s", "10m", "2h")
  restart_after: 400     # restart after this many children without a new best, from the
                         # start and the best in turn (0: never)
  behaviour_hash: true   # also dedup by behaviour on fixed probe gradient streams
  parsimony: 0.02        # tournaments rank by fitness less this per live statement, so of
                         # two programs that score alike the shorter parents (0: off)
  unique: true           # a child whose live structure a member has does not join, so one
                         # structure cannot crowd the population
  max_hits: 2000         # cache-hit children in a row (a converged population) before the
                         # search restarts from its best or its start (0: never)
  fit_constants: true    # fit each new structure's constants to the objective where the
                         # evaluator can (the recovery benchmark's match), once per structure
mutation:
  ops: all               # ops inserts may use: "all" or a list of names
  insert: 1.0            # relative weight of inserting a statement
  delete: 1.0            # relative weight of deleting one
  modify: 1.0            # relative weight of changing one argument
  max_statements: 16     # inserts stop at this program length (a short cap keeps the
                         # search among short programs; AdamW is 9 statements)
  wrap: 1.0              # relative weight of putting an op around a live value where it is used
  slot: 1.0              # ... of an EMA of a live value into a state slot, read in its place
  swap_op: 1.0           # ... of changing a live statement's op, keeping its arguments
  term: 1.0              # ... of adding a scaled value to a live use (x + c * y: a weight decay)
  op_prior: [interp, sign, mul, div, add, sub, sqrt, square, abs]  # ops drawn more often
  op_prior_weight: 6.0   # how much more often (1.0: every op alike)
  protect_lr: true       # refuse children whose update is not linear in lr, so that a
                         # learning rate scales every program's step
  second_edit: 0.0       # chance a child gets a second edit, to cross a valley in one step
                         # (measured no help on momentum, signum, rmsprop: off)
evaluation:
  tasks: [digits_mlp_deep]  # proxy tasks every candidate trains on: of the 11 proxies
                         # measured, the best rank correlation with the target tier (Spearman
                         # 0.87 over 62 programs) and among the cheapest (runs/reference/proxies)
  seeds: [0]             # training seeds per task (each paired with AdamW's on that seed)
  executor: pool         # where candidates train: serial (this process, in order), pool
                         # (worker processes on this machine; with workers: 1, serial) or
                         # ray (Ray actors: a local instance, or the cluster at address)
  workers: 2             # pool processes or Ray actors, each pinned to one core
  address: ""            # the Ray cluster to join (ray only; "": start a local instance)
  method: machine        # machine (program as data, no compile) or compiled
  aggregate: min         # fitness over tasks: min (the worst task decides) or mean;
                         # min resists rules that win big on one task and lose on another
  timeout: 600.0         # seconds one job may run, its stage's compile included, before its
                         # worker is killed and the job recorded as failed. Enforced by the
                         # pool and ray executors: the serial one cannot stop a job inside
                         # XLA. A first funnel job takes tens of seconds on an idle core and
                         # took 171 s on a core shared seven ways: 600 stops only a hung job
funnel:
  tasks: [digits_mlp, digits_mlp_wide]  # re-scored on these when a candidate sets a new
                         # proxy best above the threshold ([]: no funnel)
  seeds: [1, 2, 3]       # fresh seeds, so a proxy winner's luck does not carry over
  threshold: 0.0         # proxy fitness needed to enter the funnel (0 = tuned AdamW)
  lr_scales: [0.3333333, 1.0, 3.0]  # learning-rate multipliers tried on each funnel task,
                         # the best kept per task, as AdamW's reference was tuned there: a
                         # rule carries its proxy's learning rate, and the 256-256 MLP wants
                         # a third of it ([1.0]: no tuning)
  lr_scaling: step       # what lr_scales multiply: step (the lr a rule reads, or its update
                         # when it never reads lr) or lr (the lr input only, which such a
                         # rule ignores: how runs made before this key existed were scored)
  feedback: true         # a funneled candidate's fitness in tournaments becomes the lower of
                         # its proxy and funnel fitness: a proxy winner that fails the funnel
                         # stops parenting, and the next best is funneled
meta_validation:
  tasks: [char_lm_small] # tasks never trained on that the best so far is scored on ([]: none)
  seeds: [0]             # seeds per held-out task (paired with AdamW on the same seed)
  every: 2000            # evaluations between meta-validations (0: only at the start and end)
  lr_scales: [0.3333333, 1.0, 3.0]  # learning-rate multipliers tried, as for the funnel
  lr_scaling: step       # what they multiply, as for the funnel
  finalists: 3           # at the end, this many best distinct programs on the funnel (with
                         # the start program and the proxy best) are meta-validated, and
                         # the winner (winner.py, optimizer.py) is the one with the best
                         # min(funnel, meta-validation) fitness: never the proxy alone
run:
  root: runs             # run directories are created under this folder
  checkpoint_every: 200  # evaluations between checkpoints
"""

DEFAULTS: dict = yaml.safe_load(DEFAULT_YAML)

EXECUTORS = ("serial", "pool", "ray")

_BUDGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$", re.ASCII)
MAX_CONFIG_BYTES = 256 << 10  # 60 times the default; PyYAML parses ~10k list items a second,
                              # so a file this size takes seconds, not minutes
# Values allocated or started up front: a typo of a few zeros must not exhaust the machine.
_LIMITS = {"search.population": 100_000, "evaluation.workers": 1024}


class ConfigError(ValueError):
  """A bad configuration: the message names the key and the problem."""


# -- the typed config ----------------------------------------------------------------------
# One frozen dataclass per section of DEFAULT_YAML, its fields in the YAML's order: to_dict,
# and so dump, writes the keys in the order dump wrote them when load returned the merged
# dict itself, so config.yaml files stay byte for byte what they were. A field that defaults to None is a key that config.yaml
# files written before it existed lack (the committed runs under runs/reference lack the
# lr_scaling keys and finalists): None is that absence, to_dict leaves the key out, and
# executors.stages reads it as the behaviour from before the key. ``load`` never gives
# None: it fills a key a file lacks with today's default, as it always has, so a resumed
# old run goes on with today's defaults; replay leaves such keys out (audit.replay).


@dataclasses.dataclass(frozen=True)
class SearchSection:
  """``search``: the warm start, the population and how long the search runs."""

  start: str
  population: int
  tournament: int
  budget: int | str  # 500, "500", "90s", "10m", "2h": see parse_budget
  restart_after: int
  behaviour_hash: bool
  # None: a config.yaml written before the key, searched as it was (no parsimony, ...).
  parsimony: float | None = None
  unique: bool | None = None
  max_hits: int | None = None
  fit_constants: bool | None = None


@dataclasses.dataclass(frozen=True)
class MutationSection:
  """``mutation``: which ops inserts may use and how often each kind of edit is made."""

  ops: str | tuple[str, ...]  # "all", or the op names
  insert: float
  delete: float
  modify: float
  max_statements: int
  wrap: float | None = None  # None: written before the dataflow mutations (weight 0)
  slot: float | None = None
  swap_op: float | None = None
  term: float | None = None
  op_prior: tuple[str, ...] | None = None  # None: uniform, as before the key
  op_prior_weight: float | None = None
  protect_lr: bool | None = None
  second_edit: float | None = None


@dataclasses.dataclass(frozen=True)
class EvaluationSection:
  """``evaluation``: the proxy tasks every candidate trains on, and where it trains."""

  tasks: tuple[str, ...]
  seeds: tuple[int, ...]
  executor: str  # one of EXECUTORS
  workers: int
  address: str  # "": a local Ray instance
  method: str  # machine or compiled
  aggregate: str  # min or mean
  timeout: float


@dataclasses.dataclass(frozen=True)
class FunnelSection:
  """``funnel``: the tasks a new proxy best is re-scored on (none: no funnel)."""

  tasks: tuple[str, ...]
  seeds: tuple[int, ...]
  threshold: float
  lr_scales: tuple[float, ...] | None = None  # None: as before the key, the proxy's lr only
  lr_scaling: str | None = None  # None: as before the key, "lr"
  feedback: bool | None = None  # None: as before the key, the proxy fitness alone


@dataclasses.dataclass(frozen=True)
class MetaValidationSection:
  """``meta_validation``: the tasks, never trained on, the best so far and the finalists are
  scored on."""

  tasks: tuple[str, ...]
  seeds: tuple[int, ...]
  every: int
  lr_scales: tuple[float, ...] | None = None  # None: as before the key, the proxy's lr only
  lr_scaling: str | None = None  # None: as before the key, "lr"
  finalists: int | None = None  # None: written before the key (load fills today's default)


@dataclasses.dataclass(frozen=True)
class RunSection:
  """``run``: where run directories go and how often a search checkpoints."""

  root: str
  checkpoint_every: int


# The sections that name tasks and the seeds to score them on: proxy, funnel, meta.
TaskSection = EvaluationSection | FunnelSection | MetaValidationSection


@dataclasses.dataclass(frozen=True)
class Config:
  """A whole search configuration (DEFAULT_YAML's layout), as ``load`` checked it."""

  seed: int
  search: SearchSection
  mutation: MutationSection
  evaluation: EvaluationSection
  funnel: FunnelSection
  meta_validation: MetaValidationSection
  run: RunSection

  @classmethod
  def from_dict(cls, data: dict) -> Config:
    """The config a plain dict holds: ``load``'s checked dict, or a run's config.yaml read
    as it is (keys it predates absent). Values are taken as they are, not checked again;
    an unknown or missing key is a ``ConfigError``."""
    return _build(cls, data, "")

  def to_dict(self) -> dict:
    """The plain dict ``from_dict`` reads: lists for tuples, absent keys left out."""
    return _plain(self)

  def task_sections(self) -> dict[str, TaskSection]:
    """The sections naming tasks, by key: evaluation (the proxy), funnel, meta_validation."""
    return {"evaluation": self.evaluation, "funnel": self.funnel,
            "meta_validation": self.meta_validation}

  def without(self, key: str) -> Config:
    """This config with the optional ``key`` ("section.name", one of OPTIONAL_KEYS) absent,
    as in a config.yaml written before the key existed."""
    if key not in OPTIONAL_KEYS:
      raise ConfigError(f"{_key_text(key)}: not a key a config may lack")
    section, name = key.split(".")
    return dataclasses.replace(self, **{section: dataclasses.replace(
        getattr(self, section), **{name: None})})


_SECTION_TYPES: dict[str, type] = {
    name: kind for name, kind in typing.get_type_hints(Config).items()
    if dataclasses.is_dataclass(kind)}
OPTIONAL_KEYS = frozenset(
    f"{name}.{f.name}" for name, kind in _SECTION_TYPES.items()
    for f in dataclasses.fields(kind) if f.default is None)


def _build(kind: type, data: Any, prefix: str) -> Any:
  if not isinstance(data, dict):
    raise ConfigError(f"{prefix.rstrip('.') or 'a config'}: expected a mapping, "
                      f"got {_show(data)}")
  fields = dataclasses.fields(kind)
  unknown = [key for key in data if key not in {f.name for f in fields}]
  if unknown:
    raise ConfigError(f"unknown key '{prefix}{_key_text(unknown[0])}'")
  values = {}
  for f in fields:
    if f.name not in data:
      if f.default is dataclasses.MISSING:
        raise ConfigError(f"missing key '{prefix}{f.name}'")
      continue
    value = data[f.name]
    if kind is Config and f.name in _SECTION_TYPES:
      values[f.name] = _build(_SECTION_TYPES[f.name], value, f"{f.name}.")
    else:
      values[f.name] = tuple(value) if isinstance(value, list) else value
  return kind(**values)


def _plain(instance: Any) -> dict:
  out = {}
  for f in dataclasses.fields(instance):
    value = getattr(instance, f.name)
    if value is None:  # a key the config predates
      continue
    if dataclasses.is_dataclass(value):
      value = _plain(value)
    out[f.name] = list(value) if isinstance(value, tuple) else value
  return out


def parse_budget(value: Any) -> tuple[str, float]:
  """("evaluations", n) for "500" or 500; ("seconds", s) for "90s", "10m", "2h"."""
  match = _BUDGET.match(str(value))
  if not match or float(match.group(1)) <= 0:
    raise ConfigError(f"search.budget: expected a count (500) or a time (90s, 10m, 2h), "
                      f"got {_show(value)}")
  number, unit = float(match.group(1)), match.group(2)
  if not math.isfinite(number * 3600):
    raise ConfigError(f"search.budget: too large, got {_show(value)}")
  if unit is None:
    if number != int(number):
      raise ConfigError(f"search.budget: a number of evaluations must be whole, "
                        f"got {_show(value)}")
    return "evaluations", number
  return "seconds", number * {"s": 1, "m": 60, "h": 3600}[unit]


def _positive(v):
  return v > 0 or "must be positive"


def _non_negative(v):
  return v >= 0 or "must be >= 0"


def _scales(v):
  numbers = isinstance(v, list) and all(
      isinstance(k, (int, float)) and not isinstance(k, bool) for k in v)
  return (numbers and bool(v) and all(0 < k < float("inf") for k in v)
          or "needs a list of positive numbers")


def _lr_scaling(v):
  return v in ("step", "lr") or "must be step or lr"


def _known_ops(v):
  if v == "all":
    return True
  from primitives import REGISTRY  # imports JAX, so only when ops are listed

  unknown = [op for op in v if op not in REGISTRY]
  return not unknown or f"unknown op {_show(unknown[0])} (known: {', '.join(REGISTRY)})"


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "seed": _non_negative,
    "search.population": _positive,
    "search.tournament": _positive,
    "search.restart_after": _non_negative,
    "search.budget": lambda v: parse_budget(v) and True,
    "mutation.insert": _non_negative,
    "mutation.delete": _non_negative,
    "mutation.modify": _non_negative,
    "mutation.max_statements": _positive,
    "mutation.wrap": _non_negative,
    "mutation.slot": _non_negative,
    "mutation.swap_op": _non_negative,
    "mutation.term": _non_negative,
    "mutation.op_prior": _known_ops,
    "mutation.op_prior_weight": _non_negative,
    "mutation.second_edit": lambda v: 0 <= v <= 1 or "must be between 0 and 1",
    "search.parsimony": _non_negative,
    "search.max_hits": _non_negative,
    "mutation.ops": _known_ops,
    "evaluation.workers": _positive,
    "evaluation.executor": lambda v: v in EXECUTORS or "must be serial, pool or ray",
    "evaluation.method": lambda v: v in ("machine", "compiled") or "must be machine or compiled",
    "evaluation.aggregate": lambda v: v in ("mean", "min") or "must be mean or min",
    "evaluation.timeout": _positive,
    "evaluation.tasks": lambda v: bool(v) or "needs at least one task",
    "evaluation.seeds": lambda v: bool(v) or "needs at least one seed",
    "run.checkpoint_every": _positive,
    "funnel.seeds": lambda v: bool(v) or "needs at least one seed",
    "meta_validation.seeds": lambda v: bool(v) or "needs at least one seed",
    "meta_validation.every": _non_negative,
    "meta_validation.finalists": _positive,
    "funnel.lr_scales": _scales,
    "funnel.lr_scaling": _lr_scaling,
    "meta_validation.lr_scaling": _lr_scaling,
    "meta_validation.lr_scales": _scales,
}


def load(path: str | Path | None = None, overrides: list[str] = ()) -> Config:
  """The default config, merged with a YAML file and ``key=value`` overrides, checked. A key
  the file lacks (it may predate the key) takes today's default."""
  config = copy.deepcopy(DEFAULTS)
  if path is not None:
    _merge(config, _read(Path(path)), "")
  for item in overrides:
    key, sep, text = item.partition("=")
    if not sep or not key.strip():
      raise ConfigError(f"--set expects key=value, got {_show(item)}")
    _merge(config, _nest(key.strip(), _yaml(text, f"--set {_key_text(key)}")), "")
  for key, check in _CHECKS.items():
    verdict = check(_get(config, key))
    if verdict is not True:
      raise ConfigError(f"{key}: {verdict}, got {_show(_get(config, key))}")
  for key, limit in _LIMITS.items():
    if _get(config, key) > limit:
      raise ConfigError(f"{key}: must be at most {limit}, got {_show(_get(config, key))}")
  checked = Config.from_dict(config)
  _check_across_keys(checked)
  return checked


def load_recorded(path: str | Path, overrides: list[str] = ()) -> Config:
  """A run's own config.yaml, as ``load`` reads it, except that an optional key the file
  predates stays absent (None) rather than taking today's default: a resumed run goes on
  scoring as it began."""
  cfg = load(path, overrides)
  recorded = _read(Path(path))
  for key in sorted(OPTIONAL_KEYS):
    section, name = key.split(".")
    if name not in (recorded.get(section) or {}) and not any(
        item.partition("=")[0].strip() == key for item in overrides):
      cfg = cfg.without(key)
  return cfg


def _check_across_keys(cfg: Config) -> None:
  m = cfg.mutation
  if not any(weight > 0 for weight in (m.insert, m.delete, m.modify, m.wrap or 0,
                                       m.slot or 0, m.swap_op or 0, m.term or 0)):
    raise ConfigError("mutation: one of the mutation weights must be positive")
  if m.insert > 0 and m.ops == ():
    raise ConfigError("mutation.ops: inserts need at least one op (or set mutation.insert: 0)")
  if cfg.evaluation.address and cfg.evaluation.executor != "ray":
    raise ConfigError("evaluation.address: only the ray executor joins a cluster")
  if cfg.search.tournament > cfg.search.population:
    raise ConfigError("search.tournament: cannot exceed search.population")


def dump(config: Config) -> str:
  """The YAML of ``config`` (a run directory's config.yaml): the keys in DEFAULT_YAML's order."""
  return yaml.safe_dump(config.to_dict(), sort_keys=False)


def _read(path: Path) -> dict:
  data = _yaml(_read_text(path), str(path))
  if data is None:
    raise ConfigError(f"{path}: the config is empty; leave out --config to use the defaults")
  if not isinstance(data, dict):
    raise ConfigError(f"{path}: a config is a mapping of keys to values")
  return data


def _read_text(path: Path) -> str:
  try:
    return files.read_text(path, MAX_CONFIG_BYTES)
  except files.UnreadableFile as e:
    raise ConfigError(f"cannot read config {path}: {e}") from None


_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAX_MERGED_KEYS = 10_000
_MAX_DEPTH = 50  # PyYAML's scanner slows quadratically with depth; a config needs 3 levels


class _StrictLoader(yaml.SafeLoader):
  """``yaml.SafeLoader`` that refuses a key given twice, and mappings that merge keys
  (``<<: *anchor``) into more than ``_MAX_MERGED_KEYS``: SafeLoader copies merged keys, so
  ten levels of ``<<: [*a, *a, ...]`` would copy 10**10 of them (a billion laughs)."""

  def __init__(self, stream):
    super().__init__(stream)
    self._merged_sizes: dict[int, int] = {}  # id(mapping node) -> keys once merged
    self._depth = 0

  def fetch_flow_collection_start(self, token_class):
    # The scanner reads ahead through every '[' before the composer sees the first one.
    if self.flow_level >= _MAX_DEPTH:
      raise yaml.scanner.ScannerError(None, None, f"nested too deeply (more than "
                                      f"{_MAX_DEPTH} levels)", self.get_mark())
    super().fetch_flow_collection_start(token_class)

  def compose_node(self, parent, index):
    if self._depth >= _MAX_DEPTH:
      raise yaml.composer.ComposerError(None, None, f"nested too deeply (more than "
                                        f"{_MAX_DEPTH} levels)", self.peek_event().start_mark)
    self._depth += 1
    try:
      return super().compose_node(parent, index)
    finally:
      self._depth -= 1

  def construct_mapping(self, node, deep=False):
    if isinstance(node, yaml.MappingNode) and self._merged_size(node) > _MAX_MERGED_KEYS:
      raise yaml.constructor.ConstructorError(
          None, None, f"merge keys (<<) expand a mapping past {_MAX_MERGED_KEYS} keys",
          node.start_mark)
    seen = set()
    for key_node, _ in node.value:
      if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE_TAG:
        if (key_node.tag, key_node.value) in seen:
          raise yaml.constructor.ConstructorError(
              None, None, f"key {_show(key_node.value)} given twice", key_node.start_mark)
        seen.add((key_node.tag, key_node.value))
    return super().construct_mapping(node, deep)

  def _merged_size(self, node: yaml.MappingNode) -> int:
    if id(node) not in self._merged_sizes:
      size = 0
      for key_node, value_node in node.value:
        if key_node.tag != _MERGE_TAG:
          size += 1
          continue
        merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        size += sum(self._merged_size(m) for m in merged if isinstance(m, yaml.MappingNode))
      self._merged_sizes[id(node)] = size
    return self._merged_sizes[id(node)]


def _yaml(text: str, where: str) -> Any:
  try:
    return yaml.load(text, Loader=_StrictLoader)
  except yaml.MarkedYAMLError as e:
    line = f", line {e.problem_mark.line + 1}" if e.problem_mark and "\n" in text else ""
    problem = ", ".join(filter(None, [e.context, e.problem])) or "malformed"
    raise ConfigError(f"{where}: invalid YAML ({_one_line(problem)}{line})") from None
  except yaml.YAMLError as e:  # e.g. a ReaderError: its first line says what was found
    first = (str(e).strip().splitlines() or ["malformed"])[0]
    raise ConfigError(f"{where}: invalid YAML ({_one_line(first)})") from None
  except RecursionError:
    raise ConfigError(f"{where}: invalid YAML (nested too deeply)") from None
  except Exception as e:  # noqa: BLE001 - SafeLoader's constructors raise anything on odd
    # tagged scalars (IndexError for '!!int', KeyError for '!!bool', ValueError for dates).
    reason = str(e).split("; ")[0]  # drops e.g. "; use sys.set_int_max_str_digits()"
    if not reason.strip("'\" "):
      reason = type(e).__name__
    raise ConfigError(f"{where}: invalid YAML (a value cannot be built: "
                      f"{_one_line(reason)})") from None


def _one_line(text: str, limit: int = 160) -> str:
  text = " ".join(text.split())
  return text if len(text) <= limit else text[:limit - 3] + "..."


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxset = 3, 4, 4, 4
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 60, 60, 60


def _show(value: Any) -> str:
  """A short one-line repr: a value from a file may be huge, or exponential via aliases."""
  return _one_line(_REPR.repr(value), 100)


def _key_text(key: Any) -> str:
  if isinstance(key, str) and key.isprintable() and len(key) <= 64:
    return key
  return _show(key)


def _merge(base: dict, update: dict, prefix: str) -> None:
  for key, value in update.items():
    name = f"{prefix}{_key_text(key)}"
    if not isinstance(key, str) or key not in base:
      raise ConfigError(f"unknown key '{name}' (known: {', '.join(prefix + k for k in base)})")
    default = base[key]
    if isinstance(default, dict):
      if not isinstance(value, dict):
        raise ConfigError(f"{name}: expected a mapping, got {_show(value)}")
      _merge(default, value, name + ".")
    else:
      base[key] = _typed(name, default, value)


def _typed(name: str, default: Any, value: Any) -> Any:
  if name == "mutation.ops":  # not any string: "sign" would be read as ops s, i, g, n
    if value == "all" or _is_list_of(value, str):
      return value
    raise ConfigError(f'{name}: expected "all" or a list of op names, got {_show(value)}')
  if name == "mutation.op_prior":
    if _is_list_of(value, str):
      return value
    raise ConfigError(f"{name}: expected a list of op names, got {_show(value)}")
  if name == "search.budget" and isinstance(value, (int, str)) and not isinstance(value, bool):
    return value
  if isinstance(default, bool) or isinstance(value, bool):
    ok = isinstance(value, bool) and isinstance(default, bool)
  elif isinstance(default, float):
    ok = _is_finite_number(value)
    value = float(value) if ok else value
  elif isinstance(default, list):
    element = type(_get(DEFAULTS, name)[0])  # the built-in default, never emptied
    ok = _is_list_of(value, element) or (value == [] and name.endswith(".tasks")
                                         and name != "evaluation.tasks")
  else:
    ok = isinstance(value, type(default))
  if not ok:
    raise ConfigError(f"{name}: expected {_describe(default)}, got {_show(value)}")
  return value


def _is_finite_number(value: Any) -> bool:
  if not isinstance(value, (int, float)) or isinstance(value, bool):
    return False
  try:
    return math.isfinite(value)
  except OverflowError:  # an integer too large for a float
    return False


def _is_list_of(value, kind) -> bool:
  if kind is float:
    return isinstance(value, list) and all(_is_finite_number(v) for v in value)
  return isinstance(value, list) and all(isinstance(v, kind) and not isinstance(v, bool)
                                         for v in value)


def _describe(default: Any) -> str:
  if isinstance(default, list):
    return f"a list of {type(default[0]).__name__}" if default else "a list"
  return {int: "an integer", float: "a finite number", str: "a string",
          bool: "true or false"}.get(type(default), "a value")


def _nest(dotted: str, value: Any) -> dict:
  out: Any = value
  for part in reversed(dotted.split(".")):
    out = {part: out}
  return out


def _get(config: dict, dotted: str) -> Any:
  for part in dotted.split("."):
    config = config[part]
  return config
