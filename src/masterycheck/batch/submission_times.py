"""Submission times, read tolerantly, a whole column at once (``submission_times``).

ISO (``2026-01-15T09:20:40``, as the XLSX reader gives a date cell), Google Forms'
``2026/01/15 9:20:40 AM GMT``, day/month forms (``1/15/26 9:20:40``, ``15/01/2026 09:20:40``),
month names (``15 Jan 2026 09:20``) and Excel serial numbers. Day and month are read the same
way for the whole column: day first if any value's first part is over 12, month first if any
value's second part is; otherwise by the form system's convention (Microsoft Forms' ``m/d/yy``,
US Google Sheets' ``m/d/yyyy``: month first; UK Google Sheets' zero-padded ``dd/mm/yyyy``: day
first). ``ColumnTimes`` reads a column a part at a time (``batch.duplicates`` keeps only the
times it needs).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_ZONES = {"gmt": 0, "utc": 0, "z": 0, "bst": 60, "cet": 60, "cest": 120}
_TIME = (
    r"(?:[ T,]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<half>[ap]\.?m\.?)?)?"
    r"\s*(?P<zone>z|gmt|utc|bst|cet|cest|(?:gmt|utc)?\s*[+-]\d{1,2}(?::?\d{2})?)?"
)
_YEAR_FIRST = re.compile(
    r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})" + _TIME, re.IGNORECASE
)
_PARTS_FIRST = re.compile(
    r"(?P<first>\d{1,2})[/.-](?P<second_part>\d{1,2})[/.-](?P<year>\d{4}|\d{2})" + _TIME,
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]{3,9})\.?,?\s+(?P<year>\d{4})"
    r"|(?P<month2>[a-z]{3,9})\.?\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{4}))" + _TIME,
    re.IGNORECASE,
)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH = dt.datetime(1970, 1, 1)


@dataclass(frozen=True)
class SubmissionTimes:
    """A column's submission times read as one: seconds (UTC when a zone is given) or None."""

    times: list[float | None]
    how: str  # how day and month were told apart, for the summary ("" if no value needed it)


@dataclass(frozen=True)
class _Ambiguous:
    """A ``d/m/y`` or ``m/d/y`` value, read once the column's order is known."""

    first: int
    second: int
    year: int
    seconds: float  # into the day, the zone's offset taken off
    padded: bool  # both parts written with two digits (UK Google Sheets)


def submission_times(values: Sequence[str], heading: str = "") -> SubmissionTimes:
    """Every value of a submission-time column as seconds (None when it cannot be read),
    day and month told apart the same way for the whole column (see the module's doc)."""
    parsed = [_parse(value) for value in values]
    day_first, how = _column_order(item for item in parsed if isinstance(item, _Ambiguous))
    times = [
        _resolved(item, day_first) if isinstance(item, _Ambiguous) else item for item in parsed
    ]
    return SubmissionTimes(times, how)


class ColumnTimes:
    """A submission-time column read a part at a time: every value is looked at (day and month
    are told apart by the whole column), but only the times asked for are kept."""

    def __init__(self) -> None:
        """Start reading a column."""
        self._parsed: dict[str, float | _Ambiguous | None] = {}  # value -> reading (bounded)
        self._kept: dict[int, float | _Ambiguous | None] = {}
        self._firsts = self._seconds = self._ambiguous = False
        self._padded = True

    def read(self, values: Iterable[str], start: int, wanted: Iterable[int]) -> None:
        """Read ``values`` (the column's, from index ``start``), keeping the times of the
        indexes ``wanted``."""
        parsed = self._parsed
        readings: list[float | _Ambiguous | None] = []
        for value in values:
            if value in parsed:
                item = parsed[value]
            else:
                item = _parse(value)
                if len(parsed) < _PARSED_VALUES:
                    parsed[value] = item
            if isinstance(item, _Ambiguous):
                self._ambiguous = True
                self._firsts = self._firsts or item.first > 12
                self._seconds = self._seconds or item.second > 12
                self._padded = self._padded and item.padded and item.year >= 1000
            readings.append(item)
        for index in wanted:
            self._kept[index] = readings[index - start]

    def times(self) -> tuple[dict[int, float | None], str]:
        """The kept times (index -> seconds or None) and how day and month were read."""
        day_first, how = _decided(self._ambiguous, self._firsts, self._seconds, self._padded)
        times = {
            index: _resolved(item, day_first) if isinstance(item, _Ambiguous) else item
            for index, item in self._kept.items()
        }
        return times, how


