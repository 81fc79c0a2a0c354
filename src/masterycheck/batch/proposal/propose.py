"""Proposing a mapping from an export's headings and sampled answers, for a person to review."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from masterycheck.batch.proposal.applicant import (
    META_HEADINGS,
    find_email,
    find_id,
    find_name,
    find_submitted,
    is_school_column,
)
from masterycheck.batch.proposal.choices import ChoicePlacer, ChoiceSet
from masterycheck.batch.proposal.columns import (
    ColumnFacts,
    FieldIndex,
    Fit,
    answer_parts,
    assign,
    column_facts,
    fit,
)
from masterycheck.batch.proposal.words import Vocabulary
from masterycheck.core.answers import ValueProblem, is_unknown, parse_value
from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.fields import Catalogue, Field, FieldType, normalise
from masterycheck.files.mapping_file import (
    Applicant,
    ColumnMapping,
    MappingFile,
    Setting,
    missing_fields,
    needed_fields,
)

_LEAST_SCORE = 0.33  # a column scoring less for every field is left unmapped
_LEAST_SCORE_UNSAMPLED = 0.45  # ... when there are no answers to go by
_NEEDED_BONUS = 0.05  # a field the programme reads is a little likelier
_SURE = 0.6
_LIKELY = 0.42
_CLEAR_MARGIN = 0.15

#: Fields the hub may answer once for every applicant, when no column asks them: the answer
#: and why it is likely to hold. Proposed commented out, for the hub lead to opt in.
CONSTANT_SUGGESTIONS: dict[str, tuple[str, str]] = {
    "in_england": (
        "yes",
        "no column asks it; a Maths Hub recruits from schools in its own region of England",
    ),
}


class Confidence(StrEnum):
    """How sure the proposal is of one column's field."""

    SURE = "sure"
    LIKELY = "likely"
    UNSURE = "unsure"


@dataclass(frozen=True)
class ColumnChoice:
    """Why a column was given its field: the scores, and the field that came next."""

    confidence: Confidence
    score: float
    heading: float
    content: float
    runner_up: str | None = None

    def describe(self) -> str:
        """One line for the proposal's comment: how sure, and from what."""
        evidence = []
        if self.heading >= 0.35:
            evidence.append("heading")
        if self.content >= 0.6:
            evidence.append("answers")
        said = f"{self.confidence.value} ({min(self.score, 1.0):.2f}"
        said += f"; from the {' and '.join(evidence)})" if evidence else ")"
        if self.runner_up and self.confidence is not Confidence.SURE:
            said += f"; or {self.runner_up}?"
        return said


@dataclass(frozen=True)
class Proposal:
    """A proposed mapping and what a person should look at before using it."""

    mapping: MappingFile
    confidence: dict[str, ColumnChoice]  # heading -> how sure its field is
    unrecognised: dict[str, list[str]]  # heading -> answers no choice matched (set to null)
    missing_essential: list[str]
    missing_other: list[str]
    free_text: list[str] = dataclasses.field(default_factory=list)  # long answers: may be kept
    constants: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)

    @property
    def unsure(self) -> list[str]:
        """Headings whose field the proposal is not sure of, least sure first."""
        found = [h for h, c in self.confidence.items() if c.confidence is not Confidence.SURE]
        return sorted(found, key=lambda h: self.confidence[h].score)


def sample_answers(
    rows: Iterable[Sequence[str]], width: int, *, limit: int = 5000, distinct: int = 200
) -> list[Counter[str]]:
    """Distinct answers per column over the first ``limit`` rows (at most ``distinct`` each)."""
    counters: list[Counter[str]] = [Counter() for _ in range(width)]
    for number, cells in enumerate(rows):
        if number >= limit:
            break
        for index, cell in enumerate(cells[:width]):
            counter = counters[index]
            if cell in counter or len(counter) < distinct:
                counter[cell] += 1
    return counters


