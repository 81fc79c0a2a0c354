"""``csv_cells`` (a record's text cells joined, looked at once) is ``csv_cell`` on each cell."""

from __future__ import annotations

import itertools
from pathlib import Path

from masterycheck.outputs.safe_files import DANGEROUS_FIRST_CHARACTERS, csv_cell, csv_cells

PIECES = ["", "Teacher 1", "a,b", 'say "hi"', "two\nlines", "cr\r", " lead", "x=1", "-5", "日本"]
PIECES += [f"{first}rest" for first in sorted(DANGEROUS_FIRST_CHARACTERS)]


def test_csv_cells_is_csv_cell_on_each_cell() -> None:
    for size in (0, 1, 2, 3):
        for cells in itertools.product(PIECES, repeat=size):
            assert csv_cells(cells) == ",".join(map(csv_cell, cells)), cells


def test_plain_cells_are_joined_as_they_are() -> None:
    assert csv_cells(("7", "Teacher 7", "teacher7@school.example")) == (
        "7,Teacher 7,teacher7@school.example"
    )


def test_a_percent_sign_in_a_reason_is_written_as_it_is() -> None:
    """An evaluation's cells and a row's notes are written as they are, ``%`` included."""
    from masterycheck.batch.row_mapping import RowMapper
    from masterycheck.batch.screening import Evaluation, Screener
    from masterycheck.batch.screening_pass import ScreenedBlock
    from masterycheck.batch.tables import open_table
    from masterycheck.files.criteria import load_catalogue, load_programme
    from masterycheck.files.mapping_file import load_mapping
    from masterycheck.reporters.screen_columns import ScreenColumns

    repo = Path(__file__).resolve().parents[2]
    catalogue = load_catalogue(repo / "criteria" / "fields.yaml")
    compiled = load_programme(repo / "criteria" / "primary.yaml", catalogue)
    loaded = load_mapping(repo / "examples" / "forms-export-primary.mapping.yaml", catalogue)
    source = open_table(repo / "examples" / "forms-export-primary.csv")
    columns = ScreenColumns(Screener(compiled, RowMapper(loaded, source.headings, catalogue)))
    row = next(iter(source.rows()))
    reason = "qts: 100% %s %d %% sure"
    evaluation = Evaluation("incomplete", 1, 0, True, (), (reason,), ("ask %s",))
    pieces, _ = columns.csv_pieces(evaluation)
    assert pieces[0].startswith(b"incomplete,")
    assert f",{reason},ask %s,".encode() in b"".join(pieces)
    notes = ("a note %d",)
    block = ScreenedBlock(row.number, [row.line], [row.cells], [evaluation], (), {0: notes})
    text = columns.csv_whole(block, columns.csv_slots(block))[0].decode()
    assert text.startswith("incomplete,")
    assert f",{reason},ask %s," in text
    assert ",a note %d," in text  # then the kept statement
    assert text.endswith("\r\n")
