"""Bad input on the command line: one line on stderr, exit code 2, never a traceback.

Every mistake a user can make in a file or an option is reported as exactly one line starting
``masterycheck: error: `` that names the place (``file:line:column`` or the option).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from masterycheck.cli.app import app
from masterycheck.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]
CRITERIA = REPO / "criteria"
AS_OF = "2026-01-10"
PREFIX = "masterycheck: error: "
FIELDS_HINT = "(run 'masterycheck fields' to see the fields and accepted answers)"

runner = CliRunner()


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test reads the repository's criteria, whatever the environment says."""
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


def run(*args: str | Path) -> Result:
    return runner.invoke(app, [str(arg) for arg in args], catch_exceptions=False)


def error_line(result: Result, *, stdout: str = "") -> str:
    """Assert the run failed with exit 2 and one error line on stderr; return that line."""
    assert result.exit_code == ExitCode.BAD_INPUT, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(PREFIX), lines[0]
    assert result.stdout == stdout
    return lines[0]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def check_profile(profile: Path, *more: str) -> Result:
    return run("check", "primary", "--profile", profile, "--as-of", AS_OF, *more)


def known_programmes() -> str:
    return ", ".join(
        sorted(path.stem for path in CRITERIA.glob("*.yaml") if path.name != "fields.yaml")
    )


