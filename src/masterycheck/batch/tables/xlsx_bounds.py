"""The checks of a workbook's zip and XML before openpyxl reads it (``_inspect_workbook``).

The zip's directory size (from its end record, before ``zipfile`` reads it), the unzipped
sizes and compression ratios of its parts, then one streaming pass over every part
(``_scan_part``): entity declarations, long runs of text, the numbers of shared strings, rows
and cells in a row, and the formula cells without a saved value. The limits and why they are
what they are: ``limits``.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, Final, NamedTuple

from masterycheck.batch.tables.file_access import _read_error
from masterycheck.batch.tables.headings import _shown
from masterycheck.batch.tables.limits import (
    _CELL_CHARS,
    _MB,
    _XLSX_DIRECTORY_BYTES,
    _XLSX_PART_BYTES,
    _XLSX_RATIO,
    _XLSX_RATIO_FROM,
    _XLSX_ROW_CELLS,
    _XLSX_ROWS,
    _XLSX_STRINGS,
    _XLSX_STRINGS_BYTES,
    _XLSX_TEXT_BYTES,
    _XLSX_TOTAL_BYTES,
)
from masterycheck.errors import InputError

_XLSX_HINT: Final = "is this a form export?"
_SCAN_CHUNK: Final = _MB
_BINARY_PARTS: Final = (
    *(".bin", ".bmp", ".emf", ".gif", ".jpeg", ".jpg", ".jfif", ".png", ".tif", ".tiff"),
    *(".wdp", ".wmf"),
)  # parts never parsed as XML: not checked for long runs of text

# Before openpyxl: the zip's sizes, then one streaming pass over every part (_scan_part).
# Tag patterns allow a namespace prefix (<x:row>): some writers use one.
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# A shared string, a row, a cell or a formula: findall gives b"si", b"row", b"c" or b"f".
_COUNTED_TAG: Final = re.compile(rb"<" + _PREFIX + rb"(si|row|c|f)[\s/>]")
_ROW_NUMBER: Final = re.compile(rb"<" + _PREFIX + rb"row(?:\s[^>]*?)?\sr\s*=\s*[\"']\s*(\d{1,12})")
# A cell (group 1: its attributes) holding a formula and then no value: the cell ends (group
# 2), or its value is empty. Excel saves an empty text result as t="str" and an empty value.
_NO_SAVED_VALUE: Final = re.compile(
    rb"<" + _PREFIX + rb"c(\s[^>]*)?>\s*"
    rb"<" + _PREFIX + rb"f(?:\s[^>]*)?(?:/>|>[^<]*</" + _PREFIX + rb"f\s*>)\s*"
    rb"(?:(</)" + _PREFIX + rb"c\s*>"
    rb"|<" + _PREFIX + rb"v\s*/>"
    rb"|<" + _PREFIX + rb"v(?:\s[^>]*)?>\s*</" + _PREFIX + rb"v\s*>)"
)
_TAGS_KEPT: Final = 5  # tags the longest pattern above spans: kept for the next piece
_CELL_REFERENCE: Final = re.compile(rb"\sr\s*=\s*[\"']([A-Za-z]{1,3}[0-9]{1,7})[\"']")
_TEXT_RESULT: Final = re.compile(rb"\st\s*=\s*[\"']str[\"']")
_DAMAGED_ZIP: Final = (
    *(zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError),
    *(ValueError, struct.error),
)  # what zipfile raises for a damaged, encrypted or exotic zip


class _Formulas(NamedTuple):
    """Formula cells without a saved value in one part: how many, and the first's reference."""

    cells: int
    first: str  # "C2", or "" when the cell has no reference


def _refused(name: str, message: str) -> InputError:
    return InputError(message, where=name, hint=_XLSX_HINT)


def _unreadable(name: str) -> InputError:
    return InputError(
        "not a readable Excel workbook (damaged, or another kind of zip file)",
        where=name,
        hint="open it in Excel and save it again as .xlsx, or save as CSV",
    )


