"""The assessment: what the engine concluded for one profile against one programme.

Pure data, rendered by the reporters (text, JSON, Markdown, HTML).
"""

# No ``from __future__ import annotations``: pydantic would evaluate every field's annotation
# from its text as each model class is made, which costs a third of making the class.

import datetime as dt
from collections.abc import Callable
from typing import Literal, ParamSpec, TypeVar, cast

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from masterycheck.core.vocabulary import PUBLISHED, Kind, Level, Outcome, Verdict


class ReportModel(BaseModel):
    """Base of report models: frozen, no unknown keys.

    Their validators are built when first used (``defer_build``): the engine makes them with
    ``made``, which does not validate, so a command that only shows a result never builds them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


ModelT = TypeVar("ModelT", bound=ReportModel)
P = ParamSpec("P")


def made(model: Callable[P, ModelT], /, *args: P.args, **values: P.kwargs) -> ModelT:
    """``model(**values)`` for values the engine made, each already of its declared type (a
    type checker holds them to ``model``'s fields): not validated, so no validator is built
    (building them is a twentieth of ``check``'s start-up; JSON output builds them when it
    first writes a result). Values from outside, such as a file's, are validated elsewhere."""
    if args:
        raise TypeError("made() takes the values by name")
    construct = cast("Callable[..., ModelT]", cast("type[ReportModel]", model).model_construct)
    return construct(**values)


class AnswerUsed(ReportModel):
    """An answer a criterion's rule looked at.

    A derived value (years since a date) names the date field it is ``derived_from`` and, when
    it could be computed, the date it was ``counted_to`` (the programme's reference date).

    ``unreadable`` is the answer as given (quoted: one line, inert, shortened) when one was
    given but could not be read, so that it is not mistaken for no answer; for a derived value,
    the answer to the date it is derived from. ``source`` is ``hub`` for an answer the hub
    states for every applicant (a mapping's ``constants``), never the applicant's own. Both
    keys are left out of the data when they do not apply (``applicant``, no unreadable).
    """

    field: str
    label: str
    value: str
    derived_from: str | None = None
    counted_to: dt.date | None = None
    unreadable: str | None = None
    source: Literal["applicant", "hub"] = "applicant"

    @model_serializer(mode="wrap")
    def _only_what_applies(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        data: dict[str, object] = handler(self)
        if data.get("unreadable") is None:
            data.pop("unreadable", None)
        if data.get("source") == "applicant":
            data.pop("source", None)
        return data


class CriterionResult(ReportModel):
    """The outcome of one criterion, with the answers that decided it and why.

    ``reason`` is prose for people; the facts behind an unknown outcome are data, for
    reporters to word: the fields the outcome waits on that have no answer (``missing``),
    those of them whose answer was given but could not be read (``unreadable``), and those
    answered too vaguely to settle it (``imprecise``, e.g. a year where the month decides).
    Field ids are those the rule reads; a derived field's ``AnswerUsed`` names its source.
    """

    id: str
    level: Level
    kind: Kind
    text: str
    outcome: Outcome
    reason: str
    self_declared: bool
    hub_to_confirm: bool
    hub_note: str | None = None
    answers: list[AnswerUsed]
    weight: int
    evidence: str | None = None
    origin: str = PUBLISHED
    source: str
    missing: list[str] = []
    unreadable: list[str] = []
    imprecise: list[str] = []

    @property
    def unanswered(self) -> bool:
        """Unknown only for want of answers: every field it waits on has none given, and it is
        not a case left to the hub. An answer given that could not be read is not "unanswered":
        the result quotes it (``unreadable``, and the ``AnswerUsed``)."""
        return (
            self.outcome is Outcome.UNKNOWN
            and not self.hub_to_confirm
            and bool(self.missing)
            and not self.imprecise
            and not self.unreadable
        )


class DesirableScore(ReportModel):
    """Desirable criteria: weights met out of the total, unknowns counted apart."""

    met: int
    not_met: int
    unknown: int
    total: int
    self_declared: int
    percent: int


class PathStep(ReportModel):
    """One thing the teacher can do towards eligibility."""

    kind: Literal["answer", "change", "hub"]
    action: str
    criteria: list[str]
    fields: list[str]


class EvidenceItem(ReportModel):
    """Something the application statement must evidence, for the panel to judge."""

    criterion: str
    level: Level
    text: str
    evidence: str
    self_assessment: Outcome


class WindowStatus(ReportModel):
    """The application window relative to the as-of date."""

    state: Literal["open", "not_yet_open", "closed", "not_published"]
    opens: dt.date | None
    closes: dt.date | None
    days: int | None
    message: str


class CommitmentSummary(ReportModel):
    """Release days and events, year by year."""

    academic_year: str
    label: str
    release_days: float | None
    release_days_note: str | None
    funded: bool | None
    funded_by: str | None
    residentials: str | None
    central_events: str | None
    other: list[str]


class CohortStatus(ReportModel):
    """Where the cohort assessed against stands on the as-of date, in its first lines."""

    state: Literal["not_yet_open", "open", "closed", "running", "finished", "not_published"]
    message: str


class BecomesMet(ReportModel):
    """A criterion not met today that time alone will meet (years since a date)."""

    criterion: str
    text: str
    met_from: dt.date
    message: str


class NextTime(ReportModel):
    """The same criteria assessed one year on: projected, as the next cohort's criteria are
    not yet published."""

    projected: Literal[True] = True
    note: str
    reference_date: dt.date
    closing_date: dt.date | None = None
    verdict: Verdict
    stopped_by: list[str]
    changed: list[str]
    becomes_met: list[BecomesMet] = []


class Assessment(ReportModel):
    """Everything the checker concluded for one profile and one programme."""

    def to_dict(self) -> dict[str, object]:
        """The assessment as plain data: exactly what ``check --format json`` prints for it."""
        return self.model_dump(mode="json")

    programme: str
    programme_name: str
    cohort: int | None
    academic_years: list[str]
    provisional: bool
    provisional_note: str | None
    as_of: dt.date
    reference_date: dt.date
    reference_date_note: str
    closing_date: dt.date | None = None
    verdict: Verdict
    stopped_by: list[str]
    criteria: list[CriterionResult]
    desirable: DesirableScore
    evidence: list[EvidenceItem]
    path_to_eligibility: list[PathStep]
    window: WindowStatus
    commitment: list[CommitmentSummary]
    expectations: list[str]
    notes: list[str]
    cohort_status: CohortStatus | None = None
    next_time: NextTime | None = None
    not_for_you: str | None = None  # why the teacher's setting rules it out (phase first)
