"""The CSV reader under hostile or broken input (``tables.csv_reader``): NUL bytes, and cells
and rows over the limits (``tables.limits``), refused with one-line errors in bounded memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from masterycheck.batch.tables import TableRow, TableSource, open_table
from masterycheck.errors import InputError


def read(path: Path, **options: str) -> tuple[TableSource, list[TableRow]]:
    """Open a table and read all its rows."""
    source = open_table(path, **options)
    return source, list(source.rows())


def error_of(path: Path, **options: str) -> InputError:
    """The InputError raised by opening the table or reading its rows."""
    with pytest.raises(InputError) as caught:
        read(path, **options)
    return caught.value


# --- 4. NUL bytes ----------------------------------------------------------------------------


def test_a_nul_byte_after_the_first_4_kb_makes_only_its_row_invalid(tmp_path: Path) -> None:
    lines = ["ID,Name,Town"] + [f"{n},Name {n},Ely" for n in range(1, 400)]
    lines += ["400,Jane\x00Secret,Bath", "401,Bo,Ely"]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.read_bytes().index(b"\x00") > 4096
    _, rows = read(path)
    assert len(rows) == 401
    invalid = [row for row in rows if row.problem is not None]
    assert invalid == [
        TableRow(
            400,
            401,
            ("400", "Jane\ufffdSecret", "Bath"),
            'column B "Name" holds a NUL byte (is this a text file?)',
        )
    ]
    assert rows[-1] == TableRow(401, 402, ("401", "Bo", "Ely"))


def test_a_nul_byte_in_a_long_heading_row_is_an_error_naming_the_column(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("ID," + "Q" * 5000 + ",Na\x00me\n1,2,3\n", encoding="utf-8")
    error = error_of(path)
    assert error.one_line() == (
        f"{path}: heading row (line 1), column C: a heading holds a NUL byte (is this a text file?)"
    )


# --- 5. CSV cells and rows over the limits ---------------------------------------------------


def test_a_closed_cell_over_the_limit_is_called_too_long_not_unclosed(tmp_path: Path) -> None:
    quoted = tmp_path / "quoted.csv"
    quoted.write_text(
        'ID,Name,Why\n1,Ann,ok\n2,Bo,"' + "x" * 200_000 + '"\n3,Cy,ok\n', encoding="utf-8"
    )
    error = error_of(quoted)
    assert error.one_line() == (
        f'{quoted}: row 2 (line 3), column C "Why": a cell is longer than 131,072 characters, '
        "the most masterycheck reads"
    )
    unquoted = tmp_path / "unquoted.csv"
    unquoted.write_text("ID,Name,Why\n1,Ann," + "x" * 200_000 + "\n", encoding="utf-8")
    assert error_of(unquoted).message.startswith("a cell is longer than 131,072 characters")
    # A quote that never closes, or "closes" on the opening quote of a later field:
    body = "".join(f"{n},Name {n},ok\n" for n in range(3, 12_000))
    for name, text in {
        "later.csv": 'ID,Name,Why\n1,Ann,ok\n2,"Jane Secret,x\n' + body + '9,Bo,"ok"\n',
        "open.csv": 'ID,Name,Why\n1,Ann,ok\n2,"Jane Secret,x\n' + body,
    }.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        error = error_of(tmp_path / name)
        assert "opened on line 3" in error.message and "closing quote missing" in error.message


def test_a_50_mb_cell_is_refused_reading_a_bounded_part_of_it(tmp_path: Path) -> None:
    cell = "x" * (50 << 20)
    for name, text in {
        "quoted.csv": f'ID,Name,Why\n1,Ann,"{cell}"\n',
        "unquoted.csv": f"ID,Name,Why\n1,Ann,{cell}\n",
    }.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        tracemalloc.start()
        try:
            error = error_of(path)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert error.message.startswith("a cell is longer than 131,072 characters")
        assert peak < 40 << 20, name


def test_a_row_over_8_million_characters_is_refused_not_cut_in_two(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("ID,Name\n1,Ann\n" + "a," * (5 << 20) + "\n3,Cy\n", encoding="utf-8")
    error = error_of(path)
    assert error.one_line() == (
        f"{path}: row 2 (line 3): the row is longer than 8,388,608 characters, the most "
        "masterycheck reads (is this a form export?)"
    )
    multi_line = tmp_path / "multi.csv"
    with multi_line.open("w", encoding="utf-8") as stream:
        stream.write("ID,Name\n1,Ann\n2,")
        for _ in range(100):
            stream.write('"' + "y\n" * 50_000 + '",')
        stream.write("z\n")
    assert error_of(multi_line).one_line() == (
        f"{multi_line}: row 2 (line 3): the row is longer than 8,388,608 characters, the most "
        "masterycheck reads (is this a form export?)"
    )
