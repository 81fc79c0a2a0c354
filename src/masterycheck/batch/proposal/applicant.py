"""Finding the columns that identify an applicant, by heading and by what they hold.

An email column holds addresses; a name column is headed as a name and holds names, never
"anonymous" (what Microsoft Forms writes in its own Name and Email columns when the form does
not record who answered); a school column names a school, college or other setting; the
submission time is the form system's completion time or timestamp.
"""

from __future__ import annotations

from collections.abc import Sequence

from masterycheck.batch.proposal.columns import ColumnFacts
from masterycheck.core.fields import normalise

ID_HEADINGS = frozenset(
    normalise(h)
    for h in ("ID", "Response ID", "Respondent ID", "Applicant ID", "Reference", "Application ID")
)
SUBMITTED_HEADINGS = (  # best first
    "Completion time",
    "Timestamp",
    "Submitted at",
    "Submission time",
    "Submitted",
    "Date submitted",
    "Start time",
)
META_HEADINGS = frozenset(
    normalise(h) for h in (*SUBMITTED_HEADINGS, "Last modified time", "Submission ID")
)
_SETTING_TEXT = "school college academy organisation organization provider institution employer"
_SETTING_WORDS = frozenset(_SETTING_TEXT.split())
_OTHER_PEOPLE_TEXT = "headteacher head principal manager referee line trust setting"
_NOT_THE_APPLICANT = _SETTING_WORDS | frozenset(_OTHER_PEOPLE_TEXT.split())
_NAME_WORDS = frozenset({"name", "surname", "forename"})
_EMAIL_WORDS = frozenset({"email", "e", "mail", "address"})


def _words(heading: str) -> set[str]:
    return set(normalise(heading).split())


def find_email(headings: Sequence[str], facts: Sequence[ColumnFacts]) -> int | None:
    """The column of email addresses (by content when sampled, else by heading)."""
    best: tuple[float, int] | None = None
    for position, heading in enumerate(headings):
        fact = facts[position]
        words = _words(heading)
        named = "email" in words or {"e", "mail"} <= words
        if fact.sampled:
            if fact.anonymous >= 0.5 or fact.email < 0.5:
                continue
            score = fact.email + (0.5 if named else 0.0)
        elif named and not (words - _EMAIL_WORDS - {"your", "of", "applicant"}):
            score = 1.0
        else:
            continue
        if best is None or score > best[0]:
            best = (score, position)
    return best[1] if best else None


def find_name(headings: Sequence[str], facts: Sequence[ColumnFacts], taken: set[int]) -> int | None:
    """The column of the applicant's full name: headed as a name, holding names."""
    best: tuple[float, int] | None = None
    for position, heading in enumerate(headings):
        if position in taken:
            continue
        words = _words(heading)
        if not words & _NAME_WORDS or words & _NOT_THE_APPLICANT:
            continue
        fact = facts[position]
        if fact.sampled and (fact.anonymous >= 0.5 or fact.email >= 0.5):
            continue
        score = 1.0 + (fact.names if fact.sampled else 0.0)
        if words & {"full", "applicant", "teacher", "your"}:
            score += 0.3
        if words & {"first", "forename"} and not words & {"last", "surname", "full"}:
            score -= 0.5  # a first name alone
        if best is None or score > best[0]:
            best = (score, position)
    return best[1] if best else None


def find_id(headings: Sequence[str]) -> int | None:
    """The form system's response id column."""
    return next((p for p, h in enumerate(headings) if normalise(h) in ID_HEADINGS), None)


def find_submitted(headings: Sequence[str]) -> int | None:
    """The column giving when each response was submitted."""
    keys = [normalise(h) for h in headings]
    for wanted in SUBMITTED_HEADINGS:
        if normalise(wanted) in keys:
            return keys.index(normalise(wanted))
    return None


#: Words of a heading that asks where a school is, not which school it is.
_PLACE_WORDS = frozenset(
    [
        "authority",
        "authorities",
        "la",
        "region",
        "area",
        "county",
        "council",
        "borough",
        "district",
        "town",
        "city",
        "postcode",
        "located",
        "location",
    ]
)


def is_school_column(heading: str, fact: ColumnFacts) -> bool:
    """A column naming the applicant's school or college (free text, one per applicant)."""
    words = _words(heading)
    if not words & _SETTING_WORDS or len(words) > 8:
        return False
    if words & {"type", "phase", "kind", "category", "funded", "state", "england"}:
        return False
    if words & _PLACE_WORDS:  # where the school is (its local authority, region), not which
        return False
    if not fact.sampled:
        return "name" in words
    return fact.proper >= 0.5 and fact.yes_no < 0.5 and fact.long < 0.5
