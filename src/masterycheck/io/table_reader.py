"""Read hub application exports (CSV or Excel) strictly, as a stream, accounting for every row.

``open_table(path)`` looks at the file's bytes (not only its name), reads the heading row and
returns a ``TableSource``; ``source.rows()`` then yields one ``TableRow`` per data row, without
ever holding the whole file. Rows in = rows out: short, long and blank rows are yielded with
``problem`` set, never dropped. Anything that makes the file itself unreadable (bad bytes, broken
quoting, unusable headings) raises ``InputError``. No message ever contains a cell's value
(applicants' personal data): errors name the file, row, line and column heading only.

Formats
    * XLSX (zip magic ``PK\\x03\\x04``), read with openpyxl in read-only mode; the first
      worksheet, or ``sheet=``. A legacy ``.xls`` (OLE magic) and a non-zip file named ``.xlsx``
      are errors. Cell values become text: ``12`` (ints and whole floats), ``1.5``, dates
      ``2024-03-01``, datetimes ``2024-03-01T09:15:00`` (midnight datetimes, which is how Excel
      stores plain dates, as the date), ``TRUE``/``FALSE``, ``""`` for empty cells.
    * CSV, anything else. UTF-16 (BOM, or NUL bytes in the first 4 KB) is refused, not decoded:
      it is Excel's "Unicode Text" and is tab-separated text the user should re-save as
      "CSV UTF-8"; refusing keeps one code path for line numbers.

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
"""

from __future__ import annotations

import codecs
import csv
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any, Final, Literal, NamedTuple, NoReturn, Protocol

from masterycheck.errors import InputError, place

__all__ = [
    "CsvTable",
    "TableRow",
    "TableSource",
    "XlsxTable",
    "column_letter",
    "open_table",
    "split_many",
]

_MAGIC_BYTES: Final = 4096  # magic numbers, UTF-16 and NUL checks
_SNIFF_BYTES: Final = 1 << 20  # encoding and delimiter detection
_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"
_UTF8_BOM: Final = codecs.BOM_UTF8
_DELIMITERS: Final = (",", ";", "\t")
_DELIMITER_NAMES: Final = {",": "comma", ";": "semicolon", "\t": "tab"}
_HEADING_SHOWN: Final = 40  # longest heading quoted in full in a message

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
    ``encoding`` (CSV only) overrides the detection; ``delimiter`` (CSV only, one character)
    overrides the sniffing among comma, semicolon and tab; ``sheet`` (XLSX only) names the
    worksheet, else the first one is read. Raises ``InputError`` for every problem with the
    file, its bytes or its headings.
    """
    path = Path(path)
    name = str(path)
    head = _read_head(path, name)
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC):
        if encoding is not None or delimiter is not None:
            option = "encoding" if encoding is not None else "delimiter"
            raise InputError(f"an {option} was given, but this is an Excel workbook", where=name)
        return XlsxTable(path, sheet=sheet)
    if head.startswith(_OLE_MAGIC):
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


def _read_head(path: Path, name: str) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(_SNIFF_BYTES)
    except FileNotFoundError:
        raise InputError("file not found", where=name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", where=name) from None
    except PermissionError:
        raise InputError("cannot read the file (permission denied)", where=name) from None
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", where=name) from None


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


_RECORD_START: Final = re.compile(r'(?:"[^"]*"|[^"\r\n])*(?:\r\n|\n|\r)?')
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


def _check_delimiter(delimiter: str, name: str) -> str:
    if len(delimiter) != 1 or delimiter in '"\r\n' or delimiter.isalnum():
        raise InputError(
            f"the delimiter must be one character other than a letter, digit, quote or line "
            f"break, not {delimiter!r}",
            where=name,
        )
    return delimiter


def _record_lines(lines: Iterable[str], kept: list[str]) -> Iterator[str]:
    """Pass lines through to csv.reader, keeping those of the current record in ``kept``."""
    keep = kept.append
    for line in lines:
        keep(line)
        yield line


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
            self.delimiter = _check_delimiter(delimiter, self.name)
        self._quotes_ok = _quote_check(self.delimiter)
        self.headings: tuple[str, ...] = ()
        self._width = 0
        with self._open_text() as text:
            kept: list[str] = []
            reader = self._reader(text, kept)
            self._read_headings(reader, kept)

    @property
    def encoding_label(self) -> str:
        """The encoding in words: "UTF-8", "UTF-8 with BOM", "Windows-1252" or the codec."""
        labels = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}
        return labels.get(self.encoding or "", self.encoding or "")

    def _open_text(self) -> IO[str]:
        try:
            return self.path.open(encoding=self.encoding, errors="strict", newline="")
        except OSError as error:
            raise InputError(f"cannot read the file ({error.strerror})", where=self.name) from None

    def _reader(self, text: IO[str], kept: list[str]) -> Any:
        return csv.reader(
            _record_lines(text, kept),
            delimiter=self.delimiter,
            quotechar='"',
            doublequote=True,
            skipinitialspace=False,
            strict=True,
        )

    def _read_headings(self, reader: Any, kept: list[str]) -> None:
        """Read and check the heading record (line 1); leaves ``kept`` empty."""
        try:
            cells: list[str] | None = next(reader, None)
        except csv.Error as error:
            self._raise_csv_error(error, "".join(kept), 1, None)
        except UnicodeDecodeError:
            self._raise_decode_error(1)
        raw = "".join(kept)
        kept.clear()
        if cells is None:
            raise InputError("file is empty", where=self.name)
        if '"' in "".join(cells) and self._quotes_ok.fullmatch(raw) is None:
            self._raise_fault(raw, 1, None)
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
                    # A stray quote leaves a '"' in the values; most rows have none at all.
                    if '"' in raw and '"' in "".join(cells) and quotes_ok(raw) is None:
                        self._raise_fault(raw, line, number)
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
                self._raise_csv_error(error, "".join(kept), previous + 1, number + 1)
            except UnicodeDecodeError:
                self._raise_decode_error(previous + 1)

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
        self, error: csv.Error, raw: str, start: int, number: int | None
    ) -> NoReturn:
        """Map a csv.Error for the record in ``raw``, which starts on line ``start``."""
        if "field larger than field limit" in str(error):
            fault = _first_fault(raw, self.delimiter)
            opened = start + (_breaks_before(raw, fault.opened) if fault else 0)
            raise InputError(
                f"a quoted field opened on line {opened} runs on for more than "
                f"{csv.field_size_limit():,} characters; is its closing quote missing?",
                where=self._row_place(number, opened, fault.field if fault else None),
            ) from None
        if _first_fault(raw, self.delimiter) is not None:
            self._raise_fault(raw, start, number)
        raise InputError(f"malformed CSV ({error})", where=place(self.name, start)) from None

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
    """Re-read the file line by line to find the first line that does not decode."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as stream:
            number = 0
            for number, line in enumerate(stream, 1):
                try:
                    decoder.decode(line)
                except UnicodeDecodeError as error:
                    return number, line[error.start] if 0 <= error.start < len(line) else None
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return number, None  # the file ends inside a character
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


