"""What every reader gives: a ``TableSource`` (name, headings, notes, ``rows()``) that
streams ``TableRow``s, and ``_row_builder``, a fast way to build rows for the CSV hot loop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Literal, Protocol


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
