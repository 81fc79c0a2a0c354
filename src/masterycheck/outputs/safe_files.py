"""Writing results files safely: never over an input, always atomically, formulas escaped.

Results go to hub leads who open them in Excel, so three rules hold for every output file:

* **Never overwrite an input file.** The output path is compared with every file the command
  reads (the paths it names and every file recorded by ``masterycheck.protected_files``) by resolved
  real path and, where both exist, by ``os.path.samefile`` (which also catches hard links and
  case-insensitive file systems).
* **Never write where the user did not mean.** Nothing is written under ``/dev``, ``/proc`` or
  ``/sys``, whether the path names them or a symbolic link on the way leads there
  (``-o /dev/stdout`` would otherwise replace the system's link with a file), nor to anything
  that is not a regular file (a device, a named pipe, a socket).
* **Write atomically.** The data goes to a hidden temporary file in the target's own folder
  (created with permission 0600, readable by the owner only), is flushed and fsynced, and only
  then renamed onto the target with ``os.replace``. If anything goes wrong before that - an
  error, Ctrl-C - the temporary file is removed and an earlier file at the target path is left
  exactly as it was. Because the file is replaced rather than rewritten, the result keeps the
  0600 permission even when it replaces an older, wider-readable file. If the target path is a
  symbolic link (to something that is not an input), the link itself is replaced by the new
  file; the file it pointed to is left alone.
* **Escape spreadsheet formulas in CSV** (OWASP "CSV injection"): a text cell that starts with
  a character Excel treats as the start of a formula gets a leading apostrophe. JSON Lines
  output is for machines and is not escaped.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, overload

from masterycheck.errors import InputError
from masterycheck.outputs.inert_text import escape_json_controls, one_line
from masterycheck.outputs.scratch import finished, private_file
from masterycheck.protected_files import files_read

__all__ = [
    "DANGEROUS_FIRST_CHARACTERS",
    "SYSTEM_FOLDERS",
    "FormulaSafeCsvWriter",
    "JsonLinesWriter",
    "atomic_output",
    "check_output_target",
    "csv_cell",
    "csv_cells",
    "csv_line",
    "csv_output",
    "escape_formula",
    "is_system_path",
    "json_line",
    "json_lines_output",
]

#: First characters that make Excel (or LibreOffice, Google Sheets) read a cell as a formula or
#: split it oddly, including the full-width forms that some spreadsheet programs normalise.
DANGEROUS_FIRST_CHARACTERS: frozenset[str] = frozenset(
    ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
)

_UTF8_BOM = "\ufeff"


def escape_formula(text: str) -> str:
    """Return ``text`` with a leading ``'`` if a spreadsheet would read it as a formula.

    Dangerous first characters are ``= + - @``, tab, CR, LF and the full-width ``＝ ＋ － ＠``
    (see ``DANGEROUS_FIRST_CHARACTERS``). Every other text, including the empty string, is
    returned unchanged. A lone ``"-"`` is escaped too; pass numbers as numbers, not text.
    """
    if text[:1] in DANGEROUS_FIRST_CHARACTERS:
        return "'" + text
    return text


def _is_same_file(first: Path, second: Path) -> bool:
    if os.path.realpath(first) == os.path.realpath(second):
        return True
    try:
        return first.samefile(second)  # os.path.samefile: same device and inode
    except OSError:  # one of them does not exist (yet), or cannot be examined
        return False


#: Folders of the operating system's own files: devices, processes, the kernel. Nothing is
#: ever written there, even when a path or a link (``/dev/stdout``, ``/proc/self/fd/1``)
#: leads to an ordinary file.
SYSTEM_FOLDERS: tuple[str, ...] = ("/dev", "/proc", "/sys")

_MAX_LINKS = 40  # as the kernel's own limit on links followed in one path


def is_system_path(path: str) -> bool:
    """Whether an absolute, normalised ``path`` lies under /dev, /proc or /sys."""
    return any(path == root or path.startswith(root + "/") for root in SYSTEM_FOLDERS)


def _paths_to(target: Path) -> list[str]:
    """The target as written, its folder resolved, and every place its links lead to."""
    current = Path(os.path.normpath(target.absolute()))
    seen = [str(current), str(current.parent.resolve())]
    for _ in range(_MAX_LINKS):
        if not current.is_symlink():
            break
        try:
            link = current.readlink()
        except OSError:
            break
        current = Path(os.path.normpath(current.parent / link))
        seen += [str(current), str(current.parent.resolve())]
    seen.append(str(target.resolve()))
    return seen


def check_output_target(target: Path, protect: Iterable[Path]) -> None:
    """Refuse an output path that could harm the user's data or system.

    Refused, with ``InputError``: ``-`` (a command that writes to standard output handles it
    before calling this); any file the command reads (``protect``, and every file recorded by
    ``masterycheck.protected_files``); a folder; a path in a missing folder; a path that is, or
    leads through a symbolic link to, anything under ``/dev``, ``/proc`` or ``/sys``; and
    anything that is not a regular file (a device, a named pipe, a socket).
    """
    where = one_line(str(target))
    if str(target) == "-":
        raise InputError(
            "'-' (standard output) cannot be used here", where=where, hint="give a file name"
        )
    for source in (*protect, *files_read()):
        if _is_same_file(target, Path(source)):
            raise InputError(
                f"refusing to overwrite the input file {one_line(Path(source).name)}; "
                "choose another output name"
            )
    if target.is_dir():
        raise InputError(
            "the output path is a folder", where=where, hint="give a file name for the results"
        )
    if any(is_system_path(path) for path in _paths_to(target)):
        raise InputError(
            "refusing to write into the system folders /dev, /proc or /sys (directly or "
            "through a link)",
            where=where,
            hint="give an ordinary file name for the output",
        )
    folder = target.parent
    if not folder.is_dir():
        raise InputError(
            f"the output folder {one_line(str(folder))} does not exist",
            where=where,
            hint="create the folder first or choose another output path",
        )
    try:
        status = target.stat()  # follows a symbolic link, like opening the file would
    except OSError:
        return  # nothing there yet (or a dangling link, which is simply replaced)
    if not stat.S_ISREG(status.st_mode):
        raise InputError(
            "the output path is not a regular file (a device, pipe or socket)",
            where=where,
            hint="choose an ordinary file name for the results",
        )


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _atomic_output(
    target: Path, protect: Iterable[Path], mode: Literal["w", "wb"], newline: str | None
) -> Iterator[IO[Any]]:
    target = Path(target)
    check_output_target(target, protect)
    folder = target.parent
    try:
        # 0600, never widened; removed at exit even if a stop signal arrives right now
        fd, temp = private_file(folder, prefix="." + target.name + ".", suffix=".tmp")
    except OSError as error:
        raise InputError(
            f"cannot create a file in the output folder {one_line(str(folder))}: {error.strerror}",
            where=one_line(str(target)),
        ) from None
    try:
        stream: IO[Any]
        if mode == "wb":
            stream = os.fdopen(fd, "wb")
        else:
            stream = os.fdopen(fd, "w", encoding="utf-8", newline=newline)
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        finished(temp)
        raise
    try:
        with stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        temp.replace(target)  # os.replace: atomic on POSIX, replaces a symlink itself
    except BaseException as error:  # including KeyboardInterrupt: never a half-written file
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        if isinstance(error, OSError) and not isinstance(error, BrokenPipeError):
            reason = error.strerror or str(error)
            raise InputError(
                f"cannot write the output file: {reason}", where=one_line(str(target))
            ) from None
        raise
    finally:
        finished(temp)
    _fsync_folder(folder)


@overload
def atomic_output(
    target: Path,
    *,
    protect: Iterable[Path] = (),
    mode: Literal["w"] = "w",
    newline: str | None = "",
) -> AbstractContextManager[TextIO]: ...


@overload
def atomic_output(
    target: Path,
    *,
    protect: Iterable[Path] = (),
    mode: Literal["wb"],
    newline: str | None = "",
) -> AbstractContextManager[BinaryIO]: ...


def atomic_output(
    target: Path,
    *,
    protect: Iterable[Path] = (),
    mode: Literal["w", "wb"] = "w",
    newline: str | None = "",
) -> AbstractContextManager[IO[Any]]:
    """Open ``target`` for writing so that it appears complete or not at all.

    Refuses with ``InputError`` (checked on entering the ``with`` block, before anything is
    written) when ``target`` is the same file as any path in ``protect`` (the input files), is
    a folder, is not a regular file (``/dev/null``, a named pipe), or its folder does not exist.
    Yields a stream on a temporary file in the target's folder; on a normal exit the stream is
    flushed, fsynced and renamed onto ``target``. If the body raises anything (including
    ``KeyboardInterrupt``) the temporary file is removed, the exception propagates, and an
    earlier file at ``target`` is untouched. Text mode uses UTF-8 and ``newline`` (default
    ``""``: no newline translation); ``mode="wb"`` yields a binary stream.
    """
    return _atomic_output(target, tuple(protect), mode, newline)


def csv_cell(cell: object) -> str:
    """One cell as CSV text for Excel: formulas escaped, quoted where needed.

    The one CSV encoder. Strings go through ``escape_formula``; numbers (and other
    non-strings) are written as they are, so ``-5`` passed as an ``int`` stays a number;
    ``None`` is an empty cell. A few ``in`` tests decide the quoting (quicker than a pattern
    over a long free-text answer).
    """
    if not isinstance(cell, str):
        return "" if cell is None else str(cell)
    if cell[:1] in DANGEROUS_FIRST_CHARACTERS:
        cell = "'" + cell
    if '"' in cell or "," in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


_FIRST_CHARACTER = itemgetter(slice(None, 1))


def csv_cells(cells: Sequence[str]) -> str:
    """Text cells as CSV text joined by commas: the same as ``csv_cell`` on each.

    The record is joined first and looked at once (a few ``in`` tests and the cells' first
    characters): most rows of an export need neither an escape nor a quote, and then the
    join is the answer; otherwise every cell goes through ``csv_cell``.
    """
    joined = ",".join(cells)
    if (
        '"' in joined
        or "\n" in joined
        or "\r" in joined
        or joined.count(",") >= len(cells)
        or not DANGEROUS_FIRST_CHARACTERS.isdisjoint(map(_FIRST_CHARACTER, cells))
    ):
        return ",".join(map(csv_cell, cells))
    return joined


def csv_line(cells: Iterable[object]) -> str:
    """One CSV record (``csv_cell`` for each cell), ending in CRLF as Excel expects."""
    return ",".join(map(csv_cell, cells)) + "\r\n"


class FormulaSafeCsvWriter:
    """Writes CSV rows with ``csv_line``: formulas escaped in every text cell."""

    def __init__(self, stream: TextIO) -> None:
        """Write CSV rows to ``stream``."""
        self._write = stream.write

    def writerow(self, cells: Iterable[object]) -> None:
        """Write one row, escaping formulas in its text cells."""
        self._write(csv_line(cells))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write many rows, escaping formulas in their text cells."""
        for row in rows:
            self.writerow(row)


