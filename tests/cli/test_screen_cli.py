"""`masterycheck mapping` and `masterycheck screen` end to end."""

from __future__ import annotations

import csv
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from masterycheck.cli.app import app
from masterycheck.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "examples" / "forms-export-primary.csv"
MAPPING = REPO / "examples" / "forms-export-primary.mapping.yaml"
OVERLAY = REPO / "examples" / "overlay-yorkshire-humber.yaml"
AS_OF = "2026-01-10"

runner = CliRunner()


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    copy = tmp_path / "export.csv"
    shutil.copyfile(EXPORT, copy)
    return copy


def run(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def screen(export: Path, *args: str | Path) -> Result:
    return run("screen", export, "--programme", "primary", "--as-of", AS_OF, *args)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_mapping_proposes_a_file_that_screen_accepts(export: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    result = run("mapping", export, "--programme", "primary", "-o", mapping)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "field: qualified_status" in mapping.read_text(encoding="utf-8")
    result = screen(export, "--mapping", mapping)
    assert result.exit_code == ExitCode.OK, result.stderr


def test_screen_without_mapping_stops_and_names_missing_fields(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Name,Email,Do you have QTS?\r\nAna,a@x.example,Yes\r\n", encoding="utf-8")
    result = screen(export)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "school_type" in result.stderr
    assert "head_understands_commitment" in result.stderr
    assert "masterycheck mapping" in result.stderr
    assert not (tmp_path / "export-screened.csv").exists()


def test_allow_missing_screens_with_those_criteria_unknown(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Name,Email,Do you have QTS?\r\nAna,a@x.example,Yes\r\n", encoding="utf-8")
    result = screen(export, "--allow-missing")
    assert result.exit_code == ExitCode.OK, result.stderr
    rows = read_csv(tmp_path / "export-screened.csv")
    assert [r["verdict"] for r in rows] == ["incomplete"]
    assert rows[0]["review"] == "yes"
    assert rows[0]["qts"] == "met"


def test_screen_csv_has_every_row_in_order_with_formulas_escaped(export: Path) -> None:
    result = screen(export, "--mapping", MAPPING)
    assert result.exit_code == ExitCode.OK, result.stderr
    out = export.with_name("export-screened.csv")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = read_csv(out)
    assert [int(r["row"]) for r in rows] == list(range(1, 13))
    assert rows[2]["applicant_name"].startswith("'=HYPERLINK(")
    assert rows[5]["verdict"] == "invalid" and rows[5]["reasons"] == "blank row"
    assert rows[3]["review"] == "yes"
    assert "unreadable answer “lots”" in rows[3]["notes"]


def test_csv_headings_are_escaped_too(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    shutil.copyfile(EXPORT, export)
    mapping = tmp_path / "mapping.yaml"
    text = EXPORT.read_text(encoding="utf-8-sig").replace("Personal statement", "=Statement", 1)
    export.write_text(text, encoding="utf-8")
    mapping.write_text(
        MAPPING.read_text(encoding="utf-8").replace('"Personal statement"', '"=Statement"'),
        encoding="utf-8",
    )
    result = screen(export, "--mapping", mapping)
    assert result.exit_code == ExitCode.OK, result.stderr
    first_line = (tmp_path / "export-screened.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert first_line.endswith(",'=Statement")


def test_summary_goes_to_stderr_with_counts(export: Path) -> None:
    result = screen(export, "--mapping", MAPPING)
    assert result.stdout == ""
    assert "Screened 12 row(s): 5 eligible, 3 incomplete, 2 not eligible, 2 invalid." in (
        result.stderr
    )
    assert "Essential criteria" in result.stderr and "Mapped columns" in result.stderr
    assert "Aisha Khan" in result.stderr  # top of the shortlist, not redacted


def test_redact_removes_names_emails_and_free_text(export: Path) -> None:
    out = export.with_name("redacted.csv")
    result = screen(export, "--mapping", MAPPING, "--redact", "-o", out)
    assert result.exit_code == ExitCode.OK, result.stderr
    text = out.read_text(encoding="utf-8-sig")
    for secret in ("Aisha Khan", "a.khan@school.example", "lesson study", "HYPERLINK"):
        assert secret not in text
        assert secret not in result.stderr
    rows = read_csv(out)
    assert rows[0]["applicant_name"] == "row 1"
    assert rows[1]["Personal statement"] == "row 2"


def test_json_lines_one_object_per_row(export: Path) -> None:
    out = export.with_name("out.jsonl")
    result = screen(export, "--mapping", MAPPING, "-o", out)
    assert result.exit_code == ExitCode.OK, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["row"] for r in records] == list(range(1, 13))
    assert {r["verdict"] for r in records} == {"eligible", "incomplete", "not_eligible", "invalid"}
    assert records[0]["criteria"]["qts"] == "met"
    assert records[5]["reasons"] == ["blank row"]


def test_xlsx_output_opens_with_string_cells(export: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = export.with_name("out.xlsx")
    result = screen(export, "--mapping", MAPPING, "--format", "xlsx", "-o", out)
    assert result.exit_code == ExitCode.OK, result.stderr
    sheet = openpyxl.load_workbook(out)["Results"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 14  # human headings, ids, 12 rows
    ids = list(rows[1])
    column = ids.index("applicant_name")
    at = next(n for n, r in enumerate(rows, 1) if r[column] and r[column].startswith("=HYP"))
    name = rows[at - 1][column]
    assert name == '=HYPERLINK("http://x.example","Click")'  # text, not a formula
    assert sheet.cell(row=at, column=column + 1).data_type == "s"
    assert sheet.freeze_panes == "E3"


@pytest.mark.parametrize("spelling", ["same", "dot"])
def test_refuses_output_equal_to_the_input(
    export: Path, spelling: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = export.read_bytes()
    monkeypatch.chdir(export.parent)
    target = export if spelling == "same" else Path(export.name)
    result = screen(export, "--mapping", MAPPING, "-o", target, "--format", "csv")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "refusing to overwrite" in result.stderr
    assert export.read_bytes() == before


def test_overlay_criteria_are_shown_apart_and_keep_verdicts(export: Path) -> None:
    plain = export.with_name("plain.csv")
    overlaid = export.with_name("overlaid.csv")
    assert screen(export, "--mapping", MAPPING, "-o", plain).exit_code == 0
    result = screen(export, "--mapping", MAPPING, "--overlay", OVERLAY, "-o", overlaid)
    assert result.exit_code == ExitCode.OK, result.stderr
    before, after = read_csv(plain), read_csv(overlaid)
    assert "overlay:yorkshire_humber:school_in_hub_area" in after[0]
    assert "school_in_hub_area" not in before[0]
    assert [r["verdict"] for r in before] == [r["verdict"] for r in after]
    assert after[0]["overlay:yorkshire_humber:school_in_hub_area"] == "met"
    assert "overlay:yorkshire_humber" in result.stderr


def test_default_output_is_beside_the_export_never_the_export(export: Path) -> None:
    result = screen(export, "--mapping", MAPPING)
    assert result.exit_code == ExitCode.OK
    assert export.with_name("export-screened.csv").is_file()
    assert export.read_bytes() == EXPORT.read_bytes()


def test_screen_supersedes_an_earlier_submission_read_by_a_day_first_timestamp(
    tmp_path: Path,
) -> None:
    """End to end through ``python -m masterycheck``: a Google Forms export (UK sheet, so
    ``Timestamp`` is dd/mm/yyyy) where Ben Jones submitted twice; the row written later in
    the file is the *earlier* submission (25 January, against 3 February), so it is the one
    superseded, and the summary says so."""
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        headings, *rows = list(csv.reader(stream))
    when = headings.index("Completion time")
    headings[when] = "Timestamp"
    for number, row in enumerate(rows, 1):
        if len(row) > when and row[when]:
            row[when] = f"{number:02d}/01/2026 09:00:00"
    ben = list(rows[1])
    rows[1][when] = "03/02/2026 10:00:00"
    ben[when] = "25/01/2026 10:00:00"
    email = headings.index("Email")
    ben[email] = ben[email].upper()
    export = tmp_path / "google.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([headings, *rows, ben])
    text = MAPPING.read_text(encoding="utf-8").replace("Completion time", "Timestamp")
    text = text.replace('  - "Timestamp"\n', "")
    text = text.replace('  email: "Email"\n', '  email: "Email"\n  submitted: "Timestamp"\n', 1)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [
            *(sys.executable, "-m", "masterycheck", "screen", str(export)),
            *("--programme", "primary", "--mapping", str(mapping), "--as-of", AS_OF),
            *("-o", "-", "--format", "json"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "MASTERYCHECK_CRITERIA"},
    )
    assert done.returncode == ExitCode.OK, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == len(rows) + 1
    last = records[-1]
    assert (last["verdict"], last["rank"], last["duplicate_of"]) == ("superseded", None, 2)
    assert records[1]["duplicate_of"] is None and records[1]["rank"] is not None
    summary = " ".join(done.stderr.split())
    assert "1 superseded (earlier submissions of an applicant)" in summary
    assert "by “Timestamp” (day first: a value's first part is over 12)" in summary


def test_questions_read_as_the_usual_case_when_silent_are_not_called_desirable(
    export: Path, tmp_path: Path
) -> None:
    result = screen(export, "--mapping", MAPPING, "-o", tmp_path / "out.csv")
    assert result.exit_code == ExitCode.OK, result.stderr
    said = " ".join(result.stderr.split())
    assert (
        "Not asked (no answer is read as the usual case, never against anyone): "
        "In England; Employment basis" in said
    )
    provided = said.split("Not provided (desirable or evidence, left unknown):", 1)[1]
    assert "in_england" not in provided.split("Not asked", 1)[0]
