"""The rule engine: a profile against a compiled programme gives an assessment.

Pure: no printing, no files. ``assess`` evaluates a profile with three-valued logic against a
programme that ``compile_programme`` (``core.compiled_programme``) checked and compiled once:
each criterion's result and its reason, the verdict, the desirable score and the evidence;
the path to eligibility is ``core.eligibility_path``'s. The compiled programme and the path
are imported from here too, as they always were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence

from masterycheck.core.answers import DateRange, Value, display, shown_answer, years_between
from masterycheck.core.compiled_programme import CompiledCriterion as CompiledCriterion
from masterycheck.core.compiled_programme import CompiledProgramme as CompiledProgramme
from masterycheck.core.compiled_programme import compile_programme as compile_programme
from masterycheck.core.eligibility_path import path_to_eligibility as path_to_eligibility
from masterycheck.core.fields import Catalogue
from masterycheck.core.profile import Profile
from masterycheck.core.programme import Programme
from masterycheck.core.results import (
    AnswerUsed,
    Assessment,
    CommitmentSummary,
    CriterionResult,
    DesirableScore,
    EvidenceItem,
    made,
)
from masterycheck.core.rules import AboutAnswer, NoAnswer
from masterycheck.core.vocabulary import Kind, Level, Outcome, Verdict
from masterycheck.core.window import long_date, window_status


def answers_with_derived(
    compiled: CompiledProgramme, profile: Profile, shift: dt.timedelta | None = None
) -> dict[str, Value]:
    """The profile's answers plus derived values, each counted to its date (the programme's
    reference or closing date), moved by ``shift`` when one is given (a projection)."""
    answers: dict[str, Value] = dict(profile.answers)
    counted_to = dict(compiled.counted_to)
    for derived_id, date_id in compiled.derived:
        since = answers.get(date_id)
        if isinstance(since, DateRange):
            day = counted_to[derived_id]
            answers[derived_id] = years_between(since, day + shift if shift else day)
    return answers


def assess(compiled: CompiledProgramme, profile: Profile, as_of: dt.date) -> Assessment:
    """Assess ``profile`` against the programme as of ``as_of``."""
    from masterycheck.core.projection import cohort_status, next_time

    programme = compiled.programme
    answers = answers_with_derived(compiled, profile)
    results = criterion_results(compiled, answers, profile.unreadable)
    verdict = decide_verdict(results)
    window = window_status(programme.window, as_of)
    cohort = cohort_status(programme, window, as_of)
    later = None
    if cohort.state in ("closed", "running", "finished"):
        later = next_time(compiled, profile, results, as_of)
    return made(
        Assessment,
        programme=programme.id,
        programme_name=programme.name,
        cohort=programme.cohort,
        academic_years=list(programme.academic_years),
        provisional=programme.provisional,
        provisional_note=programme.provisional_note,
        as_of=as_of,
        reference_date=programme.reference_date,
        reference_date_note=programme.reference_date_note,
        closing_date=programme.closing_date,
        verdict=verdict,
        stopped_by=[
            r.id for r in results if r.level is Level.ESSENTIAL and r.outcome is Outcome.NOT_MET
        ],
        criteria=results,
        desirable=desirable_score(results),
        evidence=evidence_items(results),
        path_to_eligibility=path_to_eligibility(compiled, results, answers),
        window=window,
        commitment=[
            made(CommitmentSummary, **{**dict(year), "other": list(year.other)})
            for year in programme.commitment
        ],
        expectations=list(programme.expectations),
        notes=_notes(programme, profile),
        cohort_status=cohort,
        next_time=later,
    )


_NONE: Mapping[str, str] = {}


def criterion_results(
    compiled: CompiledProgramme,
    answers: dict[str, Value],
    unreadable: Mapping[str, str] = _NONE,
    stated_by_hub: Collection[str] = frozenset(),
) -> list[CriterionResult]:
    """Every criterion's result for ``answers`` (derived values included), in file order.

    ``unreadable`` maps the fields whose answer was given but could not be read to that answer
    as given; ``stated_by_hub`` names the fields the hub answers for every applicant (a
    mapping's constants). Shared by ``assess`` and the batch screening path, so both apply the
    same rules.
    """
    return [
        _criterion_result(c, compiled.catalogue, answers, unreadable, stated_by_hub)
        for c in compiled.criteria
    ]


def criterion_result(
    compiled: CompiledCriterion,
    catalogue: Catalogue,
    answers: dict[str, Value],
    unreadable: Mapping[str, str] = _NONE,
    stated_by_hub: Collection[str] = frozenset(),
) -> CriterionResult:
    """One criterion's result for ``answers`` (for callers that memoise per criterion)."""
    return _criterion_result(compiled, catalogue, answers, unreadable, stated_by_hub)


def decide_verdict(results: list[CriterionResult]) -> Verdict:
    """Not eligible if an essential is not met; incomplete if an essential fact is unknown.

    An essential evidence criterion the teacher answered "no" counts as not met; an
    unanswered evidence criterion never makes a verdict incomplete (the panel judges it).
    """
    essentials = [r for r in results if r.level is Level.ESSENTIAL]
    if any(r.outcome is Outcome.NOT_MET for r in essentials):
        return Verdict.NOT_ELIGIBLE
    if any(r.outcome is Outcome.UNKNOWN and r.kind is Kind.FACT for r in essentials):
        return Verdict.INCOMPLETE
    return Verdict.ELIGIBLE


def _given(catalogue: Catalogue, name: str, unreadable: Mapping[str, str]) -> str | None:
    """The answer given to field ``name`` that could not be read (for a derived field: to the
    field it is derived from), or None."""
    if not unreadable:
        return None
    found = unreadable.get(name)
    derived = catalogue.by_id[name].derived
    if found is None and derived is not None:
        found = unreadable.get(derived.years_since)
    return found


HUB_STATEMENT = "the hub's statement for every applicant"
"""How a reason marks an answer the hub gives (a mapping's constants), not the applicant."""


def _reason(
    reasons: Sequence[str],
    catalogue: Catalogue,
    unreadable: Mapping[str, str],
    stated_by_hub: Collection[str],
    counted_to: Mapping[str, dt.date] | None = None,
) -> str:
    """The reasons as one line, from the facts each names: "no answer to …" becomes "could
    not read …" for an answer that was given but could not be read, quoting it (for a derived
    field, the question and answer it is derived from); a reason quoting a derived value says
    the date it was counted to (``counted_to``: derived field -> date); a reason quoting an
    answer the hub states for every applicant says so."""
    words: list[str] = []
    for reason in reasons:
        if isinstance(reason, NoAnswer):
            given = _given(catalogue, reason.field_id, unreadable)
            if given is not None:
                field = catalogue.by_id[reason.field_id]
                asked = catalogue.by_id[field.derived.years_since] if field.derived else field
                reason = f"could not read the answer {shown_answer(given)} to “{asked.question}”"
        elif isinstance(reason, AboutAnswer):
            derived = catalogue.by_id[reason.field_id].derived
            day = (counted_to or {}).get(reason.field_id) if derived else None
            if day is not None:
                reason = AboutAnswer(f"{reason}, counted to {long_date(day)}", reason.field_id)
            source = derived.years_since if derived else reason.field_id
            if source in stated_by_hub:
                reason = f"{reason} ({HUB_STATEMENT})"
        words.append(reason)
    return "; ".join(words)


def _counted_to(compiled: CompiledCriterion, catalogue: Catalogue) -> dict[str, dt.date]:
    """The date each derived field a criterion reads is counted to."""
    if compiled.counted_to is None:
        return {}
    names = (*compiled.rule.fields, *(compiled.hub.fields if compiled.hub else ()))
    dates = {n: compiled.counted_to for n in names if catalogue.by_id[n].derived is not None}
    dates.update(d for d in compiled.derived_dates if d[0] in dates)
    return dates


def _criterion_result(
    compiled: CompiledCriterion,
    catalogue: Catalogue,
    answers: dict[str, Value],
    unreadable: Mapping[str, str],
    stated_by_hub: Collection[str],
) -> CriterionResult:
    criterion = compiled.criterion
    finding = compiled.rule.evaluate(answers)
    waits_on = finding  # the finding whose unknown fields an unknown outcome waits on
    outcome = finding.outcome
    hub_to_confirm = False
    reason = _reason(
        finding.reasons, catalogue, unreadable, stated_by_hub, _counted_to(compiled, catalogue)
    )
    hub_note = None
    if compiled.hub is not None and outcome is Outcome.NOT_MET:
        hub = compiled.hub.evaluate(answers)
        if hub.outcome is Outcome.MET:
            outcome, hub_to_confirm = Outcome.UNKNOWN, True
            hub_note = compiled.hub_note(answers)
            reason = f"hub to confirm: {hub_note}"
        elif hub.outcome is Outcome.UNKNOWN:
            # Not met as answered, but answering the rest could make it a case for the hub.
            outcome, reason, waits_on = (
                Outcome.UNKNOWN,
                _reason(
                    hub.reasons,
                    catalogue,
                    unreadable,
                    stated_by_hub,
                    _counted_to(compiled, catalogue),
                ),
                hub,
            )
    self_declared = criterion.kind is Kind.EVIDENCE and outcome is Outcome.MET
    if self_declared:
        reason = "you answered yes (self-declared); the hub judges it from your application"
    elif criterion.kind is Kind.EVIDENCE and outcome is Outcome.NOT_MET:
        reason = "you answered no"
    missing: list[str] = []
    imprecise: list[str] = []
    if outcome is Outcome.UNKNOWN and not hub_to_confirm:
        for name in waits_on.unknown_fields:
            (imprecise if name in waits_on.imprecise else missing).append(name)
    return made(
        CriterionResult,
        id=criterion.id,
        level=criterion.level,
        kind=criterion.kind,
        text=criterion.text,
        outcome=outcome,
        reason=reason,
        self_declared=self_declared,
        hub_to_confirm=hub_to_confirm,
        hub_note=hub_note if hub_to_confirm else None,
        answers=_answers_used(compiled, catalogue, answers, unreadable, stated_by_hub),
        weight=criterion.weight,
        evidence=criterion.evidence,
        origin=compiled.origin,
        source=criterion.source.document,
        missing=missing,
        unreadable=[name for name in missing if _given(catalogue, name, unreadable) is not None],
        imprecise=imprecise,
    )


def _answers_used(
    compiled: CompiledCriterion,
    catalogue: Catalogue,
    answers: dict[str, Value],
    unreadable: Mapping[str, str],
    stated_by_hub: Collection[str],
) -> list[AnswerUsed]:
    names = compiled.rule.fields + tuple(
        f for f in (compiled.hub.fields if compiled.hub else ()) if f not in compiled.rule.fields
    )
    used = []
    for name in names:
        field = catalogue.by_id[name]
        value = answers.get(name)
        shown = display(field, value)
        source = field.derived.years_since if field.derived else name
        given = _given(catalogue, name, unreadable) if value is None else None
        quoted = None if given is None else shown_answer(given)
        if quoted is not None:
            shown = f"{quoted} (could not be read)"
        hub = "hub" if value is not None and source in stated_by_hub else "applicant"
        if field.derived is None:
            used.append(
                made(
                    AnswerUsed,
                    field=name,
                    label=field.label,
                    value=shown,
                    unreadable=quoted,
                    source=hub,
                )
            )
            continue
        used.append(
            made(
                AnswerUsed,
                field=name,
                label=field.label,
                value=shown,
                derived_from=field.derived.years_since,
                counted_to=dict(compiled.derived_dates).get(name, compiled.counted_to)
                if value is not None
                else None,
                unreadable=quoted,
                source=hub,
            )
        )
    return used


def desirable_score(results: list[CriterionResult]) -> DesirableScore:
    """Weights of desirable criteria met out of the total; unknown weights counted apart."""
    desirable = [r for r in results if r.level is Level.DESIRABLE]
    met = sum(r.weight for r in desirable if r.outcome is Outcome.MET)
    total = sum(r.weight for r in desirable)
    return made(
        DesirableScore,
        met=met,
        not_met=sum(r.weight for r in desirable if r.outcome is Outcome.NOT_MET),
        unknown=sum(r.weight for r in desirable if r.outcome is Outcome.UNKNOWN),
        total=total,
        self_declared=sum(r.weight for r in desirable if r.self_declared),
        percent=round(100 * met / total) if total else 0,
    )


def evidence_items(results: Sequence[CriterionResult]) -> list[EvidenceItem]:
    """The evidence criteria among ``results``: what the statement must show, for the panel."""
    return [
        made(
            EvidenceItem,
            criterion=r.id,
            level=r.level,
            text=r.text,
            evidence=r.evidence or r.text,
            self_assessment=r.outcome,
        )
        for r in results
        if r.kind is Kind.EVIDENCE
    ]


def _notes(programme: Programme, profile: Profile) -> list[str]:
    notes = list(profile.notes)
    if programme.provisional and programme.provisional_note:
        notes.insert(0, programme.provisional_note)
    if programme.selection_note:
        notes.append(programme.selection_note)
    return notes
