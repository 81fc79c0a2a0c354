"""A mapping's ``constants``: answers the hub gives for every applicant (issue 11, item 5).

A regional form does not ask what every applicant shares ("Is your school in England?"): the
hub states it once in the mapping. A constant is checked like a value map's entry, refused
when a column also answers its field, applied to every screened row, and shown in every
output as the hub's statement, never as the applicant's answer.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from masterycheck.cli.app import app
from masterycheck.errors import ExitCode, InputError
from masterycheck.files.criteria import criteria_dir, load_catalogue, load_programme
from masterycheck.files.mapping_file import MappingFile, load_mapping, missing_fields

AS_OF = "2025-05-01"
CATALOGUE = load_catalogue()
SECONDARY = load_programme(criteria_dir() / "secondary.yaml", CATALOGUE)

runner = CliRunner()

#: A secondary hub's own form: it does not ask whether the school is in England.
HEADINGS = [
    "Full name",
    "Email address",
    "Do you hold QTS?",
    "When were you awarded QTS?",
    "What type of school do you teach in?",
    "Is your school state-funded?",
    "Which key stages do you teach?",
    "How many years have you taught maths?",
]
ROWS = [
    ["Ada Lovelace", "ada@school.example", "QTS", "2015", "Secondary", "Yes", "KS3;KS4;", "8"],
    ["Alan Turing", "alan@school.example", "QTS", "Sept 2019", "Secondary", "Yes", "KS3;", "5"],
    ["Mary Somerville", "mary@school.example", "QTS", "2016/17", "Secondary", "Yes", "KS4;", "6"],
]
MAPPING = """\
schema_version: 1
programme: secondary
applicant:
  name: "Full name"
  email: "Email address"
columns:
  - heading: "Do you hold QTS?"
    field: qualified_status
  - heading: "When were you awarded QTS?"
    field: qts_date
  - heading: "What type of school do you teach in?"
    field: school_type
  - heading: "Is your school state-funded?"
    field: state_funded
  - heading: "Which key stages do you teach?"
    field: key_stages_taught
    split: semicolon
  - heading: "How many years have you taught maths?"
    field: years_teaching_maths
