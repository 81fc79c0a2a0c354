"""Applicant data, headings, file names and criteria text reach a terminal only as inert text.

A name like ``"\\x1b[2J"`` must not clear the hub lead's screen, an OSC 8 sequence must not plant
a link, ``[bold red]…[/]`` must not be read as markup, and a line break in an option value must
not split an error line in two.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner, Result

from masterycheck.cli.app import app
from masterycheck.cli.common import console, print_json
from masterycheck.errors import ExitCode
from masterycheck.outputs.terminal import InertConsole, inert, one_line

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "examples" / "forms-export-primary.csv"
AS_OF = "2026-01-10"

CLEAR_SCREEN = "\x1b[2J\x1b[H"
OSC8_LINK = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
OSC0_TITLE = "\x1b]0;pwned\x07"
DCS = "\x1bP1$r0m\x1b\\"
C1_CSI = "\x9b31m"
HOSTILE_NAME = f"Eve{CLEAR_SCREEN}{OSC8_LINK}{OSC0_TITLE}{DCS}{C1_CSI} Evans"
MARKUP_HEADING = "[bold red]Are you the maths subject leader?[/]"

runner = CliRunner()


def run(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def assert_inert(text: str) -> None:
    """No escape sequence and no C1 control that a terminal would obey."""
    assert "\x1b" not in text
    assert "\x9b" not in text
    assert "\x07" not in text
    assert "\x90" not in text


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def hostile_export(tmp_path: Path, *, heading: str | None = None, name: str = HOSTILE_NAME) -> Path:
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    headings = rows[0]
    rows[1][headings.index("Name")] = name
    if heading is not None:
        headings[headings.index("Are you the maths subject leader?")] = heading
    target = tmp_path / "export.csv"
    with target.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return target


def test_inert_shows_control_characters_as_visible_stand_ins() -> None:
    assert inert("a\x1b[2Jb") == "a\u241b[2Jb"
    assert inert("\x9b31m") == "\ufffd31m"
    assert inert("x\u202ey") == "x\ufffdy"
    assert inert("two\nlines\tand a tab") == "two\nlines\tand a tab"
    assert len(inert(HOSTILE_NAME)) == len(HOSTILE_NAME)


def test_one_line_shows_line_breaks() -> None:
    assert one_line("a\nb\rc\td") == "a\u240ab\u240dc d"


def test_screen_summary_shows_a_hostile_name_as_text(tmp_path: Path) -> None:
    export = hostile_export(tmp_path)
    result = run("screen", export, "--programme", "primary", "--as-of", AS_OF)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert_inert(result.stderr)
    assert "Eve\u241b[2J" in result.stderr  # shown, not obeyed


def test_screen_summary_shows_markup_in_a_heading_literally(tmp_path: Path) -> None:
    export = hostile_export(tmp_path, heading=MARKUP_HEADING)
    result = run("screen", export, "--programme", "primary", "--as-of", AS_OF)
    assert result.exit_code == ExitCode.OK, result.stderr
    flat = " ".join(result.stderr.split())
    assert "[bold red]" in flat


def test_emoji_codes_in_a_name_stay_text(tmp_path: Path) -> None:
    export = hostile_export(tmp_path, name=":thumbs_up: Ann")
    result = run("screen", export, "--programme", "primary", "--as-of", AS_OF)
    assert ":thumbs_up: Ann" in result.stderr


def test_mapping_check_lines_show_a_hostile_heading_as_text(tmp_path: Path) -> None:
    heading = "\x1b[2JWhat type of school\x1b]0;x\x07 do you teach in? [bold]x[/]"
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    rows[0][rows[0].index("What type of school do you teach in?")] = heading
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    result = run("mapping", export, "--programme", "primary", "-o", tmp_path / "m.yaml")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert_inert(result.stderr)


def test_error_line_for_a_duplicate_heading_with_escape_is_inert(tmp_path: Path) -> None:
    export = tmp_path / "dup.csv"
    export.write_text("Name\x1b[2J,Name\x1b[2J,Email\nA,B,c@d.e\n", encoding="utf-8")
    result = run("screen", export, "--programme", "primary")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert_inert(result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1


def test_error_line_with_a_newline_in_an_option_value_stays_one_line() -> None:
    result = run("check", "prim\x1b[2Jary\nagain", "--profile", "x.yaml")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert len(result.stderr.strip().splitlines()) == 1
    assert_inert(result.stderr)
    result = run("check", "primary", "--profile", "no\nsuch\x1b]0;t\x07.yaml")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert len(result.stderr.strip().splitlines()) == 1
    assert_inert(result.stderr)


def test_console_with_colour_keeps_its_styles_but_obeys_no_data() -> None:
    stream = io.StringIO()
    styled = InertConsole(file=stream, force_terminal=True, color_system="truecolor", width=80)
    table = Table("applicant")
    table.add_row(HOSTILE_NAME)
    table.add_row(Text(HOSTILE_NAME, style="bold"))
    styled.print(Text(HOSTILE_NAME, style="red"))
    styled.print(table)
    styled.print(f"[bold]{HOSTILE_NAME}[/bold]")
    out = stream.getvalue()
    assert "\x1b[" in out  # rich's own styles are still there
    for sequence in ("\x1b[2J", "\x1b]", "\x1bP", "\x9b", "\x07"):
        assert sequence not in out
    assert "[bold]" in out


def test_command_consoles_are_inert() -> None:
    from masterycheck.cli.interview import terminal_console

    assert isinstance(console(), InertConsole)
    assert isinstance(console(stderr=True), InertConsole)
    assert isinstance(terminal_console(), InertConsole)


def test_json_on_stdout_escapes_every_control_character(capsys: pytest.CaptureFixture[str]) -> None:
    print_json({"name": HOSTILE_NAME + "\u2028"})
    out = capsys.readouterr().out
    assert_inert(out)
    assert "\u2028" not in out
    assert json.loads(out) == {"name": HOSTILE_NAME + "\u2028"}


def test_markdown_report_writes_html_from_programme_text_as_text(tmp_path: Path) -> None:
    programme = tmp_path / "primary.yaml"
    text = (REPO / "criteria" / "primary.yaml").read_text(encoding="utf-8")
    assert "text: Qualified Teacher Status" in text
    programme.write_text(
        text.replace(
            "text: Qualified Teacher Status",
            "text: <script>alert(1)</script> Qualified Teacher Status",
            1,
        ),
        encoding="utf-8",
    )
    profile = tmp_path / "me.yaml"
    shutil.copyfile(REPO / "examples" / "primary-eligible.yaml", profile)
    report = tmp_path / "report.md"
    result = run("check", programme, "--profile", profile, "--as-of", AS_OF, "--report", report)
    assert result.exit_code in (ExitCode.OK, ExitCode.INCOMPLETE), result.stderr
    written = report.read_text(encoding="utf-8")
    assert "<script>" not in written
    assert "&lt;script&gt;" in written
    assert_inert(written)
    result = run("check", programme, "--profile", profile, "--as-of", AS_OF, "-f", "markdown")
    assert "<script>" not in result.stdout
    assert_inert(result.stdout)


def test_mapping_proposal_on_stdout_escapes_control_characters_and_round_trips(
    tmp_path: Path,
) -> None:
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    rows[0].append("Extra\x1b]0;t\x07 \x9b31m\u202e column")
    for row in rows[1:]:
        row.append("\x1b[31mred")
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    result = run("mapping", export, "--programme", "primary")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert_inert(result.stdout)
    assert "\u202e" not in result.stdout
    assert '"Extra\\u001b]0;t\\u0007 \\u009b31m\\u202e column"' in result.stdout
    mapping = tmp_path / "m.yaml"
    mapping.write_text(result.stdout, encoding="utf-8")
    screened = run(
        "screen",
        export,
        "--programme",
        "primary",
        "--mapping",
        mapping,
        "--as-of",
        AS_OF,
        "-o",
        tmp_path / "r.csv",
    )
    assert screened.exit_code == ExitCode.OK, screened.stderr


def test_json_lines_results_escape_c1_controls(tmp_path: Path) -> None:
    export = hostile_export(tmp_path)
    out = tmp_path / "r.jsonl"
    result = run(
        "screen", export, "--programme", "primary", "--as-of", AS_OF, "-o", out, "--format", "json"
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    text = out.read_text(encoding="utf-8")
    assert_inert(text)
    names = [json.loads(line)["applicant"].get("name") for line in text.splitlines()]
    assert HOSTILE_NAME in names  # exact data for machines, only escaped in the file
