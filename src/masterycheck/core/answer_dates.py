"""Dates in answers, read as people type them: ``read_date`` gives the ``DateRange`` of days meant.

A year, a month, a day (day first, as in the UK), a school term or season, an academic year,
or a span of two of these ("2019-07 to 2020-08", as a range prints). Pure; the expressions are
compiled when first used (``LazyPattern``). ``answers.parse_value`` reads a date field's
answer with ``read_date``; ``DateRange`` is imported from ``core.answers`` too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from masterycheck.core.lazy_pattern import LazyPattern


@dataclass(frozen=True, slots=True)
class DateRange:
    """A date known to lie between ``earliest`` and ``latest`` (both inclusive)."""

    earliest: dt.date
    latest: dt.date

    def __str__(self) -> str:
        first, last = self.earliest, self.latest
        if first == last:
            return first.isoformat()
        whole_months = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
        if whole_months and first.year == last.year and (first.month, last.month) == (1, 12):
            return str(first.year)
        if whole_months and (first.year, first.month) == (last.year, last.month):
            return first.strftime("%Y-%m")
        if whole_months and (first.month, last.month, last.year) == (9, 8, first.year + 1):
            return f"{first.year}/{last.year % 100:02d}"  # an academic year
        if whole_months:
            return f"{first:%Y-%m} to {last:%Y-%m}"
        return f"{first.isoformat()} to {last.isoformat()}"


# Dates, as people type them (day first, as in the UK): see ``read_date``.
_YEAR = LazyPattern(r"^\s*(\d{4})\s*$")
_YEAR_MONTH = LazyPattern(r"^\s*(\d{4})-(\d{1,2})\s*$")
_ISO_DATE = LazyPattern(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_UK_DATE = LazyPattern(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s.*)?$")
_MONTH_YEAR = LazyPattern(r"^\s*(\d{1,2})[/.-](\d{4})\s*$")
_ACADEMIC_YEAR = LazyPattern(r"^\s*(\d{4})\s*(?:/|-|–|to)\s*(\d{2}|\d{4})\s*$")
_NAMED_MONTH = LazyPattern(
    r"^\s*(?:(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)?([a-z]+)\.?,?\s*[-/]?\s*(\d{4})\s*$",
    re.IGNORECASE,
)
_SPAN = LazyPattern(r"^\s*(.+?)\s+(?:to|until|-|–)\s+(.+?)\s*$", re.IGNORECASE)
_MONTH_NAMES = (
    *("january", "february", "march", "april", "may", "june", "july", "august"),
    *("september", "october", "november", "december"),
)
# English names whatever the locale, with their three-letter and other usual abbreviations.
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS.update({"sept": 9, "febr": 2})
# A season or school term is a range of months. Each covers both readings of its word, the
# school term and the season, since a teacher writing "Summer 2022" may mean either: summer is
# April to August (the summer term runs from April to July; the season June to August), spring
# January to May (the spring term January to March or April; the season March to May), autumn
# September to December (the autumn term; the season September to November). Winter spans two
# calendar years, so "Winter 2022" is taken as December 2021 to February 2023, the union of
# its two readings.
_SEASONS: dict[str, tuple[int, int, int, int]] = {  # (year offset, month) of first and last
    "spring": (0, 1, 0, 5),
    "summer": (0, 4, 0, 8),
    "autumn": (0, 9, 0, 12),
    "fall": (0, 9, 0, 12),
    "winter": (-1, 12, 1, 2),
}
_SEASON = LazyPattern(
    r"^\s*(spring|summer|autumn|fall|winter)(?:\s+term)?(?:\s+of)?,?\s*(\d{4})\s*$",
    re.IGNORECASE,
)

DATE_FORMS = (
    "a year (2019), a month (2019-07, 07/2019, July 2019) or a date (2019-07-15, 15/07/2019)"
)
"""The date forms an error message names."""


def _months(first: tuple[int, int], last: tuple[int, int]) -> DateRange:
    """The days from the first of month ``first`` to the end of month ``last`` ((year, month))."""
    end = calendar.monthrange(*last)[1]
    return DateRange(dt.date(*first, 1), dt.date(*last, end))


def read_date(text: str) -> DateRange:
    """A date, month, term or year from text, as the range of days it may mean.

    Read: a year ("2019"); a month ("2019-07", "07/2019", "7/2019", "July 2019", "Sept. 2019");
    a day, ISO or day first as in the UK ("2019-07-15", "15/07/2019", "1 Sept 2019"); a term or
    season ("Summer 2022", see ``_SEASONS``); an academic year, 1 September to 31 August
    ("2016/17", "2016-17", "2016/2017"); and "A to B" of any two of these (as a range prints).
    "2011-12" may be December 2011 or the academic year 2011/12: the academic year, which
    holds both readings. Raises ``ValueError`` for anything else.
    """
    text = text.replace("\u2019", "'").strip()
    if match := _YEAR.match(text):
        year = int(match.group(1))
        return _months((year, 1), (year, 12))
    if match := _ACADEMIC_YEAR.match(text):
        start, end_text = int(match.group(1)), match.group(2)
        end = int(end_text)
        follows = end == start + 1 if len(end_text) == 4 else end == (start + 1) % 100
        if follows:
            return _months((start, 9), (start + 1, 8))
    if match := _YEAR_MONTH.match(text):
        return _months(*[(int(match.group(1)), int(match.group(2)))] * 2)
    if match := _MONTH_YEAR.match(text):
        return _months(*[(int(match.group(2)), int(match.group(1)))] * 2)
    if match := _ISO_DATE.match(text):
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return DateRange(day, day)
    if match := _UK_DATE.match(text):
        day = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return DateRange(day, day)
    if match := _SEASON.match(text):
        before, first, after, last = _SEASONS[match.group(1).casefold()]
        year = int(match.group(2))
        return _months((year + before, first), (year + after, last))
    if (match := _NAMED_MONTH.match(text)) and match.group(2).casefold() in _MONTHS:
        year, month = int(match.group(3)), _MONTHS[match.group(2).casefold()]
        if match.group(1):
            day = dt.date(year, month, int(match.group(1)))
            return DateRange(day, day)
        return _months((year, month), (year, month))
    if match := _SPAN.match(text):
        since, until = read_date(match.group(1)), read_date(match.group(2))
        if since.earliest <= until.latest:
            return DateRange(since.earliest, until.latest)
    raise ValueError(text)
