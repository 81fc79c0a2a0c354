"""Read a CSV export strictly, as a stream: ``CsvTable``.

The bytes are checked first: an empty file, UTF-16 and NUL bytes in the first 4 KB are refused;
the encoding (``encoding``) and delimiter (``delimiters``) are then chosen and the heading line
read. A NUL byte later on makes its row invalid (problem naming the column; the NUL is shown as
U+FFFD in the cells). Rows and lines are bounded (``limits``): a record over 8,388,608
characters, or a cell over csv's field limit, is an error naming its row and column, saying
whether a quoted cell's closing quote seems missing.

CSV parsing (why this approach)
    ``csv.reader(strict=True)`` does the parsing in C; it already rejects text after a closing
    quote (``"abc"x,``) and, at end of file, an unterminated quoted field ("unexpected end of
    data"; a runaway quote in mid-file hits the 131,072-character field limit first). What it
    accepts silently is a quote inside an unquoted field (``ab"c``). Every stray quote leaves a
    ``"`` in the parsed values, so only rows whose values contain ``"`` are checked again: the
    raw text of the record (the reader is fed through a tiny generator that keeps the lines of
    the current record) is matched against a possessive regular expression saying "every quote
    run opens at a field start". A hand-written Python state machine costs several times more
    (``bench/bench_reader.py``; the figures are in ``bench/HISTORY.md``). Fuzzing against a
    reference strict parser found the same rows, the same errors and the same error lines.
    The pure-Python scanner ``_first_fault`` (``csv_quoting``) runs only to locate an error
    for its message. A long last field (a free-text answer, most of a Forms export's text) is
    cut from its line before csv.reader sees it and put back as the row's last cell, where
    that gives the same cells (``_record_lines``): csv.reader handles each character in turn,
    while the searches that make the cut safe (``str.rfind``, ``str.find``) skip through it.

Why this module is over 400 lines: it is one class, ``CsvTable``, and the generators that feed
its csv.reader, one job (reading the file strictly). Its hot loop (``row_blocks``) stays one
function for speed, testing the usual row inline and giving rows a block at a time, and the
methods that word each fault read the state that loop leaves (the record's raw text, its
line, the open file), so they stay beside it.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import IO, Any, Final, Literal, NoReturn

from masterycheck.batch.tables.csv_quoting import (
    _breaks_before,
    _first_fault,
    _long_field,
    _LongField,
    _quote_check,
    _quote_state,
)
from masterycheck.batch.tables.delimiters import _sniff_delimiter, parse_delimiter
from masterycheck.batch.tables.encoding import (
    _ENCODING_HINT,
    _UTF8_BOM,
    _choose_encoding,
    _find_bad_line,
    _is_utf16,
)
from masterycheck.batch.tables.file_access import _read_error, _read_head
from masterycheck.batch.tables.headings import _check_headings, _column_words, column_letter
from masterycheck.batch.tables.limits import _MAGIC_BYTES, _ROW_CHARS, _SNIFF_BYTES
from masterycheck.batch.tables.source import BLOCK_CHARS, BLOCK_ROWS, RowBlock, TableRow
from masterycheck.errors import InputError, place

_NOT_TEXT: Final = "is this a text file?"


class _RowTooLong(Exception):
    """Raised from csv.reader's input when a record grows past ``_ROW_CHARS``."""


def _no_quotes_ok(line: str, start: int, end: int) -> None:
    """No quote check: never cut (``_record_lines`` without tails)."""


