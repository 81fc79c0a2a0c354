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


#: The verdict of an earlier submission of an applicant who submitted again: not a verdict of
#: the engine but a batch row's status, written where a row verdict would be.
SUPERSEDED: Final = "superseded"
#: A criterion's cell in a batch's results when its outcome is unknown and a case the sheet
#: leaves to the hub applies.
HUB_TO_CONFIRM: Final = "hub_to_confirm"

#: Each word's label: how a person reads it in every human output (the terminal, text,
#: Markdown, HTML, the XLSX workbook). JSON and CSV carry the words themselves (the contract
#: scripts read); everything a person reads carries these labels, from here alone.
LABELS: Final[dict[str, str]] = {
    Verdict.ELIGIBLE: "Eligible",
    Verdict.NOT_ELIGIBLE: "Not eligible",
    Verdict.INCOMPLETE: "Incomplete",
    RowVerdict.INVALID: "Invalid",
    SUPERSEDED: "Superseded",
    Outcome.MET: "Met",
    Outcome.NOT_MET: "Not met",
    Outcome.UNKNOWN: "Unknown",
    HUB_TO_CONFIRM: "Hub to confirm",
    Level.ESSENTIAL: "Essential",
    Level.DESIRABLE: "Desirable",
    Kind.FACT: "Fact",
    Kind.EVIDENCE: "Evidence",
}


def label(word: str) -> str:
    """A word of the vocabulary as a person reads it in a cell or a heading: 'not_met' →
    'Not met'. A word outside the vocabulary is an error, not a guess."""
    return LABELS[word]


def spoken(word: str) -> str:
    """A word of the vocabulary inside a sentence: 'not_eligible' → 'not eligible'."""
    return LABELS[word].lower()


def shouted(word: str) -> str:
    """A word of the vocabulary as a verdict heading shows it: 'not_eligible' → 'NOT
    ELIGIBLE'."""
    return LABELS[word].upper()


def is_published(origin: str) -> bool:
    """Whether a criterion of this origin is the programme's own (not a hub's addition)."""
    return origin == PUBLISHED
