"""Text for a terminal: whatever an applicant or a file wrote reaches it only as inert text.

A form export is written by strangers. A name such as ``"\\x1b[2J"`` would clear the hub lead's
screen, an OSC 8 sequence would plant a link, an OSC 0 sequence would retitle the window, and
``"[bold red]…[/]"`` would be read as rich markup. So every console the command line uses is an
``InertConsole``: markup and emoji codes are off, and every control character in text it is
given (C0 but newline and tab, DEL, C1, and the bidirectional overrides that reorder what is
shown) is replaced by a visible stand-in of the same length before it is measured or written.
Styles (colours, bold) that rich itself adds are unaffected.

``inert`` and ``one_line`` (from ``inert_text``, which needs no rich) do the same for text
that is written without rich (error lines).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any, cast

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

from masterycheck.outputs.inert_text import inert, one_line

__all__ = ["InertConsole", "inert", "inert_console", "one_line"]  # inert, one_line: inert_text


class InertConsole(Console):
    """A rich ``Console`` that never interprets the text it prints.

    Markup (``[bold]``) and emoji codes (``:smile:``) are off; strings and ``Text`` are made
    inert (see ``inert``) as they are rendered, so a table's widths are measured on what is
    shown.
    """

    def __init__(self, **options: Any) -> None:
        """Make a console; ``options`` are rich ``Console`` options (markup stays off).

        Lines lose the spaces rich pads them with (to a terminal, a file or a pipe alike): no
        output line ends in spaces.
        """
        options.update(markup=False, emoji=False, highlight=False)
        super().__init__(**options)
        self.file = cast("IO[str]", TrimmedLines(self.file))

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
            if segment.control or text.isprintable():
                yield segment
                continue
            shown = inert(text)
            yield segment if shown == text else Segment(shown, segment.style, segment.control)


class TrimmedLines:
    """A text stream that writes each line without its trailing spaces (rich pads table and
    grid cells to the width: noise in a file, and invisible but copied from a terminal)."""

    def __init__(self, stream: IO[str]) -> None:
        """Wrap ``stream``; a line is written when its line break arrives (or on flush)."""
        self._stream = stream
        self._partial = ""

    def write(self, text: str) -> int:
        """Write ``text``; complete lines go out with their trailing spaces removed."""
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        if lines:
            self._stream.write("".join(line.rstrip(" ") + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        """Write what is held of an unfinished line (as it is), then flush the stream."""
        if self._partial:
            self._stream.write(self._partial)
            self._partial = ""
        self._stream.flush()

    def isatty(self) -> bool:
        """Whether the wrapped stream is a terminal."""
        return self._stream.isatty()

    def fileno(self) -> int:
        """The wrapped stream's descriptor (rich asks it to tell terminals apart)."""
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        """The wrapped stream's encoding."""
        return getattr(self._stream, "encoding", None) or "utf-8"


def inert_console(**options: Any) -> InertConsole:
    """An ``InertConsole`` with the given rich ``Console`` options."""
    return InertConsole(**options)
