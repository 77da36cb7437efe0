"""Files written whole or not at all, and never through a planted link.

A crash (kill -9, power loss) mid-write leaves the old file, not half of the new one, and a
symbolic link planted where the temporary file goes cannot redirect the write.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
  """Replaces ``path`` with ``text`` atomically: a new temporary file of a unique name,
  created exclusively and never through a link (so a planted ``*.tmp`` link cannot
  redirect the write), fsynced, then renamed over ``path`` (which replaces a link there,
  never its target)."""
  tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
  fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o644)
  try:
    with os.fdopen(fd, "w", encoding="utf-8") as f:
      f.write(text)
      f.flush()
      os.fsync(f.fileno())
    os.replace(tmp, path)
  except BaseException:
    with contextlib.suppress(OSError):
      os.unlink(tmp)
    raise
  _sync_directory(path.parent)


NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # absent on Windows


def _sync_directory(path: Path) -> None:
  """Makes a rename in ``path`` durable (a crash of the machine, not just the process)."""
  with contextlib.suppress(OSError):  # not every file system lets a directory be opened
    fd = os.open(path, os.O_RDONLY)
    try:
      os.fsync(fd)
    finally:
      os.close(fd)


def write_json(path: Path, data) -> None:
  write_atomic(path, json.dumps(data, indent=1) + "\n")
