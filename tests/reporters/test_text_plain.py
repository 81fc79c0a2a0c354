"""The text report drawn without rich (``reporters.text_blocks``) is, byte for byte, what rich
draws where stdout is not a terminal; and it is drawn so only where rich would write plain
text, at rich's width."""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from masterycheck.cli.common import Terminal, plain_width
from masterycheck.core.engine import assess
from masterycheck.files.criteria import load_all_programmes, load_catalogue, load_profile
from masterycheck.outputs.terminal import InertConsole
from masterycheck.reporters.listings import criterion_rows, field_rows, programme_rows
from masterycheck.reporters.registry import Listing
from masterycheck.reporters.text import TextReporter, assessments_blocks, listing_blocks
from masterycheck.reporters.text_blocks import (
    _ONE_CELL,
    Blank,
    Block,
    Hanging,
    Indented,
    Paragraph,
    Rule,
    draw,
    is_plain,
    line,
    plain_lines,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOGUE = load_catalogue()
PROGRAMMES = load_all_programmes(CATALOGUE)
DAY = dt.date(2026, 11, 30)
PROFILES = sorted(p for p in EXAMPLES.glob("*.yaml") if "mapping" not in p.name)
WIDTHS = [20, 33, 47, 60, 80, 101, 120, 200]


def by_rich(blocks: list[Block], width: int) -> str:
    """What the command line's console writes for ``blocks`` to a file ``width`` wide."""
    file = io.StringIO()
    console = InertConsole(file=file, width=width, highlight=False, soft_wrap=False)
    assert not console.is_terminal
    draw(console, blocks)
    console.file.flush()
    return file.getvalue()


def same_drawing(blocks: list[Block], width: int, *, real: bool = True) -> None:
    """Plain and rich draw ``blocks`` alike, where plain draws them (a ``real`` report: always
    from 60 wide)."""
    if real and width >= 60:
        assert is_plain(blocks, width)
    if is_plain(blocks, width):
        plain = "".join(text + "\n" for text in plain_lines(blocks, width))
        assert plain == by_rich(blocks, width)


def profile_files() -> list[Path]:
    found = []
    for path in PROFILES:
        try:
            load_profile(path, CATALOGUE)
        except Exception:  # an overlay, not a profile
            continue
        found.append(path)
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("path", profile_files(), ids=lambda p: p.stem)
def test_every_example_report_is_drawn_as_rich_draws_it(path: Path, full: bool, width: int) -> None:
    profile = load_profile(path, CATALOGUE)
    assessments = [assess(p, profile, DAY) for p in PROGRAMMES]
    for shown in ([assessments[0]], assessments):
        blocks = assessments_blocks(shown, full=full)
        same_drawing(blocks, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_listing_is_drawn_as_rich_draws_it(width: int) -> None:
    listings = [
        Listing("Programmes", programme_rows(PROGRAMMES, DAY), ["id", "name", "window_message"]),
        Listing("Fields", field_rows(CATALOGUE), ["id", "type_words", "question", "choices"]),
        *(
            Listing(p.programme.name, criterion_rows(p), ["text", "id", "rule", "reading"])
            for p in PROGRAMMES
        ),
    ]
    for listing in listings:
        blocks = listing_blocks(listing)
        same_drawing(blocks, width)


ONE_CELL = sorted(_ONE_CELL)
TEXT = st.lists(st.sampled_from([*ONE_CELL, " ", " ", "  ", "\n", "—", "✔"]), max_size=300).map(
    "".join
)
WORDY = st.lists(
    st.text(st.sampled_from(ONE_CELL), min_size=1, max_size=12), min_size=1, max_size=40
).map(" ".join)
STYLE = st.sampled_from(["", "bold", "dim"])
LINE = st.builds(
    lambda first, style, more: line(first, style, *more),
    st.one_of(TEXT, WORDY),
    STYLE,
    st.lists(st.tuples(st.one_of(TEXT, WORDY), STYLE), max_size=3),
)
BLOCK = st.one_of(
    st.builds(Paragraph, LINE),
    st.builds(Indented, LINE, st.sampled_from([2, 4])),
    st.builds(
        Hanging,
        st.sampled_from(["•", "1.", "12.", "✔", "?"]),
        LINE,
        st.sampled_from([None, "green"]),
        st.sampled_from([2, 4]),
    ),
    st.just(Rule()),
    st.just(Blank()),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(BLOCK, max_size=6), st.integers(min_value=1, max_value=130))
def test_any_plain_blocks_are_drawn_as_rich_draws_them(blocks: list[Block], width: int) -> None:
    same_drawing(blocks, width, real=False)


@pytest.mark.parametrize(
    "text", ["tab\there", "wide 漢字", "control \x1b[2J", "nbsp\xa0here", "e\u0301", "emoji 🙂"]
)
def test_text_rich_measures_otherwise_is_left_to_rich(text: str) -> None:
    assert not is_plain([Paragraph(line(text))], 80)


def test_a_word_too_long_for_a_hanging_column_is_left_to_rich() -> None:
    assert not is_plain([Hanging("•", line("x" * 70))], 60)
    assert is_plain([Hanging("•", line("x" * 70))], 80)
    assert not is_plain([Indented(line(""))], 80)
    assert not is_plain([Paragraph(line("a"))], 19)


class Written:
    """A ``Terminal`` whose plain width is fixed and whose writes are kept."""

    def __init__(self, width: int | None) -> None:
        self.width = width
        self.texts: list[str] = []
        self.file = io.StringIO()

    def echo(self, text: str) -> None:
        self.texts.append(text + "\n")

    def write(self, text: str) -> None:
        self.texts.append(text)

    def plain_width(self) -> int | None:
        return self.width

    def console(self) -> Console:
        return InertConsole(file=self.file, width=80, highlight=False, soft_wrap=False)


def test_the_reporter_writes_plain_text_where_it_can_and_asks_rich_otherwise() -> None:
    assessments = [assess(PROGRAMMES[0], load_profile(PROFILES[0], CATALOGUE), DAY)]
    plain, drawn = Written(80), Written(None)
    TextReporter().show(plain, assessments, single=True)
    TextReporter().show(drawn, assessments, single=True)
    assert plain.file.getvalue() == "" and drawn.texts == []
    assert "".join(plain.texts) == drawn.file.getvalue()


ENVIRONMENTS = [
    {},
    {"COLUMNS": "57"},
    {"COLUMNS": "0"},
    {"COLUMNS": "wide"},
    {"FORCE_COLOR": ""},
    {"FORCE_COLOR": "1"},
    {"TTY_COMPATIBLE": "0"},
    {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1", "COLUMNS": "90"},
    {"TTY_COMPATIBLE": "1"},
    {"TTY_COMPATIBLE": "2", "FORCE_COLOR": "1"},
]


@pytest.mark.parametrize("environ", ENVIRONMENTS, ids=lambda e: repr(e))
def test_plain_width_reads_the_terminal_as_rich_does(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    rich = InertConsole(highlight=False, soft_wrap=False)
    width = plain_width()
    if rich.is_terminal:
        assert width is None
    else:
        assert width == rich.width
    assert plain_width(dict(os.environ)) == width
    assert Terminal().plain_width() == width
    assert Terminal(rich).plain_width() is None
