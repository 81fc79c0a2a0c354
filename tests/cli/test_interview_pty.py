"""`masterycheck interview` through a real pseudo-terminal: scripted answers, a 60-column
terminal, NO_COLOR, Ctrl-C and end of input; and the refusal when there is no terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-03-01"  # primary window open: closes 23 April 2026, in 53 days
COLUMNS = 60
PROMPT = "> "
CHECK = [sys.executable, "-m", "masterycheck", "check"]
QUESTION = re.compile(r"^Question (\d+) \(", re.MULTILINE)


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR")}
    env.update(PYTHONPATH=str(REPO / "src"), NO_COLOR="1", TERM="dumb")
    env.pop("MASTERYCHECK_CRITERIA", None)
    return env


class Session:
    """A running interview and everything it printed."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "masterycheck", "interview", *args],
            env=environment(),
            cwd=str(cwd),
            dimensions=(24, COLUMNS),
            encoding="utf-8",
            timeout=10,
        )
        self.child.delaybeforesend = None
        self.parts: list[str] = []
        self.child.logfile_read = self

    def write(self, text: str) -> None:  # pexpect's log
        self.parts.append(text)

    def flush(self) -> None:
        pass

    @property
    def output(self) -> str:
        return "".join(self.parts).replace("\r\n", "\n")

    @property
    def said(self) -> str:
        """The output with its line wrapping undone, to look for sentences."""
        return " ".join(self.output.split())

    def answer(self, *answers: str) -> None:
        for text in answers:
            self.child.expect_exact(PROMPT)
            self.child.sendline(text)

    def answer_all(self, text: str, limit: int = 40) -> None:
        """Give the same answer to every prompt until the interview ends."""
        for _ in range(limit):
            if self.child.expect_exact([PROMPT, pexpect.EOF]) == 1:
                return
            self.child.sendline(text)
        pytest.fail("the interview did not end")

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.signalstatus is None
        status = self.child.exitstatus
        assert isinstance(status, int)
        return status

    def questions(self) -> int:
        return len(QUESTION.findall(self.output))


def assert_clean(output: str) -> None:
    assert "Traceback" not in output
    assert "\x1b" not in output, "NO_COLOR and TERM=dumb: no escape sequences"
    widest = max(output.split("\n"), key=len)
    assert len(widest) <= COLUMNS, widest


PRIMARY_YES = [
    "1",  # QTS
    "primary",  # school type by name
    "y",  # same class
    "y",  # can fulfil the commitment
    "yes",  # headteacher understands
    *["y"] * 7,  # essential self-assessments
    "6",  # years teaching primary maths
    "2",  # additional status: MaST
    "1",  # subject leader
    *["y"] * 3,  # desirable self-assessments
]