@contextlib.contextmanager
def csv_output(target: Path, *, protect: Iterable[Path] = ()) -> Iterator[FormulaSafeCsvWriter]:
    """Write a CSV file for Excel atomically: UTF-8 with a BOM, CRLF, formulas escaped.

    Yields a ``FormulaSafeCsvWriter``; see ``atomic_output`` for the refusals and the
    all-or-nothing guarantee. Headings are text cells like any other and are escaped too.
    """
    with atomic_output(target, protect=protect, mode="w", newline="") as stream:
        stream.write(_UTF8_BOM)
        yield FormulaSafeCsvWriter(stream)


def json_line(obj: Mapping[str, object]) -> str:
    """``obj`` as one line of compact JSON (non-ASCII kept as is), without the line break.

    NaN and infinities are refused (``ValueError``) because they are not valid JSON.
    DEL, the C1 controls, U+2028, U+2029 and the bidirectional controls are written as ``\\u``
    escapes (``inert_text.escape_json_controls``) so that no reader splits a record across
    lines and no terminal showing the file obeys them.
    """
    line = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return escape_json_controls(line)


class JsonLinesWriter:
    """Writes one compact JSON object per line (JSON Lines), UTF-8, ``\\n``-terminated."""

    def __init__(self, stream: TextIO) -> None:
        """Write JSON Lines to ``stream``."""
        self._stream = stream

    def write(self, obj: Mapping[str, object]) -> None:
        """Write ``obj`` as one line (``json_line``)."""
        self._stream.write(json_line(obj) + "\n")


@contextlib.contextmanager
def json_lines_output(target: Path, *, protect: Iterable[Path] = ()) -> Iterator[JsonLinesWriter]:
    """Write a JSON Lines file atomically; yields a ``JsonLinesWriter``.

    There is deliberately no formula escaping: JSON output is for machines, which must see the
    exact values. See ``atomic_output`` for the refusals and the all-or-nothing guarantee.
    """
    with atomic_output(target, protect=protect, mode="w", newline="") as stream:
        yield JsonLinesWriter(stream)
