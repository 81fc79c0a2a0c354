"""Blocks of terminal text, drawn by rich or, where rich would write plain text, without it.

A report (``reporters.text``) is laid out as blocks: a paragraph, an indented paragraph, a
mark with a hanging body, a rule, a blank line. On a terminal rich draws them (``draw``).
Where stdout is a file or a pipe, rich would draw them with no colour and no style, wrapped to
the console's width; ``plain_lines`` writes exactly that without importing rich (a fifth of
``check``'s start-up), for text whose every character is one cell wide and wraps the same way
everywhere (``is_plain``); rich draws anything else. ``tests/reporters/test_text_plain.py``
holds the two drawings to the same output, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple, Protocol, runtime_checkable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.padding import Padding
    from rich.text import Text

    from masterycheck.reporters.registry import Out

Span = tuple[str, str]
"""Text and its rich style ("" for none)."""


class Line(NamedTuple):
    """Styled text, drawn as one rich ``Text``: the first span's style is the style of the whole
    (rich's base style), each further span's its own. It may hold line breaks."""

    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        """The text, unstyled."""
        return "".join(text for text, _ in self.spans)


def line(text: str, style: str = "", *more: Span) -> Line:
    """A ``Line`` of ``text`` in ``style``, then the ``more`` spans."""
    return Line(((text, style), *more))


class Paragraph(NamedTuple):
    """A line, wrapped to the width."""

    line: Line


class Indented(NamedTuple):
    """A line indented by ``indent`` columns, wrapped lines too."""

    line: Line
    indent: int = 2


class Hanging(NamedTuple):
    """``mark`` then ``body``, indented by ``indent``; wrapped lines of the body hang under its
    first line. ``mark_style`` None: the mark is given to rich as a string, not as ``Text``."""

    mark: str
    body: Line
    mark_style: str | None = None
    indent: int = 2


class Rule(NamedTuple):
    """A horizontal line across the width."""


class Blank(NamedTuple):
    """An empty line."""


Block = Paragraph | Indented | Hanging | Rule | Blank


# --- drawn by rich ------------------------------------------------------------------------------


def _text(styled: Line) -> Text:
    from rich.text import Text

    (first, style), *more = styled.spans
    made = Text(first, style=style)
    for text, span_style in more:
        made.append(text, style=span_style or None)
    return made


def _hanging(block: Hanging) -> Padding:
    from rich.padding import Padding
    from rich.table import Table

    mark: str | Text = block.mark
    if block.mark_style is not None:
        mark = _text(line(block.mark, block.mark_style))
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(mark, _text(block.body))
    return Padding(grid, (0, 0, 0, block.indent), expand=False)


def draw(console: Console, blocks: Iterable[Block]) -> None:
    """Print the blocks on a rich console."""
    from rich.padding import Padding

    for block in blocks:
        if isinstance(block, Paragraph):
            console.print(_text(block.line))
        elif isinstance(block, Indented):
            console.print(Padding(_text(block.line), (0, 0, 0, block.indent), expand=False))
        elif isinstance(block, Hanging):
            console.print(_hanging(block))
        elif isinstance(block, Rule):
            console.rule()
        else:
            console.print()


# --- drawn as plain text ------------------------------------------------------------------------

#: Narrower than this, rich lays the blocks out (a hanging body would have almost no room).
PLAIN_MIN_WIDTH = 20
#: Beyond printable ASCII and Latin-1 (which rich measures as one cell each), the characters
#: the reports and criteria use that are one cell wide in every Unicode version rich knows.
_ONE_CELL_EXTRA = "–—‘’“”•…′″‹›€≤≥≠→←✔✘"
_ONE_CELL = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0xA1, 0x300) if c != 0xAD and chr(c).isprintable()]
    + list(_ONE_CELL_EXTRA)
)
#: A word as rich wraps it: leading spaces, the word, and the spaces after it.
_WORD = re.compile(r"\s*\S+\s*")


def _one_cell(text: str) -> bool:
    return _ONE_CELL.issuperset(text.replace("\n", ""))


def is_plain(blocks: Sequence[Block], width: int) -> bool:
    """Whether ``plain_lines`` draws ``blocks`` at ``width`` exactly as rich would: every
    character one cell wide (no tab, no control character, no space but the space), no block
    with nothing to indent, and room enough: rich cuts a word too long for a hanging body's
    column (with "…") where it folds one elsewhere."""
    if width < PLAIN_MIN_WIDTH:
        return False
    for block in blocks:
        if isinstance(block, Rule | Blank):
            continue
        text = block.body.text if isinstance(block, Hanging) else block.line.text
        if not _one_cell(text):
            return False
        if isinstance(block, Paragraph):
            continue
        if not any(text.split("\n")):
            return False
        if isinstance(block, Hanging):
            room = _room(block, width)
            if not block.mark or not _one_cell(block.mark) or "\n" in block.mark:
                return False
            if room < PLAIN_MIN_WIDTH // 2 or _longest_word(text) > room:
                return False
    return True


def _room(block: Hanging, width: int) -> int:
    """The width of a hanging body's column when the body must wrap."""
    return width - block.indent - len(block.mark) - 1


def _longest_word(text: str) -> int:
    return max(
        (len(word.rstrip()) for part in text.split("\n") for word in _WORD.findall(part)),
        default=0,
    )


def wrap(text: str, width: int, *, fold: bool = True) -> list[str]:
    """One line of one-cell characters wrapped as rich wraps it (``rich._wrap.divide_line``,
    folding a word longer than the width, or with ``fold`` false leaving it whole on a line of
    its own), each piece without its trailing spaces."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width and not fold:
            if start:
                breaks.append(start)
            offset = len(word)
        elif length > width:
            pieces = [word[i : i + width] for i in range(0, len(word), width)]
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            offset = len(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    edges = [0, *breaks, len(text)]
    return [text[a:b].rstrip(" ") for a, b in pairwise(edges)]


def _wrapped(text: str, width: int) -> list[str]:
    return [piece for part in text.split("\n") for piece in wrap(part, width)]


def plain_lines(blocks: Iterable[Block], width: int) -> list[str]:
    """The lines rich would write for ``blocks`` to a console ``width`` wide that is not a
    terminal, with the trailing spaces removed as ``outputs.terminal.TrimmedLines`` removes
    them; only for blocks that are ``is_plain``."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines += _wrapped(block.line.text, width)
        elif isinstance(block, Indented):
            pad = " " * block.indent
            pieces = _wrapped(block.line.text, width - block.indent)
            lines += [(pad + piece).rstrip(" ") for piece in pieces]
        elif isinstance(block, Hanging):
            pieces = _wrapped(block.body.text, _room(block, width))
            first = " " * block.indent + block.mark + " "
            rest = " " * len(first)
            lines += [((rest if i else first) + p).rstrip(" ") for i, p in enumerate(pieces)]
        elif isinstance(block, Rule):
            lines.append("─" * width)
        else:
            lines.append("")
    return lines


# --- where they are written ---------------------------------------------------------------------


@runtime_checkable
class PlainOut(Protocol):
    """An ``Out`` that can take plain text where rich would write no colour or style."""

    def plain_width(self) -> int | None:
        """The width rich would lay text out to on stdout when it would write it plain (not
        to a terminal); None when rich must draw."""

    def write(self, text: str) -> None:
        """Write ``text`` as it is."""


def show_blocks(out: Out, blocks: list[Block]) -> None:
    """Write ``blocks`` on ``out``: as plain text where ``out`` takes it and rich would write
    the same, else drawn by rich on ``out``'s console."""
    plain_out: PlainOut | None = out if isinstance(out, PlainOut) else None
    width = plain_out.plain_width() if plain_out is not None else None
    if plain_out is not None and width is not None and is_plain(blocks, width):
        plain_out.write("".join(text + "\n" for text in plain_lines(blocks, width)))
    else:
        draw(out.console(), blocks)