def _implied_settings(
    answer: str, field: Field, catalogue: Catalogue, answered: set[str]
) -> dict[str, str]:
    """Yes/no fields an answer states by naming them, e.g. "State-funded middle school"."""
    words = f" {normalise(answer)} "
    implied: dict[str, str] = {}
    for other in catalogue.answerable:
        if other.type is not FieldType.YES_NO or other.id == field.id or other.id in answered:
            continue
        label = normalise(other.label)
        if label and f" {label} " in words and f" not {label} " not in words:
            implied[other.id] = "yes"
    return implied


def _yes_no_setting(field: Field, answer: str) -> str | None:
    """A yes/no answer written as the field's own words: "State-funded" is yes."""
    words = normalise(answer)
    label = normalise(field.label)
    if not label:
        return None
    if words == label:
        return "yes"
    if words in {f"not {label}", f"non {label}"}:
        return "no"
    return None


def _value_map(
    field: Field,
    answers: Counter[str],
    facts: ColumnFacts,
    placer: ChoicePlacer,
    catalogue: Catalogue,
    answered: set[str],
) -> tuple[dict[str, Setting], list[str]]:
    """Each distinct answer (or ticked option) -> its setting; and the ones left unplaced."""
    split = facts.split if field.type is FieldType.MANY_OF else None
    if field.type is FieldType.MANY_OF and split is None:
        split = "semicolon"
    values: dict[str, Setting] = {}
    unplaced: list[str] = []
    for answer in answer_parts(field, answers, split):
        if is_unknown(answer):
            continue
        if field.type is FieldType.YES_NO:
            try:
                parse_value(field, answer)
                continue  # read as it is: no entry needed
            except ValueProblem:
                setting = _yes_no_setting(field, answer)
        else:
            setting = placer.place(answer)
        if setting is None:
            values[answer] = None
            unplaced.append(answer)
            continue
        implied = _implied_settings(answer, field, catalogue, answered)
        values[answer] = {field.id: setting, **implied} if implied else setting
    return values, unplaced


def _confidence(best: Fit, others: list[tuple[float, str]]) -> ColumnChoice:
    runner = max(others, default=(0.0, None))
    margin = best.score - runner[0]
    if best.score >= _SURE and margin >= _CLEAR_MARGIN:
        level = Confidence.SURE
    elif best.score >= _LIKELY and margin > 0.05:
        level = Confidence.LIKELY
    else:
        level = Confidence.UNSURE
    return ColumnChoice(level, best.score, best.heading, best.content, runner[1])


def _applicant_has(role: str) -> bool:
    return role in Applicant.model_fields


