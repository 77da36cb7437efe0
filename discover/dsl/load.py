"""Loading the program a user names: a baseline, a program file or its JSON form.

Apart from ``discover.dsl.parse`` (which reads text and cannot import the baselines, which
are parsed by it) and from the CLI, so every command and library module loads alike.
"""

from __future__ import annotations

from pathlib import Path

from discover.dsl.baselines import BASELINES, baseline_program
from discover.errors import UserError
from discover.dsl.parse import from_json, read_program, read_text
from discover.dsl.program import Program, ProgramError


def load_program(spec: str) -> Program:
  """A program from a baseline name, a program file (.py text) or its JSON form (.json).

  Raises:
    UserError: naming the file (and line) and the problem.
  """
  path = Path(spec)
  exists = _exists(path)
  if spec in BASELINES and not exists:
    return baseline_program(spec)
  if not exists:
    quoted = f"'{spec}'" if spec.isprintable() else repr(spec)
    if len(quoted) > 200:  # e.g. a config's search.start: the error stays one short line
      quoted = quoted[:100] + "..." + quoted[-50:]
    raise UserError(f"{quoted} is neither a program file nor a baseline "
                    f"(baselines: {', '.join(BASELINES)})")
  try:
    if path.suffix == ".json":
      return from_json(read_text(path))
    return read_program(path)
  except ProgramError as e:
    where = f"{spec}:{e.line}" if e.line else spec
    raise UserError(f"{where}: {e.message}") from None


def _exists(path: Path) -> bool:
  try:
    return path.exists()
  except (OSError, ValueError):  # a name too long for the OS, or with a NUL byte
    return False
