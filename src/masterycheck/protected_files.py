"""The files the running command has read, so that no output is ever written over one.

Every reader of a file a person gave (YAML files: criteria, profiles, mappings, overlays; form
exports) records its path here, and ``outputs.safe_files`` refuses to write over any of them,
on top of the paths a command names itself. The record is per command: ``reading`` starts a
fresh one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

__all__ = ["files_read", "note_read", "reading"]

_read: list[Path] = []


def note_read(path: Path) -> None:
    """Record that the command reads ``path`` (it is then off limits as an output)."""
    if path not in _read:
        _read.append(path)


def files_read() -> tuple[Path, ...]:
    """Every path recorded by ``note_read`` since the command started."""
    return tuple(_read)


@contextlib.contextmanager
def reading() -> Iterator[None]:
    """Run one command with a fresh record of the files it reads; the old one is restored."""
    saved = _read[:]
    _read.clear()
    try:
        yield
    finally:
        _read[:] = saved
