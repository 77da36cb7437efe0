"""Programs: the data structure, canonical text, and a JSON form (written here, read by
``discover.dsl.parse.from_json``).

A program is a straight-line function over the weights ``w``, the gradient ``g``, state
slots (zero-initialised, structured like ``w``), the learning-rate schedule's value ``lr``
and optionally the step counter ``step`` (1 on the first update)::

    def train(w, g, m, v, lr):
      m = interp(g, m, 0.9)
      ...
      return update, m, v

It returns the update (the outer loop does ``w = w - update``) followed by the new value of
every state slot, in the order of the signature. Each statement assigns one op call, or one
infix ``+ - * /`` of two operands, where an operand is a variable or a numeric constant.

Parsing (of text and of the JSON form) lives in ``discover.dsl.parse``; this module holds the
types and the printers, so that everything else can build and print programs without
touching ``ast``, and it imports no other discover module.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from primitives import REGISTRY

WEIGHTS, GRADIENT, LEARNING_RATE, STEP = "w", "g", "lr", "step"
RESERVED = (WEIGHTS, GRADIENT, LEARNING_RATE, STEP)
JSON_FORMAT = "discover.program/1"


class ProgramError(ValueError):
  """A program that cannot be parsed or is invalid; ``line`` is 1-based when known."""

  def __init__(self, message: str, line: int | None = None):
    super().__init__(message)
    self.message = message
    self.line = line

  def __str__(self) -> str:
    return self.message if self.line is None else f"line {self.line}: {self.message}"


@dataclasses.dataclass(frozen=True)
class Var:
  name: str


@dataclasses.dataclass(frozen=True)
class Const:
  value: float


Arg = Var | Const


@dataclasses.dataclass(frozen=True)
class Statement:
  """``target = op(*args)``."""

  target: str
  op: str
  args: tuple[Arg, ...]


@dataclasses.dataclass(frozen=True)
class Program:
  """A candidate optimizer: a signature, a straight-line body and a return.

  Attributes:
    slots: names of the state slots, in signature (and return) order.
    statements: the body.
    update: the variable returned as the update.
    uses_step: whether the signature ends with the step counter ``step``.
  """

  slots: tuple[str, ...]
  statements: tuple[Statement, ...]
  update: str
  uses_step: bool = False

  @property
  def inputs(self) -> tuple[str, ...]:
    return (WEIGHTS, GRADIENT, *self.slots, LEARNING_RATE) + ((STEP,) if self.uses_step else ())

  @property
  def outputs(self) -> tuple[str, ...]:
    return (self.update, *self.slots)

  def replace(self, **changes: Any) -> Program:
    return dataclasses.replace(self, **changes)

  def __str__(self) -> str:
    return to_text(self)


def format_constant(value: float) -> str:
  """The shortest text that reads back as exactly this float."""
  return repr(float(value))


def format_arg(arg: Arg) -> str:
  return arg.name if isinstance(arg, Var) else format_constant(arg.value)


def format_statement(stmt: Statement) -> str:
  op = REGISTRY[stmt.op]
  args = [format_arg(a) for a in stmt.args]
  if op.symbol:
    return f"{stmt.target} = {args[0]} {op.symbol} {args[1]}"
  return f"{stmt.target} = {stmt.op}({', '.join(args)})"


def to_text(program: Program, name: str = "train") -> str:
  """The canonical text of a program (what ``parse`` reads back exactly)."""
  lines = [f"def {name}({', '.join(program.inputs)}):"]
  lines += [f"  {format_statement(s)}" for s in program.statements]
  lines.append(f"  return {', '.join(program.outputs)}")
  return "\n".join(lines) + "\n"


def to_json(program: Program) -> dict:
  """A JSON-ready dict: variable arguments are strings, constants are numbers."""
  return {
      "format": JSON_FORMAT,
      "slots": list(program.slots),
      "uses_step": program.uses_step,
      "statements": [
          {"target": s.target, "op": s.op,
           "args": [a.name if isinstance(a, Var) else a.value for a in s.args]}
          for s in program.statements
      ],
      "update": program.update,
  }
