"""The interview planner: which question to ask next, and what the answers have settled.

Pure: no input, no printing. The terminal layer (``masterycheck.cli.interview``) asks the
questions this module picks and feeds the answers back as a ``Profile``.

A criterion is *settled* when no further answer can change its outcome: its rule is met, or
its rule is not met and its hub-to-confirm rule (if any) is settled too. Rules use Kleene
logic, which is monotone (an answer only turns unknown parts into met or not met), so a
settled criterion stays settled. Every other criterion is *open*.

The next question is the unasked field that can settle the most open criteria, essential
facts first, then essential evidence (asked as a self-assessment), then desirable facts and
desirable evidence; ties go to the field that comes first in the catalogue. A field "can
settle" an open criterion when some answer to it, with the other unanswered fields left
unknown, settles it; when no single field can (a rule that needs two answers together),
every unanswered field of that criterion counts. Derived fields (years since QTS) are never
asked: their source date field is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from masterycheck.core.answers import DateRange, Value, YearsRange
from masterycheck.core.engine import CompiledCriterion, CompiledProgramme, answers_with_derived
from masterycheck.core.fields import Catalogue, Field, FieldType
from masterycheck.core.kleene import Outcome
from masterycheck.core.profile import Profile, ProfileProblem, read_answer
from masterycheck.core.programme import Kind, Level
from masterycheck.core.rules import Answers


class Status(StrEnum):
    """Where a criterion stands in an interview."""

    MET = "met"
    NOT_MET = "not_met"
    HUB = "hub_to_confirm"  # settled: left to the hub to confirm
    OPEN = "open"  # an answer may still change it


TIER_WORDS = ("essential", "essential, self-assessment", "desirable", "desirable, self-assessment")


def tier(criterion: CompiledCriterion) -> int:
    """Asking priority: 0 essential fact, 1 essential evidence, 2 desirable fact, 3 desirable
    evidence."""
    level = 0 if criterion.criterion.level is Level.ESSENTIAL else 2
    return level + (1 if criterion.criterion.kind is Kind.EVIDENCE else 0)


def criterion_status(criterion: CompiledCriterion, answers: Answers) -> Status:
    """Whether the criterion is settled (met, not met, left to the hub) or still open."""
    rule = criterion.rule.evaluate(answers).outcome
    if rule is Outcome.MET:
        return Status.MET
    if rule is Outcome.UNKNOWN:
        return Status.OPEN
    if criterion.hub is None:
        return Status.NOT_MET
    hub = criterion.hub.evaluate(answers).outcome
    if hub is Outcome.MET:
        return Status.HUB
    return Status.NOT_MET if hub is Outcome.NOT_MET else Status.OPEN


@dataclass(frozen=True, slots=True, eq=False)
class Target:
    """An open criterion of one programme that a question may settle."""

    programme: CompiledProgramme
    criterion: CompiledCriterion

    @property
    def tier(self) -> int:
        """Asking priority of the criterion (see ``tier``)."""
        return tier(self.criterion)

    @property
    def essential(self) -> bool:
        """True for an essential criterion."""
        return self.criterion.criterion.level is Level.ESSENTIAL

    @property
    def evidence(self) -> bool:
        """True for an evidence criterion (asked as a self-assessment)."""
        return self.criterion.criterion.kind is Kind.EVIDENCE


@dataclass(frozen=True, slots=True, eq=False)
class Question:
    """The next field to ask, and the open criteria its answer may settle (best tier first)."""

    field: Field
    targets: tuple[Target, ...]

    @property
    def tier(self) -> int:
        """The best tier among the targets (3, desirable evidence, when there are none)."""
        return min((t.tier for t in self.targets), default=3)

    @property
    def essential(self) -> bool:
        """True when the answer may settle an essential criterion."""
        return any(t.essential for t in self.targets)

    @property
    def evidence_targets(self) -> tuple[Target, ...]:
        """Targets that are evidence criteria, each published wording once."""
        seen: set[str] = set()
        found: list[Target] = []
        for target in self.targets:
            text = target.criterion.criterion.text
            if target.evidence and text not in seen:
                seen.add(text)
                found.append(target)
        return tuple(found)

    @property
    def programme_ids(self) -> tuple[str, ...]:
        """The programmes the targets belong to, in order, each once."""
        return tuple(dict.fromkeys(t.programme.programme.id for t in self.targets))


@dataclass(frozen=True, slots=True, eq=False)
class Settled:
    """An essential criterion that is settled against the teacher: not met, or for the hub."""

    programme: CompiledProgramme
    criterion: CompiledCriterion
    status: Status
    reason: str

    @property
    def key(self) -> tuple[str, str]:
        """(programme id, criterion id): to announce each settlement once."""
        return (self.programme.programme.id, self.criterion.criterion.id)


def source_field(catalogue: Catalogue, field_id: str) -> str:
    """The field a person answers for ``field_id``: its source date field if it is derived."""
    found = catalogue.by_id[field_id]
    return found.derived.years_since if found.derived is not None else field_id


def criterion_sources(
    programme: CompiledProgramme, criterion: CompiledCriterion
) -> tuple[str, ...]:
    """The answerable fields a criterion reads (rule and hub rule), derived ones replaced by
    their source, in order, each once; not those its rule reads only under ``unless`` (whose
    silence the criteria file reads as "not the case", so they are not asked)."""
    names = (*criterion.rule.fields, *(criterion.hub.fields if criterion.hub else ()))
    names = tuple(name for name in names if name not in criterion.rule.optional)
    return tuple(dict.fromkeys(source_field(programme.catalogue, name) for name in names))


def programme_sources(programme: CompiledProgramme) -> tuple[str, ...]:
    """Every answerable field the programme's criteria read, each once."""
    return tuple(
        dict.fromkeys(name for c in programme.criteria for name in criterion_sources(programme, c))
    )


