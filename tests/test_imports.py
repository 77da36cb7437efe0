"""Imports in discover flow one way: no circles, and no library module imports the CLI.

The graph is read from the source with ``ast``, so an import inside a function counts as
much as one at the top: a circle hidden in a function still ties the modules together.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "discover"
CLI = {"discover.commands", "discover.__main__"}


def _module_name(path: Path) -> str:
  parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
  return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(node: ast.AST, here: str, modules: set[str]) -> set[str]:
  """The discover modules one import statement names (a package's own names are not
  counted as the package: ``from discover import x`` imports the module ``x``)."""
  if isinstance(node, ast.Import):
    return {a.name for a in node.names if a.name in modules}
  if not isinstance(node, ast.ImportFrom):
    return set()
  base = node.module or ""
  if node.level:  # relative: from the importing module's package
    package = here.split(".")[:len(here.split(".")) - node.level]
    base = ".".join(package + ([base] if base else []))
  found = {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules}
  if base in modules and base != "discover":
    found.add(base)
  return found


def import_graph() -> dict[str, set[str]]:
  """Module -> the discover modules it imports, anywhere in its source."""
  paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
  modules = set(paths)
  return {name: set().union(*(_targets(n, name, modules)
                              for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))))
                - {name}
          for name, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
  """One circle per module that lies on one (depth-first, in sorted order)."""
  found, done = [], set()

  def visit(node: str, stack: list[str]) -> None:
    if node in stack:
      found.append(stack[stack.index(node):] + [node])
      return
    if node in done:
      return
    for nxt in sorted(graph.get(node, ())):
      visit(nxt, stack + [node])
    done.add(node)

  for node in sorted(graph):
    visit(node, [])
  return found


def test_the_graph_sees_imports_inside_functions():
  graph = import_graph()
  assert "discover.commands" in graph["discover.__main__"]
  assert "discover.execute.behaviour" in graph["discover.commands"]  # imported in step_size


def test_the_cycle_finder_finds_a_circle_through_a_function_level_import():
  assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
  assert cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_discover_has_no_import_circles():
  found = cycles(import_graph())
  assert not found, "import circles: " + "; ".join(" -> ".join(c) for c in found)


def test_no_library_module_imports_the_cli():
  graph = import_graph()
  offenders = sorted(f"{name} imports {target}" for name, targets in graph.items()
                     for target in targets & CLI
                     if (name, target) != ("discover.__main__", "discover.commands"))
  assert not offenders, "; ".join(offenders)


# The pipeline's floors, lowest first: a package imports only from floors below its own
# (``discover`` is the package's __init__, which re-exports the public surface).
FLOORS = [
    {"errors", "files"},
    {"tasks", "config"},
    {"dsl"},
    {"execute"},
    {"export", "simplify"},
    {"search"},
    {"audit"},
    {"validate"},
    {"bench"},  # the landscape tunes baselines by validate's protocol
    {"discover", "commands"},
    {"__main__"},
]


def _package(module: str) -> str:
  """``discover.search.loop`` -> ``search``; ``discover.config`` -> ``config``."""
  parts = module.split(".")
  return parts[1] if len(parts) > 1 else "discover"


def test_every_package_sits_on_one_floor():
  packages = {_package(m) for m in import_graph()}
  assert packages == set().union(*FLOORS)


def test_packages_import_only_from_lower_floors():
  floor = {name: level for level, names in enumerate(FLOORS) for name in names}
  upward = sorted(f"{m} -> {t}" for m, targets in import_graph().items() for t in targets
                  if _package(m) != _package(t) and floor[_package(t)] >= floor[_package(m)])
  assert not upward, "imports against the pipeline's direction: " + "; ".join(upward)
