"""Duplicate applicants in every output: CSV, XLSX, JSON Lines, HTML and the summary."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from masterycheck.cli.app import app
from masterycheck.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "examples" / "forms-export-primary.csv"
MAPPING = REPO / "examples" / "forms-export-primary.mapping.yaml"
AS_OF = "2026-01-10"
runner = CliRunner()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def with_identity(tmp_path: Path) -> Path:
    """The example mapping, naming the school and submission-time columns too."""
    text = MAPPING.read_text(encoding="utf-8")
    text = text.replace('  email: "Email"\n', '  email: "Email"\n  school: "School name"\n', 1)
    text = text.replace("  school:", '  submitted: "Completion time"\n  school:', 1)
    text = text.replace('  - "Completion time"\n', "").replace('  - "School name"\n', "")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(text, encoding="utf-8")
    return mapping


@pytest.fixture
def twice(tmp_path: Path) -> Path:
    """The example export's 12 records, and two applicants submitting again (14 rows).

    Row 13: Aisha Khan (row 1, ranked first) again, her email in capitals, later: she now
    says she cannot fulfil the commitment, so her latest submission is not eligible. Row 14:
    Ben Jones (row 2) again, with another email but the same name and school, *earlier* than
    row 2 by the completion time: row 2 stays his.
    """
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        headings, *rows = list(csv.reader(stream))
    column = {heading: index for index, heading in enumerate(headings)}
    aisha = list(rows[0])
    assert aisha[column["Name"]] == "Aisha Khan"
    aisha[column["Email"]] = f" {aisha[column['Email']].upper()}"
    aisha[column["Completion time"]] = "1/30/26 9:00:00"
    aisha[column["Are you able to fulfil the programme requirements and time commitment?"]] = "No"
    ben = list(rows[1])
    assert ben[column["Name"]] == "Ben Jones"
    ben[column["Email"]] = "ben.jones@home.example"
    ben[column["Name"]] = "BEN  JONES"
    ben[column["Completion time"]] = "1/14/26 8:00:00"
    export = tmp_path / "twice.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([headings, *rows, aisha, ben])
    return export


def screen(export: Path, mapping: Path, *args: str | Path) -> Result:
    arguments = ["screen", export, "--programme", "primary", "--mapping", mapping]
    return runner.invoke(app, [str(a) for a in [*arguments, "--as-of", AS_OF, *args]])


def test_csv_marks_earlier_submissions_and_ranks_only_the_latest(
    twice: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    result = screen(twice, with_identity(tmp_path), "-o", out)
    assert result.exit_code == ExitCode.OK, result.stderr
    rows = read_csv(out)
    assert len(rows) == 14  # rows in = rows out
    assert list(rows[0])[:5] == ["row", "line", "rank", "duplicate_of", "verdict"]
    aisha_before, ben_again = rows[0], rows[13]
    assert (aisha_before["verdict"], aisha_before["rank"], aisha_before["duplicate_of"]) == (
        "superseded",
        "",
        "13",
    )
    assert aisha_before["review"] == "no" and aisha_before["qts"] == "met"  # its own outcomes
    assert (ben_again["verdict"], ben_again["rank"], ben_again["duplicate_of"]) == (
        "superseded",
        "",
        "2",
    )
    assert rows[12]["verdict"] == "not_eligible" and rows[12]["duplicate_of"] == ""
    assert rows[1]["verdict"] == "eligible" and rows[1]["duplicate_of"] == ""
    ranks = sorted(int(row["rank"]) for row in rows if row["rank"])
    assert ranks == list(range(1, 13))


def test_summary_counts_applicants_once_and_says_how_many_were_superseded(
    twice: Path, tmp_path: Path
) -> None:
    result = screen(twice, with_identity(tmp_path), "-o", tmp_path / "out.csv")
    stderr = " ".join(result.stderr.split())
    # The 12 records alone: 5 eligible, 3 incomplete, 2 not eligible, 2 invalid. Aisha's
    # latest is not eligible; Ben's earlier submission is not counted.
    assert (
        "Screened 14 row(s): 4 eligible, 3 incomplete, 3 not eligible, 2 invalid, "
        "2 superseded (earlier submissions of an applicant)." in stderr
    )
    assert "by “Completion time” (month first" in stderr
    shortlist = stderr[stderr.index("Shortlist: every eligible and incomplete applicant (7)") :]
    assert "Aisha" not in shortlist  # her earlier, eligible submission was ranked first
    assert re.search(r"│ 1 +│ 11 +│ Eligible +│ 3 +│ Jo Hall", shortlist)


def test_json_lines_carry_duplicate_of_for_every_row(twice: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert screen(twice, with_identity(tmp_path), "-o", out).exit_code == ExitCode.OK
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 14
    assert list(records[0])[:5] == ["row", "line", "rank", "duplicate_of", "verdict"]
    assert records[0]["rank"] is None and records[0]["duplicate_of"] == 13
    assert records[0]["verdict"] == "superseded" and records[0]["review"] is False
    assert records[0]["criteria"]["can_fulfil_commitment"] == "met"
    assert records[13]["duplicate_of"] == 2
    assert all(r["duplicate_of"] is None for i, r in enumerate(records) if i not in (0, 13))


def test_xlsx_writes_duplicate_of_as_a_number_and_no_rank(twice: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out.xlsx"
    assert screen(twice, with_identity(tmp_path), "-o", out).exit_code == ExitCode.OK
    sheet = openpyxl.load_workbook(out)["Results"]
    ids = [cell.value for cell in sheet[2]]
    records = [dict(zip(ids, r, strict=True)) for r in sheet.iter_rows(min_row=3, values_only=True)]
    by_row = {record["row"]: record for record in records}
    first = by_row[1]
    assert (first["rank"], first["duplicate_of"], first["verdict"], first["review"]) == (
        *(None, 13, "Superseded", "No"),
    )
    assert (by_row[14]["rank"], by_row[14]["duplicate_of"]) == (None, 2)
    assert by_row[13]["duplicate_of"] is None and isinstance(by_row[13]["rank"], int)
    assert [r["row"] for r in records[-2:]] == [1, 14]  # the unranked last, in row order


def test_html_lists_superseded_rows_linked_to_the_row_screened_not_as_cards(
    twice: Path, tmp_path: Path
) -> None:
    html = tmp_path / "report.html"
    result = screen(twice, with_identity(tmp_path), "-o", tmp_path / "out.csv", "--html", html)
    assert result.exit_code == ExitCode.OK, result.stderr
    page = html.read_text(encoding="utf-8")
    assert '<section class="card" id="row-1"' not in page  # no card for an earlier submission
    table = page[page.index('<table class="not-screened">') :]
    table = table[: table.index("</table>")]
    listed = table[table.index('<tr id="row-1"') :]
    listed = listed[: listed.index("</tr>")]
    assert '<td class="superseded">Superseded</td>' in listed
    assert '<a href="#row-13">row 13</a>' in listed and "own answers: eligible" in listed
    assert 'id="superseded-count">2 earlier submission(s) superseded' in page
    shortlist = page[page.index('id="shortlist"') :]
    shortlist = shortlist[: shortlist.index("</section>")]
    assert '<a href="#row-1">' not in shortlist and '<a href="#row-11">' in shortlist


def test_redacted_run_groups_on_the_real_values_and_shows_none(twice: Path, tmp_path: Path) -> None:
    out, html = tmp_path / "out.csv", tmp_path / "report.html"
    result = screen(twice, with_identity(tmp_path), "-o", out, "--redact", "--html", html)
    assert result.exit_code == ExitCode.OK, result.stderr
    rows = read_csv(out)
    assert [row["duplicate_of"] for row in rows if row["duplicate_of"]] == ["13", "2"]
    everything = out.read_text(encoding="utf-8") + html.read_text(encoding="utf-8")
    for secret in ("Aisha", "A.KHAN", "Ben Jones", "BEN  JONES", "ben.jones@home.example"):
        assert secret not in everything and secret not in result.stderr


def test_without_duplicates_duplicate_of_is_empty_and_the_summary_unchanged(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.csv"
    result = screen(EXPORT, with_identity(tmp_path), "-o", out)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert all(row["duplicate_of"] == "" for row in read_csv(out))
    assert "superseded" not in result.stderr
    first = " ".join(result.stderr.split()).split(". ")[0]
    assert first == "Screened 12 row(s): 5 eligible, 3 incomplete, 2 not eligible, 2 invalid"
