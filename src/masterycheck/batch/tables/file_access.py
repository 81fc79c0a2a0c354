"""Reading an export's bytes: its head (the first MiB, from which the format, encoding and
delimiter are decided), and operating-system errors as one-line ``InputError``s."""

from __future__ import annotations

from pathlib import Path

from masterycheck.batch.tables.limits import _SNIFF_BYTES
from masterycheck.errors import InputError


def _read_error(error: OSError, name: str) -> InputError:
    """An operating-system error reading the export, as a one-line ``InputError``."""
    if isinstance(error, FileNotFoundError):
        return InputError("file not found", where=name)
    if isinstance(error, IsADirectoryError):
        return InputError("is a folder, not a file", where=name)
    if isinstance(error, PermissionError):
        return InputError("cannot read the file (permission denied)", where=name)
    reason = error.strerror or str(error) or type(error).__name__
    return InputError(f"cannot read the file ({reason})", where=name)


def _read_head(path: Path, name: str) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(_SNIFF_BYTES)
    except OSError as error:
        raise _read_error(error, name) from None