def _inspect_workbook(path: Path, name: str) -> dict[str, _Formulas]:
    """Check a workbook's zip against the limits (see ``limits``) before openpyxl reads it, and
    find, per part, the formula cells that have no saved value."""
    try:
        with path.open("rb") as stream:
            directory = _directory_size(stream)
            if directory is not None and directory > _XLSX_DIRECTORY_BYTES:
                raise _refused(
                    name,
                    f"the workbook's zip directory is larger than "
                    f"{_XLSX_DIRECTORY_BYTES // _MB} MB, far more parts than a workbook has",
                )
            try:
                with zipfile.ZipFile(stream) as archive:
                    infos = [info for info in archive.infolist() if not info.is_dir()]
                    _check_sizes(infos, name)
                    found: dict[str, _Formulas] = {}
                    for info in infos:
                        formulas = _scan_part(archive, info, name)
                        if formulas.cells:
                            found[info.filename] = formulas
                    return found
            except _DAMAGED_ZIP:
                raise _unreadable(name) from None
    except OSError as error:
        raise _read_error(error, name) from None


def _directory_size(stream: BinaryIO) -> int | None:
    """The size of the zip's central directory as its end record (and zip64 end record, which
    zipfile prefers when present) says; None if there is no end record (zipfile will say so).

    zipfile builds an object for every entry of the directory as it opens the file: ~600
    bytes of memory and ~8 µs each, so an 18 MB zip of 200,000 empty entries took 116 MB.
    """
    size = stream.seek(0, os.SEEK_END)
    tail_size = min(size, 22 + 0xFFFF)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    (directory,) = struct.unpack_from("<I", tail, at + 12)
    end = size - tail_size + at  # where the end record starts in the file
    if end >= 20 + 56:
        stream.seek(end - 20 - 56)
        records = stream.read(56 + 20)
        if records[56:60] == b"PK\x06\x07" and records[:4] == b"PK\x06\x06":
            (directory64,) = struct.unpack_from("<Q", records, 40)
            directory = max(directory, directory64)
    return int(directory)


def _check_sizes(infos: Sequence[zipfile.ZipInfo], name: str) -> None:
    """Refuse parts that unzip too big, or are compressed more than spreadsheets ever are."""
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        lower = info.filename.lower()
        if lower.rsplit("/", 1)[-1].startswith("sharedstrings"):
            if size > _XLSX_STRINGS_BYTES:
                raise _refused(
                    name,
                    f"the workbook's shared strings expand to more than "
                    f"{_XLSX_STRINGS_BYTES // _MB} MB, the most masterycheck reads",
                )
        elif "worksheets/" not in lower and size > _XLSX_PART_BYTES:
            raise _refused(
                name,
                f"the workbook part {_shown(info.filename)} expands to more than "
                f"{_XLSX_PART_BYTES // _MB} MB, the most masterycheck reads",
            )
        if size > _XLSX_RATIO_FROM and size > _XLSX_RATIO * info.compress_size:
            raise _refused(
                name,
                f"the workbook part {_shown(info.filename)} is compressed more than "
                f"{_XLSX_RATIO}-fold; real exports compress far less",
            )
    if total > _XLSX_TOTAL_BYTES:
        raise _refused(
            name,
            f"the workbook expands to more than {_XLSX_TOTAL_BYTES // _MB} MB when unzipped, "
            "the most masterycheck reads",
        )


def _runs_within(data: bytes, limit: int) -> bool:
    """True if no run of bytes between two ``<`` in ``data`` (a tag or a text) is longer than
    ``limit``. Looks back from ``limit`` bytes ahead for the last ``<``: a few steps per
    ``limit`` bytes, whatever the number of tags."""
    at = 0
    size = len(data)
    while size - at > limit:
        found = data.rfind(b"<", at, at + limit + 1)
        if found < 0:
            return False
        at = found + 1
    return True


