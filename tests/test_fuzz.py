"""Property-based fuzzing of what reads user input: the program parser and the config loader.

Whatever the input (arbitrary text or bytes, mutations of valid programs and configs, JSON
and YAML documents built at random, ``--set`` strings), the answer is a value or the
module's own error (``ProgramError``, ``ConfigError``) in one line, never anything else and
never a warning (a warning would be a second line on stderr). Valid generated programs
round-trip through text and JSON; a loaded config round-trips through its dump. Programs
built to be hard for the simplifier's algebra (long chains, chains that read each value
twice) are simplified within a hang guard, or keep their exact steps with a one-line
"algebra skipped" note. Hypothesis runs derandomized with a fixed number of examples, so
every run (and CI) sees the same inputs.
"""

from __future__ import annotations

import json
import keyword
import math
import random
import threading
import time
import unicodedata
import warnings
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discover.dsl import analysis
from discover import config
from discover.dsl.baselines import BASELINES
from discover.dsl.parse import from_json, parse, read_program
from discover.dsl.program import (GRADIENT, LEARNING_RATE, RESERVED, STEP, WEIGHTS, Const,
                              Program, ProgramError, Statement, Var, to_json, to_text)
from discover.simplify import steps as simplify
from primitives import REGISTRY, Kind

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
  """A directory for files written by fuzzed tests (module-scoped: hypothesis reruns)."""
  return tmp_path_factory.mktemp("fuzz")


def _parse_or_error(text: str) -> Program | None:
  """parse(text): a Program that round-trips, or None after a one-line ProgramError."""
  with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
      program = parse(text)
    except ProgramError as e:
      program = None
      assert "\n" not in str(e) and (e.line is None or e.line >= 1), (str(e), e.line)
  assert caught == [], [str(w.message) for w in caught]
  if program is not None:
    canonical = to_text(program)
    assert parse(canonical) == program and to_text(parse(canonical)) == canonical
  return program


# --- Programs ---

_PROGRAM_TOKENS = [
    "def", " train", "(", ")", ":", "\n", "  ", "\t", "\r", "\x0c", " w", " g", " lr", " step",
    " m", ",", " = ", "return ", "1e999", "-1e40", "0x1f", "1_0", "1j", "-", "+", "*", "/",
    "**", "@", "#", '"""', "'", "\\", "lambda", "import os", "if", "interp(", "sign(",
    "clip(", "9" * 5000, "\x00", "\ud800", "# -*- coding: latin-1 -*-\n", "async ", "await ",
    "yield", "f'{g}'", "...", "None", "[", "]", "{", "}", ";", "match", "ª", "ﬁ", "__debug__",
    "__import__('os').system('true')", "open('x')", "g.real", "(", "1if", "\ufeff",
]
_program_soup = st.lists(st.sampled_from(_PROGRAM_TOKENS) | st.text(max_size=3),
                         max_size=40).map("".join)
_CANONICAL = [to_text(b.program()) for b in BASELINES.values()]


@st.composite
def _mutated_programs(draw) -> str:
  """A baseline's text with one to four random edits: insert, delete or replace a span."""
  text = draw(st.sampled_from(_CANONICAL))
  for _ in range(draw(st.integers(1, 4))):
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, min(len(text), start + 12)))
    insert = draw(st.sampled_from(_PROGRAM_TOKENS) | st.text(max_size=4) | st.just(""))
    text = text[:start] + insert + text[end:]
  return text


@st.composite
def _line_edits(draw) -> str:
  """A baseline's text with lines duplicated, dropped or swapped."""
  lines = draw(st.sampled_from(_CANONICAL)).splitlines(keepends=True)
  for _ in range(draw(st.integers(1, 3))):
    i, j = (draw(st.integers(0, len(lines) - 1)) for _ in range(2))
    edit = draw(st.sampled_from(["duplicate", "drop", "swap"]))
    if edit == "duplicate":
      lines.insert(j, lines[i])
    elif edit == "drop" and len(lines) > 1:
      lines.pop(i)
    else:
      lines[i], lines[j] = lines[j], lines[i]
  return "".join(lines)


@FUZZ
@given(st.text(alphabet=st.characters(exclude_categories=())) | _program_soup)
def test_parse_of_arbitrary_text_is_a_program_or_a_program_error(text):
  _parse_or_error(text)


@FUZZ
@given(_mutated_programs() | _line_edits())
def test_parse_of_mutated_programs_is_a_program_or_a_program_error(text):
  _parse_or_error(text)


@FUZZ
@given(st.binary(max_size=300) | _program_soup.map(
    lambda s: s.encode("utf-8", "surrogatepass")) | st.sampled_from(_CANONICAL).map(
        lambda s: s.encode("utf-16")))
