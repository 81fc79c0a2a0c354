"""Typed answers: reading a raw answer (text, number, list) as the value of a profile field.

A value is one of: ``bool`` (yes/no), ``int`` (whole number), ``DateRange`` (a date, month or
year, kept as the range of days it may mean), ``str`` (one-of choice id, or text),
``frozenset[str]`` (many-of choice ids) or ``YearsRange`` (a derived number of years that
may be known only within bounds). An unknown answer is simply absent.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from masterycheck.core.fields import Field, FieldType, normalise
from masterycheck.core.problems import Problem


@dataclass(frozen=True, slots=True)
class DateRange:
    """A date known to lie between ``earliest`` and ``latest`` (both inclusive)."""

    earliest: dt.date
    latest: dt.date

    def __str__(self) -> str:
        if self.earliest == self.latest:
            return self.earliest.isoformat()
        if self.earliest.month == 1 and self.latest.month == 12 and self.latest.day == 31:
            return str(self.earliest.year)
        return self.earliest.strftime("%Y-%m")


@dataclass(frozen=True, slots=True)
class YearsRange:
    """A whole number of years known to lie between ``low`` and ``high`` (inclusive)."""

    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


Value = bool | int | str | frozenset[str] | DateRange | YearsRange


class ValueProblem(Problem):
    """An answer that does not fit its field; the message lists what is accepted.

    Raised for one answer on its own, so ``loc`` is empty: the caller knows where it was."""


UNKNOWN_WORDS = frozenset(
    normalise(word)
    for word in (
        "don't know",
        "dont know",
        "do not know",
        "unknown",
        "not sure",
        "unsure",
        "skip",
        "?",
        "n/a",
        "na",
        "prefer not to say",
    )
)
"""Answers that mean "I don't know": they make the field unknown, never no."""

_YES = frozenset({"yes", "y", "true", "t", "1"})
_NO = frozenset({"no", "n", "false", "f", "0"})
_WHOLE = re.compile(r"^\s*(\d{1,4})\s*(?:years?|yrs?)?\s*$", re.IGNORECASE)
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_YEAR_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_UK_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:\s.*)?$")
_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})/(\d{4})\s*$")


def is_unknown(raw: object) -> bool:
    """True for a missing, blank or "don't know" answer."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip() or normalise(raw) in UNKNOWN_WORDS or raw.strip() == "?"
    return False


def parse_value(field: Field, raw: object) -> Value | None:
    """Read ``raw`` as an answer to ``field``; None for an unknown answer.

    Raises ``ValueProblem`` (naming the accepted values, never echoing long input) when the
    answer does not fit the field.
    """
    if is_unknown(raw):
        return None
    kind = field.type
    if kind is FieldType.YES_NO:
        return _parse_yes_no(raw)
    if kind is FieldType.WHOLE_NUMBER:
        return _parse_whole(field, raw)
    if kind is FieldType.DATE:
        return _parse_date(raw)
    if kind is FieldType.ONE_OF:
        return _parse_choice(field, raw)
    if kind is FieldType.MANY_OF:
        return _parse_many(field, raw)
    if isinstance(raw, str):
        return raw.strip()
    raise ValueProblem("expected text")


def _parse_yes_no(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        word = normalise(raw)
        if word in _YES:
            return True
        if word in _NO:
            return False
    raise ValueProblem('expected yes or no (or "don\'t know")')


def _parse_whole(field: Field, raw: object) -> int:
    number: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str):
        match = _WHOLE.match(raw)
        if match:
            number = int(match.group(1))
    if number is None:
        raise ValueProblem('expected a whole number, e.g. 4 (or "don\'t know")')
    if field.minimum is not None and number < field.minimum:
        raise ValueProblem(f"expected a whole number of at least {field.minimum}")
    if field.maximum is not None and number > field.maximum:
        raise ValueProblem(f"expected a whole number of at most {field.maximum}")
    return number


def _parse_date(raw: object) -> DateRange:
    if isinstance(raw, dt.datetime):
        return DateRange(raw.date(), raw.date())
    if isinstance(raw, dt.date):
        return DateRange(raw, raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, str):
        try:
            return _date_from_text(raw)
        except ValueError:
            pass
    raise ValueProblem("expected a year (2019), a month (2019-07) or a date (2019-07-15)")


def _date_from_text(text: str) -> DateRange:
    if match := _YEAR.match(text):
        year = int(match.group(1))
        return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))
    month_match = _YEAR_MONTH.match(text)
    if month_match is None and (other := _MONTH_YEAR.match(text)):
        year, month = int(other.group(2)), int(other.group(1))
    elif month_match is not None:
        year, month = int(month_match.group(1)), int(month_match.group(2))
    else:
        year = month = 0
    if year:
        last = calendar.monthrange(year, month)[1]
        return DateRange(dt.date(year, month, 1), dt.date(year, month, last))
    if match := _ISO_DATE.match(text):
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return DateRange(day, day)
    if match := _UK_DATE.match(text):
        day = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return DateRange(day, day)
    raise ValueError(text)


def _choices_hint(field: Field) -> str:
    return ", ".join(field.choice_ids)


def _parse_choice(field: Field, raw: object) -> str:
    if isinstance(raw, bool):
        raw = "yes" if raw else "no"
    if isinstance(raw, str | int):
        found = field.choice_lookup.get(normalise(str(raw)))
        if found is not None:
            return found
    raise ValueProblem(f"expected one of: {_choices_hint(field)}")


def _parse_many(field: Field, raw: object) -> frozenset[str]:
    if isinstance(raw, str):
        parts: list[object] = [part for part in re.split(r"[;,]", raw) if part.strip()]
    elif isinstance(raw, list | tuple | set | frozenset):
        parts = list(raw)
    else:
        raise ValueProblem(f"expected any of: {_choices_hint(field)}")
    chosen: set[str] = set()
    for part in parts:
        found = field.choice_lookup.get(normalise(str(part))) if part is not None else None
        if found is None:
            raise ValueProblem(f"expected any of: {_choices_hint(field)}")
        chosen.add(found)
    return frozenset(chosen)


def years_between(since: DateRange, reference: dt.date) -> YearsRange:
    """Whole years from a date (known within a range) to ``reference``."""
    return YearsRange(
        _whole_years(since.latest, reference), _whole_years(since.earliest, reference)
    )


def _whole_years(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def display(field: Field, value: Value | None) -> str:
    """A short, human form of a value for reports."""
    if value is None:
        return "no answer"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset):
        if not value:
            return "none"
        return "; ".join(field.label_of(c) for c in field.choice_ids if c in value)
    if field.type is FieldType.ONE_OF and isinstance(value, str):
        return field.label_of(value)
    return str(value)


def to_plain(value: Value) -> object:
    """A value as plain YAML/JSON data that ``parse_value`` reads back to the same value."""
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, DateRange | YearsRange):
        return str(value)
    return value
