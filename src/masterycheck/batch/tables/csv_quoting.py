"""Quoting faults in one raw CSV record: the fast check that every quote opens a field
(``_quote_check``), and the slow scanners that only word an error once one is found: the first
fault (``_first_fault``), the first over-long field (``_long_field``), and whether a quoted field
that runs on ever closes (``_quote_state``). See ``csv_reader`` for why it is done this way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import IO, Literal, NamedTuple

from masterycheck.batch.tables.limits import _MB


class _LongField(NamedTuple):
    field: int  # 0-based
    opened: int  # where the field starts in the raw record (its opening quote, if quoted)
    quoted: bool


def _long_field(raw: str, delimiter: str, limit: int) -> _LongField | None:
    """The first field of the raw record ``raw`` longer than ``limit`` characters, or quoted
    and not closed by the end of ``raw`` (csv.reader stopped inside it); None if none is."""
    special = re.compile(f"[{re.escape(delimiter)}\r\n]")
    size = len(raw)
    at = 0
    field = 0
    while True:
        start = at
        quoted = raw.startswith('"', at)
        if quoted:
            scan = at + 1
            while True:
                close = raw.find('"', scan)
                if close < 0:
                    return _LongField(field, start, True)
                if not raw.startswith('"', close + 1):
                    break
                scan = close + 2
            if close - start - 1 - raw.count('""', start + 1, close) > limit:
                return _LongField(field, start, True)
            at = close + 1
        found = special.search(raw, at)
        end = size if found is None else found.start()
        if not quoted and end - start > limit:
            return _LongField(field, start, False)
        if found is None or found.group() != delimiter:
            return None
        at = found.end()
        field += 1


def _quote_state(first: str, rest: IO[str] | None, delimiter: str) -> Literal["closed", "open"]:
    """How the quoted field whose text (after the opening quote) begins ``first`` and may go
    on in ``rest`` ends: "closed" by a quote followed by the delimiter, a line break or the
    end of the file, else "open" (never closed, or "closed" by a quote followed by other
    text: that quote is most likely the opening one of a later field). ``rest`` is read on in
    pieces of 1 MiB characters, so memory stays bounded whatever the file's size."""
    pending = False  # the last character seen was a quote not yet known to be doubled

    def pieces() -> Iterator[str]:
        yield first
        if rest is not None:
            yield from iter(partial(rest.read, _MB), "")

    try:
        for piece in pieces():
            at = 0
            size = len(piece)
            while at < size:
                if pending:
                    char = piece[at]
                    if char != '"':
                        return "closed" if char in (delimiter, "\r", "\n") else "open"
                    pending = False
                    at += 1
                    continue
                quote = piece.find('"', at)
                if quote < 0:
                    break
                pending = True
                at = quote + 1
    except (OSError, UnicodeDecodeError, ValueError):
        return "open"
    return "closed" if pending else "open"


def _quote_check(delimiter: str) -> re.Pattern[str]:
    """Matches a record in which every run of quotes opens at a field start.

    Quoted text is matched as runs ``"[^"]*"``; an escaped quote ``""`` is two adjacent runs.
    The text before a run must be empty (escaped quote, record start) or end with the
    delimiter. Everything else (text after a closing quote, unterminated quotes) csv.reader has
    already rejected, so a record that fails this has a quote in an unquoted field.
    """
    d = re.escape(delimiter)
    return re.compile(rf'(?:(?:[^"]*{d})?+"[^"]*+")*+[^"]*+')


class _Fault(NamedTuple):
    kind: Literal["stray", "after", "unterminated"]
    offset: int  # where the fault is, in the raw record
    field: int  # 0-based
    opened: int  # where the quoted field involved opens (== offset for a stray quote)


def _first_fault(raw: str, delimiter: str) -> _Fault | None:
    """Scan one raw record for its first quoting fault; None if there is none.

    Kinds: "stray" (quote in an unquoted field), "after" (text after a closing quote),
    "unterminated" (a quoted field that never closes). Slow; used only to word an error.
    """
    special = re.compile(f'["{re.escape(delimiter)}\r\n]')
    size = len(raw)
    at = 0
    field = 0
    while True:
        if at < size and raw[at] == '"':
            opened = at
            at += 1
            while True:
                close = raw.find('"', at)
                if close < 0:
                    return _Fault("unterminated", opened, field, opened)
                if raw.startswith('"', close + 1):
                    at = close + 2
                    continue
                at = close + 1
                break
            if at >= size or raw[at] in "\r\n":
                return None
            if raw[at] != delimiter:
                return _Fault("after", at, field, opened)
            at += 1
            field += 1
            continue
        found = special.search(raw, at)
        if found is None:
            return None
        char = found.group(0)
        if char == '"':
            return _Fault("stray", found.start(), field, found.start())
        if char != delimiter:
            return None  # the line break ending the record
        at = found.end()
        field += 1


def _breaks_before(raw: str, offset: int) -> int:
    part = raw[:offset]
    return part.count("\n") + part.count("\r") - part.count("\r\n")
