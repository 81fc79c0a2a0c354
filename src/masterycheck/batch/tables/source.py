"""What every reader gives: a ``TableSource`` (name, headings, notes, ``rows()``) that
streams ``TableRow``s, or the same rows as ``RowBlock``s (``row_blocks()``: what a screening
pass reads, a thousand rows at a time, with no object made per row), and ``_row_builder``, a
fast way to build rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Final, Literal, Protocol

#: Rows in a ``RowBlock`` (the last block of a table may hold fewer), at most: a block whose
#: rows' cells stay in the processor's cache is screened and written quicker.
BLOCK_ROWS: Final = 256
#: About how much text a CSV reader puts in a block (fewer rows a block for long rows): every
#: buffer made a block at a time then stays small enough to be reused, not mapped afresh.
BLOCK_CHARS: Final = 64 * 1024


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


@dataclass(slots=True)
class RowBlock:
    """Consecutive data rows of a table: the rows ``start``, ``start + 1``, ... in order.

    ``cells[i]`` and ``lines[i]`` are row ``start + i``'s (as ``TableRow.cells`` and
    ``TableRow.line``; a reader may give each row's cells as a list, which nobody may change);
    ``problems`` holds the offsets of the invalid rows, with why (usually it is empty).
    """

    start: int
    lines: list[int]
    cells: list[Sequence[str]]
    problems: dict[int, str] = field(default_factory=dict)

    def rows(self) -> Iterator[TableRow]:
        """The block's rows as ``TableRow``s."""
        make = _row_builder()
        problem = self.problems.get
        for offset, (line, cells) in enumerate(zip(self.lines, self.cells, strict=True)):
            yield make(self.start + offset, line, tuple(cells), problem(offset))


class NumberedRow(Protocol):
    """What ``blocks_of`` needs of a row (``TableRow``)."""

    @property
    def number(self) -> int: ...
    @property
    def line(self) -> int: ...
    @property
    def cells(self) -> tuple[str, ...]: ...
    @property
    def problem(self) -> str | None: ...


def blocks_of(
    rows: Iterable[NumberedRow],
    size: int = BLOCK_ROWS,
    misnumbered: Callable[[str], Exception] | None = None,
) -> Iterator[RowBlock]:
    """``rows`` (numbered 1, 2, 3... in order) as ``RowBlock``s of ``size`` rows.

    With ``misnumbered``, a row that does not come with the next number first hands over the
    rows before it (so none read is lost), then raises ``misnumbered(message)``.
    """
    block = RowBlock(1, [], [])
    for row in rows:
        offset = len(block.cells)
        if misnumbered is not None and row.number != block.start + offset:
            if block.cells:
                yield block
            expected = block.start + offset
            raise misnumbered(f"row {row.number} read where row {expected} was expected")
        if row.problem is not None:
            block.problems[offset] = row.problem
        block.lines.append(row.line)
        block.cells.append(row.cells)
        if offset + 1 == size:
            yield block
            block = RowBlock(block.start + size, [], [])
    if block.cells:
        yield block


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

    def row_blocks(self) -> Iterator[RowBlock]:
        """Stream the same rows as ``RowBlock``s (an error found in a block's row is raised
        once the block's rows before it are given)."""
        ...

    def locate(
        self, row: TableRow | None = None, column: int | None = None, *, line: int | None = None
    ) -> str:
        """A ``where`` for messages: file, row (and line), column letter and heading."""
        ...
