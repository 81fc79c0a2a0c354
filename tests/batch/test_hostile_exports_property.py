"""Property: whatever bytes a form export holds, `screen` exits 0 or 2 without a traceback,
writes one results row per input row, prints no escape sequence on stderr, and no results
cell starts with a character a spreadsheet would read as a formula.

The exports are the example export's headings (one of them sometimes hostile) and random rows
mixing real answers with control characters, rich markup, formula triggers, NUL bytes and
non-ASCII text, written in one of the encodings form tools use.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from masterycheck.cli.app import app
from masterycheck.errors import ExitCode
from masterycheck.outputs.safe_files import DANGEROUS_FIRST_CHARACTERS

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "examples" / "forms-export-primary.csv"
MAPPING = REPO / "examples" / "forms-export-primary.mapping.yaml"

with EXPORT.open(encoding="utf-8-sig", newline="") as _stream:
    HEADINGS, *_ROWS = list(csv.reader(_stream))
REAL_ANSWERS = sorted({cell for row in _ROWS for cell in row if len(cell) < 60})

HOSTILE = [
    "\x1b[2J\x1b[H",
    "\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\",
    "\x1b]0;title\x07",
    "\x9b31m",
    "[bold red]markup[/]",
    ":thumbs_up:",
    '=HYPERLINK("https://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",
    "\u202eevil",
    "Zoë Ångström",
    "line one\nline two",
    'quoted "text", with, commas',
    "",
]

cells = st.one_of(
    st.sampled_from(REAL_ANSWERS),
    st.sampled_from(HOSTILE),
    st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00"),
        max_size=12,
    ),
)
rows = st.lists(
    st.lists(cells, min_size=len(HEADINGS) - 2, max_size=len(HEADINGS) + 1),
    min_size=1,
    max_size=6,
)
# Mostly UTF-8 (so most exports get screened); UTF-16 is always refused, with a hint.
encodings = st.sampled_from(["utf-8"] * 4 + ["utf-8-sig"] * 3 + ["cp1252", "utf-16"])
runner = CliRunner()


def _export_bytes(data_rows: list[list[str]], encoding: str, hostile_heading: str | None) -> bytes:
    headings = list(HEADINGS)
    if hostile_heading is not None:  # an extra column the mapping does not know
        headings.append(hostile_heading)
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(headings)
    writer.writerows(data_rows)
    return text.getvalue().encode(encoding, errors="replace")


@pytest.fixture(autouse=True)
def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data_rows=rows,
    encoding=encodings,
    hostile_heading=st.none() | st.sampled_from(HOSTILE[:6]),
)
def test_any_export_is_screened_or_refused_in_one_line_and_no_row_is_lost(
    tmp_path_factory: pytest.TempPathFactory,
    data_rows: list[list[str]],
    encoding: str,
    hostile_heading: str | None,
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    export = folder / "export.csv"
    export.write_bytes(_export_bytes(data_rows, encoding, hostile_heading))
    out = folder / "results.csv"
    result = runner.invoke(
        app,
        [
            "screen",
            str(export),
            "--programme",
            "primary",
            "--mapping",
            str(MAPPING),
            "--as-of",
            "2026-01-10",
            "-o",
            str(out),
            "--allow-missing",
        ],
        catch_exceptions=True,
    )
    assert result.exit_code in (ExitCode.OK, ExitCode.BAD_INPUT), result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    event(f"exit {result.exit_code}")
    assert "\x1b" not in result.stderr
    assert "\x9b" not in result.stderr
    if result.exit_code == ExitCode.BAD_INPUT:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert not out.exists()
        return
    with out.open(encoding="utf-8-sig", newline="") as stream:
        written = list(csv.reader(stream))
    assert len(written) - 1 == len(data_rows)
    for row in written:
        for cell in row:
            assert cell[:1] not in DANGEROUS_FIRST_CHARACTERS, cell
            assert "\x00" not in cell