class XlsxTable:
    """An Excel workbook export; see the module docstring. Create it with ``open_table``."""

    format: Literal["csv", "xlsx"] = "xlsx"
    encoding: str | None = None
    encoding_guessed: bool = False

    def __init__(self, path: Path, *, sheet: str | None = None) -> None:
        """Open the workbook, choose the sheet and read its heading row (sheet row 1)."""
        self.path = path
        self.name = str(path)
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
            values = self._iter_values(workbook)
            try:
                first = next(values, None)
            finally:
                values.close()
        if first is None:
            raise InputError("file is empty", where=self._where_sheet())
        headings = [_cell_text(value).strip() for value in first]
        if not any(headings):
            raise InputError(
                "no heading row: sheet row 1 is blank",
                where=self._where_sheet(),
                hint="the first row must hold the column headings",
            )
        self.headings = _check_headings(headings, f"{self._where_sheet()}: heading row")
        self._empty_columns = tuple(i for i, h in enumerate(self.headings) if not h)

    def _where_sheet(self) -> str:
        return f'{self.name} (sheet "{self.sheet}")' if self._many_sheets else self.name

    @contextmanager
    def _workbook(self) -> Iterator[Any]:
        """The workbook, open in read-only mode; closed (with its file) on leaving.

        openpyxl is given an open file rather than the path, so that it does not refuse a
        workbook whose name does not end in .xlsx (the format is decided by the content).
        """
        from openpyxl import load_workbook

        with self.path.open("rb") as stream:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)  # e.g. "no default style"
                    workbook = load_workbook(stream, read_only=True, data_only=True)
            except Exception:  # BadZipFile, KeyError, openpyxl's own, XML errors...
                raise InputError(
                    "not a readable Excel workbook (damaged, or another kind of zip file)",
                    where=self.name,
                    hint="open it in Excel and save it again as .xlsx, or save as CSV",
                ) from None
            try:
                yield workbook
            finally:
                workbook.close()

    def _iter_values(self, workbook: Any) -> Any:
        worksheet = workbook[self.sheet]
        worksheet.reset_dimensions()  # do not trust the stored size: some writers get it wrong
        return worksheet.iter_rows(values_only=True)

    @property
    def encoding_label(self) -> str:
        """Always "" for a workbook (it has no text encoding to report)."""
        return ""

    def rows(self) -> Iterator[TableRow]:
        """Stream the data rows from sheet row 2 on; rows are padded to the headings."""
        count = len(self.headings)
        empty_columns = self._empty_columns
        with self._workbook() as workbook:
            values = self._iter_values(workbook)
            try:
                next(values, None)
                number = 0
                for raw in values:
                    number += 1
                    cells = [_cell_text(value) for value in raw]
                    joined = "".join(cells)
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
