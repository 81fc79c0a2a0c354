"""Mappings that cannot mean one thing are refused, by `validate` and by `screen --mapping`.

Each refusal is one line naming the file, line and column of the entry at fault; nothing is
settled silently by "the later entry wins" or "the first column wins". Kept columns never
give the results file two headings that are the same ignoring case.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from masterycheck.cli.app import app
from masterycheck.core.problems import Problem
from masterycheck.errors import ExitCode, InputError
from masterycheck.files.criteria import load_catalogue, load_programme, resolve_programme
from masterycheck.files.mapping_checks import check_mapping
from masterycheck.files.mapping_file import (
    MappingFile,
    MappingProblem,
    check_mapping_programme,
    load_mapping,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_EXPORT = REPO / "examples" / "forms-export-primary.csv"
EXAMPLE_MAPPING = REPO / "examples" / "forms-export-primary.mapping.yaml"
AS_OF = "2026-01-10"

runner = CliRunner()


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


def run(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def validate(path: Path, *more: Path) -> Result:
    return run("validate", path, *more)


def screen(export: Path, mapping: Path, *args: str | Path) -> Result:
    return run(
        "screen",
        export,
        "--programme",
        "primary",
        "--as-of",
        AS_OF,
        "--mapping",
        mapping,
        "--allow-missing",
        *args,
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def only_error(result: Result) -> str:
    """The one error line, checked to be exactly one line and exit code 2."""
    assert result.exit_code == ExitCode.BAD_INPUT, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


# --- 1. answers that collide once case, spaces and punctuation are ignored -----------------

QTS_MAPPING = """\
schema_version: 1
programme: primary
applicant:
  id: "ID"
columns:
  - heading: "QTS?"
    field: qualified_status
    values:
      "Yes, I hold QTS": "qts"
      "yes  I hold QTS!": {qualified_status: "qts"}
      "No": "none"
