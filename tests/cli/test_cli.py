"""The command line end to end: verdicts and exit codes, formats, reports and golden outputs.

Most tests drive the typer app in-process with ``CliRunner``; a few run the real entry point
(``python -m masterycheck``) in a subprocess or on a pseudo-terminal.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pexpect
import pytest
from typer.testing import CliRunner, Result

from masterycheck.cli import app as app_module
from masterycheck.cli.app import app
from masterycheck.errors import ExitCode

if TYPE_CHECKING:
    from conftest import Golden

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CRITERIA = REPO / "criteria"
AS_OF = "2026-01-10"  # primary window open (closes 23 April 2026), secondary closed
ANSI_ESCAPE = "\x1b["

runner = CliRunner()


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test reads the repository's criteria, whatever the environment says."""
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, [str(arg) for arg in args], env=env, catch_exceptions=False)


def run_json(*args: str | Path) -> tuple[int, Any]:
    result = run(*args, "--format", "json")
    assert result.stderr == "", result.stderr
    return result.exit_code, json.loads(result.stdout)


def example(name: str) -> Path:
    path = EXAMPLES / f"{name}.yaml"
    assert path.is_file(), f"missing example profile {path}"
    return path


def run_module(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m masterycheck`` from the repository, as a user would."""
    environment = {**os.environ, "PYTHONPATH": "src", "PYTHONIOENCODING": "utf-8", **(env or {})}
    environment.pop("MASTERYCHECK_CRITERIA", None)
    return subprocess.run(
        [sys.executable, "-m", "masterycheck", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def run_on_terminal(*args: str, env: dict[str, str]) -> tuple[str, int]:
    """Run ``python -m masterycheck`` on a pseudo-terminal; return its output and exit code."""
    environment = {**os.environ, "PYTHONPATH": "src", "TERM": "xterm-256color", **env}
    for name in ("MASTERYCHECK_CRITERIA", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        environment.pop(name, None)
    if "NO_COLOR" not in env:
        environment.pop("NO_COLOR", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "masterycheck", *args],
        cwd=str(REPO),
        env=environment,
        encoding="utf-8",
        dimensions=(40, 100),
        timeout=60,
    )
    output = str(child.read())
    child.close()
    return output, int(child.exitstatus)


# --- check: verdicts and exit codes ----------------------------------------------------------


def test_check_eligible_primary_teacher_exits_0_with_every_criterion_in_json() -> None:
    code, data = run_json(
        "check", "primary", "--profile", example("primary-eligible"), "--as-of", AS_OF
    )
    assert code == ExitCode.OK
    assert data["programme"] == "primary"
    assert data["verdict"] == "eligible"
    assert data["as_of"] == AS_OF
    assert data["stopped_by"] == []
    assert len(data["criteria"]) == 17
    levels = [c["level"] for c in data["criteria"]]
    assert levels.count("essential") == 11
    assert levels.count("desirable") == 6
    for criterion in data["criteria"]:
        assert criterion["id"]
        assert criterion["kind"] in {"fact", "evidence"}
        assert criterion["outcome"] in {"met", "not_met", "unknown"}
        assert criterion["reason"]
    qts = next(c for c in data["criteria"] if c["id"] == "qts")
    assert (qts["level"], qts["kind"], qts["outcome"]) == ("essential", "fact", "met")
    assert data["window"]["state"] == "open"
    assert data["window"]["days"] == 103
    assert data["window"]["closes"] == "2026-04-23"


def test_check_not_eligible_exits_3_and_names_the_failing_criterion() -> None:
    code, data = run_json(
        "check", "primary", "--profile", example("primary-eligible"), "--as-of", AS_OF,
        "--answer", "qualified_status=none",
    )  # fmt: skip
    assert code == ExitCode.NOT_ELIGIBLE
    assert data["verdict"] == "not_eligible"
    assert data["stopped_by"] == ["qts"]
    assert data["path_to_eligibility"], "a not-eligible verdict says what to do"


def test_check_incomplete_exits_4_when_an_essential_answer_is_dont_know() -> None:
    code, data = run_json(
        "check", "primary", "--profile", example("primary-eligible"), "--as-of", AS_OF,
        "--answer", "head_understands_commitment=don't know",
    )  # fmt: skip
    assert code == ExitCode.INCOMPLETE
    assert data["verdict"] == "incomplete"
    head = next(c for c in data["criteria"] if c["id"] == "headteacher_understands_commitment")
    assert head["outcome"] == "unknown"


def test_answer_option_overrides_the_profile_file() -> None:
    _, before = run_json(
        "check", "primary", "-p", example("primary-not-eligible"), "--as-of", AS_OF
    )
    assert before["stopped_by"] == ["qts"]
    code, after = run_json(
        "check", "primary", "-p", example("primary-not-eligible"), "--as-of", AS_OF,
        "-a", "qualified_status=qts",
    )  # fmt: skip
    assert code == ExitCode.OK
    assert after["verdict"] == "eligible"
    qts = next(c for c in after["criteria"] if c["id"] == "qts")
    assert qts["outcome"] == "met"


def test_answer_option_works_without_a_profile_file() -> None:
    code, data = run_json("check", "primary", "--answer", "qualified_status=none", "--as-of", AS_OF)
    assert code == ExitCode.NOT_ELIGIBLE
    assert data["stopped_by"] == ["qts"]


def test_the_last_answer_option_for_a_field_wins() -> None:
    code, data = run_json(
        "check", "primary", "-a", "qualified_status=none", "-a", "qualified_status=qts",
        "--as-of", AS_OF,
    )  # fmt: skip
    assert code == ExitCode.INCOMPLETE  # QTS met; the other essential facts are unknown
    assert data["stopped_by"] == []


def test_answer_option_without_equals_sign_is_one_line_error_exit_2() -> None:
    result = run("check", "primary", "--answer", "foo")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "masterycheck: error: --answer: expected FIELD=VALUE, e.g. --answer qts_date=2019"
    ]


def test_check_accepts_a_programme_file_path_instead_of_an_id(tmp_path: Path) -> None:
    copy = tmp_path / "my-primary.yaml"
    copy.write_text((CRITERIA / "primary.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code, data = run_json("check", copy, "-p", example("primary-eligible"), "--as-of", AS_OF)
    assert code == ExitCode.OK
    assert data["programme"] == "primary"


# --- check --all -----------------------------------------------------------------------------

MIDDLE_SCHOOL_KS3 = """\
# A KS3 maths teacher in a state-funded middle school in England.
qualified_status: qts
qts_date: 2015-07
school_type: middle
state_funded: "yes"
in_england: "yes"
key_stages_taught: [ks3]
years_teaching_maths: 9
can_fulfil_commitment: "yes"
head_understands_commitment: "yes"
"""


def test_check_all_sorts_assessments_best_fit_first() -> None:
    code, data = run_json("check", "--all", "-p", example("primary-eligible"), "--as-of", AS_OF)
    assert code == ExitCode.OK  # the exit code is the best fit's verdict
    assert set(data) == {"as_of", "best_fit", "assessments"}
    verdicts = [(a["programme"], a["verdict"]) for a in data["assessments"]]
    # A primary school settles post-16 as not met (no post-16 students), as it does secondary.
    assert verdicts[0] == ("primary", "eligible")
    assert sorted(verdicts[1:]) == [("post16", "not_eligible"), ("secondary", "not_eligible")]
    assert data["best_fit"] == "primary"
    assert data["as_of"] == AS_OF


def test_check_all_puts_programmes_the_setting_rules_out_last_with_one_reason() -> None:
    code, data = run_json("check", "--all", "-p", example("primary-eligible"), "--as-of", AS_OF)
    assert code == ExitCode.OK
    fits = {a["programme"]: a["not_for_you"] for a in data["assessments"]}
    assert fits["primary"] is None
    assert "secondary school" in fits["secondary"]
    assert "16-19 students" in fits["post16"]
    text = runner.invoke(
        app, ["check", "--all", "-p", str(example("primary-eligible")), "--as-of", AS_OF]
    )
    assert "Not for you" in text.stdout
    assert "What stops you" not in text.stdout  # no failed criteria of programmes not asked


def test_check_all_exit_code_is_the_best_verdict() -> None:
    code, data = run_json("check", "--all", "-p", example("post16-incomplete"), "--as-of", AS_OF)
    assert code == ExitCode.INCOMPLETE
    assert data["best_fit"] == "post16"
    assert data["assessments"][0]["verdict"] == "incomplete"


def test_middle_school_ks3_teacher_is_eligible_for_secondary_and_assessed_for_primary(
    tmp_path: Path,
) -> None:
    profile = tmp_path / "middle.yaml"
    profile.write_text(MIDDLE_SCHOOL_KS3, encoding="utf-8")
    code, data = run_json("check", "--all", "--profile", profile, "--as-of", AS_OF)
    assert code == ExitCode.OK
    by_programme = {a["programme"]: a for a in data["assessments"]}
    assert set(by_programme) == {"primary", "secondary", "post16"}
    assert by_programme["secondary"]["verdict"] == "eligible"
    assert data["best_fit"] == "secondary"
    primary = {c["id"]: c for c in by_programme["primary"]["criteria"]}
    assert len(primary) == 17
    assert primary["qts"]["outcome"] == "met"
    rank = {"eligible": 0, "incomplete": 1, "not_eligible": 2}
    ranks = [rank[a["verdict"]] for a in data["assessments"]]
    assert ranks == sorted(ranks)


# --- check: Markdown, text, --report ---------------------------------------------------------


def test_markdown_report_of_a_not_eligible_teacher_has_a_path_to_eligibility() -> None:
    result = run(
        "check", "primary", "-p", example("primary-not-eligible"), "--as-of", AS_OF,
        "--format", "markdown",
    )  # fmt: skip
    assert result.exit_code == ExitCode.NOT_ELIGIBLE
    assert "## Primary Mastery Specialist Programme" in result.stdout
    assert "**Verdict: NOT ELIGIBLE" in result.stdout
    path_section = result.stdout.split("### Path to eligibility", 1)[1]
    assert "- [ ] Hold Qualified Teacher Status before you apply." in path_section


def test_markdown_report_of_an_eligible_teacher_has_no_path_to_eligibility() -> None:
    result = run(
        "check", "primary", "-p", example("primary-eligible"), "--as-of", AS_OF, "-f", "markdown"
    )
    assert result.exit_code == ExitCode.OK
    assert "## Primary Mastery Specialist Programme" in result.stdout
    assert "Path to eligibility" not in result.stdout


def test_report_option_writes_the_markdown_report_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    result = run(
        "check", "primary", "-p", example("primary-not-eligible"), "--as-of", AS_OF,
        "--report", target,
    )  # fmt: skip
    assert result.exit_code == ExitCode.NOT_ELIGIBLE
    written = target.read_text(encoding="utf-8")
    assert "## Primary Mastery Specialist Programme" in written
    assert "### Path to eligibility" in written
    markdown = run(
        "check", "primary", "-p", example("primary-not-eligible"), "--as-of", AS_OF,
        "-f", "markdown",
    ).stdout  # fmt: skip
    assert written.rstrip("\n") == markdown.rstrip("\n")


def test_report_option_refuses_to_overwrite_the_profile_file(tmp_path: Path) -> None:
    profile = tmp_path / "answers.md"  # a YAML profile, whatever its name
    original = example("primary-not-eligible").read_text(encoding="utf-8")
    profile.write_text(original, encoding="utf-8")
    result = run("check", "primary", "-p", profile, "--as-of", AS_OF, "--report", profile)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr.splitlines() == [
        f"masterycheck: error: refusing to overwrite the input file {profile.name}; "
        "choose another output name"
    ]
    assert profile.read_text(encoding="utf-8") == original


def test_report_option_pointing_at_a_yaml_profile_is_refused(tmp_path: Path) -> None:
    profile = tmp_path / "answers.yaml"
    original = example("primary-not-eligible").read_text(encoding="utf-8")
    profile.write_text(original, encoding="utf-8")
    result = run("check", "primary", "-p", profile, "--as-of", AS_OF, "--report", profile)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr.splitlines() == [
        "masterycheck: error: --report: the report file must end in .md or .html"
    ]
    assert profile.read_text(encoding="utf-8") == original


def test_text_report_of_not_eligible_says_so_in_words() -> None:
    result = run(
        "check", "primary", "-p", example("primary-not-eligible"), "--as-of", AS_OF,
        env={"NO_COLOR": "1"},
    )  # fmt: skip
    assert result.exit_code == ExitCode.NOT_ELIGIBLE
    assert "NOT ELIGIBLE" in result.stdout
    assert "not met" in result.stdout
    assert "Path to eligibility" in result.stdout
    assert ANSI_ESCAPE not in result.stdout


def test_text_report_on_a_terminal_is_styled() -> None:
    output, code = run_on_terminal(
        "check", "primary", "-p", "examples/primary-not-eligible.yaml", "--as-of", AS_OF, env={}
    )
    assert code == ExitCode.NOT_ELIGIBLE
    assert ANSI_ESCAPE in output  # so the NO_COLOR test below can see an escape if there is one


def test_no_color_on_a_terminal_gives_no_ansi_escapes() -> None:
    output, code = run_on_terminal(
        "check", "primary", "-p", "examples/primary-not-eligible.yaml", "--as-of", AS_OF,
        env={"NO_COLOR": "1"},
    )  # fmt: skip
    assert code == ExitCode.NOT_ELIGIBLE
    assert "NOT ELIGIBLE" in output
    assert "not met" in output
    assert ANSI_ESCAPE not in output, f"escapes under NO_COLOR: {output[:120]!r}"


# --- the real entry point ------------------------------------------------------------------


def test_python_m_masterycheck_check_eligible_exits_0_with_json() -> None:
    completed = run_module(
        "check", "primary", "--profile", "examples/primary-eligible.yaml", "--as-of", AS_OF,
        "--format", "json",
    )  # fmt: skip
    assert completed.returncode == ExitCode.OK, completed.stderr
    assert completed.stderr == ""
    data = json.loads(completed.stdout)
    assert (data["programme"], data["verdict"]) == ("primary", "eligible")


def test_python_m_masterycheck_check_not_eligible_exits_3() -> None:
    completed = run_module(
        "check", "primary", "--answer", "qualified_status=none", "--as-of", AS_OF, "-f", "json"
    )
    assert completed.returncode == ExitCode.NOT_ELIGIBLE, completed.stderr
    assert json.loads(completed.stdout)["verdict"] == "not_eligible"


def test_python_m_masterycheck_bad_answer_exits_2_with_one_line() -> None:
    completed = run_module("check", "primary", "--answer", "foo")
    assert completed.returncode == ExitCode.BAD_INPUT
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == [
        "masterycheck: error: --answer: expected FIELD=VALUE, e.g. --answer qts_date=2019"
    ]


def test_ctrl_c_exits_130_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(app_module, "app", interrupted)
    with pytest.raises(SystemExit) as exited:
        app_module.main()
    assert exited.value.code == ExitCode.INTERRUPTED
    captured = capsys.readouterr()
    assert captured.err.strip() == "masterycheck: interrupted"
    assert "Traceback" not in captured.err


# --- programmes, fields, explain -------------------------------------------------------------


def test_programmes_json_lists_three_programmes_with_counts_and_window_states() -> None:
    code, rows = run_json("programmes", "--as-of", AS_OF)
    assert code == ExitCode.OK
    summary = {row["id"]: (row["essential"], row["desirable"], row["window"]) for row in rows}
    assert summary == {
        "primary": (11, 6, "open"),
        "secondary": (9, 6, "closed"),
        "post16": (4, 0, "not_published"),
    }
    primary = next(row for row in rows if row["id"] == "primary")
    assert primary["window_message"] == "open: closes in 103 days, on 23 April 2026"


def test_programmes_window_state_follows_the_as_of_date() -> None:
    states = {
        day: {row["id"]: row["window"] for row in run_json("programmes", "--as-of", day)[1]}
        for day in ("2025-12-01", "2026-01-10", "2026-05-01")
    }
    assert [states[day]["primary"] for day in sorted(states)] == ["not_yet_open", "open", "closed"]


def test_fields_json_includes_qualified_status_with_its_choices() -> None:
    code, rows = run_json("fields")
    assert code == ExitCode.OK
    by_id = {row["id"]: row for row in rows}
    assert by_id["qualified_status"]["type"] == "one_of"
    assert by_id["qualified_status"]["choices"] == ["qts", "qtls", "none"]
    assert by_id["years_since_qts"]["derived_from"] == "qts_date"


def test_explain_secondary_json_lists_15_criteria_with_level_kind_text_and_rule() -> None:
    code, data = run_json("explain", "secondary")
    assert code == ExitCode.OK
    assert data["programme"] == "secondary"
    criteria = data["criteria"]
    assert len(criteria) == 15
    assert [c["level"] for c in criteria].count("essential") == 9
    for criterion in criteria:
        assert criterion["level"] in {"essential", "desirable"}
        assert criterion["kind"] in {"fact", "evidence"}
        assert criterion["text"]
        assert criterion["rule"]
    qts = next(c for c in criteria if c["id"] == "qts_two_years")
    assert "Years of QTS by the closing date is at least 2" in qts["rule"]


@pytest.mark.parametrize("command", [["programmes"], ["fields"], ["explain", "primary"]])
def test_info_commands_report_as_markdown(command: list[str]) -> None:
    result = run(*command, "--format", "markdown")
    assert result.exit_code == ExitCode.OK
    assert result.stdout.startswith("# ")
    assert "\n| " in result.stdout


# --- validate, test, schema ------------------------------------------------------------------


def test_validate_without_arguments_checks_the_bundled_files() -> None:
    result = run("validate")
    assert result.exit_code == ExitCode.OK, result.stderr
    lines = result.stdout.splitlines()
    assert lines
    assert all(line.startswith("ok: ") for line in lines), lines
    names = {Path(line.removeprefix("ok: ").split(" (")[0]).name for line in lines}
    assert {"fields.yaml", "primary.yaml", "secondary.yaml", "post16.yaml"} <= names


def test_test_command_without_arguments_passes_every_bundled_example() -> None:
    result = run("test")
    assert result.exit_code == ExitCode.OK, result.stdout
    lines = result.stdout.splitlines()
    summary = re.fullmatch(r"(\d+) passed, 0 failed", lines[-1])
    assert summary is not None, lines[-1]
    assert int(summary.group(1)) == len(lines) - 1 > 0
    assert all(line.startswith("PASS ") for line in lines[:-1])


def test_test_command_exits_1_when_an_example_expects_the_wrong_verdict(tmp_path: Path) -> None:
    text = (CRITERIA / "primary.yaml").read_text(encoding="utf-8")
    assert "\n    expect: eligible\n" in text
    wrong = tmp_path / "primary-wrong.yaml"
    wrong.write_text(
        text.replace("\n    expect: eligible\n", "\n    expect: not_eligible\n", 1),
        encoding="utf-8",
    )
    result = run("test", wrong)
    assert result.exit_code == ExitCode.FAILURE
    lines = result.stdout.splitlines()
    failures = [line for line in lines if line.startswith("FAIL ")]
    assert len(failures) == 1
    assert failures[0].startswith("FAIL primary: ")
    assert failures[0].endswith(": expected not_eligible, got eligible")
    assert re.fullmatch(r"\d+ passed, 1 failed", lines[-1])


@pytest.mark.parametrize("kind", ["profile", "programme", "catalogue"])
def test_schema_prints_a_json_schema(kind: str) -> None:
    result = run("schema", kind)  # JSON only: schema takes no --format
    assert result.exit_code == ExitCode.OK
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object"
    assert schema["properties"]


def test_schema_profile_lists_the_fields_and_forbids_other_keys() -> None:
    result = run("schema", "profile")
    assert result.exit_code == ExitCode.OK
    schema = json.loads(result.stdout)
    assert "qualified_status" in schema["properties"]
    assert "years_teaching_maths" in schema["properties"]
    assert schema["additionalProperties"] is False


def test_schema_all_holds_the_three_schemas() -> None:
    result = run("schema")
    assert result.exit_code == ExitCode.OK
    assert set(json.loads(result.stdout)) == {"programme", "catalogue", "profile"}


def test_schema_kinds_are_all_and_every_schema_files_make() -> None:
    from masterycheck.cli.schema import SchemaKind
    from masterycheck.files.schemas import SCHEMAS

    assert [kind.value for kind in SchemaKind] == ["all", *SCHEMAS]


@pytest.mark.parametrize("kind", ["mapping", "overlay"])
def test_schema_of_mapping_and_overlay_files_forbids_unknown_keys(kind: str) -> None:
    result = run("schema", kind)
    assert result.exit_code == ExitCode.OK
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["additionalProperties"] is False


def test_validate_reports_each_file_ok_or_its_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (CRITERIA / "primary.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "rule: {field: maths_role, equals: subject_leader}", "rule: {field: nope, gte: 1}"
        ),
        encoding="utf-8",
    )
    primary = CRITERIA / "primary.yaml"
    result = run("validate", bad, primary)
    assert result.exit_code == ExitCode.BAD_INPUT
    line = next(
        n
        for n, row in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1)
        if "field: nope" in row
    )
    assert result.stderr == f"masterycheck: error: {bad}:{line}:12: unknown field 'nope'\n"
    examples = primary_examples()
    assert result.stdout == f"ok: {primary} (11 essential, 6 desirable, {examples} examples)\n"
    result = run("validate", bad, primary, "--format", "json")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert json.loads(result.stdout) == [
        {"path": str(bad), "ok": False, "error": f"{bad}:{line}:12: unknown field 'nope'"},
        {
            "path": str(primary),
            "ok": True,
            "summary": f"11 essential, 6 desirable, {examples} examples",
        },
    ]


def primary_examples() -> int:
    """How many example candidates primary.yaml holds (issues add examples as they pin a
    reading)."""
    from masterycheck.files.criteria import load_catalogue, load_programme

    return len(load_programme(CRITERIA / "primary.yaml", load_catalogue()).programme.examples)


def test_test_command_reports_counts_and_every_example_as_json() -> None:
    code, data = run_json("test", CRITERIA / "primary.yaml")
    assert code == ExitCode.OK
    examples = primary_examples()
    assert (data["passed"], data["failed"]) == (examples, 0)
    assert len(data["results"]) == examples
    assert set(data["results"][0]) == {
        "programme",
        "example",
        "expected",
        "verdict",
        "expected_reason",
        "reason_found",
        "passed",
    }
    assert all(r["programme"] == "primary" and r["passed"] for r in data["results"])


# --- golden reports --------------------------------------------------------------------------

GOLDEN_CASES = [
    ("primary", "primary-eligible", ExitCode.OK),
    ("secondary", "secondary-not-eligible", ExitCode.NOT_ELIGIBLE),
    ("post16", "post16-incomplete", ExitCode.INCOMPLETE),
]


@pytest.mark.parametrize(("output_format", "suffix"), [("markdown", "md"), ("json", "json")])
@pytest.mark.parametrize(("programme", "profile", "exit_code"), GOLDEN_CASES)
def test_check_report_matches_golden_file(
    golden: Golden,
    programme: str,
    profile: str,
    exit_code: ExitCode,
    output_format: str,
    suffix: str,
) -> None:
    result = run(
        "check", programme, "--profile", example(profile), "--as-of", AS_OF,
        "--format", output_format,
    )  # fmt: skip
    assert result.exit_code == exit_code, result.stderr
    golden.check(f"{profile}.{suffix}", result.stdout)
