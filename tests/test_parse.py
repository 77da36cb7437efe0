"""Tests for discover.dsl.parse and the program printers: the malformed corpus, round trips.

``tests/malformed/`` holds one small malformed program per file, each with one problem;
``EXPECTED`` says where (the 1-based line, or None) and what (a substring of the message)
the error must be. Inputs too big to commit are built at test time (``GENERATED``). Both
live in ``tests/support.py``; ``tests/test_bad_input.py`` runs them through the command line.
"""

from __future__ import annotations

import functools
import json
import math
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discover.dsl import analysis
from discover.dsl.baselines import BASELINES
from discover.dsl.parse import MAX_FILE_BYTES, from_json, parse, read_program
from discover.dsl.program import Const, Program, ProgramError, Statement, Var, to_json, to_text
from support import CORPUS, EXPECTED, GENERATED, TRAIN as _TRAIN, corpus_files, random_program
from support import enormous_program as _enormous


def load(path: Path) -> Program:
  """Reads a program the way the CLI does: ``.json`` as the JSON form, else as text."""
  if path.suffix == ".json":
    return from_json(path.read_text(encoding="utf-8"))
  return read_program(path)


def _assert_error(path: Path, line: int | None, message: str) -> None:
  with pytest.raises(ProgramError) as info:
    load(path)
  error = info.value
  assert message in error.message, (path.name, error.message)
  assert error.line == line, (path.name, error.line, error.message)


# --- The malformed corpus ---


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_malformed_corpus_file_is_rejected_with_line_and_message(path):
  assert path.name in EXPECTED, (
      f"tests/malformed/{path.name} has no expectation: add it to EXPECTED in "
      "tests/support.py")
  _assert_error(path, *EXPECTED[path.name])


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_malformed_input_is_rejected_with_line_and_message(name, tmp_path):
  make, line, message = GENERATED[name]
  _assert_error(make(tmp_path), line, message)


def test_corpus_is_large_and_every_expectation_has_its_file():
  names = {p.name for p in corpus_files()}
  assert len(names) >= 30
  assert set(EXPECTED) <= names, sorted(set(EXPECTED) - names)


def test_corpus_binary_files_are_really_binary():
  garbage = (CORPUS / "binary_garbage.py").read_bytes()
  assert b"\x00" in garbage
  invalid = (CORPUS / "invalid_utf8.py").read_bytes()
  assert b"\x00" not in invalid
  with pytest.raises(UnicodeDecodeError):
    invalid.decode("utf-8")


def test_generated_inputs_are_as_big_as_claimed(tmp_path):
  assert len(_enormous().splitlines()) > 1000
  path = GENERATED["over_one_mib.py"][0](tmp_path)
  assert path.stat().st_size > MAX_FILE_BYTES
  # The same text without the size limit is a valid program: the limit is what rejects it.
  assert parse(path.read_text()) == parse(_TRAIN + "  update = g * lr\n  return update\n")


def test_corpus_text_files_fail_the_same_way_through_parse():
  """``parse`` on the decoded text agrees with ``read_program`` on the file."""
  for path in corpus_files():
    if path.suffix != ".py" or path.name in ("binary_garbage.py", "invalid_utf8.py"):
      continue
    line, message = EXPECTED[path.name]
    with pytest.raises(ProgramError) as info:
      parse(path.read_text(encoding="utf-8"))
    assert message in info.value.message and info.value.line == line, path.name


def test_error_string_names_the_line():
  with pytest.raises(ProgramError) as info:
    parse(_TRAIN + "  update = g * mom\n  return update\n")
  assert str(info.value) == "line 2: undefined variable 'mom'"


def test_lone_surrogate_in_text_is_a_program_error():
  with pytest.raises(ProgramError, match="lone surrogate"):
    parse(_TRAIN + "  update = g * lr  # \ud800\n  return update\n")


def test_missing_and_unreadable_files_are_program_errors(tmp_path):
  with pytest.raises(ProgramError, match="cannot read"):
    read_program(tmp_path / "missing.py")
  with pytest.raises(ProgramError, match="cannot read"):
    read_program(tmp_path)


def test_step_counter_and_keyword_names():
  program = parse("def train(w, g, m, lr, step):\n  m = interp(g, m, 0.9)\n"
                  "  s = m * step\n  update = s * lr\n  return update, m\n")
  assert program.uses_step and program.slots == ("m",)
  with pytest.raises(ProgramError, match="syntax error"):
    parse(_TRAIN + "  lambda = g * lr\n  return lambda\n")


# --- Round trips ---


@functools.cache
def _random_programs(count: int = 300) -> tuple[Program, ...]:
  rng = np.random.default_rng(20240607)
  return tuple(random_program(rng, n_statements=int(rng.integers(1, 25)),
                              n_slots=int(rng.integers(0, 5)), uses_step=i % 3 == 0)
               for i in range(count))


