"""Reading program text with ``ast``: never ``exec`` or ``eval``, a program file is data.

``parse`` accepts exactly the canonical language of ``discover.dsl.program`` and rejects
everything else with a :class:`ProgramError` naming the line and the problem. Syntax is
checked here; meaning (known ops, arity, defined variables, kinds) by
``discover.dsl.analysis.check``, whose errors are mapped back to source lines. ``validate``
runs the same check on a program built without text; ``from_json`` reads
``program.to_json``'s form with it (here, not in ``discover.dsl.program``, which analysis imports).
"""

from __future__ import annotations

import ast
import json
import math
import warnings
from pathlib import Path
from typing import Any

from discover import files
from discover.dsl import analysis
from discover.dsl.program import (GRADIENT, JSON_FORMAT, LEARNING_RATE, RESERVED, STEP, WEIGHTS,
                              Arg, Const, Program, ProgramError, Statement, Var)
from primitives import REGISTRY

MAX_FILE_BYTES = 1 << 20

_UNSUPPORTED_STATEMENTS = {
    ast.For: "loops are not supported", ast.AsyncFor: "loops are not supported",
    ast.While: "loops are not supported", ast.If: "conditionals are not supported",
    ast.Import: "imports are not supported", ast.ImportFrom: "imports are not supported",
    ast.FunctionDef: "nested functions are not supported",
    ast.AsyncFunctionDef: "nested functions are not supported",
    ast.ClassDef: "classes are not supported", ast.With: "'with' is not supported",
    ast.Try: "'try' is not supported", ast.Raise: "'raise' is not supported",
    ast.Delete: "'del' is not supported", ast.Global: "'global' is not supported",
    ast.Nonlocal: "'nonlocal' is not supported", ast.Pass: "'pass' is not supported",
    ast.AugAssign: "augmented assignment is not supported: write 'x = x + y'",
    ast.AnnAssign: "annotated assignment is not supported",
    ast.Expr: "an expression statement has no effect: assign its value",
    ast.Assert: "'assert' is not supported",
}
_UNSUPPORTED_EXPRESSIONS = {
    ast.Attribute: "attribute access is not supported: call ops by their bare name",
    ast.Lambda: "lambdas are not supported", ast.Subscript: "indexing is not supported",
    ast.Compare: "comparisons are not supported", ast.BoolOp: "'and'/'or' are not supported",
    ast.IfExp: "conditional expressions are not supported",
    ast.ListComp: "comprehensions are not supported",
    ast.GeneratorExp: "comprehensions are not supported",
    ast.Name: "a plain copy is not a call: every statement assigns one op call",
    ast.Constant: "a bare constant is not a call: use constants as op arguments",
}
_INFIX = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def parse(text: str) -> Program:
  """Parses and checks one program.

  Args:
    text: Python-syntax source with one ``def``.

  Returns:
    The program.

  Raises:
    ProgramError: naming the line and the problem.
  """
  if not text.strip():
    raise ProgramError("empty program")
  if "\x00" in text:
    raise ProgramError("not a text file (it contains NUL bytes)")
  try:
    with warnings.catch_warnings():
      # e.g. "invalid decimal literal" for '1if': printed, it would be a second stderr line
      warnings.simplefilter("ignore")
      module = ast.parse(text)
  except SyntaxError as e:
    raise ProgramError(f"syntax error: {e.msg}", e.lineno) from None
  except UnicodeEncodeError:
    raise ProgramError("not valid Unicode text (it contains a lone surrogate)") from None
  except (RecursionError, MemoryError):
    raise ProgramError("program is nested too deeply to parse") from None
  function = _single_function(module)
  slots, uses_step = _signature(function)
  statements, lines, ret = _body(function)
  program = Program(slots, tuple(statements), _return(ret, slots), uses_step)
  # analysis numbers problems as in canonical text: the signature is line 1, statement i
  # is line i + 2 and the return follows the statements; map them to source lines.
  source_lines = [function.lineno, *lines, ret.lineno]
  try:
    analysis.check(program)
  except ProgramError as e:
    line = None if e.line is None else source_lines[min(max(e.line, 1), len(source_lines)) - 1]
    raise ProgramError(e.message, line) from None
  return program


def validate(program: Program) -> None:
  """Checks a program built without source text (e.g. read from JSON) like ``parse`` does.

  Raises:
    ProgramError: the problem, located by statement number (there is no source line).
  """
  try:
    analysis.check(program)
  except ProgramError as e:
    if e.line is None:
      where = ""
    elif e.line == 1:
      where = "signature: "
    elif e.line <= len(program.statements) + 1:
      where = f"statement {e.line - 1}: "
    else:
      where = "return: "
    raise ProgramError(where + e.message) from None


