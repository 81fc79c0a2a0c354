"""Read hub application exports (CSV or Excel) strictly, as a stream, accounting for every row.

``open_table(path)`` looks at the file's bytes (not only its name), reads the heading row and
returns a ``TableSource``; ``source.rows()`` then yields one ``TableRow`` per data row, without
ever holding the whole file. Rows in = rows out: short, long and blank rows are yielded with
``problem`` set, never dropped. Anything that makes the file itself unreadable (bad bytes, broken
quoting, unusable headings) raises ``InputError``. No message ever contains a cell's value
(applicants' personal data): errors name the file, row, line and column heading only.

Formats
    * XLSX (zip magic ``PK\\x03\\x04``), read with openpyxl in read-only mode; the first
      worksheet, or ``sheet=``. A legacy ``.xls`` (OLE magic; also how Excel stores a
      password-protected workbook) and a non-zip file named ``.xlsx`` are errors. Cell values
      become text: ``12`` (ints and whole floats), ``1.5``, dates ``2024-03-01``, datetimes
      ``2024-03-01T09:15:00`` (midnight datetimes, which is how Excel stores plain dates, as the
      date), ``TRUE``/``FALSE``, ``""`` for empty cells. A formula cell with no saved result (the
      file was written by a program that does not calculate, and never saved by Excel) is read
      as ``""`` and counted in one of the source's ``notes``. openpyxl's warnings are silenced
      while it reads (and only then); anything openpyxl cannot parse is an ``InputError``.
    * CSV, anything else. UTF-16 (BOM, or NUL bytes in the first 4 KB) is refused, not decoded:
      it is Excel's "Unicode Text" and is tab-separated text the user should re-save as
      "CSV UTF-8"; refusing keeps one code path for line numbers. A NUL byte later on makes
      its row invalid (problem naming the column; the NUL is shown as U+FFFD in the cells).

Limits (bounded memory and time whatever the file holds)
    * XLSX: before openpyxl builds anything, the zip is inspected with ``zipfile``: its
      directory (at most 4 MB, some 40,000 parts), the unzipped size of all parts (512 MB), of
      the shared strings (128 MB) and of any other part but a worksheet (32 MB), and the
      compression ratio of parts over 8 MB (100-fold; the parts of real exports compress 2-
      to 15-fold). Every part is then streamed once through ``_scan_part``, which refuses a
      ``<!DOCTYPE``/``<!ENTITY`` (entity expansion), a run of text over 1 MB between two
      tags, more than 1,000,000 shared strings (counting the ``<si>`` elements themselves, not
      trusting ``count``/``uniqueCount``), more than Excel's 1,048,576 rows or rows numbered
      beyond it, and more than Excel's 16,384 cells in a row; it also finds the formula cells
      without a saved value. A 10,000-applicant, 60-column export with three 2,000-character
      answers each (61 MB of shared strings and a 20 MB sheet, or a 93 MB sheet of inline
      strings) reads within them; the scan adds ~0.6 s to opening it. A cell over 131,072
      characters (csv's field limit; Excel's own is 32,767) is an error naming its row and
      column.
    * CSV: csv.reader's field limit (131,072 characters) and at most 8,388,608 characters per
      row (64 such cells); lines are read in pieces no longer than that, so a file without
      line breaks is never read whole.

CSV decoding
    UTF-8 with or without BOM (the BOM is dropped). Otherwise, unless ``encoding=`` is given, the
    first 1 MiB decides: Windows-1252 is chosen only if that part decodes strictly as cp1252 and
    shows no sign of another encoding (UTF-8 sequences mixed in, or runs of four or more
    non-ASCII bytes, typical of Cyrillic, Greek or East Asian encodings); the source then has
    ``encoding == "cp1252"`` and ``encoding_guessed`` set, so the caller can say so. The file is
    then decoded as a stream (``open(..., newline="", errors="strict")``); a bad byte later on
    raises ``InputError`` naming its line (found by re-reading the file only in that case).

CSV parsing (why this approach)
    ``csv.reader(strict=True)`` does the parsing in C; it already rejects text after a closing
    quote (``"abc"x,``) and, at end of file, an unterminated quoted field ("unexpected end of
    data"; a runaway quote in mid-file hits the 131,072-character field limit first). What it
    accepts silently is a quote inside an unquoted field (``ab"c``). Every stray quote leaves a
    ``"`` in the parsed values, so only rows whose values contain ``"`` are checked again: the
    raw text of the record (the reader is fed through a tiny generator that keeps the lines of
    the current record) is matched against a possessive regular expression saying "every quote
    run opens at a field start" (~1.5 µs for a 1 KB record). Measured on the benchmark file
    (100,000 rows of ~900 bytes, ``bench/bench_reader.py``, CPU time): a hand-written Python
    state machine, even one jumping between special characters with ``re``, costs ~3x a bare
    csv.reader pass; this reader costs ~1.25x when no value contains a quote, ~1.4x when half
    the rows do and ~1.5x when all do. Fuzzing against a reference strict parser found the
    same rows, the same errors and the same error lines. The pure-Python scanner
    ``_first_fault`` runs only to locate an error for its message.

Lines, blank rows and headings
    ``TableRow.line`` is the physical line where the record starts (multi-line quoted answers
    advance it). Every line that is entirely empty is a blank row (problem ``"blank row"``),
    including empty lines at the end of the file, except that the file's single final line
    break does not start a row. A row whose cells are all empty or whitespace is blank too.
    Headings are kept as written, minus the BOM and surrounding whitespace. Trailing empty
    headings are dropped from ``headings`` (Excel often exports formatted but empty columns);
    an empty heading before the last non-empty one is kept as ``""`` so positions still match
    the file. A value under an empty heading raises ``InputError`` when that row is reached.
    In CSV, the expected cell count is the number of cells on the heading line, trailing empty
    ones included; in XLSX, rows are padded to the headings (a sheet row has no length).

Delimiters
    Sniffed among comma, semicolon and tab; ``parse_delimiter`` turns an option value ("comma",
    "semicolon", "tab", "pipe", or the character itself, ``\\t`` for a tab) into the
    character, and ``open_table(delimiter=...)`` accepts the same.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from functools import partial
from itertools import islice
from pathlib import Path
from typing import IO, Any, BinaryIO, Final, Literal, NamedTuple, NoReturn, Protocol

from masterycheck.errors import InputError, place

__all__ = [
    "CsvTable",
    "TableRow",
    "TableSource",
    "XlsxTable",
    "column_letter",
    "open_table",
    "parse_delimiter",
    "split_many",
]

_MAGIC_BYTES: Final = 4096  # magic numbers, UTF-16 and NUL checks
_SNIFF_BYTES: Final = 1 << 20  # encoding and delimiter detection
_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"
_UTF8_BOM: Final = codecs.BOM_UTF8
_DELIMITERS: Final = (",", ";", "\t")
_DELIMITER_NAMES: Final = {",": "comma", ";": "semicolon", "\t": "tab"}
_DELIMITER_WORDS: Final = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|", "\\t": "\t"}
_HEADING_SHOWN: Final = 40  # longest heading quoted in full in a message
_CELL_CHARS: Final = 131_072  # longest cell: csv's default field limit (Excel's own: 32,767)
_ROW_CHARS: Final = 64 * _CELL_CHARS  # longest CSV row (record), 8,388,608 characters
_NOT_TEXT: Final = "is this a text file?"

# XLSX limits (see the module docstring). Sizes are of the unzipped parts.
_MB: Final = 1 << 20
_XLSX_DIRECTORY_BYTES: Final = 4 * _MB  # the zip's central directory
_XLSX_TOTAL_BYTES: Final = 512 * _MB  # all parts together
_XLSX_STRINGS_BYTES: Final = 128 * _MB  # the shared strings part
_XLSX_PART_BYTES: Final = 32 * _MB  # any other part but a worksheet
_XLSX_RATIO: Final = 100  # most a part over _XLSX_RATIO_FROM may be compressed (n-fold)
_XLSX_RATIO_FROM: Final = 8 * _MB
_XLSX_TEXT_BYTES: Final = _MB  # longest run of bytes between two tags
_XLSX_STRINGS: Final = 1_000_000  # shared strings
_XLSX_ROWS: Final = 1_048_576  # Excel's limit
_XLSX_ROW_CELLS: Final = 16_384  # Excel's limit (column XFD)
_XLSX_HINT: Final = "is this a form export?"
_SCAN_CHUNK: Final = _MB
_BINARY_PARTS: Final = (
    *(".bin", ".bmp", ".emf", ".gif", ".jpeg", ".jpg", ".jfif", ".png", ".tif", ".tiff"),
    *(".wdp", ".wmf"),
)  # parts never parsed as XML: not checked for long runs of text

# UTF-8 sequences that are common in real text (Latin-1 range, typographic punctuation) and
# almost never occur in Windows-1252 text ("Ã©", "â€™"): their presence next to bytes that are
# not UTF-8 means the file mixes encodings.
_UTF8_TELLTALE: Final = re.compile(rb"[\xc2\xc3][\x80-\xbf]|\xe2[\x80-\x82][\x80-\xbf]")
_HIGH_RUN: Final = re.compile(rb"[\x80-\xff]{4,}")
_ENCODING_HINT: Final = "pass --encoding with the file's encoding, or save it as 'CSV UTF-8'"


@dataclass(frozen=True, slots=True)
class TableRow:
    """One data row of a table, valid or not.

    ``number`` counts data rows from 1 (the heading row is not counted); ``line`` is the
    1-based physical line where the row starts in a CSV file, or the sheet row number in an
    Excel sheet. ``cells`` has exactly one text per heading (``""`` for blank). ``problem`` is
    ``None`` or why the row is invalid ("blank row", "row has 7 cells, expected 9"); such rows
    are still yielded so they can be reported.
    """

    number: int
    line: int
    cells: tuple[str, ...]
    problem: str | None = None


def _row_builder() -> Callable[[int, int, tuple[str, ...], str | None], TableRow]:
    """A fast way to build rows, for the CSV hot loop.

    A frozen dataclass's ``__init__`` goes through ``object.__setattr__`` (~0.8 µs a row, a
    fifth of a csv.reader pass over a 1 KB row); setting the slots through their descriptors
    costs half. Used in the CSV loop only; the rows are equal to ``TableRow(...)``.
    """
    slots = TableRow.__dict__
    setters = [slots[field.name].__set__ for field in fields(TableRow)]
    assert len(setters) == 4, "update _row_builder when TableRow changes"
    set_number, set_line, set_cells, set_problem = setters
    new = object.__new__

    def build(number: int, line: int, cells: tuple[str, ...], problem: str | None) -> TableRow:
        row = new(TableRow)
        set_number(row, number)
        set_line(row, line)
        set_cells(row, cells)
        set_problem(row, problem)
        return row

    return build


class TableSource(Protocol):
    """A table opened by ``open_table``: its name, headings and a way to stream its rows."""

    @property
    def name(self) -> str:
        """The file name as given, for messages."""
        ...

    @property
    def format(self) -> Literal["csv", "xlsx"]:
        """The file format found from the content."""
        ...

    @property
    def headings(self) -> tuple[str, ...]:
        """The column headings, as written (BOM and surrounding whitespace removed)."""
        ...

    @property
    def encoding(self) -> str | None:
        """The Python codec used for a CSV file (``utf-8``, ``utf-8-sig``, ``cp1252``...)."""
        ...

    @property
    def encoding_guessed(self) -> bool:
        """True when the encoding is neither UTF-8 nor given, but detected (Windows-1252)."""
        ...

    @property
    def notes(self) -> tuple[str, ...]:
        """What the user should know about how the file was read, one sentence each, complete
        once the table is open (e.g. formula cells read as blank); usually empty."""
        ...

    def rows(self) -> Iterator[TableRow]:
        """Stream the data rows; each call reads the file again from the start."""
        ...

    def locate(
        self, row: TableRow | None = None, column: int | None = None, *, line: int | None = None
    ) -> str:
        """A ``where`` for messages: file, row (and line), column letter and heading."""
        ...


def column_letter(index: int) -> str:
    """The Excel letters of a 1-based column number: 1 -> "A", 27 -> "AA"."""
    if index < 1:
        raise ValueError(f"column numbers start at 1, not {index}")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _shown(heading: str) -> str:
    text = " ".join(heading.split())
    if len(text) > _HEADING_SHOWN:
        text = text[: _HEADING_SHOWN - 1].rstrip() + "…"
    return f'"{text}"'


def _column_words(headings: Sequence[str], column: int) -> str:
    """'column C "Email"' for a 0-based column index."""
    words = f"column {column_letter(column + 1)}"
    if column < len(headings) and headings[column]:
        words += f" {_shown(headings[column])}"
    return words


def open_table(
    path: Path | str,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    delimiter: str | None = None,
) -> TableSource:
    """Open a CSV or XLSX application export and read its heading row.

    The format is decided by the content: a zip file is read as XLSX, anything else as CSV.
    ``encoding`` (CSV only) overrides the detection; ``delimiter`` (CSV only; a character or a
    name, see ``parse_delimiter``) overrides the sniffing among comma, semicolon and tab;
    ``sheet`` (XLSX only) names the worksheet, else the first one is read. Raises
    ``InputError`` for every problem with the file, its bytes or its headings.
    """
    path = Path(path)
    name = str(path)
    if delimiter is not None:
        delimiter = parse_delimiter(delimiter)
    head = _read_head(path, name)
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC):
        if encoding is not None or delimiter is not None:
            option = "encoding" if encoding is not None else "delimiter"
            raise InputError(f"an {option} was given, but this is an Excel workbook", where=name)
        return XlsxTable(path, sheet=sheet)
    if head.startswith(_OLE_MAGIC):
        if suffix in {".xlsx", ".xlsm"}:
            raise InputError(
                "this workbook is password-protected (encrypted), or a legacy .xls renamed; "
                "masterycheck cannot read it",
                where=name,
                hint="in Excel: remove the password, then File > Save As > Excel Workbook (.xlsx)",
            )
        raise InputError(
            "legacy .xls is not supported; save as .xlsx or CSV",
            where=name,
            hint="in Excel: File > Save As > Excel Workbook (.xlsx)",
        )
    if suffix in {".xlsx", ".xlsm"}:
        raise InputError("not an Excel file (is it a renamed CSV?)", where=name)
    if suffix == ".xls":
        raise InputError(
            "not a real Excel file (some systems save web pages or text as .xls)",
            where=name,
            hint="open it in Excel and save as .xlsx or CSV",
        )
    if sheet is not None:
        raise InputError("a sheet was given, but this is a CSV file, not a workbook", where=name)
    return CsvTable(path, head=head, encoding=encoding, delimiter=delimiter)


def parse_delimiter(text: str) -> str:
    """The CSV delimiter named by a ``--delimiter`` value: "comma", "semicolon", "tab" or
    "pipe" (any case), the character itself (``,`` ``;`` ``|``, a tab...), or ``\\t`` for a tab.

    Any other single character is accepted unless it is a letter, digit, space, quote, line
    break or other control character. Raises ``InputError`` (where ``--delimiter``) otherwise.
    """
    word = text.strip().lower()
    if word in _DELIMITER_WORDS:
        return _DELIMITER_WORDS[word]
    if text == "\t":
        return text
    if len(text) == 1 and text.isprintable() and not (text.isspace() or text.isalnum()):
        if text == '"':
            raise InputError("the quote character cannot be the delimiter", where="--delimiter")
        return text
    shown = repr(text) if len(text) <= 12 else repr(text[:11] + "…")
    raise InputError(
        f"expected comma, semicolon, tab, pipe or one character such as ; or |, not {shown}",
        where="--delimiter",
    )


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


# --------------------------------------------------------------------------------------------
# CSV


def _is_utf16(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = head[:_MAGIC_BYTES]
    if b"\x00" not in sample:
        return False
    # Mostly-ASCII UTF-16 text has a NUL in every other byte.
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return max(even, odd) >= len(sample) // 4


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _choose_encoding(head: bytes, name: str, given: str | None, at_eof: bool) -> tuple[str, bool]:
    """The codec to read the CSV with, and whether it was guessed (see the module docstring)."""
    if given is not None:
        try:
            codec = codecs.lookup(given).name
            probe = 'a,;\t"\r\n'.encode(codec)
        except (LookupError, TypeError, ValueError):
            raise InputError(
                f'unknown text encoding "{given}"', where=name, hint="try utf-8 or cp1252"
            ) from None
        if probe != b'a,;\t"\r\n':
            raise InputError(
                f'encoding "{given}" is not supported',
                where=name,
                hint="save the file as 'CSV UTF-8'",
            )
        if head.startswith(_UTF8_BOM):
            if codec != "utf-8":
                raise InputError(
                    f'the file starts with a UTF-8 byte-order mark, but encoding "{given}" '
                    "was given",
                    where=name,
                    hint="leave out --encoding",
                )
            return "utf-8-sig", False
        return codec, False
    if head.startswith(_UTF8_BOM):
        return "utf-8-sig", False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=at_eof)
    except UnicodeDecodeError as not_utf8:
        bad = not_utf8.start
    else:
        return "utf-8", False
    telltale = _UTF8_TELLTALE.search(head)
    if telltale is not None:
        raise InputError(
            f"the file mixes encodings: line {_line_of(head, telltale.start())} looks like "
            f"UTF-8, line {_line_of(head, bad)} does not",
            where=name,
            hint="save it again as 'CSV UTF-8'",
        )
    try:
        head.decode("cp1252")
    except UnicodeDecodeError as not_cp1252:
        byte = head[not_cp1252.start]
        raise InputError(
            f"byte 0x{byte:02X} is neither UTF-8 nor Windows-1252",
            where=place(name, _line_of(head, not_cp1252.start)),
            hint=_ENCODING_HINT,
        ) from None
    run = _HIGH_RUN.search(head)
    if run is not None:
        raise InputError(
            "the file is not UTF-8 and does not look like Windows-1252",
            where=place(name, _line_of(head, run.start())),
            hint=_ENCODING_HINT,
        )
    return "cp1252", True


# Possessive: a greedy group of one-character alternatives kept a backtracking entry per
# character (~100 bytes each: 130 MB for a 1 MiB line without quotes).
_RECORD_START: Final = re.compile(r'(?:"[^"]*+"|[^"\r\n]++)*+(?:\r\n|\n|\r)?')
_QUOTED: Final = re.compile(r'"[^"]*"')


def _sniff_delimiter(text: str, name: str) -> str:
    """The delimiter among comma, semicolon and tab that occurs most on the heading line.

    Quoted text is not counted. On a tie, the next records (up to 50 in ``text``) decide: the
    delimiter that occurs as often on each of them as on the heading line wins.
    """
    records: list[str] = []
    at = 0
    while len(records) < 51 and at < len(text):
        found = _RECORD_START.match(text, at)
        if found is None or not found.group(0):
            break
        records.append(_QUOTED.sub("", found.group(0)))
        at = found.end()
    if at < len(text) and records:
        records.pop()  # may be cut short by the end of the sample
    heading = records[0] if records else _QUOTED.sub("", text)
    counts = {d: heading.count(d) for d in _DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return ","  # a single column
    winners = [d for d in _DELIMITERS if counts[d] == best]
    if len(winners) > 1:
        consistent = [
            d
            for d in winners
            if all(record.count(d) == best for record in records[1:] if record.strip())
        ]
        if len(consistent) == 1:
            return consistent[0]
        listed = " and ".join(f"{best} {_DELIMITER_NAMES[d]}s" for d in winners)
        raise InputError(
            f"cannot tell the delimiter: the heading line has {listed}",
            where=place(name, 1),
            hint="pass --delimiter",
        )
    return winners[0]


class _RowTooLong(Exception):
    """Raised from csv.reader's input when a record grows past ``_ROW_CHARS``."""


