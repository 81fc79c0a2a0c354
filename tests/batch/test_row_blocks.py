"""Rows a block at a time (``row_blocks``): the same rows as ``rows()``, an error after the
rows before it, blocks sized by the text they hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from masterycheck.batch.tables import BLOCK_CHARS, BLOCK_ROWS, CsvTable, RowBlock, open_table
from masterycheck.batch.tables.source import blocks_of
from masterycheck.errors import InputError

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "examples" / "forms-export-primary.csv"

# Short, long, blank, NUL and multi-line rows, and a quoted quote, between plain ones (after
# 4 KB of plain rows: a NUL there makes the file not a text file).
PLAIN = 400
ODD = (
    "ID,Name,Answer\r\n"
    + "".join(f"0,Plain name {n},yes\r\n" for n in range(PLAIN))
    + "1,Ann,yes\r\n"
    "2,Bo\r\n"
    "3,Cy,yes,extra\r\n"
    ",,\r\n"
    '5,"Di\nLee","say ""hi"""\r\n'
    "6,E\x00d,yes\r\n"
    "\r\n"
    "8,Fay,no\r\n"
)


def flattened(blocks: list[RowBlock]) -> list[tuple[int, int, tuple[str, ...], str | None]]:
    return [(row.number, row.line, row.cells, row.problem) for b in blocks for row in b.rows()]


@pytest.mark.parametrize("size", [1, 3, 7, 100, BLOCK_ROWS])
def test_blocks_hold_the_rows_in_order(tmp_path: Path, size: int) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(ODD, encoding="utf-8", newline="")
    source = open_table(path)
    assert isinstance(source, CsvTable)
    rows = [(row.number, row.line, row.cells, row.problem) for row in source.rows()]
    blocks = list(source.row_blocks(size))
    assert flattened(blocks) == rows
    assert [len(b.cells) for b in blocks[:-1]] == [size] * (len(blocks) - 1)
    assert [b.start for b in blocks] == [1 + size * i for i in range(len(blocks))]
    odd = rows[PLAIN:]
    assert [r[3] for r in odd] == [
        None,
        "row has 2 cells, expected 3",
        "row has 4 cells, expected 3",
        "blank row",
        None,
        odd[5][3],
        "blank row",
        None,
    ]
    assert odd[5][3] is not None and "NUL" in odd[5][3]
    assert odd[4][2] == ("5", "Di\nLee", 'say "hi"') and odd[7][1] == PLAIN + 10


@pytest.mark.parametrize("size", [1, 2, 3, 4, 10])
def test_an_error_is_raised_once_the_rows_before_it_are_given(tmp_path: Path, size: int) -> None:
    path = tmp_path / "stray.csv"
    lines = ["ID,Name,Answer"] + [f"{n},Name {n},yes" for n in range(1, 9)]
    lines[5] = '5,Na"me,yes'  # a stray quote in an unquoted value: row 5
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    source = open_table(path)
    assert isinstance(source, CsvTable)
    given: list[int] = []
    with pytest.raises(InputError, match="stray quote") as raised:
        for block in source.row_blocks(size):
            given += [block.start + offset for offset in range(len(block.cells))]
    assert given == [1, 2, 3, 4]
    assert "row 5 (line 6)" in str(raised.value.where)


def test_blocks_of_long_rows_hold_fewer_rows(tmp_path: Path) -> None:
    statement = "word " * 400  # 2,000 characters a row
    path = tmp_path / "long.csv"
    body = "".join(f"{n},{statement}\r\n" for n in range(1, 300))
    path.write_text("ID,Statement\r\n" + body, encoding="utf-8")
    source = open_table(path)
    assert isinstance(source, CsvTable)
    assert 16 <= source.block_rows <= BLOCK_CHARS // 2000 + 1
    example = open_table(EXPORT)
    assert isinstance(example, CsvTable)
    assert example.block_rows == BLOCK_ROWS  # short rows: the most a block holds


def test_blocks_of_rows_from_any_reader() -> None:
    source = open_table(EXPORT)
    rows = list(source.rows())
    blocks = list(blocks_of(rows, 5))
    assert [b.start for b in blocks] == [1, 6, 11][: len(blocks)]
    assert [row for b in blocks for row in b.rows()] == rows


def test_blocks_of_a_misnumbered_row_hands_over_the_rows_before_it_then_raises() -> None:
    rows = list(open_table(EXPORT).rows())[:7]
    skipped = rows[:3] + rows[4:]  # row 4 missing: row 5 comes where 4 was expected
    given: list[RowBlock] = []
    with pytest.raises(LookupError, match="row 5 read where row 4 was expected"):
        for block in blocks_of(skipped, 2, misnumbered=LookupError):
            given.append(block)
    assert [row for b in given for row in b.rows()] == rows[:3]


def test_blocks_of_without_a_check_renumbers_nothing_and_raises_nothing() -> None:
    rows = list(open_table(EXPORT).rows())[:5]
    blocks = list(blocks_of(rows[1:], 2))
    assert sum(len(b.cells) for b in blocks) == 4


LONG = "a long free-text answer " * 40  # a last field long enough to be cut (``_record_lines``)


@pytest.mark.parametrize(
    ("ending", "lines"),
    [
        ("\r\n", ["1,Ann,{}", '2,"Bo, B",{}', '3,"say ""hi""",{}', "4,Cy,{}\x00", '5,Di,"{}"']),
        ("\n", ["1,Ann,{}", "2,Bo", '3,"Cy,\n",{}', '4,"Di\n,{}",x']),
        ("\r", ["1,Ann,{}", ",,{}", "3,Cy,{}"]),
    ],
)
def test_long_last_fields_are_read_whole(tmp_path: Path, ending: str, lines: list[str]) -> None:
    """A long last field cut from its line for csv.reader comes back whole, and the rows are
    csv.reader's (a quoted, NUL-holding or multi-line one is not cut)."""
    import csv

    text = "ID,Name,Answer" + ending + "".join(f"0,P{n},yes{ending}" for n in range(PLAIN))
    text += ending.join(line.format(LONG) for line in lines) + ending
    path = tmp_path / "long.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with path.open(encoding="utf-8", newline="") as stream:
        # A NUL makes the row invalid; its cells show it as U+FFFD.
        expected = [tuple(c.replace("\x00", "\ufffd") for c in r) for r in csv.reader(stream)][1:]
    rows = [row.cells for row in CsvTable(path).rows()]
    assert [cells for cells, want in zip(rows, expected, strict=True) if len(want) == 3] == [
        want for want in expected if len(want) == 3
    ]
    assert LONG in {cell for cells in rows for cell in cells}


def test_a_stray_quote_before_a_long_last_field_is_still_refused(tmp_path: Path) -> None:
    text = "ID,Name,Answer\r\n" + "".join(f"0,P{n},yes\r\n" for n in range(PLAIN))
    text += f'1,A"n,"b,{LONG}\r\n2,Bo,"x"\r\n'
    path = tmp_path / "stray.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(InputError, match="stray quote in unquoted field"):
        list(CsvTable(path).rows())