def _tail_start(data: bytes) -> int:
    """Where the last ``_TAGS_KEPT`` tags of ``data`` start (0 if it has fewer)."""
    at = len(data)
    for _ in range(_TAGS_KEPT):
        at = data.rfind(b"<", 0, at)
        if at <= 0:
            return 0
    return at


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> _Formulas:
    """Stream one part of the workbook once, in pieces of 1 MiB, refusing what breaks a limit.

    Each piece is scanned together with the last few tags of the one before (so that no tag,
    nor a cell's formula and value, is cut in two); counts stop at those tags, which are
    counted with the next piece. Returns the formula cells without a saved value.
    """
    part = _shown(info.filename)
    text_checks = not info.filename.lower().endswith(_BINARY_PARTS)
    strings = rows = row_cells = formulas = 0
    first = ""
    carry = b""
    with archive.open(info) as stream:
        while True:
            piece = stream.read(_SCAN_CHUNK)
            data = carry + piece if carry else piece
            if not data:
                break
            cut = _tail_start(data) if piece else len(data)
            if len(data) - cut > 8 * _MB:  # a binary part with few "<": no tags to keep
                cut = len(data)
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                raise _refused(
                    name, f"the workbook part {part} declares XML entities, which no workbook does"
                )
            if text_checks and not _runs_within(data, _XLSX_TEXT_BYTES):
                raise _refused(
                    name,
                    f"the workbook part {part} holds a text longer than "
                    f"{_XLSX_TEXT_BYTES // _MB} MB; masterycheck reads cells of up to "
                    f"{_CELL_CHARS:,} characters (Excel's own limit is 32,767)",
                )
            tags = _COUNTED_TAG.findall(data, 0, cut)
            if tags:
                joined = b"".join(tags)
                if b"si" in joined:
                    strings += tags.count(b"si")
                    if strings > _XLSX_STRINGS:
                        raise _refused(
                            name,
                            f"the workbook has more than {_XLSX_STRINGS:,} shared strings, the "
                            "most masterycheck reads",
                        )
                    joined = joined.replace(b"si", b"")
                # A cell counted here may have its formula among the tags kept for later.
                formula_tags = b"f" in joined or b"f" in _COUNTED_TAG.findall(data, cut)
                if formula_tags:
                    joined = joined.replace(b"f", b"")
                runs = joined.split(b"row")  # b"c" per cell: their lengths count cells
                row_cells += len(runs[0])
                widest = row_cells
                if len(runs) > 1:
                    rows += len(runs) - 1
                    widest = max(widest, *map(len, runs[1:]))
                    row_cells = len(runs[-1])
                if rows > _XLSX_ROWS:
                    raise _refused(
                        name,
                        f"the worksheet {part} has more than {_XLSX_ROWS:,} rows, Excel's limit",
                    )
                if widest > _XLSX_ROW_CELLS:
                    raise _refused(
                        name,
                        f"the worksheet {part} has a row of more than {_XLSX_ROW_CELLS:,} "
                        "cells, Excel's limit",
                    )
                numbers = _ROW_NUMBER.findall(data, 0, cut) if len(runs) > 1 else ()
                if numbers and max(map(int, numbers)) > _XLSX_ROWS:
                    raise _refused(
                        name,
                        f"the worksheet {part} numbers a row beyond {_XLSX_ROWS:,}, Excel's limit",
                    )
                if formula_tags:
                    for match in _NO_SAVED_VALUE.finditer(data):
                        if match.start() >= cut:
                            break
                        attributes = match.group(1) or b""
                        if match.group(2) is None and _TEXT_RESULT.search(attributes):
                            continue  # an empty text result, saved as such
                        formulas += 1
                        reference = _CELL_REFERENCE.search(attributes)
                        if not first and reference is not None:
                            first = reference.group(1).decode("ascii").upper()
            carry = data[cut:]
            if not piece:
                break
    return _Formulas(formulas, first)
