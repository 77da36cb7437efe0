"""A task's identity: a digest of what defines the task, never of what it computes.

Reference scores (``discover.execute.reference``) and validation run logs (``discover.validate.protocol``)
are keyed by it, so it must be the same wherever the same task runs. Float results of the
task's code (initial parameters, a first loss) are not: XLA:CPU computes them differently
with AVX-512 than with AVX2. So the identity is a SHA-256 over

* the task's configuration: name, tier, steps, metric, direction, divergence threshold and
  description;
* the bytes of its data (``Task.data_digest``: the digits arrays as scikit-learn ships
  them, the char-LM corpus file; nothing for generated data, whose seed is in the code);
* its code: the source of the module that defines the task's factory, of the
  ``proxy_tasks`` modules that one imports (transitively), of ``proxy_tasks.base`` and of
  the training loop (``proxy_tasks.train``), which also covers the schedule it builds.

The source is read as text with comments, docstrings, blank lines and trailing spaces
removed, so they do not count. It is never ``ast.dump``-ed or re-tokenized (both differ
between Python versions, e.g. ``type_params`` and f-string tokens in 3.12): tokenize finds
only comments and ast only docstrings' positions, which every version reports alike.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import io
import json
import sys
import tokenize
from pathlib import Path
from collections.abc import Callable

from proxy_tasks.base import _TASKS, Task

VERSION = 1  # of the recipe: a new recipe must not collide with identities of the old
LENGTH = 20  # hex digits; the float-checksum prints that came before had 16
ALWAYS = ("proxy_tasks.base", "proxy_tasks.train")


def identity(task: Task, source: Callable[[str], str] | None = None) -> str:
  """The task's identity (``LENGTH`` hex digits); ``source`` reads a module's source by
  name (default: the installed file)."""
  read = source or _installed_source
  code = {name: normalised_source(read(name)) for name in code_modules(task, read)}
  payload = {
      "recipe": VERSION, "name": task.name, "tier": task.tier, "steps": task.steps,
      "metric": task.metric, "higher_is_better": task.higher_is_better,
      "diverged_above": repr(float(task.diverged_above)), "description": task.description,
      "data": task.data_digest, "code": {n: _sha(t) for n, t in sorted(code.items())},
  }
  return _sha(json.dumps(payload, sort_keys=True))[:LENGTH]


def code_modules(task: Task, source: Callable[[str], str] | None = None) -> list[str]:
  """The modules whose code defines ``task``, sorted."""
  read = source or _installed_source
  factory = _TASKS.get(task.name)
  roots = {factory.__module__} if factory else set()
  # A task built by hand (or changed with dataclasses.replace) is defined where its
  # functions are.
  roots |= {f.__module__ for f in (task.init, task.loss, task.stream, task.batch,
                                   task.evaluate, task.test)
            if getattr(f, "__module__", "").startswith("proxy_tasks")}
  todo, seen = [*roots, *ALWAYS], set()
  while todo:
    name = todo.pop()
    if name not in seen:
      seen.add(name)
      todo += imported_task_modules(name, read(name))
  return sorted(seen)


def imported_task_modules(module: str, text: str) -> list[str]:
  """The ``proxy_tasks`` modules that ``module``'s source imports."""
  package = module if _is_package(module) else module.rpartition(".")[0]
  found = []
  for node in ast.walk(ast.parse(text)):
    if isinstance(node, ast.Import):
      found += [a.name for a in node.names]
    elif isinstance(node, ast.ImportFrom):
      base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) \
          if node.level else node.module
      # `from proxy_tasks import digits` names a module; `from proxy_tasks import Task`
      # runs the package's __init__, which is then code too.
      subs = [f"{base}.{a.name}" for a in node.names]
      found += [s for s in subs if _is_module(s)] or [base]
  return [n for n in found if n == "proxy_tasks" or n.startswith("proxy_tasks.")]


def normalised_source(text: str) -> str:
  """``text`` without comments, docstrings, blank lines and trailing spaces.

  Indentation is kept: a statement moved out of a loop changes only its indentation.
  """
  lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
  spans = [(t.start, t.end) for t in tokenize.generate_tokens(io.StringIO(text).readline)
           if t.type == tokenize.COMMENT]
  spans += [_char_span(lines, node) for node in _docstrings(ast.parse(text))]
  for (row, col), (end_row, end_col) in spans:
    for r in range(row, end_row + 1):
      line = lines[r - 1]
      start, stop = (col if r == row else 0), (end_col if r == end_row else len(line))
      lines[r - 1] = line[:start] + " " * (stop - start) + line[stop:]
  return "\n".join(line.rstrip() for line in lines if line.strip())


def _docstrings(tree: ast.Module) -> list[ast.expr]:
  owners = [n for n in ast.walk(tree) if isinstance(
      n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
  return [n.body[0].value for n in owners if n.body and isinstance(n.body[0], ast.Expr)
          and isinstance(n.body[0].value, ast.Constant)
          and isinstance(n.body[0].value.value, str)]


def _char_span(lines: list[str], node: ast.expr) -> tuple[tuple[int, int], tuple[int, int]]:
  """A node's (row, column) span in characters (ast counts columns in UTF-8 bytes)."""
  def column(row, offset):
    return len(lines[row - 1].encode()[:offset].decode("utf-8", errors="ignore"))
  return ((node.lineno, column(node.lineno, node.col_offset)),
          (node.end_lineno, column(node.end_lineno, node.end_col_offset)))


@functools.cache
def _installed_source(module: str) -> str:
  loaded = sys.modules.get(module)
  origin = getattr(loaded, "__file__", None) or importlib.util.find_spec(module).origin
  return Path(origin).read_text(encoding="utf-8")


def _is_package(module: str) -> bool:
  spec = importlib.util.find_spec(module)
  return bool(spec and spec.submodule_search_locations is not None)


def _is_module(name: str) -> bool:
  try:
    return importlib.util.find_spec(name) is not None
  except ModuleNotFoundError:
    return False


def _sha(text: str) -> str:
  return hashlib.sha256(text.encode()).hexdigest()