def _all_programs():
  for name, baseline in BASELINES.items():
    yield name, baseline.program()
  for i, program in enumerate(_random_programs()):
    yield f"random{i}", program


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_baseline_text_round_trip_is_exact(name):
  program = BASELINES[name].program()
  text = to_text(program)
  again = parse(text)
  assert again == program
  assert to_text(again) == text


def test_random_program_text_round_trip_is_exact():
  for program in _random_programs():
    text = to_text(program)
    again = parse(text)
    assert again == program, text
    assert to_text(again) == text


def test_random_programs_cover_the_language():
  programs = _random_programs()
  assert any(p.uses_step for p in programs) and any(not p.slots for p in programs)
  constants = [a.value for p in programs for s in p.statements for a in s.args
               if isinstance(a, Const)]
  assert any(c < 0 for c in constants) and any(c > 0 for c in constants)


def test_json_round_trip():
  for name, program in _all_programs():
    form = to_json(program)
    assert from_json(json.dumps(form)) == program, name
    assert from_json(form) == program, name
    assert to_json(from_json(json.dumps(form))) == form, name


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, min_value=-analysis.MAX_ABS_CONSTANT,
                 max_value=analysis.MAX_ABS_CONSTANT))
def test_every_allowed_constant_round_trips_bit_for_bit(value):
  program = Program((), (Statement("update", "mul", (Var("g"), Const(value))),), "update")
  text = to_text(program)
  for again in (parse(text), from_json(json.dumps(to_json(program)))):
    parsed = again.statements[0].args[1].value
    assert struct.pack("<d", parsed) == struct.pack("<d", value), (text, parsed)
  assert to_text(parse(text)) == text


def test_docstrings_and_comments_are_accepted_and_dropped():
  text = '''\
"""A module docstring."""
# A comment before the function.


def train(w, g, m, lr):  # the signature
  """Momentum, written with comments.

  Several lines.
  """
  # decay the momentum
  m = interp(g, m, 0.9)   # trailing comment

  update = m * lr
  return update, m  # done
# trailing comment at the end
'''
  program = parse(text)
  canonical = ("def train(w, g, m, lr):\n  m = interp(g, m, 0.9)\n  update = m * lr\n"
               "  return update, m\n")
  assert program == parse(canonical)
  assert to_text(program) == canonical


def test_constant_spellings():
  text = (_TRAIN + "  a = g * -0.5\n  b = a + 1e-8\n  c = b * 1E-8\n  d = c + +2.5\n"
          "  e = power(d, -2)\n  f = clip(e, .5)\n  h = f * 3\n  i = h - -1e+3\n"
          "  update = i * lr\n  return update\n")
  values = [a.value for s in parse(text).statements for a in s.args if isinstance(a, Const)]
  assert values == [-0.5, 1e-8, 1e-8, 2.5, -2.0, 0.5, 3.0, -1000.0]
  assert all(type(v) is float for v in values)
  negative_zero = parse(_TRAIN + "  update = g * -0.0\n  return update\n")
  assert math.copysign(1.0, negative_zero.statements[0].args[1].value) == -1.0


# --- The JSON form's errors ---


def _form(**changes) -> dict:
  form = to_json(BASELINES["momentum"].program())
  form.update(changes)
  return form


def _statement(**changes) -> dict:
  return {"target": "update", "op": "mul", "args": ["g", "lr"], **changes}