def _probe_values(field: Field, programme: CompiledProgramme) -> list[Value]:
    """Answers to try when asking whether a field can settle a criterion on its own."""
    if field.type is FieldType.YES_NO:
        return [True, False]
    if field.type is FieldType.ONE_OF:
        return list(field.choice_ids)
    if field.type is FieldType.MANY_OF:
        return [
            frozenset(),
            frozenset(field.choice_ids),
            *(frozenset({c}) for c in field.choice_ids),
        ]
    if field.type is FieldType.WHOLE_NUMBER:
        low = field.minimum if field.minimum is not None else 0
        high = field.maximum if field.maximum is not None else 10_000
        return [low, high]
    if field.type is FieldType.DATE:
        reference = programme.programme.reference_date
        return [
            DateRange(reference, reference),
            DateRange(dt.date(1900, 1, 1), dt.date(1900, 1, 1)),
        ]
    return ["\x00"]  # text: a value no rule compares with


def _can_settle(
    programme: CompiledProgramme, criterion: CompiledCriterion, profile: Profile, field: Field
) -> bool:
    for value in _probe_values(field, programme):
        answers = answers_with_derived(programme, profile.with_answers({field.id: value}))
        if criterion_status(criterion, answers) is not Status.OPEN:
            return True
    return False


def open_targets(programmes: Sequence[CompiledProgramme], profile: Profile) -> list[Target]:
    """Every open criterion of the programmes."""
    found: list[Target] = []
    for programme in programmes:
        answers = answers_with_derived(programme, profile)
        found += [
            Target(programme, c)
            for c in programme.criteria
            if criterion_status(c, answers) is Status.OPEN
        ]
    return found


def _targets_by_field(
    programmes: Sequence[CompiledProgramme], profile: Profile, asked: Collection[str]
) -> dict[str, list[Target]]:
    by_field: dict[str, list[Target]] = {}
    for target in open_targets(programmes, profile):
        programme, criterion = target.programme, target.criterion
        unasked = [
            name
            for name in criterion_sources(programme, criterion)
            if name not in asked and name not in profile.answers
        ]
        catalogue = programme.catalogue
        decisive = [
            name
            for name in unasked
            if _can_settle(programme, criterion, profile, catalogue.by_id[name])
        ]
        for name in decisive or unasked:
            by_field.setdefault(name, []).append(target)
    return by_field


def next_question(
    programmes: Sequence[CompiledProgramme], profile: Profile, asked: Collection[str]
) -> Question | None:
    """The field to ask next, or None when no answer can change any open criterion.

    ``asked`` holds the fields already asked (answered or skipped); a field in the profile
    is never asked again either.
    """
    if not programmes:
        return None
    catalogue = programmes[0].catalogue
    order = {field.id: index for index, field in enumerate(catalogue.fields)}
    by_field = _targets_by_field(programmes, profile, asked)
    if not by_field:
        return None

    def priority(item: tuple[str, list[Target]]) -> tuple[int, int, int, int]:
        name, targets = item
        best = min(t.tier for t in targets)
        in_best = sum(1 for t in targets if t.tier == best)
        return (best, -in_best, -len(targets), order.get(name, len(order)))

    name, targets = min(by_field.items(), key=priority)
    return Question(catalogue.by_id[name], tuple(sorted(targets, key=lambda t: t.tier)))