def _record_lines(lines: Iterable[str], kept: list[str]) -> Iterator[str]:
    """Pass lines through to csv.reader, keeping those of the current record in ``kept``.

    The caller empties ``kept`` after each record, so a non-empty ``kept`` means the record
    goes on over another line (a quoted line break); it may not grow past ``_ROW_CHARS``.
    A single line is no longer than that already (``_lines`` reads it in pieces); a record
    that is one such piece is refused by the caller once csv.reader has seen it, so that an
    over-long quoted cell is reported as such.
    """
    keep = kept.append
    size = 0
    for line in lines:
        if kept:
            size += len(line)
            if size > _ROW_CHARS:
                raise _RowTooLong
        else:
            size = len(line)
        keep(line)
        yield line


def _lines(text: IO[str]) -> Iterator[str]:
    """The lines of ``text``, a line longer than ``_ROW_CHARS`` cut into pieces (the first one
    then ends without a line break and is over ``_ROW_CHARS`` characters long)."""
    return iter(partial(text.readline, _ROW_CHARS + 1), "")


class _LongField(NamedTuple):
    field: int  # 0-based
    opened: int  # where the field starts in the raw record (its opening quote, if quoted)
    quoted: bool


def _long_field(raw: str, delimiter: str, limit: int) -> _LongField | None:
    """The first field of the raw record ``raw`` longer than ``limit`` characters, or quoted
    and not closed by the end of ``raw`` (csv.reader stopped inside it); None if none is."""
    special = re.compile(f"[{re.escape(delimiter)}\r\n]")
    size = len(raw)
    at = 0
    field = 0
    while True:
        start = at
        quoted = raw.startswith('"', at)
        if quoted:
            scan = at + 1
            while True:
                close = raw.find('"', scan)
                if close < 0:
                    return _LongField(field, start, True)
                if not raw.startswith('"', close + 1):
                    break
                scan = close + 2
            if close - start - 1 - raw.count('""', start + 1, close) > limit:
                return _LongField(field, start, True)
            at = close + 1
        found = special.search(raw, at)
        end = size if found is None else found.start()
        if not quoted and end - start > limit:
            return _LongField(field, start, False)
        if found is None or found.group() != delimiter:
            return None
        at = found.end()
        field += 1