def test_read_program_of_arbitrary_bytes_is_a_program_or_a_program_error(scratch, raw):
  path = scratch / "program.py"
  path.write_bytes(raw)
  try:
    program = read_program(path)
  except ProgramError as e:
    assert "\n" not in str(e)
    return
  assert program == parse(raw.decode("utf-8"))


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20)


@st.composite
def _mutated_json(draw) -> dict:
  """A baseline's JSON form with one value (at any depth) replaced by a random one."""
  form = to_json(draw(st.sampled_from(list(BASELINES.values()))).program())
  node, target = form, None
  for _ in range(draw(st.integers(1, 4))):
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    if not keys:
      break
    key = draw(st.sampled_from(keys))
    target = node, key
    if not isinstance(node[key], (dict, list)) or draw(st.booleans()):
      break
    node = node[key]
  if target is not None:
    container, key = target
    container[key] = draw(_json_values)
  return form


@FUZZ
@given(_json_values | _mutated_json() | st.text(max_size=50))
def test_from_json_of_arbitrary_values_is_a_program_or_a_program_error(data):
  for form in (data, json.dumps(data) if not isinstance(data, str) else data):
    try:
      program = from_json(form)
    except ProgramError as e:
      assert "\n" not in str(e)
      continue
    assert from_json(json.dumps(to_json(program))) == program


# Names: ASCII, other scripts, and some that are easy to get wrong.
_TRICKY_NAMES = ["_", "match", "case", "type", "print", "train", "sign", "interp", "update",
                 "__import__", "open", "Σ", "变量", "x\u0301", "m2"]
_names = (st.text(st.characters(categories=("Lu", "Ll", "Lo", "Nl")), min_size=1, max_size=1)
          .flatmap(lambda first: st.text(st.characters(categories=("Lu", "Ll", "Lo", "Nd",
                                                                    "Mn", "Pc")),
                                         max_size=6).map(lambda rest: first + rest))
          | st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True)
          | st.sampled_from(_TRICKY_NAMES)).filter(
    lambda n: n.isidentifier() and not keyword.iskeyword(n) and n not in RESERVED
    and unicodedata.normalize("NFKC", n) == n)
_constants = st.floats(min_value=-analysis.MAX_ABS_CONSTANT, max_value=analysis.MAX_ABS_CONSTANT,
                       allow_nan=False)
_OPS = sorted(REGISTRY)


def _pick(draw, options: list):
  # An index, not st.sampled_from: building a strategy per draw is slow in hypothesis.
  return options[draw(st.integers(0, len(options) - 1))]


@st.composite
def _valid_programs(draw) -> Program:
  """A random program valid by construction: every argument has a kind its op accepts."""
  slots = tuple(draw(st.lists(_names, max_size=3, unique=True)))
  uses_step = draw(st.booleans())
  env = {WEIGHTS: Kind.TREE, GRADIENT: Kind.TREE, **{s: Kind.TREE for s in slots},
         LEARNING_RATE: Kind.SCALAR}
  if uses_step:
    env[STEP] = Kind.SCALAR
  statements = []
  for _ in range(draw(st.integers(0, 8))):
    op = REGISTRY[_pick(draw, _OPS)]
    args = []
    for kind in op.arg_kinds:
      if kind.accepts(Kind.SCALAR) and draw(st.integers(0, 3)) == 0:
        args.append(Const(draw(_constants)))
      else:
        args.append(Var(_pick(draw, [n for n, k in env.items() if kind.accepts(k)])))
    result = op.result_kind([env[a.name] if isinstance(a, Var) else Kind.SCALAR
                             for a in args])
    if draw(st.booleans()):  # a new name (digits keep it an identifier in NFKC form)
      target = draw(_names)
      while target in env:
        target += "0"
    else:  # or one of the same kind (a state slot stays a tree)
      target = _pick(draw, [n for n, k in env.items() if k is result])
    statements.append(Statement(target, op.name, tuple(args)))
    env[target] = result
  update = _pick(draw, [n for n, k in env.items() if k is Kind.TREE])
  return Program(slots, tuple(statements), update, uses_step)


@FUZZ
@given(_valid_programs())
def test_valid_programs_round_trip_through_text_and_json(program):
  analysis.check(program)
  text = to_text(program)
  assert _parse_or_error(text) == program, text
  assert from_json(json.dumps(to_json(program))) == program
  assert to_json(from_json(to_json(program))) == to_json(program)
  for arg in (a for s in program.statements for a in s.args if isinstance(a, Const)):
    assert math.isfinite(arg.value)


