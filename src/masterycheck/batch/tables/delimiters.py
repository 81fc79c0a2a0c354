"""The CSV delimiter: sniffed among comma, semicolon and tab (``_sniff_delimiter``), or named
by an option (``parse_delimiter``: "comma", "semicolon", "tab", "pipe", or the character
itself, ``\\t`` for a tab), which ``open_table(delimiter=...)`` accepts too."""

from __future__ import annotations

import re
from typing import Final

from masterycheck.errors import InputError, place

_DELIMITERS: Final = (",", ";", "\t")
_DELIMITER_NAMES: Final = {",": "comma", ";": "semicolon", "\t": "tab"}
_DELIMITER_WORDS: Final = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|", "\\t": "\t"}


def parse_delimiter(text: str) -> str:
    """The CSV delimiter named by a ``--delimiter`` value: "comma", "semicolon", "tab" or
    "pipe" (any case), the character itself (``,`` ``;`` ``|``, a tab...), or ``\\t`` for a tab.

    Any other single character is accepted unless it is a letter, digit, space, quote, line
    break or other control character. Raises ``InputError`` (where ``--delimiter``) otherwise.
    """
    word = text.strip().lower()
    if word in _DELIMITER_WORDS:
        return _DELIMITER_WORDS[word]
    if text == "\t":
        return text
    if len(text) == 1 and text.isprintable() and not (text.isspace() or text.isalnum()):
        if text == '"':
            raise InputError("the quote character cannot be the delimiter", where="--delimiter")
        return text
    shown = repr(text) if len(text) <= 12 else repr(text[:11] + "…")
    raise InputError(
        f"expected comma, semicolon, tab, pipe or one character such as ; or |, not {shown}",
        where="--delimiter",
    )


# Possessive: a greedy group of one-character alternatives kept a backtracking entry per
# character (~100 bytes each: 130 MB for a 1 MiB line without quotes).
_RECORD_START: Final = re.compile(r'(?:"[^"]*+"|[^"\r\n]++)*+(?:\r\n|\n|\r)?')


_QUOTED: Final = re.compile(r'"[^"]*"')


def _sniff_delimiter(text: str, name: str) -> str:
    """The delimiter among comma, semicolon and tab that occurs most on the heading line.

    Quoted text is not counted. On a tie, the next records (up to 50 in ``text``) decide: the
    delimiter that occurs as often on each of them as on the heading line wins.
    """
    records: list[str] = []
    at = 0
    while len(records) < 51 and at < len(text):
        found = _RECORD_START.match(text, at)
        if found is None or not found.group(0):
            break
        records.append(_QUOTED.sub("", found.group(0)))
        at = found.end()
    if at < len(text) and records:
        records.pop()  # may be cut short by the end of the sample
    heading = records[0] if records else _QUOTED.sub("", text)
    counts = {d: heading.count(d) for d in _DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return ","  # a single column
    winners = [d for d in _DELIMITERS if counts[d] == best]
    if len(winners) > 1:
        consistent = [
            d
            for d in winners
            if all(record.count(d) == best for record in records[1:] if record.strip())
        ]
        if len(consistent) == 1:
            return consistent[0]
        listed = " and ".join(f"{best} {_DELIMITER_NAMES[d]}s" for d in winners)
        raise InputError(
            f"cannot tell the delimiter: the heading line has {listed}",
            where=place(name, 1),
            hint="pass --delimiter",
        )
    return winners[0]
