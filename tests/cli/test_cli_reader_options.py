"""The reader's options and notes reach the commands: `--delimiter` (which the sniffer's hint
names), and a workbook's formula cells with no saved value reported, not silently blank."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner, Result

from masterycheck.cli.app import app
from masterycheck.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "examples" / "forms-export-primary.csv"
MAPPING = REPO / "examples" / "forms-export-primary.mapping.yaml"
runner = CliRunner()


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


def run(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def _rows() -> list[list[str]]:
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def test_an_ambiguous_delimiter_is_settled_with_the_option_its_hint_names(tmp_path: Path) -> None:
    rows = _rows()
    export = tmp_path / "semi.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerows(rows)
    # A heading line with as many commas as semicolons cannot be told apart.
    tie = tmp_path / "tie.csv"
    tie.write_text("a,b;c\n1,2;3\n", encoding="utf-8")
    refused = run("mapping", tie, "--programme", "primary")
    assert refused.exit_code == ExitCode.BAD_INPUT
    assert "--delimiter" in refused.stderr
    accepted = run("mapping", tie, "--programme", "primary", "--delimiter", "semicolon")
    assert accepted.exit_code == ExitCode.OK, accepted.stderr
    screened = run(
        "screen",
        export,
        "--programme",
        "primary",
        "--mapping",
        MAPPING,
        "--delimiter",
        ";",
        "--as-of",
        "2026-01-10",
        "-o",
        tmp_path / "r.csv",
    )
    assert screened.exit_code == ExitCode.OK, screened.stderr
    assert "Screened 12 row(s)" in screened.stderr


def test_a_bad_delimiter_is_one_line_naming_the_option(tmp_path: Path) -> None:
    result = run("mapping", EXPORT, "--programme", "primary", "--delimiter", "xx")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr.startswith("masterycheck: error: --delimiter")
    assert len(result.stderr.strip().splitlines()) == 1


def test_formula_cells_without_a_saved_value_are_reported_by_screen_and_mapping(
    tmp_path: Path,
) -> None:
    rows = _rows()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append(row)
    qts = rows[0].index("When were you awarded QTS?") + 1
    sheet.cell(row=2, column=qts, value="=2010+6")  # openpyxl saves no computed value
    export = tmp_path / "export.xlsx"
    workbook.save(export)
    screened = run(
        "screen",
        export,
        "--programme",
        "primary",
        "--mapping",
        MAPPING,
        "--as-of",
        "2026-01-10",
        "-o",
        tmp_path / "r.csv",
    )
    assert screened.exit_code == ExitCode.OK, screened.stderr
    flat = " ".join(screened.stderr.split())
    assert "formula cell" in flat
    assert "no saved value" in flat
    mapped = run("mapping", export, "--programme", "primary")
    assert "no saved value" in " ".join(mapped.stderr.split())