def _quote_state(first: str, rest: IO[str] | None, delimiter: str) -> Literal["closed", "open"]:
    """How the quoted field whose text (after the opening quote) begins ``first`` and may go
    on in ``rest`` ends: "closed" by a quote followed by the delimiter, a line break or the
    end of the file, else "open" (never closed, or "closed" by a quote followed by other
    text: that quote is most likely the opening one of a later field). ``rest`` is read on in
    pieces of 1 MiB characters, so memory stays bounded whatever the file's size."""
    pending = False  # the last character seen was a quote not yet known to be doubled

    def pieces() -> Iterator[str]:
        yield first
        if rest is not None:
            yield from iter(partial(rest.read, _MB), "")

    try:
        for piece in pieces():
            at = 0
            size = len(piece)
            while at < size:
                if pending:
                    char = piece[at]
                    if char != '"':
                        return "closed" if char in (delimiter, "\r", "\n") else "open"
                    pending = False
                    at += 1
                    continue
                quote = piece.find('"', at)
                if quote < 0:
                    break
                pending = True
                at = quote + 1
    except (OSError, UnicodeDecodeError, ValueError):
        return "open"
    return "closed" if pending else "open"


def _quote_check(delimiter: str) -> re.Pattern[str]:
    """Matches a record in which every run of quotes opens at a field start.

    Quoted text is matched as runs ``"[^"]*"``; an escaped quote ``""`` is two adjacent runs.
    The text before a run must be empty (escaped quote, record start) or end with the
    delimiter. Everything else (text after a closing quote, unterminated quotes) csv.reader has
    already rejected, so a record that fails this has a quote in an unquoted field.
    """
    d = re.escape(delimiter)
    return re.compile(rf'(?:(?:[^"]*{d})?+"[^"]*+")*+[^"]*+')


