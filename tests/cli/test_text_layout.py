"""The text report as people see it: piped to a file, and in terminals 60, 80 and 120 wide.

No line carries trailing spaces, no criterion's wording is cut ("…"), wrapped lines keep a
hanging indent, and the report is short unless --full is asked for.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from masterycheck.cli.app import app
from masterycheck.files.criteria import load_all_programmes, load_catalogue

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CASES = [
    ("primary", "primary-eligible.yaml"),
    ("secondary", "secondary-not-eligible.yaml"),
    ("post16", "post16-incomplete.yaml"),
]
TEXTS = {
    p.programme.id: [c.text for c in p.programme.criteria]
    for p in load_all_programmes(load_catalogue())
}


def run_check(programme: str, profile: str, *extra: str, columns: int | None = None) -> str:
    """The report of ``check``: piped to a file through the real entry point when ``columns``
    is None, else in-process at that terminal width (rich reads COLUMNS)."""
    args = ["check", programme, "--profile", str(EXAMPLES / profile), "--as-of", "2026-11-30"]
    if columns is None:
        env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "FORCE_COLOR"}}
        done = subprocess.run(
            [sys.executable, "-m", "masterycheck", *args, *extra],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode in (0, 3, 4), done.stderr
        return done.stdout
    result = CliRunner().invoke(app, [*args, *extra], env={"COLUMNS": str(columns)})
    assert result.exit_code in (0, 3, 4), result.output
    return result.stdout


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("columns", [None, 60, 80, 120])
@pytest.mark.parametrize(("programme", "profile"), CASES)
def test_full_report_has_no_trailing_spaces_and_no_cut_criterion(
    programme: str, profile: str, columns: int | None
) -> None:
    out = run_check(programme, profile, "--full", columns=columns)
    assert [line for line in out.splitlines() if line != line.rstrip()] == []
    assert "…" not in out
    width = columns or 80
    assert max(len(line) for line in out.splitlines()) <= width
    flowing = words(out)
    for text in TEXTS[programme]:
        assert words(text) in flowing, text


def test_wrapped_criterion_lines_hang_under_their_first_line() -> None:
    out = run_check("primary", "primary-eligible.yaml", "--full", columns=60)
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if "primary/infant/junior/middle" in line)
    assert lines[start].startswith("  ✔ ")
    assert lines[start + 1].startswith("    ") and not lines[start + 1].startswith("     ")


def test_the_default_report_is_short_and_says_how_to_see_everything() -> None:
    short = run_check("secondary", "secondary-not-eligible.yaml")
    full = run_check("secondary", "secondary-not-eligible.yaml", "--full")
    assert len(short.splitlines()) < len(full.splitlines()) * 0.75
    assert "What stops you" in short
    assert "state-funded" in short
    assert "add --full" in short
    assert "Essential criteria" not in short and "Essential criteria" in full


def test_the_first_lines_say_which_cohort_and_whether_it_is_open() -> None:
    out = run_check("secondary", "secondary-not-eligible.yaml")
    head = "\n".join(out.splitlines()[:5])
    assert "Cohort 10" in head
    assert "running since September 2025" in head
    assert "Next time (projected — the next cohort's criteria are not yet published)" in out
