"""Natural answers ("Sept 2019", "2016/17", "10+", "N/A") read alike by `check` (profile files
and --answer) and `interview` (typed), and an answer that cannot be read shown as such — never
as "no answer" — in every report format (issue 11, item 4). `screen` is pinned in
tests/batch/test_screening.py and tests/files/test_mapping_constants.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from typer.testing import CliRunner, Result

from masterycheck.cli.app import app
from masterycheck.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2025-05-01"
COLUMNS = 60
runner = CliRunner()

SECONDARY_FACTS = {
    "qualified_status": "qts",
    "school_type": "secondary",
    "state_funded": "yes",
    "in_england": "yes",
    "key_stages_taught": "KS3; KS4",
    "years_teaching_maths": "10+",
}


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


def check(*args: str | Path) -> Result:
    command = ["check", "secondary", "--as-of", AS_OF, *map(str, args)]
    return runner.invoke(app, command, catch_exceptions=False)


def answers(**more: str) -> list[str]:
    given = {**SECONDARY_FACTS, **more}
    return [part for key, value in given.items() for part in ("-a", f"{key}={value}")]


@pytest.mark.parametrize(
    ("qts_date", "verdict"),
    [
        ("July 2024", "not_eligible"),  # under two years on any day of July
        ("2016/17", "eligible"),
        ("Sept. 2019", "eligible"),
        ("Summer 2022", "eligible"),
        ("06/2015", "eligible"),
        ("1 Sept 2019", "eligible"),
        ("n/a", "incomplete"),
    ],
)
def test_check_reads_natural_dates_from_answer_options(qts_date: str, verdict: str) -> None:
    result = check(*answers(qts_date=qts_date), "--format", "json")
    assert json.loads(result.stdout)["verdict"] == verdict, result.stdout


def test_check_reads_natural_answers_from_a_profile_file_as_from_options(tmp_path: Path) -> None:
    profile = tmp_path / "me.yaml"
    facts = {**SECONDARY_FACTS, "qts_date": "2016-17", "years_teaching_maths": "two"}
    profile.write_text(yaml.safe_dump(facts), encoding="utf-8")
    result = check("--profile", profile, "--format", "json")
    data = json.loads(result.stdout)
    assert data["verdict"] == "eligible", result.stdout
    used = {a["field"]: a["value"] for c in data["criteria"] for a in c["answers"]}
    assert used["years_teaching_maths"] == "2"


def test_an_unreadable_answer_is_refused_without_lenient_naming_the_forms(tmp_path: Path) -> None:
    result = check(*answers(qts_date="the July after my PGCE"))
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "July 2019" in result.stderr  # the forms it reads
    assert "Traceback" not in result.stderr


@pytest.fixture()
def unreadable_profile(tmp_path: Path) -> Path:
    profile = tmp_path / "me.yaml"
    facts = {**SECONDARY_FACTS, "qts_date": "the July after my PGCE\x1b[31m"}
    profile.write_text(yaml.safe_dump(facts), encoding="utf-8")
    return profile


def test_lenient_check_shows_the_unreadable_answer_not_no_answer(unreadable_profile: Path) -> None:
    result = check("--profile", unreadable_profile, "--lenient")
    assert result.exit_code == 4  # incomplete
    said = " ".join(result.stdout.split())
    assert "could not read the answer “the July after my PGCE" in said
    assert "Answer again, in a form the checker reads" in said
    assert "Answer: When were you awarded QTS?" not in said
    assert "\x1b" not in result.stdout


def test_lenient_json_and_markdown_carry_the_unreadable_answer(
    unreadable_profile: Path, tmp_path: Path
) -> None:
    report = tmp_path / "me.md"
    result = check("--profile", unreadable_profile, "--lenient", "--format", "json")
    data = json.loads(result.stdout)
    qts = next(c for c in data["criteria"] if c["id"] == "qts_two_years")
    assert qts["unreadable"] == qts["missing"] != []
    quoted = {a["unreadable"] for a in qts["answers"] if "unreadable" in a}
    assert len(quoted) == 1 and quoted.pop().startswith("“the July after my PGCE")
    check("--profile", unreadable_profile, "--lenient", "--report", report)
    text = report.read_text(encoding="utf-8")
    assert "could not read the answer" in text and "the July after my PGCE" in text
    assert "\x1b" not in text


def test_interview_reads_typed_natural_answers_and_asks_again_with_a_hint(
    tmp_path: Path,
) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR")}
    env.update(PYTHONPATH=str(REPO / "src"), NO_COLOR="1", TERM="dumb")
    env.pop("MASTERYCHECK_CRITERIA", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "masterycheck", "interview", "secondary", "--as-of", AS_OF, "--save", "me.yaml"],
        env=env,
        cwd=str(tmp_path),
        dimensions=(24, COLUMNS),
        encoding="utf-8",
        timeout=10,
    )
    parts: list[str] = []

    class Log:
        def write(self, text: str) -> None:
            parts.append(text)

        def flush(self) -> None:
            pass

    child.logfile_read = Log()
    for text in ("1", "the July after my PGCE", "Sept 2019"):  # QTS; unreadable; a month
        child.expect_exact("> ")
        child.sendline(text)
    child.expect_exact("> ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    said = " ".join("".join(parts).split())
    assert "Not understood: expected a year (2019), a month" in said
    assert "Noted: 2019-09." in said
    saved = yaml.safe_load((tmp_path / "me.yaml").read_text(encoding="utf-8"))
    assert saved["qts_date"] == "2019-09"