class _Fault(NamedTuple):
    kind: Literal["stray", "after", "unterminated"]
    offset: int  # where the fault is, in the raw record
    field: int  # 0-based
    opened: int  # where the quoted field involved opens (== offset for a stray quote)


def _first_fault(raw: str, delimiter: str) -> _Fault | None:
    """Scan one raw record for its first quoting fault; None if there is none.

    Kinds: "stray" (quote in an unquoted field), "after" (text after a closing quote),
    "unterminated" (a quoted field that never closes). Slow; used only to word an error.
    """
    special = re.compile(f'["{re.escape(delimiter)}\r\n]')
    size = len(raw)
    at = 0
    field = 0
    while True:
        if at < size and raw[at] == '"':
            opened = at
            at += 1
            while True:
                close = raw.find('"', at)
                if close < 0:
                    return _Fault("unterminated", opened, field, opened)
                if raw.startswith('"', close + 1):
                    at = close + 2
                    continue
                at = close + 1
                break
            if at >= size or raw[at] in "\r\n":
                return None
            if raw[at] != delimiter:
                return _Fault("after", at, field, opened)
            at += 1
            field += 1
            continue
        found = special.search(raw, at)
        if found is None:
            return None
        char = found.group(0)
        if char == '"':
            return _Fault("stray", found.start(), field, found.start())
        if char != delimiter:
            return None  # the line break ending the record
        at = found.end()
        field += 1


