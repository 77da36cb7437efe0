"""The test suite's own layout: test modules share data through ``tests/support.py`` and
``conftest.py``, never by importing each other (which runs the other module's set-up and
ties its tests to this one's)."""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def _imported_modules(path: Path) -> set[str]:
  names = set()
  for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
    if isinstance(node, ast.Import):
      names.update(alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
      names.add(node.module)
  return names


@pytest.mark.parametrize("path", sorted(TESTS.glob("*.py")), ids=lambda p: p.name)
def test_no_test_module_imports_another(path):
  other = {name for name in _imported_modules(path)
           if name.split(".")[-1].startswith("test_") or name.startswith("tests.")}
  assert not other, f"{path.name} imports {sorted(other)}: put what they share in support.py"