"""


def test_answers_that_collide_ignoring_case_and_punctuation_but_map_differently_are_refused(
    tmp_path: Path,
) -> None:
    # Colliding answers that mean the same (lines 9 and 10) are accepted...
    same = write(tmp_path / "same.yaml", QTS_MAPPING)
    assert validate(same).exit_code == ExitCode.OK
    # ...colliding answers that mean different things are not: today "no." would silently
    # replace "No" and turn every "No" into QTS.
    clash = write(tmp_path / "clash.yaml", QTS_MAPPING + '      "no.": "qts"\n')
    assert only_error(validate(clash)) == (
        f"masterycheck: error: {clash}:12:7: answer 'no.' is 'No' at line 11 once case, "
        "spaces and punctuation are ignored, but maps to something else: keep one of them"
    )


def test_screen_refuses_colliding_answers_when_it_loads_the_mapping(tmp_path: Path) -> None:
    export = write(tmp_path / "export.csv", "ID,QTS?\r\n1,No\r\n")
    clash = write(tmp_path / "clash.yaml", QTS_MAPPING + '      "NO": "qts"\n')
    error = only_error(screen(export, clash))
    assert error.startswith(f"masterycheck: error: {clash}:12:7: answer 'NO' is 'No' at line 11")
    assert not (tmp_path / "export-screened.csv").exists()


def test_a_value_map_cannot_set_a_field_that_its_own_column_answers(tmp_path: Path) -> None:
    # The "Funding" column would always win over the school-type answer's state_funded.
    mapping = write(
        tmp_path / "mapping.yaml",
        "schema_version: 1\n"
        "columns:\n"
        '  - heading: "School"\n'
        "    field: school_type\n"
        "    values:\n"
        '      "State-funded middle school": {school_type: middle, state_funded: "yes"}\n'
        '  - heading: "Funding"\n'
        "    field: state_funded\n",
    )
    assert only_error(validate(mapping)) == (
        f"masterycheck: error: {mapping}:6:59: 'state_funded' is answered by its own column "
        "at line 8, whose answer would always win over this one: take it out of one of them"
    )


def test_a_heading_mapped_twice_names_the_first_line(tmp_path: Path) -> None:
    mapping = write(
        tmp_path / "mapping.yaml",
        "schema_version: 1\n"
        "columns:\n"
        '  - heading: "QTS date"\n'
        "    field: qts_date\n"
        '  - heading: "qts date:"\n'
        "    field: qualified_status\n",
    )
    assert only_error(validate(mapping)) == (
        f"masterycheck: error: {mapping}:5:5: this heading is mapped twice (first at line 3; "
        "headings are matched ignoring case and punctuation)"
    )


# --- 2. a heading used and ignored, a column kept twice ----------------------------------


@pytest.mark.parametrize(
    ("used", "section", "line"),
    [
        ('applicant:\n  email: "Email"\ncolumns: []\n', "applicant email", 3),
        ('columns:\n  - heading: "Email"\n    field: qualified_status\n', "columns", 3),
        ('keep:\n  - "Email"\ncolumns: []\n', "keep", 3),
    ],
)
def test_a_heading_under_ignore_that_is_also_used_is_refused(
    tmp_path: Path, used: str, section: str, line: int
) -> None:
    text = f"schema_version: 1\n{used}ignore:\n  - Start time\n  - Email\n"
    mapping = write(tmp_path / "mapping.yaml", text)
    ignore_line = text.splitlines().index("  - Email") + 1
    assert only_error(validate(mapping)) == (
        f"masterycheck: error: {mapping}:{ignore_line}:5: 'Email' is under ignore but also "
        f"under {section} at line {line}: take it out of one of them"
    )


def test_a_heading_kept_twice_is_refused(tmp_path: Path) -> None:
    mapping = write(
        tmp_path / "mapping.yaml",
        'schema_version: 1\ncolumns: []\nkeep:\n  - "Statement"\n  - "Notes"\n  - "Statement"\n',
    )
    assert only_error(validate(mapping)) == (
        f"masterycheck: error: {mapping}:6:5: 'Statement' is kept twice (first at line 4): "
        "keep it once"
    )


def test_screen_refuses_an_ignore_entry_that_finds_a_column_the_mapping_reads(
    tmp_path: Path,
) -> None:
    # "email:" is not "Email" as written, so only the export can show they are one column.
    mapping = write(
        tmp_path / "mapping.yaml",
        'schema_version: 1\napplicant:\n  email: "Email"\ncolumns: []\nignore:\n  - "email:"\n',
    )
    export = write(tmp_path / "export.csv", "Email,QTS?\r\na@x.example,Yes\r\n")
    assert only_error(screen(export, mapping)) == (
        f"masterycheck: error: {mapping}:6:5: 'email:' under ignore finds column A 'Email', "
        "which applicant email at line 3 reads: take it out of one of them"
    )


def test_screen_refuses_two_keep_entries_that_find_the_same_column(tmp_path: Path) -> None:
    mapping = write(
        tmp_path / "mapping.yaml",
        'schema_version: 1\ncolumns: []\nkeep:\n  - "Statement"\n  - "statement:"\n',
    )
    export = write(tmp_path / "export.csv", "ID,Statement\r\n1,I teach maths.\r\n")
    assert only_error(screen(export, mapping)) == (
        f"masterycheck: error: {mapping}:5:5: 'statement:' finds column B 'Statement', which "
        "is already kept at line 4: keep it once"
    )


# --- 3. a mapping made for another programme ----------------------------------------------


def test_loading_a_mapping_for_another_programme_is_refused_at_its_programme_key(
    tmp_path: Path,
) -> None:
    catalogue = load_catalogue()
    secondary = load_programme(resolve_programme("secondary"), catalogue)
    primary = load_programme(resolve_programme("primary"), catalogue)
    path = write(tmp_path / "m.yaml", "schema_version: 1\nprogramme: primary\ncolumns: []\n")
    with pytest.raises(InputError) as caught:
        load_mapping(path, catalogue, programme=secondary)
    assert caught.value.one_line() == (
        f"{path}:2:12: the mapping is for primary, but --programme is secondary "
        "(make a mapping for secondary, or screen with --programme primary)"
    )
    loaded = load_mapping(path, catalogue, programme=primary)
    with pytest.raises(InputError):
        check_mapping_programme(loaded, secondary)
    # A mapping that names no programme fits any.
    anywhere = write(tmp_path / "any.yaml", "schema_version: 1\ncolumns: []\n")
    check_mapping_programme(load_mapping(anywhere, catalogue), secondary)


def test_screen_refuses_a_mapping_made_for_another_programme(tmp_path: Path) -> None:
    export = write(tmp_path / "export.csv", "ID,QTS?\r\n1,Yes\r\n")
    mapping = write(tmp_path / "m.yaml", "schema_version: 1\nprogramme: primary\ncolumns: []\n")
    result = run(
        "screen", export, "--programme", "secondary", "--mapping", mapping, "--allow-missing"
    )
    assert only_error(result) == (
        f"masterycheck: error: {mapping}:2:12: the mapping is for primary, but --programme is "
        "secondary (make a mapping for secondary, or screen with --programme primary)"
    )
    assert not (tmp_path / "export-screened.csv").exists()


def test_validate_refuses_a_mapping_for_a_programme_that_does_not_exist(tmp_path: Path) -> None:
    mapping = write(tmp_path / "m.yaml", "schema_version: 1\nprogramme: primry\ncolumns: []\n")
    error = only_error(validate(mapping))
    assert error.startswith(
        f"masterycheck: error: {mapping}:2:12: the mapping is for programme 'primry', which is "
        "not a known programme (choose one of: "
    )
    assert "primary" in error
    # A programme file given beside the mapping is a known programme.
    text = (REPO / "criteria" / "primary.yaml").read_text(encoding="utf-8")
    programme = write(tmp_path / "primry.yaml", text.replace("\nid: primary\n", "\nid: primry\n"))
    result = validate(mapping, programme)
    assert result.exit_code == ExitCode.OK, result.stderr


def test_validate_says_when_the_named_programme_needs_fields_no_column_provides(
    tmp_path: Path,
) -> None:
    mapping = write(
        tmp_path / "m.yaml",
        "schema_version: 1\nprogramme: primary\ncolumns:\n"
        '  - heading: "QTS?"\n    field: qualified_status\n',
    )
    result = validate(mapping)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout.startswith(f"ok: {mapping} (mapping: 1 columns; no column for ")
    assert result.stdout.endswith(
        " field(s) the primary essential criteria need, so screening needs --allow-missing)\n"
    )


# --- 4. export headings that differ only by case or punctuation ---------------------------


def test_a_mapping_heading_matching_several_export_columns_loosely_is_refused(
    tmp_path: Path,
) -> None:
    export = write(
        tmp_path / "export.csv", "ID,Email,EMAIL,QTS?\r\n1,a@x.example,b@x.example,Yes\r\n"
    )
    mapping = write(
        tmp_path / "mapping.yaml", 'schema_version: 1\napplicant:\n  email: "email:"\ncolumns: []\n'
    )
    assert only_error(screen(export, mapping)) == (
        f"masterycheck: error: {mapping}:3:3: the heading 'email:' matches 2 columns of the "
        "export once case, spaces and punctuation are ignored (column B 'Email', column C "
        "'EMAIL'), and none exactly (write the heading exactly as the export spells the one "
        "you mean)"
    )
    assert not (tmp_path / "export-screened.csv").exists()


def test_an_exact_heading_match_wins_over_loose_ones(tmp_path: Path) -> None:
    export = write(
        tmp_path / "export.csv", "ID,Email,email,QTS?\r\n1,first@x.example,second@x.example,Yes\r\n"
    )
    mapping = write(
        tmp_path / "mapping.yaml", 'schema_version: 1\napplicant:\n  email: "email"\ncolumns: []\n'
    )
    out = tmp_path / "out.csv"
    result = screen(export, mapping, "-o", out)
    assert result.exit_code == ExitCode.OK, result.stderr
    headings, row = read_csv(out)
    assert row[headings.index("applicant_email")] == "second@x.example"


def test_headings_from_the_export_are_shown_escaped_in_messages(tmp_path: Path) -> None:
    export = write(
        tmp_path / "export.csv",
        "ID,Email\x1b[2J,email\x1b[2J,QTS?\r\n1,a@x.example,b@x.example,Yes\r\n",
    )
    mapping = write(
        tmp_path / "mapping.yaml",
        'schema_version: 1\napplicant:\n  email: "EMAIL 2J"\n'
        'keep:\n  - "Motivation\\u202e"\ncolumns: []\n',
    )
    error = only_error(screen(export, mapping))
    assert "column B 'Email\\x1b[2J', column C 'email\\x1b[2J'" in error
    assert "\x1b" not in error
    # The mapping's own headings are escaped too (here, a right-to-left override).
    write(
        tmp_path / "mapping.yaml",
        mapping.read_text(encoding="utf-8").replace("EMAIL 2J", "Email\\e[2J"),
    )
    error = only_error(screen(export, mapping))
    assert "no column headed 'Motivation\\u202e'" in error and "\u202e" not in error


# --- 5. kept columns named like the results file's own columns ----------------------------


def test_kept_columns_named_like_result_columns_are_renamed_never_duplicated(
    tmp_path: Path,
) -> None:
    export = write(
        tmp_path / "export.csv",
        "ID,Verdict,QTS,qts:,Notes\r\n1,Strong candidate,Yes,old answer,see file\r\n",
    )
    mapping = write(
        tmp_path / "mapping.yaml",
        "schema_version: 1\n"
        'applicant:\n  id: "ID"\n'
        'columns:\n  - heading: "QTS"\n    field: qualified_status\n'
        'keep:\n  - "Verdict"\n  - "qts:"\n  - "Notes"\n',
    )
    out = tmp_path / "out.csv"
    result = screen(export, mapping, "-o", out)
    assert result.exit_code == ExitCode.OK, result.stderr
    headings, row = read_csv(out)
    folded = [h.casefold() for h in headings]
    assert len(folded) == len(set(folded)), headings
    assert headings[-3:] == ["export: Verdict", "qts:", "export: Notes"]
    assert row[headings.index("export: Verdict")] == "Strong candidate"
    assert row[headings.index("verdict")] in {"eligible", "incomplete", "not_eligible"}
    assert row[headings.index("export: Notes")] == "see file"

    as_json = tmp_path / "out.jsonl"
    assert screen(export, mapping, "-o", as_json).exit_code == ExitCode.OK
    record = json.loads(as_json.read_text(encoding="utf-8"))
    assert record["kept"] == {
        "export: Verdict": "Strong candidate",
        "qts:": "old answer",
        "export: Notes": "see file",
    }

    openpyxl = pytest.importorskip("openpyxl")
    as_xlsx = tmp_path / "out.xlsx"
    assert screen(export, mapping, "-o", as_xlsx).exit_code == ExitCode.OK
    sheet = openpyxl.load_workbook(as_xlsx)["Results"]
    ids = [str(cell.value) for cell in sheet[2]]  # the column ids, in the sheet's own order
    assert sorted(ids) == sorted(headings)


def test_an_answer_always_read_as_unknown_cannot_be_mapped_to_a_value(tmp_path: Path) -> None:
    # "N/A" is read as unknown before the value map is looked at: "none" would never apply.
    mapping = write(tmp_path / "mapping.yaml", QTS_MAPPING + '      "N/A": "none"\n')
    assert only_error(validate(mapping)) == (
        f"masterycheck: error: {mapping}:12:7: answer 'N/A' is always read as unknown (like a "
        'blank or "don\'t know"), so this entry would never apply: map it to null or take it out'
    )
    write(mapping, QTS_MAPPING + '      "N/A": null\n')
    assert validate(mapping).exit_code == ExitCode.OK


def test_a_mapping_problem_is_a_core_problem_located_in_the_file() -> None:
    catalogue = load_catalogue()
    mapping = MappingFile.model_validate({"columns": [{"heading": "Q", "field": "nope"}]})
    with pytest.raises(MappingProblem) as caught:
        check_mapping(mapping, catalogue)
    assert isinstance(caught.value, Problem)
    assert str(caught.value).startswith("unknown field 'nope'")
    assert caught.value.loc == ("columns", 0, "field")


def test_a_column_for_an_unapplied_overlay_is_not_read_and_one_for_an_applied_one_is() -> None:
    from masterycheck.core.overlay import Overlay, extend_catalogue
    from masterycheck.files.mapping_file import unapplied_overlay_columns

    catalogue = load_catalogue()
    column = {"heading": "LA", "field": "hub_area", "overlay": "a_hub", "values": {"X": "x"}}
    mapping = MappingFile.model_validate({"columns": [column]})
    check_mapping(mapping, catalogue)  # not applied: the column is not read, not refused
    assert [c.field for c in unapplied_overlay_columns(mapping, catalogue)] == ["hub_area"]
    field = {
        "id": "hub_area",
        "label": "Hub area",
        "type": "one_of",
        "question": "Which area?",
        "choices": [{"id": "y", "label": "Y"}],
    }
    overlay = Overlay.model_validate({"name": "A hub", "hub": "a_hub", "add_fields": [field]})
    extended = extend_catalogue(catalogue, overlay)
    assert unapplied_overlay_columns(mapping, extended) == []
    with pytest.raises(MappingProblem, match="does not fit"):
        check_mapping(mapping, extended)  # applied: "x" is not a choice of the overlay's field


def test_an_overlay_cannot_redefine_a_catalogue_field() -> None:
    from masterycheck.core.overlay import Overlay, OverlayProblem, extend_catalogue

    field = {"id": "in_england", "label": "E", "type": "yes_no", "question": "In England?"}
    overlay = Overlay.model_validate({"name": "A hub", "hub": "a_hub", "add_fields": [field]})
    with pytest.raises(OverlayProblem, match="already in the catalogue") as caught:
        extend_catalogue(load_catalogue(), overlay)
    assert caught.value.loc == ("add_fields", 0, "id")
