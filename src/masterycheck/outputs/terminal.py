"""Text for a terminal: whatever an applicant or a file wrote reaches it only as inert text.

A form export is written by strangers. A name such as ``"\\x1b[2J"`` would clear the hub lead's
screen, an OSC 8 sequence would plant a link, an OSC 0 sequence would retitle the window, and
``"[bold red]…[/]"`` would be read as rich markup. So every console the command line uses is an
``InertConsole``: markup and emoji codes are off, and every control character in text it is
given (C0 but newline and tab, DEL, C1, and the bidirectional overrides that reorder what is
shown) is replaced by a visible stand-in of the same length before it is measured or written.
Styles (colours, bold) that rich itself adds are unaffected.

``inert`` and ``one_line`` do the same for text that is written without rich (error lines).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

__all__ = ["InertConsole", "inert", "inert_console", "one_line"]

_REPLACEMENT = "\ufffd"


def _table(*, keep_breaks: bool) -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):  # C0 controls shown as their control pictures: ESC is ␛
        table[code] = chr(0x2400 + code)
    table[0x7F] = "\u2421"  # DEL: ␡
    for code in range(0x80, 0xA0):  # C1 controls (CSI is U+009B): no picture exists
        table[code] = _REPLACEMENT
    for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C):
        table[code] = _REPLACEMENT  # bidirectional controls that reorder the shown text
    if keep_breaks:
        del table[ord("\n")]
        del table[ord("\t")]
    return table


_MULTI_LINE = _table(keep_breaks=True)
_ONE_LINE = _table(keep_breaks=False)
_ONE_LINE[ord("\t")] = " "


def inert(text: str) -> str:
    """``text`` with every control character but newline and tab made visible (ESC as ␛).

    The result has the same length as ``text``, so styles laid over it stay in place.
    """
    return text.translate(_MULTI_LINE)


def one_line(text: str) -> str:
    """``text`` as one inert line: line breaks are shown as ␊/␍, tabs become spaces."""
    return text.translate(_ONE_LINE)


class InertConsole(Console):
    """A rich ``Console`` that never interprets the text it prints.

    Markup (``[bold]``) and emoji codes (``:smile:``) are off; strings and ``Text`` are made
    inert (see ``inert``) as they are rendered, so a table's widths are measured on what is
    shown.
    """

    def __init__(self, **options: Any) -> None:
        """Make a console; ``options`` are rich ``Console`` options (markup stays off)."""
        options.update(markup=False, emoji=False, highlight=False)
        super().__init__(**options)

    def render_str(self, text: str, **options: Any) -> Text:
        """Turn a string into ``Text``, control characters made visible, markup ignored."""
        options.update(markup=False, emoji=False)
        return super().render_str(inert(text), **options)

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        """Render as rich does, then make any text that still holds a control character inert.

        ``Text`` objects built from data do not pass through ``render_str``; this catches them.
        Control segments (cursor moves rich emits itself) pass unchanged.
        """
        for segment in super().render(renderable, options):
            text = segment.text
            if segment.control or text.isprintable() or text == inert(text):
                yield segment
            else:
                yield Segment(inert(text), segment.style, segment.control)


def inert_console(**options: Any) -> InertConsole:
    """An ``InertConsole`` with the given rich ``Console`` options."""
    return InertConsole(**options)