def propose_mapping(
    headings: Sequence[str],
    catalogue: Catalogue,
    compiled: CompiledProgramme,
    *,
    samples: Sequence[Counter[str]] | None = None,
) -> Proposal:
    """Propose a mapping for an export with these headings (and, optionally, sample answers).

    Columns that identify the applicant are found by heading and content; every other column
    is scored against every field by its heading's words and its answers, and the assignment
    with the best total is taken (one column per field); each column's confidence is kept
    for the proposal's comments. Answers get value maps (an answer no choice fits is mapped
    to null and listed); long answers mark free-text columns to keep.
    """
    vocabulary = Vocabulary.of(catalogue)
    index = FieldIndex.build(catalogue, vocabulary)
    known = index.known_words
    facts = [
        column_facts(
            samples[p] if samples is not None and p < len(samples) else None, catalogue, known
        )
        for p in range(len(headings))
    ]
    sampled = any(f.sampled for f in facts)
    essential, other = needed_fields(compiled)
    needed = {*essential, *other}

    roles: dict[str, int] = {}
    found_id = find_id(headings)
    if found_id is not None:
        roles["id"] = found_id
    email = find_email(headings, facts)
    if email is not None:
        roles["email"] = email
    name = find_name(headings, facts, set(roles.values()))
    if name is not None:
        roles["name"] = name
    submitted = find_submitted(headings)
    if submitted is not None and _applicant_has("submitted"):
        roles["submitted"] = submitted
    schools = [
        p
        for p, h in enumerate(headings)
        if p not in roles.values() and is_school_column(h, facts[p])
    ]
    # "School name" / "Name of your school" before any other column that names schools.
    schools.sort(key=lambda p: "name" not in normalise(headings[p]).split())
    school = schools[0] if schools else None
    used = set(roles.values()) | ({school} if school is not None else set())

    candidates = [
        p
        for p, h in enumerate(headings)
        if p not in used and normalise(h) and normalise(h) not in META_HEADINGS
    ]
    fields = [f for f in catalogue.answerable if f.type is not FieldType.TEXT]
    shared = {
        f.id: ChoiceSet(f, vocabulary)
        for f in fields
        if f.type in (FieldType.ONE_OF, FieldType.MANY_OF)
    }
    placers = {
        (p, field_id): ChoicePlacer(choices.field, vocabulary, headings[p], choices)
        for p in candidates
        for field_id, choices in shared.items()
    }
    least = _LEAST_SCORE if sampled else _LEAST_SCORE_UNSAMPLED
    fits: list[list[Fit]] = []
    for p in candidates:
        row = []
        for f in fields:
            found = fit(headings[p], facts[p], f, index, placers.get((p, f.id)))
            bonus = _NEEDED_BONUS if f.id in needed and found.score > 0 else 0.0
            row.append(dataclasses.replace(found, score=found.score + bonus))
        fits.append(row)
    matrix = [[f.score if f.score >= least else 0.0 for f in row] for row in fits]
    chosen = assign(matrix)

    columns: list[ColumnMapping] = []
    confidence: dict[str, ColumnChoice] = {}
    answered = {fields[c].id for c in chosen if c is not None}
    unrecognised: dict[str, list[str]] = {}
    ignore: list[str] = []
    free_text: list[str] = []
    by_position = dict(zip(candidates, chosen, strict=True))
    fit_of = dict(zip(candidates, fits, strict=True))
    for position, heading in enumerate(headings):
        if position == school and not _applicant_has("school"):
            ignore.append(heading)
        if position in used:
            continue
        choice = by_position.get(position)
        if choice is None:
            fact = facts[position]
            if fact.long > 0:
                free_text.append(heading)
            ignore.append(heading)
            continue
        item = fields[choice]
        row_fits = fit_of[position]
        others = [(row_fits[i].score, fields[i].id) for i in range(len(fields)) if i != choice]
        confidence[heading] = _confidence(row_fits[choice], others)
        fact = facts[position]
        split = None
        if item.type is FieldType.MANY_OF:
            split = fact.split or "semicolon"
        values: dict[str, Setting] = {}
        if fact.sampled and item.type in (FieldType.ONE_OF, FieldType.MANY_OF, FieldType.YES_NO):
            placer = placers.get((position, item.id)) or ChoicePlacer(item, vocabulary, heading)
            values, odd = _value_map(item, fact.answers, fact, placer, catalogue, answered)
            if odd:
                unrecognised[heading] = odd
        columns.append(ColumnMapping(heading=heading, field=item.id, split=split, values=values))
    if school is not None and _applicant_has("school"):
        roles["school"] = school
    applicant = Applicant(**{role: headings[p] for role, p in roles.items()})
    mapping = MappingFile(
        programme=compiled.programme.id,
        applicant=applicant,
        columns=columns,
        keep=[],
        ignore=ignore,
    )
    missing_essential, missing_other = missing_fields(mapping, compiled)
    constants = {f: CONSTANT_SUGGESTIONS[f] for f in missing_essential if f in CONSTANT_SUGGESTIONS}
    return Proposal(
        mapping, confidence, unrecognised, missing_essential, missing_other, free_text, constants
    )