def read_program(path: str | Path) -> Program:
  """Reads and parses a program file; every failure is a ProgramError."""
  return parse(read_text(path))


def read_text(path: str | Path) -> str:
  """A program file's text (UTF-8, at most ``MAX_FILE_BYTES``); failures are ProgramErrors."""
  try:
    return files.read_text(Path(path), MAX_FILE_BYTES)
  except files.UnreadableFile as e:
    raise ProgramError(f"cannot read {path}: {e}") from None


def _single_function(module: ast.Module) -> ast.FunctionDef:
  body = [n for n in module.body if not _is_docstring(n)]
  for node in body:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
      raise ProgramError("imports are not supported: ops are called by their bare name",
                         node.lineno)
    if isinstance(node, ast.AsyncFunctionDef):
      raise ProgramError("async functions are not supported", node.lineno)
  functions = [n for n in body if isinstance(n, ast.FunctionDef)]
  if len(functions) > 1:
    raise ProgramError(f"expected exactly one function, found another one, "
                       f"'{functions[1].name}'", functions[1].lineno)
  if len(body) != 1 or len(functions) != 1:
    line = next((n.lineno for n in body if not isinstance(n, ast.FunctionDef)), None)
    raise ProgramError(
        "expected exactly one function, 'def train(w, g, <slots>, lr[, step]):', "
        "and nothing else at top level", line)
  function = functions[0]
  if function.decorator_list:
    raise ProgramError("decorators are not supported", function.decorator_list[0].lineno)
  return function


def _signature(function: ast.FunctionDef) -> tuple[tuple[str, ...], bool]:
  a = function.args
  if a.posonlyargs or a.vararg or a.kwonlyargs or a.kwarg or a.defaults:
    raise ProgramError("parameters must be plain names (no defaults, *args or **kwargs)",
                       function.lineno)
  if function.returns or any(p.annotation for p in a.args):
    raise ProgramError("type annotations are not supported", function.lineno)
  names = [p.arg for p in a.args]
  duplicate = next((n for i, n in enumerate(names) if n in names[:i]), None)
  if duplicate is not None:
    raise ProgramError(f"duplicate parameter '{duplicate}'", function.lineno)
  uses_step = bool(names) and names[-1] == STEP
  core = names[:-1] if uses_step else names
  if len(core) < 3 or core[:2] != [WEIGHTS, GRADIENT] or core[-1] != LEARNING_RATE:
    raise ProgramError(
        "signature must be (w, g, <state slots>, lr) or (w, g, <state slots>, lr, step)",
        function.lineno)
  slots = tuple(core[2:-1])
  for slot in slots:
    if slot in RESERVED:
      raise ProgramError(f"'{slot}' is reserved and cannot name a state slot",
                         function.lineno)
  return slots, uses_step


def _body(function: ast.FunctionDef):
  body = function.body[1:] if _is_docstring(function.body[0]) else function.body
  statements, lines = [], []
  for i, node in enumerate(body):
    if isinstance(node, ast.Return):
      if i != len(body) - 1:
        raise ProgramError("statements after 'return' are not allowed", body[i + 1].lineno)
      return statements, lines, node
    statements.append(_statement(node))
    lines.append(node.lineno)
  raise ProgramError("missing 'return update, <state slots>' at the end",
                     body[-1].end_lineno if body else function.lineno)


def _statement(node: ast.stmt) -> Statement:
  if not isinstance(node, ast.Assign):
    raise ProgramError(_UNSUPPORTED_STATEMENTS.get(
        type(node), f"unsupported statement ({type(node).__name__})"), node.lineno)
  if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
    raise ProgramError("each statement assigns to exactly one variable name", node.lineno)
  target, value = node.targets[0].id, node.value
  if isinstance(value, ast.BinOp) and type(value.op) in _INFIX:
    op = REGISTRY.by_symbol(_INFIX[type(value.op)])
    return Statement(target, op.name, (_operand(value.left), _operand(value.right)))
  if isinstance(value, ast.BinOp):
    raise ProgramError("only the infix operators + - * / are supported; "
                       "use power(x, y) and the other ops by name", node.lineno)
  if not isinstance(value, ast.Call):
    raise ProgramError(_UNSUPPORTED_EXPRESSIONS.get(
        type(value), f"unsupported expression ({type(value).__name__})"), node.lineno)
  if not isinstance(value.func, ast.Name):
    raise ProgramError(_UNSUPPORTED_EXPRESSIONS.get(
        type(value.func), "the called object must be an op name"), node.lineno)
  if value.keywords:
    raise ProgramError("keyword arguments are not supported", node.lineno)
  return Statement(target, value.func.id, tuple(_operand(a) for a in value.args))


