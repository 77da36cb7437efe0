"""Files a user names, read with bounds; files written whole or not at all, never through
a planted link.

A user's file is read only if it is a regular file (a FIFO would block, /dev/zero never
end) of bounded size, UTF-8 text without NUL bytes. A crash (kill -9, power loss)
mid-write leaves the old file, not half of the new one, and a symbolic link planted where
the temporary file goes cannot redirect the write.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from pathlib import Path


class UnreadableFile(ValueError):
  """Why a user's file cannot be read as text (the caller names the file)."""


def read_text(path: Path, limit: int) -> str:
  """A user's text file of at most ``limit`` bytes.

  Raises:
    UnreadableFile: not a regular file, unreadable, too large, or not UTF-8 text.
  """
  try:
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
      raise UnreadableFile("it is a directory")
    if not stat.S_ISREG(mode):
      raise UnreadableFile("not a regular file")
    with path.open("rb") as f:
      raw = f.read(limit + 1)
  except OSError as e:
    raise UnreadableFile(e.strerror or type(e).__name__) from None
  if len(raw) > limit:
    raise UnreadableFile(f"larger than {_size(limit)}")
  if b"\x00" in raw:
    raise UnreadableFile("not a text file (it contains NUL bytes)")
  try:
    return raw.decode("utf-8")
  except UnicodeDecodeError:
    raise UnreadableFile("not a UTF-8 text file") from None


def _size(limit: int) -> str:
  return f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit >> 10} KiB"


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
