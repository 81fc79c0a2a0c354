"""The domain's words, from one place: verdicts, outcomes, levels, kinds and origins.

Every value is the exact string written to JSON keys and values, CSV cells and reports: the
values are a contract, so renaming one changes every output. Pure: imports nothing but the
standard library, so any layer may use it and importing it costs nothing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Verdict(StrEnum):
    """The overall verdict of an assessment."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    INCOMPLETE = "incomplete"


class RowVerdict(StrEnum):
    """The verdict of one row of a batch: an assessment's verdict, or invalid.

    A row is invalid when it cannot be assessed at all (an unreadable or contradictory cell).
    Members are declared in ranking order (best first): ``tuple(RowVerdict)`` is the order in
    which screening ranks, counts and lists the verdict classes.
    """

    ELIGIBLE = "eligible"
    INCOMPLETE = "incomplete"
    NOT_ELIGIBLE = "not_eligible"
    INVALID = "invalid"

    @classmethod
    def of(cls, verdict: Verdict) -> RowVerdict:
        """The row verdict of an assessed row."""
        return cls(verdict.value)


class Outcome(StrEnum):
    """The outcome of one criterion (or one part of a rule)."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


class Level(StrEnum):
    """How a criterion weighs: essential criteria decide eligibility."""

    ESSENTIAL = "essential"
    DESIRABLE = "desirable"


class CountedTo(StrEnum):
    """The programme date a derived number of years is counted to."""

    REFERENCE_DATE = "reference_date"
    CLOSING_DATE = "closing_date"


class Kind(StrEnum):
    """Who decides a criterion: answers (fact) or the hub, from the application (evidence)."""

    FACT = "fact"
    EVIDENCE = "evidence"


#: The origin of a criterion from the programme file. Any other origin is the name of the hub
#: overlay that added the criterion: an open set of strings, so origins are ``str`` and this
#: one known value is a constant rather than an enum of one member that every hub name would
#: have to escape from.
PUBLISHED: Final = "published"


def is_published(origin: str) -> bool:
    """Whether a criterion of this origin is the programme's own (not a hub's addition)."""
    return origin == PUBLISHED