# --- Simplification ---

SIMPLIFY_HANG_GUARD = 30.0  # seconds for one program (the algebra's own time budget is 15)
CHAINS = settings(FUZZ, max_examples=5)
# SymPy arithmetic that evaluation may collapse, expand or nest, and an opaque function.
_CHAIN_OPS = ["add", "sub", "mul", "div", "interp", "max", "min", "square", "sqrt", "abs",
              "sign", "tanh", "exp", "negative", "reciprocal"]


@st.composite
def _squaring_chains(draw) -> Program:
  """``s = twice(u, u); u = combine(u, s)``, repeated: each ``u`` is read three times, so
  its expression tree can grow as 3**repeats although the program grows by 2."""
  repeats = draw(st.integers(8, 60))
  twice = _pick(draw, ["mul", "add", "sub", "div", "max"])
  combine = _pick(draw, ["add", "sub", "mul", "interp", "min"])
  statements = [Statement("u0", "mul", (Var(GRADIENT), Const(1.5)))]
  for i in range(repeats):
    u, s = Var(f"u{i}"), Var(f"s{i}")
    statements.append(Statement(s.name, twice, (u, u)))
    statements.append(Statement(f"u{i + 1}", combine,
                                (u, s, Const(0.5))[:len(REGISTRY[combine].arg_kinds)]))
  return Program((), tuple(statements), f"u{repeats}", False)


@st.composite
def _long_chains(draw) -> Program:
  """Up to 999 statements (the parser's limit), each reading the one before and an input,
  a constant or any earlier value; built from a drawn seed, since hypothesis's buffer
  holds fewer draws than that."""
  rng = random.Random(draw(st.integers(0, 2**32)))
  length = draw(st.integers(20, 999))
  statements = [Statement("u0", "mul", (Var(GRADIENT), Const(1.5)))]
  for i in range(1, length):
    op = REGISTRY[rng.choice(_CHAIN_OPS)]
    other = rng.choice([Var(GRADIENT), Var(WEIGHTS), Var(LEARNING_RATE), Const(0.5),
                        Var(f"u{i - 1}"), Var(f"u{rng.randrange(i)}")])
    args = (Var(f"u{i - 1}"), other, Const(0.9))[:len(op.arg_kinds)]
    statements.append(Statement(f"u{i}", op.name, args))
  return Program((), tuple(statements), f"u{length - 1}", False)


def _within(seconds: float, function):
  """``function()``, failing the test instead of hanging it past ``seconds`` (the call
  runs on, in a daemon thread that dies with the test process)."""
  outcome = {}

  def call():
    try:
      outcome["value"] = function()
    except BaseException as e:  # re-raised in the test's thread
      outcome["error"] = e

  thread = threading.Thread(target=call, daemon=True)
  started = time.monotonic()
  thread.start()
  thread.join(seconds)
  assert not thread.is_alive(), f"still running after {time.monotonic() - started:.0f} s"
  if "error" in outcome:
    raise outcome["error"]
  return outcome["value"]


def _simplifies_or_says_why(program: Program) -> None:
  result = _within(SIMPLIFY_HANG_GUARD, lambda: simplify.simplify(program, detect=False))
  skipped = [s for s in result.steps if s.kind == simplify.SKIPPED]
  assert len(skipped) <= 1, [s.describe() for s in skipped]
  assert all("\n" not in s.describe() for s in result.steps)
  if skipped:  # the exact steps' program, kept as it was
    exact = [s for s in result.steps if s.kind in ("constant folding", "dead code")]
    assert result.program == (exact[-1].program if exact else program)
  analysis.check(result.program)


@CHAINS
@given(_squaring_chains())
def test_simplify_of_squaring_chains_finishes_or_says_why(program):
  _simplifies_or_says_why(program)


@CHAINS
@given(_long_chains())
def test_simplify_of_long_chains_finishes_or_says_why(program):
  _simplifies_or_says_why(program)


# --- Configs ---


def _leaves(tree: dict, prefix: str = "") -> list[str]:
  keys = []
  for key, value in tree.items():
    keys.append(prefix + key)
    if isinstance(value, dict):
      keys += _leaves(value, prefix + key + ".")
  return keys


