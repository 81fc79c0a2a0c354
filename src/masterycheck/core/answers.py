"""Typed answers: reading a raw answer (text, number, list) as the value of a profile field.

A value is one of: ``bool`` (yes/no), ``int`` (whole number), ``DateRange`` (a date, month,
term, academic year or year, kept as the range of days it may mean), ``str`` (one-of choice
id, or text), ``frozenset[str]`` (many-of choice ids) or ``YearsRange`` (a number of years
known only within bounds: derived from a date, or given so, as "10+" or "3-5 years"). An
unknown answer is simply absent. Answers are read as people type them (``parse_value``):
"Sept 2019", "2016/17", "Summer 2022", "five years", "10+", "N/A". A date field's answer is
read by ``core.answer_dates`` (whose ``DateRange`` is imported from here too): a date field
reads no count, nor a count field a date, so the two sets of forms are never tried on one
answer.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from masterycheck.core.answer_dates import DATE_FORMS, read_date
from masterycheck.core.answer_dates import DateRange as DateRange
from masterycheck.core.fields import Field, FieldType, normalise
from masterycheck.core.lazy_pattern import LazyPattern
from masterycheck.core.problems import Problem


@dataclass(frozen=True, slots=True)
class YearsRange:
    """A whole number of years known to lie between ``low`` and ``high`` (inclusive)."""

    low: int
    high: int | None  # None: no upper bound ("10+")

    def __str__(self) -> str:
        if self.high is None:
            return f"{self.low}+"
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
        "n.a.",
        "not applicable",
        "not known",
        "no idea",
        "idk",
        "dunno",
        "tbc",
        "prefer not to say",
    )
)
"""Answers that mean "I don't know": they make the field unknown, never no. An answer of
punctuation only ("-", "–", "?") normalises to nothing and is unknown too."""

_YES = frozenset({"yes", "y", "true", "t", "1"})
_NO = frozenset({"no", "n", "false", "f", "0"})

# Whole numbers (of years), as people type them: "5", "5 years", "5 yrs", "five", "10+",
# "over 10", "2.5", "3-5 years". A form of years that is not whole or has no upper end is
# kept as the range of whole numbers it certainly means (``YearsRange``), so a criterion is
# decided only when every reading of the answer decides it the same way.
_NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
            *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
            *("seventeen", "eighteen", "nineteen", "twenty"),
        )
    )
}
_NUMBER_WORDS.update({"a": 1, "an": 1, "thirty": 30, "forty": 40, "fifty": 50})
_AMOUNT = r"(\d{1,4}(?:\.\d+)?|[a-z]+)"
_UNIT = r"(?:\s*(?:full\s+)?(?:years?|yrs?|y)\.?)?"
_WHOLE = LazyPattern(rf"^\s*{_AMOUNT}{_UNIT}\s*$", re.IGNORECASE)
_HAS_UNIT = LazyPattern(r"\b(?:years?|yrs?)\b", re.IGNORECASE)
_AT_LEAST = LazyPattern(
    rf"^\s*(?:at\s+least|over|more\s+than|min(?:imum)?\.?)?\s*{_AMOUNT}\s*"
    rf"(\+|\s*or\s+more|\s*plus)?{_UNIT}(\s*\+|\s*or\s+more|\s*plus)?\s*$",
    re.IGNORECASE,
)
_OPENERS = LazyPattern(r"^\s*(at\s+least|over|more\s+than|min(?:imum)?\.?)\s", re.IGNORECASE)
_BELOW = LazyPattern(
    rf"^\s*(?:less\s+than|under|fewer\s+than)\s+{_AMOUNT}{_UNIT}\s*$", re.IGNORECASE
)
_BETWEEN = LazyPattern(
    rf"^\s*(?:between\s+)?{_AMOUNT}\s*(?:-|–|—|to|and)\s*{_AMOUNT}{_UNIT}\s*$",
    re.IGNORECASE,
)

_SHOWN_ANSWER = 40  # longest answer quoted in full in a note


def shown_answer(raw: object) -> str:
    """An answer quoted for a note beside the results: on one line, inert, shortened.

    Every character that is not printable (controls, bidirectional marks, line breaks) is
    replaced, so the quoted text shows what it holds and makes no terminal obey it.
    """
    text = " ".join(str(raw).split())
    text = "".join(c if c.isprintable() else "\ufffd" for c in text)
    if len(text) > _SHOWN_ANSWER:
        text = text[: _SHOWN_ANSWER - 1] + "…"
    return f"“{text}”"


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


def _parse_whole(field: Field, raw: object) -> int | YearsRange:
    value: int | YearsRange | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, float) and raw >= 0 and raw == raw and raw != float("inf"):
        value = int(raw)  # the whole years a fraction certainly covers: 2.5 is 2
    elif isinstance(raw, str):
        value = _whole_from_text(raw)
    if value is None:
        raise ValueProblem(
            'expected a whole number, e.g. 4, "4 years", "four" or "10+" (or "don\'t know")'
        )
    low, high = (value.low, value.high) if isinstance(value, YearsRange) else (value, value)
    if field.minimum is not None and low < field.minimum:
        raise ValueProblem(f"expected a whole number of at least {field.minimum}")
    if field.maximum is not None and max(low, high or 0) > field.maximum:
        raise ValueProblem(f"expected a whole number of at most {field.maximum}")
    return value


def _amount(text: str) -> float | None:
    """A number written in digits ("2.5") or as a word ("two"), else None."""
    word = text.casefold()
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    try:
        amount = float(word)
    except ValueError:
        return None
    return amount if math.isfinite(amount) else None  # "inf" and "nan" are words, not numbers


def _whole_from_text(text: str) -> int | YearsRange | None:
    """A whole number of years from text, or the range of them it certainly means.

    "2.5" is at least 2 whole years and fewer than 3: 2 (whole years are counted as completed
    years, as a criterion of "at least N years" reads them). "10+", "over 10", "at least 10"
    and "10 or more" are at least 10, with no upper end; "3-5 years" is 3 to 5; "less than 2"
    is 0 to 1. A number of months, weeks or anything else is not read.
    """
    text = text.replace("\u2019", "'")
    if match := _WHOLE.match(text):
        amount = _amount(match.group(1))
        if match.group(1).casefold() in ("a", "an") and not _HAS_UNIT.search(text):
            return None  # "a year" is 1, a lone "a" is no number
        return None if amount is None else int(amount)
    if match := _AT_LEAST.match(text):
        amount = _amount(match.group(1))
        opened = bool(_OPENERS.match(text)) or bool(match.group(2)) or bool(match.group(3))
        if amount is None or not opened:
            return None
        return YearsRange(int(amount), None)
    if match := _BELOW.match(text):
        amount = _amount(match.group(1))
        if amount is None or amount <= 0:
            return None
        whole = int(amount)
        below = whole - 1 if whole == amount else whole
        return below if below == 0 else YearsRange(0, below)
    if match := _BETWEEN.match(text):
        low, high = _amount(match.group(1)), _amount(match.group(2))
        if low is None or high is None or high < low:
            return None
        return int(low) if int(low) == int(high) else YearsRange(int(low), int(high))
    return None


def _parse_date(raw: object) -> DateRange:
    if isinstance(raw, dt.datetime):
        return DateRange(raw.date(), raw.date())
    if isinstance(raw, dt.date):
        return DateRange(raw, raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, str):
        try:
            return read_date(raw)
        except ValueError:
            pass
    raise ValueProblem(f"expected {DATE_FORMS}")


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


#: How a list is written: by a form ("a;b;", "a, b"), and then as people type it ("a and b",
#: "a & b", "a/b", "a + b"), tried only when the form's way does not read.
_LIST_SEPARATORS = (LazyPattern(r"[;,]"), LazyPattern(r"\s*(?:[;,&/+]|\band\b)\s*", re.IGNORECASE))


def _parse_many(field: Field, raw: object) -> frozenset[str]:
    if isinstance(raw, list | tuple | set | frozenset):
        chosen = _choices_in(field, list(raw))
    elif isinstance(raw, str):
        chosen = None
        for separator in _LIST_SEPARATORS:
            chosen = _choices_in(field, [p for p in separator.split(raw) if p.strip()])
            if chosen is not None:
                break
    else:
        chosen = None
    if chosen is None:
        raise ValueProblem(f"expected any of: {_choices_hint(field)}")
    return chosen


def _choices_in(field: Field, parts: list[object]) -> frozenset[str] | None:
    """The choices ``parts`` name, or None when one of them names none."""
    chosen: set[str] = set()
    for part in parts:
        found = field.choice_lookup.get(normalise(str(part))) if part is not None else None
        if found is None:
            return None
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
    if isinstance(value, DateRange):
        text = str(value)
        if read_date(text) != value:  # "2011-12" reads as the academic year 2011/12
            return f"{value.earliest.isoformat()} to {value.latest.isoformat()}"
        return text
    if isinstance(value, YearsRange):
        return str(value)
    return value
