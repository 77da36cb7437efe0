"""Task names the user gives (a list or a tier), checked against ``proxy_tasks``.

Every command that takes tasks reads them here, so an unknown name is the same one-line
``UserError`` wherever it is given.
"""

from __future__ import annotations

import reprlib

from discover.errors import UserError


def task_list(spec: str) -> list[str]:
  """Task names from "a,b" or a tier name; UserError for unknown names."""
  from proxy_tasks import TIERS, task_names

  if spec in TIERS:
    return task_names(spec)
  names = [n.strip() for n in spec.split(",") if n.strip()]
  unknown = [n for n in names if n not in task_names()]
  if unknown or not names:
    raise UserError(f"unknown task {', '.join(unknown) or repr(spec)} "
                    f"(known: {', '.join(task_names())}; tiers: {', '.join(TIERS)})")
  return names


def check_task_names(names: list[str], key: str) -> None:
  """UserError unless every entry of a config's task list names one task (not a tier)."""
  from proxy_tasks import task_names

  unknown = [n for n in names if n not in task_names()]
  if unknown:
    raise UserError(f"{key}: unknown task {reprlib.repr(unknown[0])} "
                    f"(known: {', '.join(task_names())})")