_BAD_JSON = {
    "list": ([], "JSON format"),
    "string_is_not_json": ("def train(w, g, lr):", "invalid JSON"),
    "truncated": ('{"format": ', "invalid JSON"),
    "deeply_nested": ("[" * 200_000, "invalid JSON"),
    "too_many_digits": ('{"format": 1' + "0" * 5000 + "}", "invalid JSON"),
    "wrong_format": (_form(format="discover.program/0"), "JSON format"),
    "missing_statements": ({k: v for k, v in _form().items() if k != "statements"},
                           "missing 'statements'"),
    "slots_not_list": (_form(slots="m"), "'slots' must be a list of names"),
    "slot_not_name": (_form(slots=[1]), "'slots' must be a list of names"),
    "update_not_name": (_form(update=None), "'update' must be a variable name"),
    "uses_step_string": (_form(uses_step="false"), "'uses_step' must be true or false"),
    "statements_dict": (_form(statements={"0": _statement()}), "'statements' must be a list"),
    "statement_list": (_form(statements=[["update", "mul", "g", "lr"]]), "statement 1 must be"),
    "args_string": (_form(statements=[_statement(args="g")]), "statement 1 must be"),
    "op_missing": (_form(statements=[{"target": "u", "args": []}]), "statement 1 must be"),
    "arg_bool": (_form(statements=[_statement(args=["g", True])]),
                 "argument True is neither a variable name nor a number"),
    "arg_null": (_form(statements=[_statement(args=["g", None])]),
                 "argument None is neither a variable name nor a number"),
    "arg_huge_int": (_form(statements=[_statement(args=["g", 10**5000])]), "out of range"),
    "arg_nan": (json.dumps(_form(statements=[_statement(args=["g", float("nan")])])),
                "statement 1: constant nan is out of range"),
    "arg_inf": (json.dumps(_form(statements=[_statement(args=["g", float("inf")])])),
                "statement 1: constant inf is out of range"),
    "unknown_op": (_form(statements=[_statement(op="frobnicate")]),
                   "statement 1: unknown function 'frobnicate'"),
    "symbol_as_op": (_form(statements=[_statement(op="*")]), "unknown function '*'"),
    "undefined_variable": (_form(slots=[], statements=[_statement(args=["g", "mom"])]),
                           "statement 1: undefined variable 'mom'"),
    "undefined_update": (_form(slots=[], statements=[_statement()], update="nothing"),
                         "return: undefined variable 'nothing'"),
    "scalar_update": (_form(slots=[], statements=[], update="lr"),
                      "return: the update must be a tree"),
    "reserved_slot": (_form(slots=["lr"]), "signature: 'lr' is reserved"),
    "duplicate_slots": (_form(slots=["m", "m"]), "signature: state slot names must be distinct"),
    "too_many_slots": (_form(slots=[f"s{i}" for i in range(17)]), "too many state slots"),
    "too_many_statements": (_form(slots=[], statements=[_statement()] * 1001),
                            "program too long: 1001 statements"),
    "invalid_target": (_form(slots=[], statements=[_statement(target="a b")]),
                       "statement 1: invalid variable name 'a b'"),
    "keyword_target": (_form(slots=[], statements=[_statement(target="lambda")], update="lambda"),
                       "invalid variable name 'lambda'"),
    "keyword_slot": (_form(slots=["None"]), "signature: invalid variable name 'None'"),
    "unnormalised_name": (_form(slots=[], statements=[_statement(target="\ufb01")],
                                update="\ufb01"), "invalid variable name"),
    "arity": (_form(slots=[], statements=[_statement(args=["g"])]),
              "statement 1: 'mul' takes 2 arguments, got 1"),
}


@pytest.mark.parametrize("name", sorted(_BAD_JSON))
def test_from_json_rejects_malformed_forms(name):
  data, message = _BAD_JSON[name]
  with pytest.raises(ProgramError) as info:
    from_json(data)
  assert message in info.value.message, info.value.message


def test_from_json_reports_the_line_of_a_json_syntax_error():
  with pytest.raises(ProgramError) as info:
    from_json('{\n  "format": "discover.program/1",\n  "slots": [,]\n}')
  assert info.value.line == 3 and info.value.message.startswith("invalid JSON")


# --- Parsing never executes the program ---


def _payloads(marker: Path) -> list[str]:
  call = f"__import__('os').system('touch {marker}')"
  opener = f"open({str(marker)!r}, 'w')"
  return [
      _TRAIN + f"  x = {call}\n  update = g * lr\n  return update\n",
      _TRAIN + f"  x = {opener}\n  update = g * lr\n  return update\n",
      _TRAIN + f"  {call}\n  update = g * lr\n  return update\n",
      _TRAIN + f"  update = g * lr\n  return update, {call}\n",
      f"def train(w, g, lr={call}):\n  update = g * lr\n  return update\n",
      f"@{call}\n" + _TRAIN + "  update = g * lr\n  return update\n",
      f"{call}\n" + _TRAIN + "  update = g * lr\n  return update\n",
      _TRAIN + f"  update = clip(g, {call})\n  return update\n",
      _TRAIN + "  update = g * lr\n  return update\n" + f"x = {call}\n",
      f"def train(w, g, lr) -> {call}:\n  update = g * lr\n  return update\n",
  ]


def test_parse_never_executes_code(tmp_path, monkeypatch):
  import builtins

  def forbidden(*args, **kwargs):
    raise AssertionError("parse must not exec or eval")

  monkeypatch.setattr(builtins, "exec", forbidden)
  monkeypatch.setattr(builtins, "eval", forbidden)
  marker = tmp_path / "marker"
  for i, text in enumerate(_payloads(marker)):
    with pytest.raises(ProgramError):
      parse(text)
    path = tmp_path / f"payload{i}.py"
    path.write_text(text)
    with pytest.raises(ProgramError):
      read_program(path)
  assert not marker.exists()
  # The payload does create the marker when run, so its absence above means something.
  monkeypatch.undo()
  eval(f"__import__('os').system('touch {marker}')")
  assert marker.exists()
