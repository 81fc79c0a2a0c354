"""Columns in words and heading rules shared by the readers: Excel column letters
(``column_letter``), a column as messages name it (``column C "Email"``, long headings cut
short), and the check of a heading row (no duplicates; trailing empty headings dropped)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from masterycheck.errors import InputError

_HEADING_SHOWN: Final = 40  # longest heading quoted in full in a message


def column_letter(index: int) -> str:
    """The Excel letters of a 1-based column number: 1 -> "A", 27 -> "AA"."""
    if index < 1:
        raise ValueError(f"column numbers start at 1, not {index}")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _shown(heading: str) -> str:
    text = " ".join(heading.split())
    if len(text) > _HEADING_SHOWN:
        text = text[: _HEADING_SHOWN - 1].rstrip() + "…"
    return f'"{text}"'


def _column_words(headings: Sequence[str], column: int) -> str:
    """'column C "Email"' for a 0-based column index."""
    words = f"column {column_letter(column + 1)}"
    if column < len(headings) and headings[column]:
        words += f" {_shown(headings[column])}"
    return words


def _check_headings(headings: list[str], where: str) -> tuple[str, ...]:
    """Refuse duplicate headings; drop trailing empty ones. Positions in messages are 1-based."""
    seen: dict[str, int] = {}
    headings = list(headings)
    for index, heading in enumerate(headings):
        if not heading:
            continue
        if heading in seen:
            first = seen[heading]
            raise InputError(
                f"columns {column_letter(first + 1)} ({first + 1}) and "
                f"{column_letter(index + 1)} ({index + 1}) have the same heading "
                f"{_shown(heading)}",
                where=where,
                hint="rename one of them",
            )
        seen[heading] = index
    while headings and not headings[-1]:
        headings.pop()
    return tuple(headings)