def line_and_column(text: str, needle: str) -> tuple[int, int]:
    """The 1-based line and column where ``needle`` first occurs in ``text``."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in text")


def primary_copy_with(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    """A copy of criteria/primary.yaml with ``old`` replaced once by ``new``."""
    text = (CRITERIA / "primary.yaml").read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"criteria/primary.yaml no longer holds {old!r}"
    changed = text.replace(old, new, 1)
    return write(tmp_path, "primary-copy.yaml", changed), changed


# --- profile files ---------------------------------------------------------------------------


def test_missing_profile_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    line = error_line(check_profile(missing))
    assert line == f"{PREFIX}{missing}: cannot read file: No such file or directory"


def test_profile_that_is_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "profile.yaml"
    folder.mkdir()
    line = error_line(check_profile(folder))
    assert line.startswith(f"{PREFIX}{folder}: cannot read file")


def test_yaml_syntax_error_in_profile_names_file_line_and_column(tmp_path: Path) -> None:
    profile = write(
        tmp_path,
        "profile.yaml",
        'qualified_status: qts\nschool_type: primary: junior\nin_england: "yes"\n',
    )
    line = error_line(check_profile(profile))
    where, _, message = line.removeprefix(PREFIX).rpartition(": YAML syntax error")
    assert where == f"{profile}:2:21"
    assert message.startswith(": mapping values are not allowed")


def test_duplicate_key_in_profile(tmp_path: Path) -> None:
    profile = write(tmp_path, "profile.yaml", "qualified_status: qts\nqualified_status: none\n")
    line = error_line(check_profile(profile))
    assert line == f"{PREFIX}{profile}:2:1: duplicate key 'qualified_status' (first at line 1)"


def test_alias_bomb_profile_is_refused_at_its_first_anchor(tmp_path: Path) -> None:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    profile = write(tmp_path, "bomb.yaml", "\n".join(rows) + "\n")
    line = error_line(check_profile(profile))  # refused at line 1: nothing was expanded
    assert line.startswith(f"{PREFIX}{profile}:1:")
    assert "anchors and aliases are not allowed" in line


def test_unknown_field_in_profile_suggests_the_close_one(tmp_path: Path) -> None:
    profile = write(tmp_path, "profile.yaml", "qualified_status: qts\nschool_typ: primary\n")
    line = error_line(check_profile(profile))
    assert line.startswith(f"{PREFIX}{profile}:2:")
    assert "unknown field 'school_typ'; did you mean 'school_type'?" in line
    assert line.endswith(FIELDS_HINT)


def test_unknown_field_is_an_error_even_when_lenient(tmp_path: Path) -> None:
    profile = write(tmp_path, "profile.yaml", "qualified_status: qts\nschool_typ: primary\n")
    line = error_line(check_profile(profile, "--lenient"))
    assert "unknown field 'school_typ'" in line


def test_maybe_for_a_yes_no_field_lists_the_accepted_answers(tmp_path: Path) -> None:
    profile = write(tmp_path, "profile.yaml", "teaches_same_class_maths: maybe\n")
    line = error_line(check_profile(profile))
    assert line == (
        f"{PREFIX}{profile}:1:27: teaches_same_class_maths: "
        f'expected yes or no (or "don\'t know") {FIELDS_HINT}'
    )


def test_maybe_with_lenient_becomes_unknown_with_a_note(tmp_path: Path) -> None:
    profile = write(
        tmp_path,
        "profile.yaml",
        "qualified_status: qts\nschool_type: primary\nteaches_same_class_maths: maybe\n"
        'can_fulfil_commitment: "yes"\nhead_understands_commitment: "yes"\n',
    )
    result = check_profile(profile, "--lenient", "--format", "json")
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["verdict"] == "incomplete"
    notes = [note for note in data["notes"] if note.startswith("teaches_same_class_maths:")]
    assert len(notes) == 1
    assert "treated as unknown" in notes[0]
    employed = next(c for c in data["criteria"] if c["id"] == "employed_primary_teaching_class")
    assert employed["outcome"] == "unknown"


def test_words_for_a_whole_number_field(tmp_path: Path) -> None:
    profile = write(tmp_path, "profile.yaml", "years_teaching_maths: lots\n")
    line = error_line(check_profile(profile))
    assert line.startswith(f"{PREFIX}{profile}:1:23: years_teaching_maths: expected a whole number")


def test_profile_that_is_a_list_not_a_mapping(tmp_path: Path) -> None:
    profile = write(tmp_path, "profile.yaml", "- qts\n- primary\n")
    line = error_line(check_profile(profile))
    assert line == f"{PREFIX}{profile}:1:1: a profile must be a mapping of field ids to answers"


# --- options ---------------------------------------------------------------------------------


def test_unknown_programme_lists_the_known_ones() -> None:
    line = error_line(run("check", "primry", "--answer", "qualified_status=qts"))
    assert line == f"{PREFIX}unknown programme 'primry' (choose one of: {known_programmes()})"


def test_unknown_programme_in_explain() -> None:
    line = error_line(run("explain", "tertiary"))
    assert line.startswith(f"{PREFIX}unknown programme 'tertiary'")


def test_bad_as_of_date() -> None:
    line = error_line(
        run("check", "primary", "-a", "qualified_status=qts", "--as-of", "2026-13-01")
    )
    assert line == f"{PREFIX}--as-of: expected a date as YYYY-MM-DD, e.g. 2026-03-01"


def test_bad_as_of_date_in_programmes() -> None:
    line = error_line(run("programmes", "--as-of", "next week"))
    assert line.startswith(f"{PREFIX}--as-of: ")


def test_neither_programme_nor_all() -> None:
    line = error_line(run("check", "--answer", "qualified_status=qts"))
    assert line == f"{PREFIX}name one PROGRAMME or give --all (e.g. masterycheck check primary)"


def test_both_programme_and_all() -> None:
    line = error_line(run("check", "primary", "--all", "--answer", "qualified_status=qts"))
    assert line.startswith(f"{PREFIX}name one PROGRAMME or give --all")


def test_no_profile_and_no_answers() -> None:
    line = error_line(run("check", "primary"))
    assert line == f"{PREFIX}give --profile FILE and/or --answer FIELD=VALUE"


def test_answer_with_a_value_not_among_the_choices() -> None:
    line = error_line(run("check", "primary", "--answer", "qualified_status=bogus"))
    assert line == f"{PREFIX}--answer: qualified_status: expected one of: qts, qtls, none"


def test_answer_for_a_derived_field() -> None:
    line = error_line(run("check", "primary", "--answer", "years_since_qts=3"))
    assert (
        line
        == f"{PREFIX}--answer: 'years_since_qts' is computed from 'qts_date'; answer that instead"
    )


def test_report_file_in_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "out.md"
    result = run("check", "primary", "-a", "qualified_status=none", "--report", target)
    assert result.exit_code == ExitCode.BAD_INPUT
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{PREFIX}{target}: the output folder")
    assert not target.parent.exists()


# --- programme files -------------------------------------------------------------------------


def test_misspelt_rule_field_in_a_programme_file_passed_to_check(tmp_path: Path) -> None:
    path, text = primary_copy_with(
        tmp_path,
        "rule: {field: can_fulfil_commitment,",
        "rule: {field: can_fulfill_commitment,",
    )
    line_no, _ = line_and_column(text, "can_fulfill_commitment")
    column = text.splitlines()[line_no - 1].index("field:") + 1
    line = error_line(run("check", path, "--answer", "qualified_status=qts"))
    assert line == f"{PREFIX}{path}:{line_no}:{column}: unknown field 'can_fulfill_commitment'"


def test_misspelt_rule_field_in_a_programme_file_passed_to_validate(tmp_path: Path) -> None:
    path, text = primary_copy_with(
        tmp_path,
        "rule: {field: can_fulfil_commitment,",
        "rule: {field: can_fulfill_commitment,",
    )
    line_no, _ = line_and_column(text, "can_fulfill_commitment")
    column = text.splitlines()[line_no - 1].index("field:") + 1
    line = error_line(run("validate", path))
    assert line == f"{PREFIX}{path}:{line_no}:{column}: unknown field 'can_fulfill_commitment'"


def test_validate_reports_the_bad_file_and_still_checks_the_good_one(tmp_path: Path) -> None:
    path, _ = primary_copy_with(
        tmp_path,
        "rule: {field: can_fulfil_commitment,",
        "rule: {field: can_fulfill_commitment,",
    )
    good = CRITERIA / "secondary.yaml"
    result = run("validate", path, good)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stdout.startswith(f"ok: {good} (")
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{PREFIX}{path}:")


def test_unknown_key_in_a_criterion_is_named_with_its_line(tmp_path: Path) -> None:
    path, text = primary_copy_with(tmp_path, "    level: essential\n", "    levle: essential\n")
    line_no, column = line_and_column(text, "levle:")
    commands: list[list[str | Path]] = [
        ["validate", path],
        ["check", path, "-a", "qualified_status=qts"],
    ]
    for command in commands:
        line = error_line(run(*command))
        assert line.startswith(f"{PREFIX}{path}:{line_no}:{column}: unknown key 'levle'"), line


def test_programme_file_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.yaml"
    line = error_line(run("validate", missing))
    assert line == f"{PREFIX}{missing}: cannot read file: No such file or directory"


def test_test_command_on_a_broken_programme_file_exits_2(tmp_path: Path) -> None:
    path, _ = primary_copy_with(
        tmp_path,
        "rule: {field: can_fulfil_commitment,",
        "rule: {field: can_fulfill_commitment,",
    )
    line = error_line(run("test", path))
    assert "unknown field 'can_fulfill_commitment'" in line


# --- the real entry point ------------------------------------------------------------------


def test_python_m_masterycheck_missing_profile_is_one_line_without_traceback(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "nowhere.yaml"
    completed = subprocess.run(
        [sys.executable, "-m", "masterycheck", "check", "primary", "-p", str(missing)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": "src", "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert completed.returncode == ExitCode.BAD_INPUT
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == [
        f"{PREFIX}{missing}: cannot read file: No such file or directory"
    ]
