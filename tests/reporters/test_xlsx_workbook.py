"""The XLSX results workbook as a hub lead would build it by hand (issue 12), and the terminal
summary's attrition table in short labels, through the real entry point."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from masterycheck.cli.app import app
from masterycheck.files.criteria import load_catalogue, load_programme

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "examples" / "forms-export-primary.csv"
MAPPING = ROOT / "examples" / "forms-export-primary.mapping.yaml"
AS_OF = "2026-03-01"
Book = tuple[Any, Path]  # the loaded workbook, its folder


def _export_with_a_formula_name(tmp_path: Path) -> Path:
    """The example export, one applicant named like a formula."""
    with EXPORT.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source))
    name = rows[0].index("Name")
    rows[3][name] = '=HYPERLINK("http://x.example","Click")'
    target = tmp_path / "export.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return target


def _screen(export: Path, out: Path, env: dict[str, str] | None = None) -> str:
    arguments = [str(export), "--programme", "primary", "--mapping", str(MAPPING)]
    result = CliRunner().invoke(
        app, ["screen", *arguments, "-o", str(out), "--as-of", AS_OF], env=env
    )
    assert result.exit_code == 0, result.stderr
    return result.stderr


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Book:
    folder = tmp_path_factory.mktemp("xlsx")
    out = folder / "results.xlsx"
    _screen(_export_with_a_formula_name(folder), out)
    return openpyxl.load_workbook(out), folder


def _primary_shorts() -> dict[str, str]:
    compiled = load_programme(ROOT / "criteria" / "primary.yaml", load_catalogue())
    return {c.criterion.id: c.criterion.short or "" for c in compiled.criteria}


def test_the_workbook_has_a_summary_sheet_first_then_the_results(workbook: Book) -> None:
    book, _ = workbook
    assert book.sheetnames == ["Summary", "Results"]
    summary = [r for r in book["Summary"].iter_rows(values_only=True)]
    labels = [r[0] for r in summary]
    assert "Superseded (earlier submission of an applicant)" in labels
    # A reader's guide comes before the counts: what a row, a verdict and row 2 mean.
    guide = " ".join(str(label) for label in labels[: labels.index("Verdict")] if label)
    assert "one row per applicant, best first" in guide
    assert "Row 2 of Results holds each column's id" in guide
    assert "never makes a row incomplete" in guide
    # No label of the first column is hidden behind its count: it fits, or it wraps.
    sheet = book["Summary"]
    width = sheet.column_dimensions["A"].width
    counted = [row for row in sheet.iter_rows() if len(row) > 1 and isinstance(row[1].value, int)]
    assert any(len(str(row[0].value)) > width for row in counted)  # a long question heading
    for row in counted:
        assert len(str(row[0].value)) <= width or row[0].alignment.wrap_text
    assert next(r[:4] for r in summary if r[0] == "QTS") == ("QTS", "Fact", 1, 1)
    assert any(str(label).startswith("sha256 of primary.yaml") for label in labels)
    assert ("Input file", "export.csv") in [r[:2] for r in summary]


def test_results_headings_are_human_words_over_the_column_ids(workbook: Book) -> None:
    book, _ = workbook
    sheet = book["Results"]
    human = [c.value for c in sheet[1]]
    ids = [c.value for c in sheet[2]]
    assert human[:4] == ["Rank", "Row", "Name", "Verdict"]
    assert ids[:4] == ["rank", "row", "applicant_name", "verdict"]
    shorts = _primary_shorts()
    for heading, key in zip(human, ids, strict=True):
        if key in shorts:
            assert heading == shorts[key]  # the criterion's short label, never its id
    assert "reasons" in ids and human[ids.index("reasons")] == "Reasons"


def test_name_and_verdict_are_frozen_beside_the_heading_rows(workbook: Book) -> None:
    sheet = workbook[0]["Results"]
    assert sheet.freeze_panes == "E3"  # rows 1-2 and columns A-D (rank, row, name, verdict)
    assert (
        sheet.auto_filter.ref
        == f"A2:{sheet.cell(row=2, column=sheet.max_column).column_letter}{sheet.max_row}"
    )


def test_reasons_are_wide_and_wrapped(workbook: Book) -> None:
    sheet = workbook[0]["Results"]
    ids = [c.value for c in sheet[2]]
    letter = sheet.cell(row=2, column=ids.index("reasons") + 1).column_letter
    assert sheet.column_dimensions[letter].width >= 40
    assert sheet[f"{letter}3"].alignment.wrap_text


def test_each_criterion_cell_is_filled_by_its_outcome(workbook: Book) -> None:
    from masterycheck.core.vocabulary import LABELS
    from masterycheck.outputs.xlsx_writer import OUTCOME_COLOURS

    word_of = {shown: word for word, shown in LABELS.items()}

    sheet = workbook[0]["Results"]
    ids = [c.value for c in sheet[2]]
    columns = [ids.index(key) + 1 for key in _primary_shorts()]
    seen = set()
    for row in range(3, sheet.max_row + 1):
        for column in columns:
            cell = sheet.cell(row=row, column=column)
            word = word_of.get(str(cell.value))
            if word is not None and word in OUTCOME_COLOURS:
                fill, ink = OUTCOME_COLOURS[word]
                assert cell.fill.fgColor.rgb.endswith(fill)
                assert cell.font.color.rgb.endswith(ink)
                seen.add(word)
    assert {"met", "not_met", "unknown"} <= seen


def test_outcome_fills_stay_apart_in_greyscale() -> None:
    from masterycheck.outputs.xlsx_writer import OUTCOME_COLOURS

    def lightness(rgb: str) -> float:
        r, g, b = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
        return 0.299 * r + 0.587 * g + 0.114 * b

    levels = sorted(lightness(fill) for fill, _ in OUTCOME_COLOURS.values())
    assert all(b - a >= 40 for a, b in itertools.pairwise(levels))


def test_every_applicant_cell_is_a_string_cell(workbook: Book) -> None:
    sheet = workbook[0]["Results"]
    ids = [c.value for c in sheet[2]]
    applicant = [i + 1 for i, key in enumerate(ids) if key.startswith("applicant_")]
    assert applicant
    values = []
    for row in range(3, sheet.max_row + 1):
        for column in applicant:
            cell = sheet.cell(row=row, column=column)
            if cell.value is not None:
                assert cell.data_type == "s"
                values.append(cell.value)
    assert '=HYPERLINK("http://x.example","Click")' in values  # the exact text, no formula


def test_rows_are_in_rank_order_with_the_input_row_kept(workbook: Book) -> None:
    sheet = workbook[0]["Results"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert sorted(r[1] for r in rows) == list(range(1, 13))
    assert [r[1] for r in rows] != sorted(r[1] for r in rows)  # this export's ranks differ


@pytest.mark.parametrize("columns", [80, 60])
def test_the_attrition_table_names_criteria_by_short_label_uncut(
    tmp_path: Path, columns: int
) -> None:
    stderr = _screen(EXPORT, tmp_path / "out.csv", env={"COLUMNS": str(columns)})
    table = stderr[stderr.index("Essential criteria") : stderr.index("Mapped columns")]
    lines = table.splitlines()
    assert max(map(len, lines)) <= columns
    assert "…" not in table
    assert "employed_primary_teaching_class" not in table and "qts" not in table
    for short in ("QTS", "Headteacher understands commitment", "Primary class teacher of maths"):
        if columns == 80:
            assert any(f"│ {short} " in line for line in lines)  # whole, on one line
        else:  # wrapped at its spaces, never cut
            assert all(word in table for word in short.split())
