"""A programme file: the published criteria of one Mastery Specialist programme, as data."""

# No ``from __future__ import annotations``: pydantic would evaluate every field's annotation
# from its text as each model class is made, which costs a third of making the class.

import datetime as dt
from typing import Any

from pydantic import Field as PydanticField
from pydantic import model_validator

from masterycheck.core.model_base import (
    Identifier,
    NonEmptyText,
    SchemaVersion,
    StrictModel,
    no_items,
)
from masterycheck.core.rules import Rule
from masterycheck.core.vocabulary import CountedTo
from masterycheck.core.vocabulary import Kind as Kind
from masterycheck.core.vocabulary import Level as Level
from masterycheck.core.vocabulary import Verdict as Verdict


class SourceRef(StrictModel):
    """Where a criterion or fact is published."""

    document: NonEmptyText = PydanticField(
        description="File name under shared/sources/, or the https:// address of a public page."
    )
    section: str | None = None
    quote: str | None = PydanticField(
        default=None,
        description="For a public page: the published sentence, word for word, that the "
        "criterion's text is taken from (a page is not kept beside the files, so its words are).",
    )

    @model_validator(mode="after")
    def _a_page_is_quoted(self) -> "SourceRef":
        if self.document.startswith(("http://", "https://")) and not self.quote:
            raise ValueError("a criterion sourced from a public page needs its `quote`")
        return self


class HubToConfirm(StrictModel):
    """A case the sources leave to the hub: flagged for the hub to confirm, not decided."""

    when: Rule
    note: NonEmptyText


class Criterion(StrictModel):
    """One published criterion, with its wording and the rule that encodes it."""

    id: Identifier
    level: Level
    kind: Kind
    text: NonEmptyText = PydanticField(description="The published wording, verbatim.")
    short: str | None = PydanticField(
        default=None,
        max_length=40,
        description='A short label for tables and charts (e.g. "QTS ≥ 2 years"); the '
        "published wording stays the criterion's text.",
    )
    source: SourceRef
    last_verified: dt.date
    rule: Rule
    hub_to_confirm: HubToConfirm | list[HubToConfirm] | None = PydanticField(
        default=None,
        description="A case the sources leave to the hub, or several cases each with its own "
        "note; the first case whose rule is met gives the note shown.",
    )
    evidence: str | None = PydanticField(
        default=None, description="What the application statement must evidence."
    )
    action: str | None = PydanticField(
        default=None, description="What a teacher can do when this criterion is not met."
    )
    reading: str | None = PydanticField(
        default=None, description="How an ambiguous source was read, and why."
    )
    weight: int = PydanticField(default=1, ge=1, le=10)

    @model_validator(mode="after")
    def _evidence_and_weight_fit(self) -> "Criterion":
        if self.kind is Kind.EVIDENCE and not self.evidence:
            raise ValueError("an evidence criterion needs 'evidence' (what to show)")
        if self.level is Level.ESSENTIAL and self.weight != 1:
            raise ValueError("only desirable criteria carry a weight")
        return self


class Window(StrictModel):
    """The application window, as far as it is published."""

    opens: dt.date | None = None
    closes: dt.date | None = None
    decisions_by: dt.date | None = PydanticField(
        default=None, description="When hubs say they will notify applicants."
    )
    note: str | None = None
    next_cohort: str | None = PydanticField(
        default=None, description="What is known of the next cohort's usual timing."
    )

    @model_validator(mode="after")
    def _opens_before_closes(self) -> "Window":
        if self.opens and self.closes and self.opens > self.closes:
            raise ValueError("the window closes before it opens")
        return self


class CommitmentYear(StrictModel):
    """The commitment in one year of the programme."""

    academic_year: NonEmptyText
    label: NonEmptyText
    release_days: float | None = PydanticField(default=None, ge=0)
    release_days_note: str | None = None
    funded: bool | None = None
    funded_by: str | None = None
    residentials: str | None = None
    central_events: str | None = None
    other: list[str] = PydanticField(default_factory=no_items)


class SourceDocument(StrictModel):
    """The published document a programme file encodes."""

    document: NonEmptyText = PydanticField(
        description="File name under shared/sources/, or the address of a public page."
    )
    title: NonEmptyText
    published_by: str | None = None
    quote: str | None = PydanticField(
        default=None, description="The published sentence relied on, word for word."
    )


class Example(StrictModel):
    """An example candidate with the verdict the criteria must give."""

    name: NonEmptyText
    profile: dict[str, Any]
    expect: Verdict
    reason: str | None = PydanticField(
        default=None,
        description="Words the reason of one criterion's result must contain (ignoring case): "
        "pins why the verdict is given, not only which.",
    )
    as_of: dt.date | None = None


class Programme(StrictModel):
    """One programme's file: facts, commitment, expectations and criteria."""

    schema_version: SchemaVersion = 1
    id: Identifier
    name: NonEmptyText
    phase: NonEmptyText
    cohort: int | None = None
    academic_years: list[NonEmptyText] = PydanticField(min_length=1)
    provisional: bool = False
    provisional_note: str | None = None
    source: SourceDocument
    other_sources: list[SourceDocument] = PydanticField(default_factory=no_items)
    reference_date: dt.date = PydanticField(
        description="The date derived values (such as years since QTS) are computed against."
    )
    reference_date_note: NonEmptyText
    closing_date: dt.date | None = PydanticField(
        default=None,
        description="The closing date for applications, when it is published and differs from "
        "the reference date: derived values counted to it (`counted_to: closing_date`) let a "
        "criterion tell the two dates apart.",
    )
    closing_date_source: SourceDocument | None = PydanticField(
        default=None, description="Where the closing date is published, quoted."
    )
    window: Window
    commitment: list[CommitmentYear] = PydanticField(min_length=1)
    expectations: list[NonEmptyText] = PydanticField(
        default_factory=no_items, description="What the school or institution commits to."
    )
    selection_note: str | None = None
    criteria: list[Criterion] = PydanticField(min_length=1)
    examples: list[Example] = PydanticField(default_factory=no_items)

    @model_validator(mode="after")
    def _closing_date_before_reference(self) -> "Programme":
        if self.closing_date is not None and self.closing_date > self.reference_date:
            raise ValueError("closing_date must not be after reference_date")
        return self

    @model_validator(mode="after")
    def _criteria_unique(self) -> "Programme":
        ids = [criterion.id for criterion in self.criteria]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate criterion id {duplicates[0]!r}")
        if self.provisional and not self.provisional_note:
            raise ValueError("a provisional programme needs a provisional_note")
        return self

    def counted_to(self, anchor: CountedTo) -> dt.date | None:
        """The date a derived value anchored at ``anchor`` is counted to (None: not published)."""
        return self.closing_date if anchor is CountedTo.CLOSING_DATE else self.reference_date

    def essentials(self) -> list[Criterion]:
        """The essential criteria, in file order."""
        return [c for c in self.criteria if c.level is Level.ESSENTIAL]

    def desirables(self) -> list[Criterion]:
        """The desirable criteria, in file order."""
        return [c for c in self.criteria if c.level is Level.DESIRABLE]
