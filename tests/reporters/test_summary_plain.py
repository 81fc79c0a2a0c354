"""The screening summary drawn without rich (``reporters.screen_summary``, tables by
``reporters.text_tables``) is, byte for byte, what rich draws on stderr when stderr is not a
terminal; and it is drawn so only where that holds, at rich's width for stderr."""

from __future__ import annotations

import io
import os
import sys
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from masterycheck.batch.row_mapping import CellStatus
from masterycheck.batch.screened import VERDICTS, ShortlistEntry, Summary
from masterycheck.cli.common import plain_width
from masterycheck.core.vocabulary import Kind, RowVerdict
from masterycheck.outputs.terminal import InertConsole
from masterycheck.reporters.screen_summary import (
    Part,
    Whole,
    draw_summary,
    is_plain_summary,
    plain_summary,
    render_summary,
    summary_parts,
)
from masterycheck.reporters.text_blocks import _ONE_CELL
from masterycheck.reporters.text_tables import (
    Column,
    TextTable,
    column_widths,
    is_plain_table,
    plain_table_lines,
    rich_table,
)

WIDTHS = [20, 40, 60, 80, 100, 132, 200]
#: From this width every summary of one-cell text is drawn plain (five columns fit).
ALWAYS_PLAIN = 40


def stderr_console(width: int) -> tuple[InertConsole, io.StringIO]:
    """The command line's stderr console (``cli.common.console``), writing to a file."""
    file = io.StringIO()
    console = InertConsole(
        file=file, width=width, stderr=True, highlight=False, soft_wrap=False, color_system=None
    )
    assert not console.is_terminal
    return console, file


def by_rich(parts: list[Part], width: int) -> str:
    console, file = stderr_console(width)
    draw_summary(console, parts)
    console.file.flush()
    return file.getvalue()


ONE_CELL = sorted(_ONE_CELL)
WORD = st.text(st.sampled_from(ONE_CELL), min_size=1, max_size=25)
LONG_WORD = st.text(st.sampled_from("abcdefghij"), min_size=20, max_size=60)
WORDS = st.lists(st.one_of(WORD, WORD, LONG_WORD), min_size=1, max_size=10).map(" ".join)
RAGGED = st.lists(st.sampled_from([*ONE_CELL, " ", "  ", "\n"]), min_size=1, max_size=60).map(
    "".join
)
TEXT = st.one_of(WORDS, RAGGED).map(lambda text: text[:60] or "x")
COUNT = st.integers(min_value=0, max_value=10**7)


@st.composite
def summaries(draw: st.DrawFn) -> tuple[Summary, list[ShortlistEntry], list[str]]:
    """A summary of random criteria, columns and counts, its shortlist and notes."""
    size = draw(st.integers(min_value=0, max_value=8))
    criteria = tuple(f"c{index}" for index in range(size))
    columns = tuple(draw(st.lists(TEXT, max_size=8, unique=True)))
    cells = {
        column: Counter({status: draw(COUNT) for status in CellStatus})
        for column in columns
        if draw(st.booleans())
    }
    summary = Summary(
        criteria=criteria,
        essential=tuple(draw(st.booleans()) for _ in criteria),
        columns=columns,
        kinds=tuple(draw(st.sampled_from([k.value for k in Kind])) for _ in criteria),
        rows=draw(COUNT),
        verdicts=Counter({verdict: draw(COUNT) for verdict in VERDICTS}),
        review=draw(COUNT),
        excluded=Counter({criterion: draw(COUNT) for criterion in criteria}),
        unknown=Counter({criterion: draw(COUNT) for criterion in criteria}),
        cells=cells,
        hub_statements=tuple(draw(st.lists(TEXT, max_size=2))),
        superseded=draw(st.sampled_from([0, 0, 3])),
        labels=tuple(draw(TEXT) for _ in criteria),
    )
    shortlist = [
        ShortlistEntry(
            rank=index + 1,
            row=draw(COUNT),
            verdict=draw(st.sampled_from([RowVerdict.ELIGIBLE.value, "incomplete"])),
            score=draw(st.integers(min_value=0, max_value=60)),
            identifier=draw(st.one_of(st.none(), TEXT)),
        )
        for index in range(draw(st.integers(min_value=0, max_value=12)))
    ]
    return summary, shortlist, draw(st.lists(TEXT, max_size=3))


@settings(max_examples=150, deadline=None)
@given(summaries(), st.sampled_from(["results.csv", "/tmp/a b/results-screened.csv  "]))
def test_any_summary_is_drawn_as_rich_draws_it_on_stderr(
    drawn: tuple[Summary, list[ShortlistEntry], list[str]], output: str
) -> None:
    summary, shortlist, notes = drawn
    parts = summary_parts(summary, shortlist=shortlist, output=output, notes=notes)
    for width in WIDTHS:
        plain = is_plain_summary(parts, width)
        assert plain or width < ALWAYS_PLAIN
        if plain:
            assert plain_summary(parts, width) == by_rich(parts, width), width


