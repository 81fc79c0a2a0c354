"""The rule engine: a profile against a compiled programme gives an assessment.

Pure: no printing, no files. ``compile_programme`` checks every rule against the catalogue
once; ``assess`` then evaluates a profile with three-valued logic.

Longer than most (~540 lines): a criterion's result, the verdict, the desirable score, the
evidence and the path to eligibility are each read from the same results, one after another.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from masterycheck.core.answers import DateRange, Value, display, shown_answer, years_between
from masterycheck.core.fields import Catalogue, FieldType
from masterycheck.core.profile import Profile
from masterycheck.core.programme import Criterion, HubToConfirm, Programme
from masterycheck.core.results import (
    AnswerUsed,
    Assessment,
    CommitmentSummary,
    CriterionResult,
    DesirableScore,
    EvidenceItem,
    PathStep,
    made,
)
from masterycheck.core.rules import (
    AboutAnswer,
    Answers,
    AnyRule,
    CompiledRule,
    NoAnswer,
    RuleProblem,
    compile_rule,
)
from masterycheck.core.vocabulary import PUBLISHED, Kind, Level, Outcome, Verdict
from masterycheck.core.window import long_date, window_status


@dataclass(frozen=True, slots=True)
class CompiledCriterion:
    """A criterion with its rule (and hub-to-confirm rule) compiled.

    ``counted_to`` is the date derived values are counted to (the programme's reference date).
    """

    criterion: Criterion
    rule: CompiledRule
    hub: CompiledRule | None  # every hub-to-confirm case at once (any of them)
    origin: str
    counted_to: dt.date | None = None
    hub_cases: tuple[tuple[CompiledRule, str], ...] = ()  # each case's rule and note, in order
    derived_dates: tuple[tuple[str, dt.date], ...] = ()  # derived fields counted to another date

    def hub_note(self, answers: Answers) -> str | None:
        """The note of the first hub-to-confirm case the answers meet (else the first's)."""
        for rule, note in self.hub_cases:
            if rule.evaluate(answers).outcome is Outcome.MET:
                return note
        return self.hub_cases[0][1] if self.hub_cases else None


@dataclass(frozen=True, slots=True)
class CompiledProgramme:
    """A programme whose rules have been checked against the catalogue and compiled."""

    programme: Programme
    catalogue: Catalogue
    criteria: tuple[CompiledCriterion, ...]
    derived: tuple[tuple[str, str], ...]  # (derived field, date field it counts from)
    counted_to: tuple[tuple[str, dt.date], ...] = ()  # (derived field, date it counts to)

    def derived_date(self, derived_id: str) -> dt.date:
        """The date the derived field ``derived_id`` is counted to."""
        return dict(self.counted_to).get(derived_id, self.programme.reference_date)


def compile_programme(
    programme: Programme, catalogue: Catalogue, *, origins: dict[str, str] | None = None
) -> CompiledProgramme:
    """Check every rule against the catalogue and compile it; raises ``RuleProblem``.

    The problem's ``loc`` is the path inside the programme file, for file:line errors.
    """
    compiled: list[CompiledCriterion] = []
    for index, criterion in enumerate(programme.criteria):
        rule = compile_rule(criterion.rule, catalogue, ("criteria", index, "rule"))
        cases = _hub_cases(criterion, index, catalogue)
        hub = None
        if cases:
            hub = cases[0][0] if len(cases) == 1 else _any_of(criterion, index, catalogue)
        origin = (origins or {}).get(criterion.id, PUBLISHED)
        compiled.append(
            CompiledCriterion(criterion, rule, hub, origin, programme.reference_date, cases)
        )
    used = {name for c in compiled for name in (*c.rule.fields, *(c.hub.fields if c.hub else ()))}
    derived_fields = [f for f in catalogue.fields if f.derived is not None and f.id in used]
    counted_to: list[tuple[str, dt.date]] = []
    for field in derived_fields:
        assert field.derived is not None
        date = programme.counted_to(field.derived.counted_to)
        if date is None:
            raise RuleProblem(
                f"field {field.id!r} counts years to the closing date, "
                "but the programme gives no closing_date",
                ("closing_date",),
            )
        counted_to.append((field.id, date))
    derived = tuple((f.id, f.derived.years_since) for f in derived_fields if f.derived)
    others = tuple((name, date) for name, date in counted_to if date != programme.reference_date)
    if others:
        compiled = [dataclasses.replace(c, derived_dates=others) for c in compiled]
    return CompiledProgramme(programme, catalogue, tuple(compiled), derived, tuple(counted_to))


def _hub_cases(
    criterion: Criterion, index: int, catalogue: Catalogue
) -> tuple[tuple[CompiledRule, str], ...]:
    given = criterion.hub_to_confirm
    if given is None:
        return ()
    if isinstance(given, HubToConfirm):
        loc: tuple[str | int, ...] = ("criteria", index, "hub_to_confirm", "when")
        return ((compile_rule(given.when, catalogue, loc), given.note),)
    return tuple(
        (
            compile_rule(case.when, catalogue, ("criteria", index, "hub_to_confirm", n, "when")),
            case.note,
        )
        for n, case in enumerate(given)
    )


def _any_of(criterion: Criterion, index: int, catalogue: Catalogue) -> CompiledRule:
    """The hub-to-confirm cases of ``criterion`` as one rule: met when any case is met."""
    assert isinstance(criterion.hub_to_confirm, list)
    # The cases' rules are validated already: nothing to check, and no validator to build.
    every = AnyRule.model_construct(any=[case.when for case in criterion.hub_to_confirm])
    return compile_rule(every, catalogue, ("criteria", index, "hub_to_confirm"))


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


def path_to_eligibility(
    compiled: CompiledProgramme, results: list[CriterionResult], answers: dict[str, Value]
) -> list[PathStep]:
    """The smallest set of failed or unknown essentials whose change flips the verdict.

    Every essential that is not met must change and every essential fact that is unknown
    must be settled, so that set is the path; criteria that hinge on the same unanswered
    question share one step.
    """
    by_id = {c.criterion.id: c for c in compiled.criteria}
    catalogue = compiled.catalogue
    derived_from = dict(compiled.derived)
    steps: list[PathStep] = []
    questions: dict[str, list[str]] = {}
    for result in results:
        if result.level is not Level.ESSENTIAL:
            continue
        criterion = by_id[result.id].criterion
        if result.outcome is Outcome.NOT_MET:
            action = criterion.action or (
                f"You answered no to “{criterion.text}”: the hub judges it from your "
                "application, so apply only if your statement can evidence it"
                if criterion.kind is Kind.EVIDENCE
                else f"Meet “{criterion.text}”"
            )
            steps.append(
                made(
                    PathStep,
                    kind="change",
                    action=action,
                    criteria=[result.id],
                    fields=list(by_id[result.id].rule.fields),
                )
            )
        elif result.hub_to_confirm:
            steps.append(
                made(
                    PathStep,
                    kind="hub",
                    action=f"Ask your Maths Hub to confirm: {result.hub_note}",
                    criteria=[result.id],
                    fields=list(by_id[result.id].rule.fields),
                )
            )
        elif result.outcome is Outcome.UNKNOWN and result.kind is Kind.FACT:
            compiled_criterion = by_id[result.id]
            unknown = compiled_criterion.rule.evaluate(answers).unknown_fields
            if not unknown and compiled_criterion.hub is not None:
                unknown = compiled_criterion.hub.evaluate(answers).unknown_fields
            missing = [derived_from.get(name, name) for name in unknown]
            for name in missing or list(compiled_criterion.rule.fields):
                questions.setdefault(name, [])
                if result.id not in questions[name]:
                    questions[name].append(result.id)
    given = {
        derived_from.get(used.field, used.field): used.unreadable
        for result in results
        for used in result.answers
        if used.unreadable is not None
    }
    for name, criteria in questions.items():
        field = catalogue.by_id[name]
        if name in given:
            action = f"Answer again, in a form the checker reads ({given[name]} could not be "
            action += f"read): {field.question}"
        elif name in answers:
            exact = "a month or a date" if field.type is FieldType.DATE else "an exact number"
            action = f"Give a more exact answer ({exact}) to: {field.question}"
        else:
            action = f"Answer: {field.question}"
        steps.append(made(PathStep, kind="answer", action=action, criteria=criteria, fields=[name]))
    return steps


def _notes(programme: Programme, profile: Profile) -> list[str]:
    notes = list(profile.notes)
    if programme.provisional and programme.provisional_note:
        notes.insert(0, programme.provisional_note)
    if programme.selection_note:
        notes.append(programme.selection_note)
    return notes
