"""CSV text for a block of rows' cells at once: the same text as ``safe_files.csv_cells`` on
each row's, found with a few tests of the whole block instead of each row's.

Most rows of an export need neither an escape nor a quote; a block's cells are joined as one
text and looked at once (no quote, line break or extra comma in it, no cell starting with a
character a spreadsheet would read as a formula), and only a block where a test fails goes
through ``csv_cells`` row by row. Long cells (a statement kept in the results) go through
``csv_cell`` one by one: joining thousands of them would cost more than their own tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain
from operator import itemgetter

from masterycheck.outputs.safe_files import DANGEROUS_FIRST_CHARACTERS, csv_cell, csv_cells

__all__ = ["LONG_CELL", "BlockCells"]

#: A block with a row's cells this long (characters) or longer is done row by row.
LONG_CELL = 256
_FIRST = itemgetter(slice(None, 1))


class BlockCells:
    """The cells at ``positions`` of each row of a block, as CSV text (cells joined by commas,
    formulas escaped, quoted where needed): ``texts(rows)``."""

    def __init__(self, positions: Sequence[int]) -> None:
        """Take the cells at ``positions`` (at least one) of each row."""
        self.width = len(positions)
        self._take = itemgetter(*positions)

    def texts(self, rows: Sequence[Sequence[str]]) -> list[str]:
        """Each row's cells as CSV text, in order: ``csv_cells`` of each row's."""
        if self.width == 1:
            cells: list[str] = list(map(self._take, rows))
            if _plain(cells, cells, len(cells) - 1):
                return cells
            return list(map(csv_cell, cells))
        taken: list[tuple[str, ...]] = list(map(self._take, rows))
        joined = list(map(",".join, taken))
        if _plain(joined, chain.from_iterable(taken), self.width * len(taken) - 1):
            return joined
        return list(map(csv_cells, taken))


def _plain(joined: list[str], cells: Iterable[str], commas: int) -> bool:
    """Whether no cell needs a quote or an escape, from the rows' cells ``joined`` by commas
    (``commas`` in all, joined in turn) and every cell's first character."""
    if max(map(len, joined), default=0) >= LONG_CELL:
        return False
    whole = ",".join(joined)
    return (
        '"' not in whole
        and "\n" not in whole
        and "\r" not in whole
        and whole.count(",") == commas
        and DANGEROUS_FIRST_CHARACTERS.isdisjoint(map(_FIRST, cells))
    )