def test_render_summary_draws_the_laid_out_parts() -> None:
    summary = Summary(criteria=("qts",), essential=(True,), columns=("QTS?",), rows=3)
    shortlist = [ShortlistEntry(1, 2, "eligible", 4, "Ann Lee")]
    console, file = stderr_console(80)
    render_summary(console, summary, shortlist=shortlist, output="out.csv", notes=["A note."])
    console.file.flush()
    parts = summary_parts(summary, shortlist=shortlist, output="out.csv", notes=["A note."])
    assert file.getvalue() == plain_summary(parts, 80)
    assert "│ qts       │      │       0 │       0 │" in file.getvalue()


CELL = st.one_of(WORDS, RAGGED, st.just(""), COUNT.map(str))
COLUMN = st.builds(
    Column, TEXT, st.sampled_from(["left", "right"]), st.sampled_from(["fold", "ellipsis"])
)


@st.composite
def tables(draw: st.DrawFn) -> TextTable:
    columns = tuple(draw(st.lists(COLUMN, min_size=1, max_size=6)))
    rows = draw(st.lists(st.tuples(*(CELL for _ in columns)), max_size=5))
    return TextTable(draw(st.one_of(TEXT, WORDS)), columns, tuple(rows))


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(min_value=20, max_value=140))
def test_any_table_is_drawn_as_rich_draws_it(table: TextTable, width: int) -> None:
    console, file = stderr_console(width)
    room = console.options.update_width(width - len(table.columns) - 1)
    assert column_widths(table, width) == rich_table(table)._calculate_column_widths(console, room)
    if is_plain_table(table, width):
        console.print(rich_table(table))
        console.file.flush()
        assert "".join(f"{text}\n" for text in plain_table_lines(table, width)) == file.getvalue()


def test_a_wide_table_narrows_its_widest_columns_first() -> None:
    table = TextTable("T", (Column("x" * 50), Column("y" * 30), Column("z")), ())
    assert column_widths(table, 200) == [52, 32, 3]
    assert column_widths(table, 60) == [26, 27, 3]  # 56 = 60 less the four verticals


PLAIN_PARTS: list[Part] = [
    "Screened 3 row(s).",
    TextTable("T", (Column("Criterion", overflow="fold"), Column("N", justify="right")), ()),
    Whole("Results: out.csv"),
]


@pytest.mark.parametrize(
    "text",
    ["wide 漢字", "control \x1b[2J", "C1 \x9b31m", "tab\there", "nbsp\xa0here", "emoji 🙂"],
)
def test_text_rich_measures_otherwise_is_left_to_rich(text: str) -> None:
    assert is_plain_summary(PLAIN_PARTS, 80)
    row = TextTable("T", (Column("Criterion"),), ((text,),))
    for parts in ([*PLAIN_PARTS, text], [*PLAIN_PARTS, Whole(text)], [*PLAIN_PARTS, row]):
        assert not is_plain_summary(parts, 80)


def test_a_width_with_no_room_for_every_column_is_left_to_rich() -> None:
    five = TextTable(
        "Shortlist", tuple(Column(h) for h in ("Rank", "Row", "Verdict", "Score", "A")), ()
    )
    assert is_plain_table(five, 40)
    assert min(column_widths(five, 20)) < 3 and not is_plain_table(five, 20)
    assert not is_plain_summary(["a"], 19)
    ragged = TextTable("T", (Column("a"), Column("b")), (("only one",),))
    assert not is_plain_table(ragged, 80)


STDERR_ENVIRONMENTS = [
    {},
    {"COLUMNS": "57"},
    {"COLUMNS": "0"},
    {"FORCE_COLOR": ""},
    {"FORCE_COLOR": "1"},
    {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1", "COLUMNS": "90"},
    {"TTY_COMPATIBLE": "1"},
]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("environ", STDERR_ENVIRONMENTS, ids=lambda e: repr(e))
@pytest.mark.parametrize("terminal", [False, True], ids=["file", "terminal"])
def test_plain_width_reads_stderr_as_rich_does(
    environ: dict[str, str], terminal: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stderr", FakeTerminal() if terminal else io.StringIO())
    monkeypatch.setattr(sys, "stdout", FakeTerminal() if not terminal else io.StringIO())
    rich = InertConsole(stderr=True, highlight=False, soft_wrap=False)
    width = plain_width(stream=sys.stderr)
    assert width == (None if rich.is_terminal else rich.width)
    assert plain_width(dict(os.environ), stream=sys.stderr) == width
