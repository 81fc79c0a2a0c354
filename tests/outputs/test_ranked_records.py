"""Records spooled a block at a time and written with their ranks (``PieceSpool``), and a
block's cells as CSV text at once (``BlockCells``): the same bytes as row by row."""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from pathlib import Path

import pytest

from masterycheck.outputs.csv_blocks import LONG_CELL, BlockCells
from masterycheck.outputs.ranked_records import PieceSpool
from masterycheck.outputs.safe_files import DANGEROUS_FIRST_CHARACTERS, csv_cells

PIECES = ["", "Ann", "a,b", 'say "hi"', "two\nlines", "cr\r", " lead", "x=1", "-5", "日本"]
PIECES += [f"{first}rest" for first in sorted(DANGEROUS_FIRST_CHARACTERS)]


def test_a_block_of_cells_is_csv_cells_of_each_row() -> None:
    for width in (1, 2, 3):
        cut = BlockCells(list(range(width)))
        rows = list(itertools.product(PIECES, repeat=width))
        every = [list(row) for row in rows]
        assert cut.texts(every) == [csv_cells(row) for row in rows]
        for row in rows:  # a block of one, where most blocks are plain
            assert cut.texts([list(row)]) == [csv_cells(row)]
        plain = [["Ann", "Bo", "Cy"][:width]] * 5
        assert cut.texts(plain) == [",".join(plain[0])] * 5
    long = ["x" * LONG_CELL, "=" + "y" * LONG_CELL, "a,b" * LONG_CELL]
    assert BlockCells([0]).texts([[cell] for cell in long]) == [csv_cells([c]) for c in long]


def pieces(kind: Hashable) -> tuple[tuple[bytes, ...], bool]:
    """A kind's template: ``<kind>,`` then a slot, then ``;``, a slot, ``!`` (``None``: not
    remembered)."""
    return (f"{kind},".encode(), b";", b"!\r\n"), kind is not None


def test_records_are_written_with_their_ranks(tmp_path: Path) -> None:
    spool = PieceSpool(tmp_path, pieces, 2)
    spool.add(1, [2, 3, 5], ["a", "b", None], [["x", "y\x00z", "日"], ["1", "2", "3"]], {})
    spool.add(4, [6, 7], ["a", "a"], [["p", "q"], ["4", "5"]], {1: b"whole\r\n"})
    others = {3: lambda row, line, rest: b"%d,%d,gone,%s" % (row, line, rest)}
    target = tmp_path / "out.csv"
    assert spool.write(target, b"head\r\n", iter([3, 1, 0, 2, 4]), b"%d,%d,%d,,", others=others)
    assert target.read_bytes() == (
        b"head\r\n"
        b"1,2,3,,a,x;1!\r\n"
        b"2,3,1,,b,y\x00z;2!\r\n"
        b"3,5,gone,None,\xe6\x97\xa5;3!\r\n"
        b"4,6,2,,a,p;4!\r\n"
        b"5,7,4,,whole\r\n"
    )
    spool.remove()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.mark.parametrize("ranks", [[1], [1, 2, 3]])
def test_a_rank_for_each_row_or_nothing_is_written(tmp_path: Path, ranks: list[int]) -> None:
    spool = PieceSpool(tmp_path, pieces, 2)
    spool.add(1, [2, 3], ["a", "b"], [["x", "y"], ["1", "2"]], {})
    with pytest.raises(ValueError, match=r"rows|ranks"):
        spool.write(tmp_path / "out.csv", b"", iter(ranks), b"%d,%d,%d,,")
    spool.remove()
    assert not list(tmp_path.iterdir())