def _operand(node: ast.expr):
  if isinstance(node, ast.Name):
    return Var(node.id)
  sign = 1.0
  if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
    sign, node = (-1.0 if isinstance(node.op, ast.USub) else 1.0), node.operand
  if isinstance(node, ast.Constant):
    if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
      raise ProgramError(f"unsupported constant {node.value!r}: only numbers", node.lineno)
    if isinstance(node.value, int) and abs(node.value) > 10**300:
      raise ProgramError("constant is out of range", node.lineno)
    value = sign * float(node.value)
    if not math.isfinite(value):
      raise ProgramError("constant is not finite", node.lineno)
    return Const(value)
  if isinstance(node, (ast.Call, ast.BinOp, ast.UnaryOp)):
    raise ProgramError("nested expressions are not supported: assign each call to a "
                       "variable first", node.lineno)
  if isinstance(node, ast.Starred):
    raise ProgramError("starred arguments are not supported", node.lineno)
  raise ProgramError(_UNSUPPORTED_EXPRESSIONS.get(
      type(node), f"an argument must be a variable or a number, not "
      f"{type(node).__name__}"), node.lineno)


def _return(node: ast.Return, slots: tuple[str, ...]) -> str:
  value = node.value
  items = value.elts if isinstance(value, ast.Tuple) else [value] if value else []
  names = [n.id for n in items if isinstance(n, ast.Name)]
  expected = ", ".join(("<update>",) + slots)
  if len(names) != len(items) or len(names) != 1 + len(slots) or tuple(names[1:]) != slots:
    raise ProgramError(f"return must list the update, then the state slots in signature "
                       f"order: 'return {expected}'", node.lineno)
  return names[0]


def _is_docstring(node: ast.stmt) -> bool:
  return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
          and isinstance(node.value.value, str))


def from_json(data: dict | str) -> Program:
  """Reads ``to_json``'s form (a dict or its JSON text) and validates it like ``parse``.

  Raises:
    ProgramError: for invalid JSON, a form that is not ``to_json``'s, or an invalid program.
  """
  if isinstance(data, str):
    try:
      data = json.loads(data)
    except json.JSONDecodeError as e:
      raise ProgramError(f"invalid JSON: {e.msg}", e.lineno) from None
    except RecursionError:
      raise ProgramError("invalid JSON: nested too deeply") from None
    except ValueError as e:  # e.g. an integer with too many digits
      raise ProgramError(f"invalid JSON: {e}") from None
  if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
    raise ProgramError(f"not a program in the '{JSON_FORMAT}' JSON format")
  missing = [key for key in ("slots", "statements", "update") if key not in data]
  if missing:
    raise ProgramError(f"malformed program JSON: missing {', '.join(map(repr, missing))}")
  slots, update = data["slots"], data["update"]
  if not isinstance(slots, list) or not all(isinstance(s, str) for s in slots):
    raise ProgramError("malformed program JSON: 'slots' must be a list of names")
  if not isinstance(update, str):
    raise ProgramError("malformed program JSON: 'update' must be a variable name")
  uses_step = data.get("uses_step", False)
  if not isinstance(uses_step, bool):
    raise ProgramError("malformed program JSON: 'uses_step' must be true or false")
  if not isinstance(data["statements"], list):
    raise ProgramError("malformed program JSON: 'statements' must be a list")
  statements = tuple(_json_statement(i, s) for i, s in enumerate(data["statements"], 1))
  program = Program(tuple(slots), statements, update, uses_step)
  validate(program)
  return program


def _json_statement(number: int, item: Any) -> Statement:
  if (not isinstance(item, dict) or not isinstance(item.get("target"), str)
      or not isinstance(item.get("op"), str) or not isinstance(item.get("args"), list)):
    raise ProgramError(f"malformed program JSON: statement {number} must be "
                       f'{{"target": NAME, "op": NAME, "args": [NAME or NUMBER, ...]}}')
  return Statement(item["target"], item["op"], tuple(_json_arg(a) for a in item["args"]))


def _json_arg(value: Any) -> Arg:
  if isinstance(value, str):
    return Var(value)
  if isinstance(value, (int, float)) and not isinstance(value, bool):
    try:
      return Const(float(value))
    except OverflowError:
      raise ProgramError("constant is out of range (too large for a float)") from None
  raise ProgramError(f"argument {value!r} is neither a variable name nor a number")