def _record_lines(
    lines: Iterable[str],
    kept: list[str],
    tails: list[str] | None = None,
    head_ok: Callable[..., object] | None = None,
    delimiter: str = ",",
) -> Iterator[str]:
    """Pass lines through to csv.reader, keeping those of the current record in ``kept``.

    The caller empties ``kept`` after each record, so a non-empty ``kept`` means the record
    goes on over another line (a quoted line break); it may not grow past ``_ROW_CHARS``.
    A single line is no longer than that already (``_lines`` reads it in pieces); a record
    that is one such piece is refused by the caller once csv.reader has seen it, so that an
    over-long quoted cell is reported as such.

    With ``tails``, a record's one line ending in a long plain last field is given to
    csv.reader without that field's text, which is put in ``tails`` (the caller puts it back as
    the last cell), as the module's docstring says. The field is cut only where csv.reader
    would give it unchanged: the line is a record's first (``kept`` empty), ends with a line
    break, its text before the last delimiter is a record in which every quote run opens at a
    field start (``head_ok``: so that delimiter ends a field outside quotes, or csv.reader
    fails before it in both texts), and the field holds no quote or NUL and is shorter than
    csv's field limit.
    """
    keep, tail = kept.append, (tails if tails is not None else []).append
    # Without tails (or a quote check), no line is long enough to be looked at.
    long_line = _LONG_LINE if tails is not None and head_ok is not None else sys.maxsize
    quotes_ok = head_ok or _no_quotes_ok
    limit = min(csv.field_size_limit(), _ROW_CHARS)
    size = 0
    for line in lines:
        if kept:
            size += len(line)
            if size > _ROW_CHARS:
                raise _RowTooLong
        else:
            size = len(line)
            if (
                size >= long_line
                and size - (cut := line.rfind(delimiter, -limit) + 1) > _LONG_TAIL
                and cut
                and line[-1] in "\r\n"
                and line.find('"', cut) == line.find("\x00", cut) == -1
                and quotes_ok(line, 0, cut)
            ):
                end = -2 if line.endswith("\r\n") else -1
                keep(line)
                tail(line[cut:end])
                yield line[:cut] + line[end:]
                continue
        keep(line)
        yield line


#: A last field longer than this (characters) is cut from a line at least ``_LONG_LINE`` long
#: (``_record_lines``): below that, looking for it costs more than it saves.
_LONG_TAIL = 256
_LONG_LINE = 640


def _lines(text: IO[str]) -> Iterator[str]:
    """The lines of ``text``, a line longer than ``_ROW_CHARS`` cut into pieces (the first one
    then ends without a line break and is over ``_ROW_CHARS`` characters long)."""
    return iter(partial(text.readline, _ROW_CHARS + 1), "")