def screening_question(
    programmes: Sequence[CompiledProgramme], profile: Profile, asked: Collection[str]
) -> Question | None:
    """With no programme named, the "where and what do you teach" questions, in order.

    The catalogue's ``opening_questions``, in order (the kind of school or college; then, in a
    college or another post-16 setting, the maths taught to post-16 students): each only if
    its ``when`` holds, a programme reads it and it has not been asked. None when screening
    is over.
    """
    if not programmes:
        return None
    catalogue = programmes[0].catalogue
    wanted = [
        question.field
        for question in catalogue.opening_questions
        if question.when is None or profile.answers.get(question.when.field) in question.when.in_
    ]
    for name in wanted:
        field = catalogue.get(name)
        if field is None or name in asked or name in profile.answers:
            continue
        readers = [p for p in programmes if name in programme_sources(p)]
        if not readers:
            continue
        targets = [
            t
            for t in open_targets(readers, profile)
            if name in criterion_sources(t.programme, t.criterion)
        ]
        if targets:
            return Question(field, tuple(sorted(targets, key=lambda t: t.tier)))
    return None


def _reason(criterion: CompiledCriterion, answers: Answers, status: Status) -> str:
    if status is Status.HUB:
        note = criterion.hub_note(answers)
        if note is not None:
            return note
    if criterion.criterion.kind is Kind.EVIDENCE:
        return "you answered no"
    return "; ".join(criterion.rule.evaluate(answers).reasons)


def settled_essentials(programme: CompiledProgramme, profile: Profile) -> list[Settled]:
    """Essential criteria settled against the teacher: not met, or left to the hub."""
    answers = answers_with_derived(programme, profile)
    found: list[Settled] = []
    for criterion in programme.criteria:
        if criterion.criterion.level is not Level.ESSENTIAL:
            continue
        status = criterion_status(criterion, answers)
        if status in (Status.NOT_MET, Status.HUB):
            found.append(Settled(programme, criterion, status, _reason(criterion, answers, status)))
    return found


def ruled_out(programme: CompiledProgramme, profile: Profile) -> bool:
    """True when an essential criterion is settled as not met: no answer can make the
    teacher eligible any more."""
    return any(s.status is Status.NOT_MET for s in settled_essentials(programme, profile))


def vague_date_targets(
    programmes: Sequence[CompiledProgramme], profile: Profile, field_id: str
) -> list[Target]:
    """Open criteria that a more exact answer to the date field ``field_id`` could settle.

    A year (or a month) is a range of days; the years counted from it to a programme's
    reference date may then be, say, "1 or 2", which cannot settle "at least 2 years".
    """
    value = profile.answers.get(field_id)
    if not isinstance(value, DateRange) or value.earliest == value.latest:
        return []
    found: list[Target] = []
    for programme in programmes:
        derived = {name for name, source in programme.derived if source == field_id}
        if not derived:
            continue
        answers = answers_with_derived(programme, profile)
        for criterion in programme.criteria:
            reads = derived & set(criterion.rule.fields)
            vague = any(
                isinstance(r := answers.get(name), YearsRange) and r.low != r.high for name in reads
            )
            if vague and criterion_status(criterion, answers) is Status.OPEN:
                found.append(Target(programme, criterion))
    return found


_NUMBERS_ONLY = re.compile(r"^[\d\s,;]+$")


def read_typed_answer(catalogue: Catalogue, field: Field, text: str) -> Value | None:
    """Read what a person typed for ``field``: as ``read_answer`` does, and a choice may also
    be given by its number in the list (``2``, or ``1, 3`` for several).

    Raises ``ProfileProblem`` with a message that lists what is accepted.
    """
    text = text.strip()
    if field.type is FieldType.ONE_OF and text.isdigit():
        return field.choice_ids[_choice_index(field, int(text))]
    if field.type is FieldType.MANY_OF:
        if _NUMBERS_ONLY.match(text):
            numbers = [int(n) for n in re.findall(r"\d+", text)]
            return frozenset(field.choice_ids[_choice_index(field, n)] for n in numbers)
        parts = [part.strip() for part in re.split(r"[;,]", text) if part.strip()]
        if not any(part.isdigit() for part in parts):
            return read_answer(catalogue, field.id, text)  # "KS3 and KS4": as a list is read
        raw = [
            field.choice_ids[_choice_index(field, int(part))] if part.isdigit() else part
            for part in parts
        ]
        return read_answer(catalogue, field.id, raw)
    return read_answer(catalogue, field.id, text)


def _choice_index(field: Field, number: int) -> int:
    if 1 <= number <= len(field.choices):
        return number - 1
    raise ProfileProblem(field.id, f"expected a number from 1 to {len(field.choices)}")