def test_eligible_primary_teacher_with_report_and_saved_profile(tmp_path: Path) -> None:
    session = Session(
        "primary", "--as-of", AS_OF, "--save", "me.yaml", "--report", "me.md", cwd=tmp_path
    )
    session.answer(*PRIMARY_YES)
    assert session.finish() == 0
    assert_clean(session.output)
    out = session.said
    assert "Verdict: ELIGIBLE" in out
    assert "For every criterion and the" in out  # the short report, --full for the rest
    assert "Self-assessment: the hub judges this" in out
    assert "Published criterion: “Passion and enthusiasm for teaching for mastery”" in out
    assert "A hub looks for:" in out
    assert "nothing you answer here counts as proven" in out
    assert "open: closes in 53 days, on 23 April 2026" in out
    assert "10 days release time" in out and "funded by the Maths Hub" in out
    assert "residentials:" in out
    # the interview for one programme asks no more questions than the fields it reads
    assert session.questions() == len(PRIMARY_YES) == 18
    report = (tmp_path / "me.md").read_text(encoding="utf-8")
    assert "**Verdict: ELIGIBLE" in report
    assert "### Application window" in report
    saved = yaml.safe_load((tmp_path / "me.yaml").read_text(encoding="utf-8"))
    assert saved["school_type"] == "primary"
    assert saved["additional_status"] == ["mast"]
    checked = subprocess.run(
        [*CHECK, "primary", "--profile", "me.yaml", "--as-of", AS_OF, "--format", "json"],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["verdict"] == "eligible"


def test_independent_school_is_not_eligible_for_secondary_said_at_once(tmp_path: Path) -> None:
    session = Session("secondary", "--as-of", AS_OF, "--save", "me.yaml", cwd=tmp_path)
    session.answer("1", "2015-07", "5", "n")  # QTS, 2015, secondary school, not state-funded
    session.child.expect_exact("Go on? (y/n)")
    before_offer = session.said
    assert "Not met, and it is essential" in before_offer
    assert "State-funded: no (needs yes)" in before_offer
    assert "So you are not eligible for the Secondary" in before_offer
    assert session.questions() == 4
    session.answer("")  # Enter: stop and see the report
    assert session.finish() == 0
    assert_clean(session.output)
    out = session.said
    assert "Verdict: NOT ELIGIBLE" in out
    assert "Path to eligibility" in out
    assert "Question 5" not in out
    assert "closed on 12 June 2025" in out
    checked = subprocess.run(
        [*CHECK, "secondary", "--profile", "me.yaml", "--as-of", AS_OF],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 3  # not eligible, as the interview said


def test_dont_know_ends_incomplete(tmp_path: Path) -> None:
    session = Session("primary", "--as-of", AS_OF, "--save", "me.yaml", cwd=tmp_path)
    session.answer("1", "3", "y", "y", "don't know")  # the headteacher: don't know
    session.answer_all("")  # Enter: skip everything else
    assert session.finish() == 0
    assert_clean(session.output)
    out = session.said
    assert "Noted: don't know." in out
    assert "Verdict: INCOMPLETE" in out
    assert "Answer: Does your headteacher understand" in out
    assert "Not yet known" in out
    saved = yaml.safe_load((tmp_path / "me.yaml").read_text(encoding="utf-8"))
    assert saved["head_understands_commitment"] == "don't know"
    checked = subprocess.run(
        [*CHECK, "primary", "--profile", "me.yaml"],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        check=False,
    )
    assert checked.returncode == 4  # incomplete


def test_wrong_type_is_asked_again_then_ctrl_c_saves_and_exits_130(tmp_path: Path) -> None:
    session = Session("primary", "--save", "so-far.yaml", cwd=tmp_path)
    session.answer("?")  # help
    session.answer("a castle")  # not a choice
    session.child.expect_exact("Not understood: “a castle”. Type a number from 1 to 3")
    session.answer("1", "2", "perhaps")
    session.child.expect_exact("Not understood: expected yes or no")
    session.answer("y")
    session.child.expect_exact(PROMPT)
    session.child.sendintr()
    assert session.finish() == 130
    assert_clean(session.output)
    out = session.said
    assert "Qualified Teacher Status (QTS) is awarded in England" in out  # the help text
    assert "1) Qualified Teacher Status (QTS)" in out.split("a castle", 1)[0]  # listed by ?
    assert "1) Qualified Teacher Status (QTS)" not in out.split("a castle", 1)[1]  # a hint only
    assert "Interview stopped (Ctrl-C); answers so far saved to" in out
    saved = yaml.safe_load((tmp_path / "so-far.yaml").read_text(encoding="utf-8"))
    assert saved == {
        "qualified_status": "qts",
        "school_type": "junior",
        "teaches_same_class_maths": True,
    }


def test_end_of_input_leaves_cleanly_with_130(tmp_path: Path) -> None:
    session = Session(cwd=tmp_path)  # no programme: screening first
    session.child.expect_exact("What kind of school or college")
    session.answer("4")  # middle school: may fit primary and secondary
    session.child.expect_exact(PROMPT)
    session.child.sendeof()
    assert session.finish() == 130
    assert_clean(session.output)
    out = session.said
    assert "Interview stopped (end of input); nothing saved" in out
    assert not list(tmp_path.iterdir())


def test_no_programme_fe_lecturer_fits_post16_best(tmp_path: Path) -> None:
    session = Session("--as-of", AS_OF, "--report", "me.html", "--save", "me.yaml", cwd=tmp_path)
    session.answer("8")  # further education college
    session.child.expect_exact("Which maths do you teach to post-16")
    session.answer("1", "y", "y", "y")  # GCSE resit, compulsory maths, nominated, two years
    assert session.finish() == 0
    assert_clean(session.output)
    out = session.said
    # Phase first: the college rules primary and secondary out in one line each; their
    # criteria are never announced as failed (the teacher did not ask about them).
    assert "Not for you: Primary Mastery Specialist Programme" in out
    assert "Not for you: Secondary Mastery Specialist Programme" in out
    assert "So you are not eligible" not in out
    assert "Verdict: ELIGIBLE" in out
    assert session.questions() == 5
    page = (tmp_path / "me.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Best fit first" in page
    checked = subprocess.run(
        [*CHECK, "--all", "--profile", "me.yaml", "--as-of", AS_OF, "--format", "json"],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["best_fit"] == "post16"


def test_without_a_terminal_one_line_and_exit_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "masterycheck", "interview", "primary"],
        cwd=tmp_path,
        env=environment(),
        stdin=subprocess.PIPE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "needs a terminal" in lines[0]
    assert "check --profile" in lines[0]


def test_a_bad_report_name_is_refused_before_any_question(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "masterycheck", "interview", "--report", "me.pdf"],
        cwd=tmp_path,
        env=environment(),
        stdin=subprocess.PIPE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "--report" in result.stderr and ".md or .html" in result.stderr


# --- the same terminal layer in-process, for paths not worth a pseudo-terminal -------------


def scripted(programme_ids: list[str], answers: list[str]) -> tuple[str, list[str]]:
    """Run an interview with scripted answers; its output and the prompts it showed."""
    import io

    from rich.console import Console

    from masterycheck.cli.interview import Interview
    from masterycheck.files.criteria import load_all_programmes, load_catalogue

    catalogue = load_catalogue()
    programmes = [p for p in load_all_programmes(catalogue) if p.programme.id in programme_ids]
    sink = io.StringIO()
    out = Console(file=sink, width=COLUMNS, color_system=None, highlight=False)
    queue, prompts = list(answers), []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        if not queue:
            raise EOFError
        return queue.pop(0)

    session = Interview(out, programmes, named=len(programmes) == 1, ask=ask)
    session.run()
    return " ".join(sink.getvalue().split()), prompts


def test_going_on_after_a_failed_essential_asks_the_rest() -> None:
    said, prompts = scripted(["primary"], ["3", "y", *[""] * 30])  # no QTS; go on; skip all
    assert "Not met, and it is essential: “Qualified Teacher Status”" in said
    assert prompts.count("Go on? (y/n) > ") == 1
    assert "Question 2 (essential)" in said  # the questions went on
    assert "Question 18" in said and "Question 19" not in said


def test_qtls_is_for_the_hub_to_confirm() -> None:
    said, _ = scripted(["primary"], ["2", *[""] * 30])
    assert "For the hub to confirm (essential): “Qualified Teacher Status”" in said
    assert "Go on?" not in said  # nothing failed


def test_a_vague_qts_year_asks_once_for_the_month() -> None:
    said, _ = scripted(["secondary"], ["1", "2023", "", *[""] * 30])
    assert "2023 is not exact enough to settle “Qualified Teacher Status (for at least" in said
    assert "Kept: 2023." in said
    assert said.count("is not exact enough") == 1


def test_typed_escape_sequences_are_shown_never_obeyed(tmp_path: Path) -> None:
    save = "me\x1b[2J\x1b]8;;evil.example\x1b\\.yaml"  # a file name is data too
    session = Session("primary", "--as-of", AS_OF, "--save", save, cwd=tmp_path)
    # The terminal's own echo shows ESC as ^[; anything raw comes from the program.
    session.answer("\x1b[2J\x1b]0;pwned\x07[bold]x[/]", "1", "\x1b[31mnot a school")
    session.child.expect_exact(PROMPT)
    session.child.sendcontrol("c")
    assert session.finish() == 130
    assert "\x1b" not in session.output
    assert "\x07" not in session.output
    assert session.said.count("Not understood") >= 2
    assert "me\u241b[2J" in session.said  # the saved file's name, shown inert
    assert (tmp_path / save).is_file()


@pytest.mark.parametrize("named", [True, False], ids=["one programme", "no programme"])
def test_the_command_printed_after_saving_runs_as_printed(tmp_path: Path, named: bool) -> None:
    args = ["primary"] if named else []
    session = Session(*args, "--as-of", AS_OF, "--save", "me.yaml", cwd=tmp_path)
    session.answer_all("")  # don't know, to every question
    assert session.finish() == 0
    printed = [line.strip() for line in session.output.splitlines() if "masterycheck check" in line]
    header = (tmp_path / "me.yaml").read_text(encoding="utf-8").splitlines()[1]
    assert header.startswith("# Check them again with: masterycheck check ")
    for command in (printed[-1], header.removeprefix("# Check them again with: ")):
        words = command.split()
        assert words[:2] == ["masterycheck", "check"]
        ran = subprocess.run(
            [*CHECK, *words[2:], "--as-of", AS_OF],
            cwd=tmp_path,
            env=environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        assert ran.returncode in (0, 3, 4), ran.stderr  # a verdict, not a usage error
        assert "Verdict:" in ran.stdout


def test_secondary_teacher_with_recent_qts_hears_not_yet_and_when(tmp_path: Path) -> None:
    # Persona (issue 13): a secondary teacher with QTS in July 2024, no programme named, asked
    # in November 2026. Primary is not for her (one line); post-16 drops out once she says
    # KS3 and KS4 (typed as a person would); secondary is not met today, and the report says
    # when time meets it and what the next likely cohort would say.
    session = Session("--as-of", "2026-11-30", "--save", "me.yaml", cwd=tmp_path)
    session.answer("secondary", "KS3 and KS4", "1", "July 2024", "n")
    assert session.finish() == 0
    assert_clean(session.output)
    out = session.said
    assert "Not for you: Primary Mastery Specialist Programme" in out
    assert "Not for you: GCSE Resit and Functional Skills" in out
    assert "So you are not eligible for the Secondary Mastery Specialist Programme" in out
    assert "Time will meet it: from 31 July 2026" in out
    assert "Verdict: NOT ELIGIBLE" in out
    assert "running since September 2025" in out
    assert "counted to 12 June 2025" in out
    assert "Next time (projected — the next cohort's criteria are not yet published)" in out
    assert "met from 31 July 2026" in out
    assert session.questions() == 4
    assert [line for line in session.output.split("\n") if line != line.rstrip(" ")] == []
    checked = subprocess.run(
        [*CHECK, "--all", "--profile", "me.yaml", "--as-of", "2026-11-30", "--format", "json"],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 3, checked.stderr
    assessments = json.loads(checked.stdout)["assessments"]
    secondary = next(a for a in assessments if a["programme"] == "secondary")
    assert secondary["next_time"]["becomes_met"][0]["met_from"] == "2026-07-31"
