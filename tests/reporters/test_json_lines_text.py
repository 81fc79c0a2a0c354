"""A row's JSON Lines text, encoded from pieces kept per evaluation, is exactly
``json_line(record)``: the same keys in the same order, every hostile character escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from masterycheck.batch.row_mapping import RowMapper
from masterycheck.batch.screening import Evaluation, Screener, invalid
from masterycheck.batch.screening_pass import ScreenedBlock
from masterycheck.batch.tables import open_table
from masterycheck.files.criteria import load_catalogue, load_programme
from masterycheck.files.mapping_file import load_mapping
from masterycheck.outputs.safe_files import json_line
from masterycheck.reporters.screen_columns import ScreenColumns

REPO = Path(__file__).resolve().parents[2]
HOSTILE = [
    "",
    'a "quoted" \\ back',
    "line\u2028sep",
    "nel\x85",
    "\u202eright to left",
    "\ufeffbom",
    "del\x7f",
    "tab\there\nnew line",
    "=HYPERLINK()",
    "é ünï 日本 😀",
    "\x1b[31mred",
]


def _columns(redact: bool) -> tuple[ScreenColumns, tuple[str, ...]]:
    catalogue = load_catalogue(REPO / "criteria" / "fields.yaml")
    compiled = load_programme(REPO / "criteria" / "primary.yaml", catalogue)
    loaded = load_mapping(REPO / "examples" / "forms-export-primary.mapping.yaml", catalogue)
    source = open_table(REPO / "examples" / "forms-export-primary.csv")
    screener = Screener(compiled, RowMapper(loaded, source.headings, catalogue))
    return ScreenColumns(screener, redact=redact), next(iter(source.rows())).cells


@pytest.mark.parametrize("redact", [False, True])
def test_json_texts_are_json_line_of_the_record(redact: bool) -> None:
    columns, first = _columns(redact)
    assert columns.roles and columns.keep  # the example names applicants and keeps a statement
    outcomes = tuple("met" for _ in columns.screener.criteria)
    evaluations = [
        Evaluation("eligible", 3, 0, False, outcomes, (), (), cached=True),
        Evaluation("incomplete", 1, 2, True, outcomes, ("why \u2028 %s",), ("ask",), cached=False),
        invalid("row has 7 cells, expected 9"),
    ]
    rows: list[tuple[str, ...]] = []
    for index, text in enumerate(HOSTILE):
        cells = list(first)
        for _, position in (*columns.roles, *columns.keep):
            cells[position] = text + str(index)
        rows.append(tuple(cells))
    chosen = [evaluations[i % len(evaluations)] for i in range(len(rows))]
    usual = columns.screener.constant_notes
    odd = {1: ("a note \u2028", 'say "x"'), 4: ()}
    block = ScreenedBlock(5, list(range(10, 10 + len(rows))), rows, chosen, usual, odd)
    texts = columns.json_texts(block)
    for offset, text in enumerate(texts):
        row, line = 5 + offset, 10 + offset
        notes = odd.get(offset, usual)
        record = columns.record(row, line, rows[offset], chosen[offset], notes, 0)
        written = f'{{"row":{row},"line":{line},"rank":0,"duplicate_of":null,' + text
        assert written == json_line(record) + "\n"
        assert json.loads(written) == json.loads(json_line(record))
        assert "\u2028" not in written and "\x85" not in written and "\u202e" not in written
