"""Tables of terminal text, drawn by rich or, where rich would write plain text, without it.

A table is laid out as data (``TextTable``: a title, columns with their heading, justification
and overflow, rows of strings). On a terminal rich draws it (``rich_table``), in rich's default
table style: a heavy head box, one space of padding each side of a cell, the title above and
left-justified. Where the output is a file or a pipe, rich draws it with no colour and no
style; ``plain_table_lines`` writes exactly that without importing rich, for tables whose
every character is one cell wide and whose every column has room for at least one character
(``is_plain_table``); rich draws any other. The widths follow rich 15's
``Table._calculate_column_widths`` (a table that does not expand: each column as wide as its
widest cell, narrowed when the table is wider than the console by ``_collapse_widths`` and then
``rich._ratio.ratio_reduce``); cells wrap as rich wraps them (``text_blocks.wrap``).
``tests/reporters/test_summary_plain.py`` holds the two drawings to the same output, byte for
byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

from masterycheck.reporters.text_blocks import PLAIN_MIN_WIDTH, Paragraph, is_plain, line, wrap

if TYPE_CHECKING:
    from rich.table import Table

Justify = Literal["left", "right"]
Overflow = Literal["fold", "ellipsis"]


class Column(NamedTuple):
    """A column: its heading, how its cells are justified, and what becomes of a word too long
    for it ("fold": broken across lines; "ellipsis", rich's default: cut, ending in "…")."""

    heading: str
    justify: Justify = "left"
    overflow: Overflow = "ellipsis"


class TextTable(NamedTuple):
    """A titled table of text: one string for each column in each row."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


def rich_table(table: TextTable) -> Table:
    """The table as a rich ``Table`` in rich's default style, the title left-justified."""
    from rich.table import Table

    drawn = Table(title=table.title, title_justify="left")
    for column in table.columns:
        drawn.add_column(column.heading, justify=column.justify, overflow=column.overflow)
    for row in table.rows:
        drawn.add_row(*row)
    return drawn


# --- drawn as plain text ------------------------------------------------------------------------

#: A cell's padding: one space each side.
_PADDING = 2
#: The narrowest column plain text draws: padding and one character.
_NARROWEST = _PADDING + 1


def _edges(table: TextTable) -> int:
    """The width of the box's verticals: both edges and one between each two columns."""
    return 2 + len(table.columns) - 1


def _column_cells(table: TextTable) -> list[list[str]]:
    return [
        [column.heading, *(row[index] for row in table.rows)]
        for index, column in enumerate(table.columns)
    ]


def _cell_maximum(text: str, width: int) -> int:
    """The widest a padded cell would be at ``width`` (rich's ``Measurement.get`` of a
    ``Padding`` around ``Text``, maximum only: a table that does not expand uses no other)."""
    if width < 1:
        return 0
    if width < _PADDING + 1:  # Padding leaves no room: it measures the whole width
        return width
    widest = min(max((len(part) for part in text.splitlines()), default=0), width)
    if widest < 1:  # rich measures empty text as nothing, then adds the padding
        widest = 0
    return min(widest + _PADDING, width)


def _column_maximum(cells: Sequence[str], width: int) -> int:
    """The widest a column would be at ``width`` (``Table._measure_column``)."""
    if width < 1:
        return 0
    return min(max(_cell_maximum(cell, width) for cell in cells), width)


def _ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """``rich._ratio.ratio_reduce``: take ``total`` off ``values`` in proportion to ``ratios``,
    at most ``maximums`` from each."""
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    total_remaining = total
    result: list[int] = []
    for ratio, most, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(most, round(ratio * total_remaining / total_ratio))
            result.append(value - distributed)
            total_remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _collapse_widths(widths: list[int], max_width: int) -> list[int]:
    """``Table._collapse_widths`` with every column free to wrap: narrow the widest columns
    to the next widest, in turn, until the table fits or they are all alike."""
    total_width = sum(widths)
    excess_width = total_width - max_width
    while total_width and excess_width > 0:
        widest = max(widths)
        second = max(width if width != widest else 0 for width in widths)
        difference = widest - second
        ratios = [1 if width == widest else 0 for width in widths]
        if not difference:
            break
        most = [min(excess_width, difference)] * len(widths)
        widths = _ratio_reduce(excess_width, ratios, most, widths)
        total_width = sum(widths)
        excess_width = total_width - max_width
    return widths


def column_widths(table: TextTable, width: int) -> list[int]:
    """Each column's width, padding included, borders not, in a console ``width`` wide
    (``Table._calculate_column_widths`` for a table that does not expand)."""
    max_width = width - _edges(table)
    cells = _column_cells(table)
    widths = [_column_maximum(column, max_width) or 1 for column in cells]
    if sum(widths) > max_width:
        widths = _collapse_widths(widths, max_width)
        if sum(widths) > max_width:  # rich's last resort: every column narrowed alike
            excess = sum(widths) - max_width
            widths = _ratio_reduce(excess, [1] * len(widths), widths, widths)
        widths = [_column_maximum(column, w) for w, column in zip(widths, cells, strict=True)]
    return widths


def is_plain_table(table: TextTable, width: int) -> bool:
    """Whether ``plain_table_lines`` draws ``table`` at ``width`` exactly as rich would: every
    character one cell wide (no tab, no control character), one cell per column in each row,
    and room for at least one character in every column."""
    if width < PLAIN_MIN_WIDTH or not table.columns:
        return False
    if any(len(row) != len(table.columns) for row in table.rows):
        return False
    texts = [table.title, *(column.heading for column in table.columns)]
    texts += [cell for row in table.rows for cell in row]
    if not is_plain([Paragraph(line(text)) for text in texts], width):
        return False
    widths = column_widths(table, width)
    return min(widths) >= _NARROWEST and sum(widths) + _edges(table) <= width


def _cell_lines(text: str, width: int, column: Column) -> list[str]:
    """A cell's lines, padded to the column's ``width``: wrapped as rich wraps cell text,
    a line too long for the column (a long word, not folded) cut with "…"."""
    room = width - _PADDING
    lines = []
    for part in text.split("\n"):
        for piece in wrap(part, room, fold=column.overflow == "fold"):
            if len(piece) > room:
                piece = piece[: room - 1] + "…"
            shown = piece.rjust(room) if column.justify == "right" else piece.ljust(room)
            lines.append(f" {shown} ")
    return lines


def _rule(widths: Sequence[int], left: str, across: str, between: str, right: str) -> str:
    return left + between.join(across * width for width in widths) + right


def plain_table_lines(table: TextTable, width: int) -> list[str]:
    """The lines rich would write for ``table`` to a console ``width`` wide that is not a
    terminal, with trailing spaces removed (as ``outputs.terminal.TrimmedLines`` removes them);
    only for a table that ``is_plain_table``."""
    widths = column_widths(table, width)
    table_width = sum(widths) + _edges(table)
    lines = [
        piece.rstrip(" ") for part in table.title.split("\n") for piece in wrap(part, table_width)
    ]
    lines.append(_rule(widths, "┏", "━", "┳", "┓"))
    for index, row in enumerate((tuple(c.heading for c in table.columns), *table.rows)):
        cells = [
            _cell_lines(text, w, column)
            for text, w, column in zip(row, widths, table.columns, strict=True)
        ]
        height = max(len(cell) for cell in cells)
        for cell, w in zip(cells, widths, strict=True):
            blank = [" " * w] * (height - len(cell))
            cell[:] = blank + cell if index == 0 else cell + blank  # headings sit at the bottom
        bar = "┃" if index == 0 else "│"
        lines += [bar + bar.join(parts) + bar for parts in zip(*cells, strict=True)]
        if index == 0:
            lines.append(_rule(widths, "┡", "━", "╇", "┩"))
    lines.append(_rule(widths, "└", "─", "┴", "┘"))
    return lines