def _breaks_before(raw: str, offset: int) -> int:
    part = raw[:offset]
    return part.count("\n") + part.count("\r") - part.count("\r\n")


class CsvTable:
    """A CSV export; see the module docstring for the rules. Create it with ``open_table``."""

    format: Literal["csv", "xlsx"] = "csv"
    notes: tuple[str, ...] = ()  # a CSV file's problems are all rows' or the file's

    def __init__(
        self,
        path: Path,
        *,
        head: bytes | None = None,
        encoding: str | None = None,
        delimiter: str | None = None,
    ) -> None:
        """Check the bytes, choose the encoding and delimiter, and read the heading row."""
        self.path = path
        self.name = str(path)
        if head is None:
            head = _read_head(path, self.name)
        if not head or head == _UTF8_BOM:
            raise InputError("file is empty", where=self.name)
        if _is_utf16(head):
            raise InputError(
                "file is UTF-16 (Excel's 'Unicode Text'); save as 'CSV UTF-8'", where=self.name
            )
        if b"\x00" in head[:_MAGIC_BYTES]:
            raise InputError("file contains NUL bytes; it is not a text CSV file", where=self.name)
        at_eof = len(head) < _SNIFF_BYTES
        self.encoding: str | None
        self.encoding, self.encoding_guessed = _choose_encoding(head, self.name, encoding, at_eof)
        if delimiter is None:
            sample = head.decode(self.encoding, errors="replace")
            self.delimiter = _sniff_delimiter(sample, self.name)
        else:
            self.delimiter = parse_delimiter(delimiter)
        self._quotes_ok = _quote_check(self.delimiter)
        self.headings: tuple[str, ...] = ()
        self._width = 0
        with self._open_text() as text:
            kept: list[str] = []
            reader = self._reader(text, kept)
            self._read_headings(reader, kept, text)

    @property
    def encoding_label(self) -> str:
        """The encoding in words: "UTF-8", "UTF-8 with BOM", "Windows-1252" or the codec."""
        labels = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}
        return labels.get(self.encoding or "", self.encoding or "")

    def _open_text(self) -> IO[str]:
        try:
            return self.path.open(encoding=self.encoding, errors="strict", newline="")
        except OSError as error:
            raise _read_error(error, self.name) from None

    def _reader(self, text: IO[str], kept: list[str]) -> Any:
        return csv.reader(
            _record_lines(_lines(text), kept),
            delimiter=self.delimiter,
            quotechar='"',
            doublequote=True,
            skipinitialspace=False,
            strict=True,
        )

    def _read_headings(self, reader: Any, kept: list[str], text: IO[str]) -> None:
        """Read and check the heading record (line 1); leaves ``kept`` empty."""
        try:
            cells: list[str] | None = next(reader, None)
        except csv.Error as error:
            self._raise_csv_error(error, "".join(kept), 1, None, text)
        except UnicodeDecodeError:
            self._raise_decode_error(1)
        except _RowTooLong:
            self._raise_row_too_long(None, 1)
        except OSError as error:
            raise _read_error(error, self.name) from None
        raw = "".join(kept)
        kept.clear()
        if cells is None:
            raise InputError("file is empty", where=self.name)
        if len(raw) > _ROW_CHARS:
            self._raise_row_too_long(None, 1)
        if '"' in "".join(cells) and self._quotes_ok.fullmatch(raw) is None:
            self._raise_fault(raw, 1, None)
        if "\x00" in raw:
            index = next((i for i, cell in enumerate(cells) if "\x00" in cell), 0)
            raise InputError(
                f"a heading holds a NUL byte ({_NOT_TEXT})",
                where=f"{self.name}: heading row (line 1), column {column_letter(index + 1)}",
            )
        if cells and cells[0].startswith("\ufeff"):
            cells[0] = cells[0][1:]
        headings = [cell.strip() for cell in cells]
        if not any(headings):
            raise InputError(
                "no heading row: the first line is blank",
                where=place(self.name, 1),
                hint="the first line must hold the column headings",
            )
        self._width = len(headings)
        self.headings = _check_headings(headings, f"{self.name}: heading row (line 1)")
        self._empty_columns = tuple(
            index
            for index in range(self._width)
            if index >= len(self.headings) or not headings[index]
        )

    def rows(self) -> Iterator[TableRow]:
        """Stream the data rows (see the module docstring); raises InputError on bad quoting."""
        width = self._width
        count = len(self.headings)
        empty_columns = self._empty_columns
        trim = width > count
        quotes_ok = self._quotes_ok.fullmatch
        make = _row_builder()
        previous = 0  # the line the last complete record ended on
        number = 0
        with self._open_text() as text:
            kept: list[str] = []
            reader = self._reader(text, kept)
            try:
                next(reader)  # the heading row, checked when the table was opened
                kept.clear()
                previous = reader.line_num
                for cells in reader:
                    number += 1
                    line = previous + 1
                    previous = reader.line_num
                    raw = kept[0] if len(kept) == 1 else "".join(kept)
                    kept.clear()
                    if len(raw) > _ROW_CHARS:  # a line cut into pieces (see _lines)
                        self._raise_row_too_long(number, line)
                    # A stray quote leaves a '"' in the values; most rows have none at all.
                    if '"' in raw and '"' in "".join(cells) and quotes_ok(raw) is None:
                        self._raise_fault(raw, line, number)
                    if "\x00" in raw:
                        yield self._nul_row(number, line, cells)
                        continue
                    first = cells[0] if cells else ""
                    size = len(cells)
                    if (not first or first.isspace()) and not "".join(cells).strip():
                        if size != count:
                            cells = (cells + [""] * count)[:count]
                        yield make(number, line, tuple(cells), "blank row")
                        continue
                    if size == width:
                        if empty_columns:
                            self._check_empty_columns(cells, number, line)
                            if trim:
                                del cells[count:]
                        yield make(number, line, tuple(cells), None)
                    else:
                        if size < count:
                            cells.extend([""] * (count - size))
                        else:
                            del cells[count:]
                        problem = f"row has {size} cells, expected {width}"
                        yield TableRow(number, line, tuple(cells), problem)
            except csv.Error as error:
                self._raise_csv_error(error, "".join(kept), previous + 1, number + 1, text)
            except UnicodeDecodeError:
                self._raise_decode_error(previous + 1)
            except _RowTooLong:
                self._raise_row_too_long(number + 1, previous + 1)
            except OSError as error:
                raise _read_error(error, self.name) from None

    def _nul_row(self, number: int, line: int, cells: list[str]) -> TableRow:
        """The row as an invalid one: a NUL byte is never text (the cells show it as U+FFFD)."""
        index = next((i for i, cell in enumerate(cells) if "\x00" in cell), 0)
        count = len(self.headings)
        shown = [cell.replace("\x00", "\ufffd") for cell in cells[:count]]
        shown.extend([""] * (count - len(shown)))
        problem = f"{_column_words(self.headings, index)} holds a NUL byte ({_NOT_TEXT})"
        return TableRow(number, line, tuple(shown), problem)

    def _raise_row_too_long(self, number: int | None, line: int) -> NoReturn:
        raise InputError(
            f"the row is longer than {_ROW_CHARS:,} characters, the most masterycheck reads",
            where=self._row_place(number, line, None),
            hint="is this a form export?",
        )

    def _check_empty_columns(self, cells: list[str], number: int, line: int) -> None:
        for index in self._empty_columns:
            if cells[index].strip():
                raise InputError(
                    f"column {column_letter(index + 1)} has no heading, but this row has a "
                    "value in it",
                    where=self.locate(TableRow(number, line, ()), index),
                    hint="give the column a heading, or delete it",
                )

    def locate(
        self, row: TableRow | None = None, column: int | None = None, *, line: int | None = None
    ) -> str:
        """``file: row 15 (line 17), column C "Email"``; ``column`` is a 0-based index."""
        if row is None:
            where = f"{self.name}: heading row (line {line or 1})"
        else:
            where = f"{self.name}: row {row.number} (line {line or row.line})"
        if column is not None:
            where += f", {_column_words(self.headings, column)}"
        return where

    def _row_place(self, number: int | None, line: int, column: int | None) -> str:
        row = None if number is None else TableRow(number, line, ())
        return self.locate(row, column, line=line)

    def _raise_fault(self, raw: str, start: int, number: int | None) -> NoReturn:
        """Word the first quoting fault of the record ``raw``, which starts on line ``start``."""
        fault = _first_fault(raw, self.delimiter)
        if fault is None:  # pragma: no cover - the regex and the scanner agree
            raise InputError("malformed quoting", where=self._row_place(number, start, None))
        line = start + _breaks_before(raw, fault.offset)
        opened = start + _breaks_before(raw, fault.opened)
        if fault.kind == "stray":
            message = "stray quote in unquoted field"
        elif fault.kind == "unterminated":
            message = f"quoted field opened on line {opened} is never closed"
            line = opened
        elif opened != line:
            message = (
                f"text after the closing quote of a quoted field that opened on line {opened}; "
                "is a quote missing there?"
            )
        else:
            message = "text after the closing quote of a quoted field"
        raise InputError(
            message,
            where=self._row_place(number, line, fault.field),
            hint='a quote inside a value must be doubled ("") and the whole value quoted',
        )

    def _raise_csv_error(
        self, error: csv.Error, raw: str, start: int, number: int | None, rest: IO[str]
    ) -> NoReturn:
        """Map a csv.Error for the record in ``raw``, which starts on line ``start``; ``rest``
        is the file, read up to the end of ``raw``."""
        if "field larger than field limit" in str(error):
            self._raise_field_limit(raw, start, number, rest)
        if _first_fault(raw, self.delimiter) is not None:
            self._raise_fault(raw, start, number)
        raise InputError(f"malformed CSV ({error})", where=place(self.name, start)) from None

    def _raise_field_limit(
        self, raw: str, start: int, number: int | None, rest: IO[str]
    ) -> NoReturn:
        """A cell over csv's field limit: too long, or a quoted one whose closing quote is
        missing? The file is read on (in bounded pieces) to see whether the quote closes."""
        limit = csv.field_size_limit()
        found = _long_field(raw, self.delimiter, limit)
        if found is None:  # pragma: no cover - csv.reader and _long_field agree
            found = _LongField(0, 0, True)
        line = start + _breaks_before(raw, found.opened)
        where = self._row_place(number, line, found.field)
        closed = not found.quoted or (
            _quote_state(raw[found.opened + 1 :], rest, self.delimiter) == "closed"
        )
        if closed:
            raise InputError(
                f"a cell is longer than {limit:,} characters, the most masterycheck reads",
                where=where,
            )
        raise InputError(
            f"a quoted field opened on line {line} runs on for more than {limit:,} characters; "
            "is its closing quote missing?",
            where=where,
        )

    def _raise_decode_error(self, approximate: int) -> NoReturn:
        line, byte = _find_bad_line(self.path, self.encoding or "utf-8")
        if line is None:
            line = approximate
        byte_words = f"byte 0x{byte:02X}" if byte is not None else "a byte"
        label = self.encoding_label
        raise InputError(
            f"{byte_words} cannot be read as {label}",
            where=place(self.name, line),
            hint=_ENCODING_HINT,
        ) from None


