"""The CSV delimiter (``tables.delimiters``): named by an option (``parse_delimiter``), given
to ``open_table``, and sniffed in bounded memory."""

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


# --- 6. delimiters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("comma", ","),
        ("Semicolon", ";"),
        (" TAB ", "\t"),
        ("pipe", "|"),
        (",", ","),
        (";", ";"),
        ("\t", "\t"),
        ("\\t", "\t"),
        ("|", "|"),
    ],
)
def test_parse_delimiter_accepts_names_and_characters(given: str, expected: str) -> None:
    from masterycheck.batch.tables import parse_delimiter

    assert parse_delimiter(given) == expected


@pytest.mark.parametrize("given", ["", "colon-ish", "a", "7", '"', " ", "\n", "\x00", ",;"])
def test_parse_delimiter_refuses_anything_else_naming_the_option(given: str) -> None:
    from masterycheck.batch.tables import parse_delimiter

    with pytest.raises(InputError) as caught:
        parse_delimiter(given)
    assert caught.value.where == "--delimiter"
    assert "\n" not in caught.value.one_line()


def test_open_table_takes_a_delimiter_by_name(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("a;b,c\n1;2,3\n", encoding="utf-8")
    source, rows = read(path, delimiter="semicolon")
    assert source.headings == ("a", "b,c")
    assert rows == [TableRow(1, 2, ("1", "2,3"))]
    with pytest.raises(InputError) as caught:
        open_table(path, delimiter="colon")
    assert caught.value.where == "--delimiter"


# --- the CSV delimiter sniffing on a long line -----------------------------------------------


def test_sniffing_a_long_line_without_quotes_takes_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"ID,Name\n1," + b"x" * (1 << 20) + b"\n")
    tracemalloc.start()
    try:
        source = open_table(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert source.headings[0] == "ID"
    assert peak < 24 << 20