"""
CONSTANTS = 'constants:\n  in_england: "yes"  # a hub in England: every applicant\'s school is\n'


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


def write_export(folder: Path) -> Path:
    path = folder / "secondary-export.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADINGS)
        writer.writerows(ROWS)
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def screen(export: Path, mapping: Path, *args: str | Path) -> Result:
    command = ["screen", export, "--programme", "secondary", "--as-of", AS_OF]
    command += ["--mapping", mapping, *args]
    return runner.invoke(app, [str(a) for a in command], catch_exceptions=False)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def load_error(tmp_path: Path, text: str) -> str:
    path = write(tmp_path / "mapping.yaml", text)
    with pytest.raises(InputError) as caught:
        load_mapping(path, CATALOGUE)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- the model ----------------------------------------------------------------------------


def test_a_constant_counts_as_provided_so_no_essential_field_is_missing(tmp_path: Path) -> None:
    without = load_mapping(write(tmp_path / "a.yaml", MAPPING), CATALOGUE).mapping
    assert missing_fields(without, SECONDARY)[0] == ["in_england"]
    loaded = load_mapping(write(tmp_path / "b.yaml", MAPPING + CONSTANTS), CATALOGUE)
    assert loaded.mapping.constants == {"in_england": "yes"}
    assert missing_fields(loaded.mapping, SECONDARY)[0] == []


def test_constants_are_optional_and_empty_by_default() -> None:
    assert MappingFile().constants == {}


@pytest.mark.parametrize(
    ("constants", "words"),
    [
        ('  in_englnd: "yes"\n', "unknown field 'in_englnd'"),
        ('  in_england: "perhaps"\n', "value for 'in_england' does not fit: expected yes or no"),
        ('  in_england: "N/A"\n', "constant 'in_england' is an unknown answer"),
        ('  years_since_qts: "3"\n', "'years_since_qts' is computed from 'qts_date'"),
        ('  school_type: "castle"\n', "expected one of: infant"),
    ],
)
def test_a_constant_is_checked_like_a_value_map_entry_at_its_line(
    tmp_path: Path, constants: str, words: str
) -> None:
    message = load_error(tmp_path, MAPPING + "constants:\n" + constants)
    line = (MAPPING + "constants:\n").count("\n") + 1
    assert f"mapping.yaml:{line}:" in message
    assert words in message


def test_a_field_both_mapped_to_a_column_and_constant_is_refused_naming_both_lines(
    tmp_path: Path,
) -> None:
    message = load_error(tmp_path, MAPPING + 'constants:\n  state_funded: "yes"\n')
    line = (MAPPING + "constants:\n").count("\n") + 1
    column_line = MAPPING.splitlines().index("    field: state_funded") + 1
    assert f"mapping.yaml:{line}:" in message
    assert f"'state_funded' is both a constant and answered by a column at line {column_line}" in (
        message
    )


def test_a_field_set_by_a_value_map_and_constant_is_refused(tmp_path: Path) -> None:
    text = MAPPING.replace(
        "    field: school_type\n",
        '    field: school_type\n    values:\n      "Academy": {school_type: secondary, '
        'in_england: "yes"}\n',
    )
    message = load_error(tmp_path, text + CONSTANTS)
    assert "'in_england' is both a constant and answered by a column" in message


# --- screening, end to end through the CLI ------------------------------------------------


def test_without_the_constant_the_export_is_refused_for_want_of_in_england(
    tmp_path: Path,
) -> None:
    result = screen(write_export(tmp_path), write(tmp_path / "m.yaml", MAPPING))
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "in_england" in result.stderr


def test_a_constant_makes_an_export_without_the_column_screen_complete(tmp_path: Path) -> None:
    export = write_export(tmp_path)
    mapping = write(tmp_path / "m.yaml", MAPPING + CONSTANTS)
    # Without the constant, --allow-missing screens every row as incomplete.
    bare = write(tmp_path / "bare.yaml", MAPPING)
    before = screen(export, bare, "--allow-missing", "-o", tmp_path / "before.csv")
    assert before.exit_code == ExitCode.OK, before.stderr
    assert {r["verdict"] for r in read_csv(tmp_path / "before.csv")} == {"incomplete"}
    result = screen(export, mapping, "-o", tmp_path / "after.csv")
    assert result.exit_code == ExitCode.OK, result.stderr
    rows = read_csv(tmp_path / "after.csv")
    assert [r["verdict"] for r in rows] == ["eligible", "eligible", "eligible"]
    for row in rows:
        assert "In England: yes (the hub's statement for every applicant" in row["notes"]
        assert "not the applicant's answer" in row["notes"]


def test_json_lines_carry_the_constants_apart_from_the_applicant(tmp_path: Path) -> None:
    export = write_export(tmp_path)
    mapping = write(tmp_path / "m.yaml", MAPPING + CONSTANTS)
    target = tmp_path / "out.jsonl"
    result = screen(export, mapping, "-o", target)
    assert result.exit_code == ExitCode.OK, result.stderr
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3
    for record in records:
        assert record["constants"] == {"in_england": True}  # typed, as the answers are
        assert "in_england" not in record["applicant"]
        assert any("the hub's statement" in note for note in record["notes"])


def test_xlsx_notes_name_the_hub_as_the_source(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    export = write_export(tmp_path)
    mapping = write(tmp_path / "m.yaml", MAPPING + CONSTANTS)
    target = tmp_path / "out.xlsx"
    result = screen(export, mapping, "-o", target)
    assert result.exit_code == ExitCode.OK, result.stderr
    book = load_workbook(target, read_only=True)
    try:
        sheet = book["Results"]
        rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]  # ids, then rows
    finally:
        book.close()
    notes = rows[0].index("notes")
    verdict = rows[0].index("verdict")
    assert [r[verdict] for r in rows[1:]] == ["Eligible"] * 3
    assert all("the hub's statement for every applicant" in str(r[notes]) for r in rows[1:])


def test_the_html_card_shows_the_constant_as_the_hubs_statement(tmp_path: Path) -> None:
    export = write_export(tmp_path)
    mapping = write(tmp_path / "m.yaml", MAPPING + CONSTANTS)
    html = tmp_path / "report.html"
    result = screen(export, mapping, "-o", tmp_path / "out.csv", "--html", html)
    assert result.exit_code == ExitCode.OK, result.stderr
    page = html.read_text(encoding="utf-8")
    cards = page.split('<section class="card"')[1:]
    assert len(cards) == 3
    for card in cards:
        assert "the hub&#x27;s statement for every applicant" in card or (
            "the hub's statement for every applicant" in card
        )