def _find_bad_line(path: Path, encoding: str) -> tuple[int | None, int | None]:
    """Re-read the file in pieces to find the line (counting ``\\n``) and the byte that do
    not decode."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    try:
        with path.open("rb") as stream:
            for piece in iter(partial(stream.read, _MB), b""):
                try:
                    decoder.decode(piece)
                except UnicodeDecodeError as error:
                    data = bytes(error.object)  # the decoder's pending bytes and ``piece``
                    byte = data[error.start] if 0 <= error.start < len(data) else None
                    return line + data.count(b"\n", 0, max(error.start, 0)), byte
                line += piece.count(b"\n")
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return line, None  # the file ends inside a character
    except OSError:
        return None, None
    return None, None


def _check_headings(headings: list[str], where: str) -> tuple[str, ...]:
    """Refuse duplicate headings; drop trailing empty ones. Positions in messages are 1-based."""
    seen: dict[str, int] = {}
    headings = list(headings)
    for index, heading in enumerate(headings):
        if not heading:
            continue
        if heading in seen:
            first = seen[heading]
            raise InputError(
                f"columns {column_letter(first + 1)} ({first + 1}) and "
                f"{column_letter(index + 1)} ({index + 1}) have the same heading "
                f"{_shown(heading)}",
                where=where,
                hint="rename one of them",
            )
        seen[heading] = index
    while headings and not headings[-1]:
        headings.pop()
    return tuple(headings)


# --------------------------------------------------------------------------------------------
# XLSX


def _cell_text(value: object) -> str:
    """An Excel cell value as text (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.tzinfo is None and value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


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


@contextmanager
def _quiet_openpyxl() -> Iterator[None]:
    """Silence warnings while openpyxl runs (and only then): they concern features that are
    not read (styles, validation, extensions...) and name openpyxl's internals."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _refused(name: str, message: str) -> InputError:
    return InputError(message, where=name, hint=_XLSX_HINT)


def _unreadable(name: str) -> InputError:
    return InputError(
        "not a readable Excel workbook (damaged, or another kind of zip file)",
        where=name,
        hint="open it in Excel and save it again as .xlsx, or save as CSV",
    )


def _inspect_workbook(path: Path, name: str) -> dict[str, _Formulas]:
    """Check a workbook's zip against the limits (see the module docstring) before openpyxl
    reads it, and find, per part, the formula cells that have no saved value."""
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


class XlsxTable:
    """An Excel workbook export; see the module docstring. Create it with ``open_table``."""

    format: Literal["csv", "xlsx"] = "xlsx"
    encoding: str | None = None
    encoding_guessed: bool = False

    def __init__(self, path: Path, *, sheet: str | None = None) -> None:
        """Check the zip, open the workbook, choose the sheet and read its heading row (sheet
        row 1); ``notes`` then tells of formula cells read as blank."""
        self.path = path
        self.name = str(path)
        self.headings: tuple[str, ...] = ()
        formulas = _inspect_workbook(path, self.name)
        with self._workbook() as workbook:
            titles = [ws.title for ws in workbook.worksheets]
            if not titles:
                raise InputError("the workbook has no worksheets", where=self.name)
            if sheet is None:
                self.sheet: str = titles[0]
            elif sheet in titles:
                self.sheet = sheet
            else:
                listed = ", ".join(f'"{title}"' for title in titles)
                raise InputError(
                    f'no sheet named "{sheet}"',
                    where=self.name,
                    hint=f"the workbook has: {listed}",
                )
            self._many_sheets = len(titles) > 1
            part = getattr(workbook[self.sheet], "_worksheet_path", None)  # openpyxl's
            values = self._values(workbook)
            try:
                first = next(values, None)
            finally:
                values.close()
        if first is None:
            raise InputError("file is empty", where=self._where_sheet())
        cells = [_cell_text(value) for value in first]
        self._check_lengths(cells, None)
        headings = [cell.strip() for cell in cells]
        if not any(headings):
            raise InputError(
                "no heading row: sheet row 1 is blank",
                where=self._where_sheet(),
                hint="the first row must hold the column headings",
            )
        self.headings = _check_headings(headings, f"{self._where_sheet()}: heading row")
        self._empty_columns = tuple(i for i, h in enumerate(self.headings) if not h)
        found = formulas.get(part) if isinstance(part, str) else None
        self.notes: tuple[str, ...] = (self._formula_note(found),) if found else ()

    def _where_sheet(self) -> str:
        return f'{self.name} (sheet "{self.sheet}")' if self._many_sheets else self.name

    def _formula_note(self, found: _Formulas) -> str:
        count = found.cells
        cells = "1 formula cell" if count == 1 else f"{count:,} formula cells"
        first = f" (first: {found.first})" if found.first else ""
        return (
            f"{self._where_sheet()}: {cells}{first} had no saved value, so "
            f"{'it was' if count == 1 else 'they were'} read as blank; the file was written "
            "by a program that does not calculate formulas: open it in Excel and save it "
            "again to store the results"
        )

    @contextmanager
    def _workbook(self) -> Iterator[Any]:
        """The workbook, open in read-only mode; closed (with its file) on leaving.

        openpyxl is given an open file rather than the path, so that it does not refuse a
        workbook whose name does not end in .xlsx (the format is decided by the content).
        """
        from openpyxl import load_workbook

        try:
            stream = self.path.open("rb")
        except OSError as error:
            raise _read_error(error, self.name) from None
        with stream:
            try:
                with _quiet_openpyxl():
                    workbook = load_workbook(stream, read_only=True, data_only=True)
            except MemoryError:
                raise
            except OSError as error:
                raise _read_error(error, self.name) from None
            except Exception:  # BadZipFile, KeyError, openpyxl's own, XML errors...
                raise _unreadable(self.name) from None
            try:
                yield workbook
            finally:
                with _quiet_openpyxl():
                    workbook.close()

    def _values(self, workbook: Any) -> Generator[tuple[Any, ...], None, None]:
        """The sheet's rows of values from sheet row 1, read by openpyxl in batches with its
        warnings silenced; what it cannot parse is an ``InputError`` naming the last good row."""
        with _quiet_openpyxl():
            worksheet = workbook[self.sheet]
            worksheet.reset_dimensions()  # do not trust the stored size: writers get it wrong
            values = worksheet.iter_rows(values_only=True)
        done = 0
        try:
            while True:
                batch: list[tuple[Any, ...]] = []
                with _quiet_openpyxl():
                    try:
                        batch.extend(islice(values, 256))
                    except MemoryError:
                        raise
                    except Exception:  # XML errors, a bad shared-string index, a bad zip...
                        raise self._damaged(done + len(batch)) from None
                if not batch:
                    return
                done += len(batch)
                yield from batch
        finally:
            with _quiet_openpyxl():
                values.close()

    def _damaged(self, rows_read: int) -> InputError:
        after = f" after sheet row {rows_read}" if rows_read else ""
        return InputError(
            f"the worksheet cannot be read{after}: the file is damaged",
            where=self._where_sheet(),
            hint="open it in Excel and save it again as .xlsx, or save as CSV",
        )

    @property
    def encoding_label(self) -> str:
        """Always "" for a workbook (it has no text encoding to report)."""
        return ""

    def rows(self) -> Iterator[TableRow]:
        """Stream the data rows from sheet row 2 on; rows are padded to the headings."""
        count = len(self.headings)
        empty_columns = self._empty_columns
        with self._workbook() as workbook:
            values = self._values(workbook)
            try:
                next(values, None)
                number = 0
                for raw in values:
                    number += 1
                    cells = [_cell_text(value) for value in raw]
                    joined = "".join(cells)
                    if len(joined) > _CELL_CHARS:
                        self._check_lengths(cells, number)
                    blank = not joined or joined.isspace()
                    if len(cells) > count:
                        if not blank:
                            self._check_beyond(cells, count, number)
                        del cells[count:]
                    elif len(cells) < count:
                        cells.extend([""] * (count - len(cells)))
                    if blank:
                        yield TableRow(number, number + 1, tuple(cells), "blank row")
                        continue
                    for index in empty_columns:
                        if cells[index].strip():
                            self._raise_no_heading(index, number)
                    yield TableRow(number, number + 1, tuple(cells), None)
            finally:
                values.close()

    def _check_lengths(self, cells: list[str], number: int | None) -> None:
        """Refuse a cell over ``_CELL_CHARS`` characters (``number`` None: the heading row)."""
        for index, cell in enumerate(cells):
            if len(cell) > _CELL_CHARS:
                row = None if number is None else TableRow(number, number + 1, ())
                raise InputError(
                    f"a cell is longer than {_CELL_CHARS:,} characters, the most masterycheck "
                    "reads",
                    where=self.locate(row, index),
                )

    def _check_beyond(self, cells: list[str], count: int, number: int) -> None:
        for index in range(count, len(cells)):
            if cells[index].strip():
                self._raise_no_heading(index, number)

    def _raise_no_heading(self, index: int, number: int) -> NoReturn:
        raise InputError(
            f"column {column_letter(index + 1)} has no heading, but this row has a value in it",
            where=self.locate(TableRow(number, number + 1, ()), index),
            hint="give the column a heading, or delete it",
        )

    def locate(
        self, row: TableRow | None = None, column: int | None = None, *, line: int | None = None
    ) -> str:
        """``file: row 15 (sheet row 16), column C "Email"``; ``column`` is a 0-based index."""
        if row is None:
            where = f"{self._where_sheet()}: heading row"
        else:
            where = f"{self._where_sheet()}: row {row.number} (sheet row {line or row.line})"
        if column is not None:
            where += f", {_column_words(self.headings, column)}"
        return where


# --------------------------------------------------------------------------------------------
# Many-of answers


def split_many(
    text: str, options: Sequence[str], style: Literal["semicolon", "comma"]
) -> tuple[list[str], list[str]]:
    """Split a many-of answer into (matched option texts, unmatched leftover parts).

    ``"semicolon"`` is Microsoft Forms (``KS3;KS4;``: the one trailing ``;`` is dropped);
    ``"comma"`` is Google Forms (``KS3, KS4``). In both, options are matched greedily, longest
    first, at part boundaries, so an option may itself contain the separator
    (``"Yes, I hold QTS"``). Matching ignores case and surrounding spaces and returns the
    option as given in ``options``. Text that matches no option is cut at the separators and
    returned stripped, in order, as leftovers (e.g. an "Other" answer); empty parts are skipped.
    Duplicates are kept.
    """
    separator = ";" if style == "semicolon" else ","
    rest = text.strip()
    if style == "semicolon" and rest.endswith(";"):
        rest = rest[:-1]
    choices = sorted(
        {option.strip(): None for option in options if option.strip()}, key=len, reverse=True
    )
    folded = [(choice, choice.casefold()) for choice in choices]
    matched: list[str] = []
    leftovers: list[str] = []
    size = len(rest)
    at = 0
    while at < size:
        while at < size and rest[at].isspace():
            at += 1
        if at >= size:
            break
        for choice, key in folded:
            end = at + len(choice)
            if rest[at:end].casefold() != key:
                continue
            after = end
            while after < size and rest[after].isspace():
                after += 1
            if after == size or rest[after] == separator:
                matched.append(choice)
                at = after + 1
                break
        else:
            cut = rest.find(separator, at)
            if cut < 0:
                cut = size
            part = rest[at:cut].strip()
            if part:
                leftovers.append(part)
            at = cut + 1
    return matched, leftovers