_KEYS = _leaves(config.DEFAULTS)
_LEAF_KEYS = [k for k in _KEYS if not isinstance(config._get(config.DEFAULTS, k), dict)]
_YAML_TOKENS = [
    ":", ": ", " ", "\n", "  ", "- ", "[", "]", "{", "}", ", ", "&a ", "*a", "<<: *a", "<<: ",
    "!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!!set ",
    "!!binary ", "!!timestamp ", "!!float ", "!!int ", "!!str ", "!!omap ", "!!bool ",
    "!custom ", "---\n", "...\n", "? ", "|\n", ">\n", "'", '"', "%YAML 1.1\n---\n",
    "%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\n", "\t", "1" * 5000, ".inf",
    ".nan", "1.0e+400", "2020-13-45", "2001-12-14t21:59:43.10-05:00", "0x1F", "0o17", "1_000",
    "~", "null", "yes", "\x00", "\ufeff", "#", "\\", "\u2028", "\x85", "[" * 60, "{a: " * 60,
    *(key.rsplit(".", 1)[-1] + ": " for key in _KEYS),
]
_yaml_soup = st.lists(st.sampled_from(_YAML_TOKENS) | st.text(max_size=3),
                      max_size=40).map("".join)
_yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-10**500, 10**500)
    | st.floats() | st.text(max_size=10) | st.sampled_from(["all", "10m", "pool", "min"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(max_size=6) | st.sampled_from([k.rsplit(".", 1)[-1] for k in _KEYS]), inner,
        max_size=4),
    max_leaves=12)


def _load_or_error(scratch: Path, text: str | None = None, overrides: list[str] = ()):
  """config.load: a well-formed config that round-trips, or None after a one-line error."""
  path = None
  if text is not None:
    path = scratch / "config.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
  try:
    loaded = config.load(path, list(overrides))
  except config.ConfigError as e:
    assert "\n" not in str(e) and len(str(e)) < 1000, str(e)
    return None
  plain = loaded.to_dict()
  _assert_shaped_like_the_defaults(plain, config.DEFAULTS, "")
  assert config.Config.from_dict(plain) == loaded
  dumped = scratch / "dumped.yaml"
  dumped.write_text(config.dump(loaded), encoding="utf-8")
  assert config.load(dumped) == loaded
  return plain


def _assert_shaped_like_the_defaults(loaded: dict, defaults: dict, prefix: str) -> None:
  assert loaded.keys() == defaults.keys()
  for key, default in defaults.items():
    value, name = loaded[key], prefix + key
    if isinstance(default, dict):
      _assert_shaped_like_the_defaults(value, default, name + ".")
    elif name == "mutation.ops":
      assert value == "all" or all(op in REGISTRY for op in value), value
    elif name == "search.budget":
      config.parse_budget(value)
    elif isinstance(default, float):
      assert type(value) is float and math.isfinite(value), (name, value)
    elif isinstance(default, list):
      numbers = isinstance(default[0], float)
      element = (int, float) if numbers else type(default[0])
      assert isinstance(value, list) and all(
          isinstance(v, element) and not isinstance(v, bool) for v in value), (name, value)
      assert not numbers or all(math.isfinite(v) for v in value), (name, value)
    else:
      assert type(value) is type(default), (name, value)


@FUZZ
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=60) | _yaml_soup)
def test_load_of_arbitrary_text_is_a_config_or_a_config_error(scratch, text):
  _load_or_error(scratch, text)


@FUZZ
@given(_yaml_values)
def test_load_of_arbitrary_yaml_documents_is_a_config_or_a_config_error(scratch, document):
  _load_or_error(scratch, yaml.safe_dump(document))


@st.composite
def _mutated_configs(draw) -> dict:
  """The defaults with one to three keys (sections included) set to random values."""
  document: dict = {}
  for key in draw(st.lists(st.sampled_from(_KEYS), min_size=1, max_size=3)):
    node = document
    *parents, last = key.split(".")
    for part in parents:
      node = node.setdefault(part, {})
      if not isinstance(node, dict):
        break
    else:
      node[last] = draw(_yaml_values | st.sampled_from([0, 1, -1, 2**63, 0.5, [], "", "all"]))
  return document


@FUZZ
@given(_mutated_configs())
def test_load_of_mutated_configs_is_a_config_or_a_config_error(scratch, document):
  loaded = _load_or_error(scratch, yaml.safe_dump(document))
  if loaded is None:
    return
  for key in _LEAF_KEYS:  # what the file sets is what the config holds
    node, value = document, loaded
    for part in key.split("."):
      if not isinstance(node, dict) or part not in node:
        break
      node, value = node[part], value[part]
    else:
      assert value == node, (key, value, node)


@FUZZ
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=40)
       | st.tuples(st.sampled_from(_KEYS) | st.text(max_size=8), _yaml_soup).map("=".join)
       | st.tuples(st.sampled_from(_KEYS), _yaml_values.map(json.dumps)).map("=".join))
def test_load_of_arbitrary_overrides_is_a_config_or_a_config_error(scratch, override):
  _load_or_error(scratch, None, [override])