class CsvTable:
    """A CSV export; see this module's and the package's docstrings for the rules. Create it
    with ``open_table``."""

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
        #: Rows a ``RowBlock`` holds: ``BLOCK_CHARS`` of text, by the lines of the file's head.
        lines = head.count(b"\n") + 1
        self.block_rows = max(16, min(BLOCK_ROWS, BLOCK_CHARS * lines // len(head)))
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

    def _reader(self, text: IO[str], kept: list[str], tails: list[str] | None = None) -> Any:
        """csv.reader over ``text``, keeping the current record's lines in ``kept``; with
        ``tails``, long last fields are cut (``_record_lines``)."""
        fed = _record_lines(_lines(text), kept, tails, self._quotes_ok.fullmatch, self.delimiter)
        return csv.reader(
            fed,
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
        """Stream the data rows (see the package docstring); raises InputError on bad quoting."""
        for block in self.row_blocks():
            yield from block.rows()

    def row_blocks(self, size: int | None = None) -> Iterator[RowBlock]:
        """Stream the data rows as ``RowBlock``s of ``size`` rows (``block_rows`` unless
        given); an error found in a row is raised once the rows before it are given. The usual
        row is tested in the loop (full width, starts with a value, holds no NUL, one line no
        longer than a line can be, no quote in a value); any other goes through
        ``_unusual``."""
        size = size or self.block_rows
        width = self._width
        empty_columns = self._empty_columns
        limit = _ROW_CHARS
        quotes_ok = self._quotes_ok.fullmatch
        block = RowBlock(1, [], [])
        failure: InputError | None = None
        previous = 0  # the line the last complete record ended on
        with self._open_text() as text:
            kept: list[str] = []
            tails: list[str] = []
            reader = self._reader(text, kept, tails)
            join, forget = "".join, kept.clear
            try:
                next(reader)  # the heading row, checked when the table was opened
                forget()
                if tails:
                    tails.clear()
                previous = reader.line_num
                lines, rows = block.lines, block.cells
                add_line, add_row = lines.append, rows.append
                for cells in reader:
                    line = previous + 1
                    previous = reader.line_num
                    raw = join(kept)
                    forget()
                    if tails:
                        cells[-1] = tails.pop()
                    if (
                        len(cells) != width
                        or "\x00" in raw
                        or len(raw) > limit
                        or not cells[0]
                        or cells[0].isspace()
                        or empty_columns
                        # A stray quote leaves a '"' in the values; most rows have none.
                        or ('"' in raw and '"' in join(cells) and quotes_ok(raw) is None)
                    ):
                        cells = self._unusual(block, cells, raw, line)
                    add_line(line)
                    add_row(cells)
                    if len(rows) == size:
                        yield block
                        block = RowBlock(block.start + size, [], [])
                        lines, rows = block.lines, block.cells
                        add_line, add_row = lines.append, rows.append
            except InputError as error:
                failure = error
            except csv.Error as error:
                failure = self._error(
                    self._raise_csv_error,
                    error,
                    "".join(kept),
                    previous + 1,
                    block.start + len(block.cells),
                    text,
                )
            except UnicodeDecodeError:
                failure = self._error(self._raise_decode_error, previous + 1)
            except _RowTooLong:
                failure = self._error(
                    self._raise_row_too_long, block.start + len(block.cells), previous + 1
                )
            except OSError as error:
                failure = _read_error(error, self.name)
        if block.cells:
            yield block
        if failure is not None:
            raise failure

    def _unusual(self, block: RowBlock, cells: list[str], raw: str, line: int) -> Sequence[str]:
        """A row that is not the usual one, to go at the block's end: its length and quoting
        checked (``InputError``), its problem noted; its cells (padded or cut to the
        headings)."""
        number = block.start + len(block.cells)
        if len(raw) > _ROW_CHARS:  # a line cut into pieces (see _lines)
            self._raise_row_too_long(number, line)
        if '"' in raw and '"' in "".join(cells) and self._quotes_ok.fullmatch(raw) is None:
            self._raise_fault(raw, line, number)
        checked, problem = self._checked(cells, raw, number, line)
        if problem is not None:
            block.problems[len(block.cells)] = problem
        return checked

    @staticmethod
    def _error(raising: Callable[..., NoReturn], *args: Any) -> InputError:
        """The ``InputError`` that ``raising(*args)`` raises (to be raised once the rows
        before it are given)."""
        try:
            raising(*args)
        except InputError as error:
            return error

    def _checked(
        self,
        cells: list[str],
        raw: str,
        number: int,
        line: int,
    ) -> tuple[Sequence[str], str | None]:
        """A row that is not the usual one (its length and quoting checked): its cells
        (padded or cut to the headings) and its problem, or ``InputError`` for a value under
        an empty heading."""
        width = self._width
        count = len(self.headings)
        if "\x00" in raw:
            row = self._nul_row(number, line, cells)
            return row.cells, row.problem
        first = cells[0] if cells else ""
        size = len(cells)
        if (not first or first.isspace()) and not "".join(cells).strip():
            if size != count:
                cells = (cells + [""] * count)[:count]
            return cells, "blank row"
        if size == width:
            if self._empty_columns:
                self._check_empty_columns(cells, number, line)
                if width > count:
                    del cells[count:]
            return cells, None
        if size < count:
            cells.extend([""] * (count - size))
        else:
            del cells[count:]
        return cells, f"row has {size} cells, expected {width}"

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