_PARSED_VALUES = 65_536  # distinct values whose reading is remembered


def _column_order(ambiguous: Iterable[_Ambiguous]) -> tuple[bool | None, str]:
    """Whether the column's day/month values are day first (None: not read), and how told."""
    found = firsts = seconds = False
    padded = True
    for item in ambiguous:
        found = True
        firsts = firsts or item.first > 12
        seconds = seconds or item.second > 12
        padded = padded and item.padded and item.year >= 1000
    return _decided(found, firsts, seconds, padded)


def _decided(found: bool, firsts: bool, seconds: bool, padded: bool) -> tuple[bool | None, str]:
    if not found:
        return None, ""
    if firsts and seconds:
        return None, (
            "; its day/month values are written both ways (one has a first part over 12, "
            "another a second part), so none of them is read"
        )
    if firsts:
        return True, " (day first: a value's first part is over 12)"
    if seconds:
        return False, " (month first: a value's second part is over 12)"
    if padded:
        return True, " (day first, as UK Google Sheets write dd/mm/yyyy)"
    return False, " (month first, as Microsoft Forms write m/d/yy)"


def _resolved(item: _Ambiguous, day_first: bool | None) -> float | None:
    if day_first is None:
        return None
    day, month = (item.first, item.second) if day_first else (item.second, item.first)
    year = item.year if item.year >= 100 else 2000 + item.year
    return _seconds(year, month, day, item.seconds)


def _parse(value: str) -> float | _Ambiguous | None:
    """One value: seconds, a day/month value to resolve with its column, or None."""
    text = " ".join(value.strip().split())
    if not text:
        return None
    match = _YEAR_FIRST.fullmatch(text)
    if match:
        seconds = _time_of_day(match)
        if seconds is None:
            return None
        return _seconds(int(match["year"]), int(match["month"]), int(match["day"]), seconds)
    match = _PARTS_FIRST.fullmatch(text)
    if match:
        seconds = _time_of_day(match)
        if seconds is None:
            return None
        first, second = match["first"], match["second_part"]
        return _Ambiguous(
            int(first),
            int(second),
            int(match["year"]),
            seconds,
            len(first) == 2 and len(second) == 2,
        )
    match = _NAMED.fullmatch(text)
    if match:
        seconds = _time_of_day(match)
        month = _MONTHS.get((match["month"] or match["month2"]).casefold())
        if seconds is None or month is None:
            return None
        day = int(match["day"] or match["day2"])
        return _seconds(int(match["year"] or match["year2"]), month, day, seconds)
    if _SERIAL.fullmatch(text):
        days = float(text)
        if 20_000 <= days <= 80_000:  # 1954 to 2119: an Excel date, not a count
            return (_EXCEL_EPOCH + dt.timedelta(days=days) - _EPOCH).total_seconds()
    return None


def _time_of_day(match: re.Match[str]) -> float | None:
    """Seconds into the day of a matched time (0 without one), less the zone's offset."""
    hour = int(match["hour"] or 0)
    minute = int(match["minute"] or 0)
    second = int(match["second"] or 0)
    half = (match["half"] or "").replace(".", "").casefold()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    offset = _offset(match["zone"])
    if offset is None:
        return None
    return hour * 3600 + minute * 60 + second - offset * 60


def _offset(zone: str | None) -> int | None:
    """A zone's offset from UTC in minutes (0 without one)."""
    if not zone:
        return 0
    text = zone.replace(" ", "").casefold()
    if text in _ZONES:
        return _ZONES[text]
    found = re.fullmatch(r"(?:gmt|utc)?([+-])(\d{1,2})(?::?(\d{2}))?", text)
    if not found:
        return None
    minutes = int(found[2]) * 60 + int(found[3] or 0)
    if minutes > 14 * 60:
        return None
    return minutes if found[1] == "+" else -minutes


def _seconds(year: int, month: int, day: int, seconds: float) -> float | None:
    """Seconds since 1970 of a date and seconds into it; None for a date that does not exist."""
    try:
        date = dt.datetime(year, month, day)
    except ValueError:
        return None
    return (date - _EPOCH).total_seconds() + seconds
