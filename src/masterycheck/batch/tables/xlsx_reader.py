"""Read an Excel workbook export with openpyxl, as a stream: ``XlsxTable``.

The zip is checked against the limits first (``xlsx_bounds``), then read with openpyxl in
read-only mode: the first worksheet, or ``sheet=``. Cell values become text
(``_cell_text``): ``12`` (ints and whole floats), ``1.5``, dates ``2024-03-01``, datetimes
``2024-03-01T09:15:00`` (midnight datetimes, which is how Excel stores plain dates, as the
date), ``TRUE``/``FALSE``, ``""`` for empty cells. A formula cell with no saved result (the
file was written by a program that does not calculate, and never saved by Excel) is read as
``""`` and counted in one of the source's ``notes``. openpyxl's warnings are silenced while it
reads (and only then); anything openpyxl cannot parse is an ``InputError``. Rows are padded to
the headings (a sheet row has no length); a cell over 131,072 characters is an error naming its
row and column.
"""

from __future__ import annotations

import warnings
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from itertools import islice
from pathlib import Path
from typing import Any, Literal, NoReturn

from masterycheck.batch.tables.file_access import _read_error
from masterycheck.batch.tables.headings import _check_headings, _column_words, column_letter
from masterycheck.batch.tables.limits import _CELL_CHARS
from masterycheck.batch.tables.source import RowBlock, TableRow, blocks_of
from masterycheck.batch.tables.xlsx_bounds import _Formulas, _inspect_workbook, _unreadable
from masterycheck.errors import InputError


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


@contextmanager
def _quiet_openpyxl() -> Iterator[None]:
    """Silence warnings while openpyxl runs (and only then): they concern features that are
    not read (styles, validation, extensions...) and name openpyxl's internals."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


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

    def row_blocks(self) -> Iterator[RowBlock]:
        """The rows (``rows``) as ``RowBlock``s."""
        return blocks_of(self.rows())

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
