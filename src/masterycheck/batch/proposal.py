"""Proposing a mapping from an export's headings and answers, for a person to review."""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from masterycheck.core.answers import ValueProblem, is_unknown, parse_value
from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.fields import Catalogue, Field, FieldType, normalise
from masterycheck.files.mapping_file import (
    Applicant,
    ColumnMapping,
    MappingFile,
    Setting,
    SplitStyle,
    field_options,
    missing_fields,
    needed_fields,
)
from masterycheck.outputs.inert_text import escape_json_controls

#: Accepted spellings of the headings that identify an applicant.
APPLICANT_HEADINGS: dict[str, tuple[str, ...]] = {
    "id": ("ID", "Response ID", "Respondent ID", "Applicant ID", "Reference", "Application ID"),
    "name": ("Name", "Full name", "Your name", "Applicant name", "Name of applicant"),
    "email": ("Email", "Email address", "E-mail", "E-mail address", "Your email address"),
}
#: Form bookkeeping columns that are never answers.
META_HEADINGS = frozenset(
    normalise(h)
    for h in ("Start time", "Completion time", "Last modified time", "Timestamp", "Submitted at")
)
_FREE_TEXT_LENGTH = 80  # an answer this long marks a free-text column in a proposal
_FUZZY_CUTOFF = 0.86


# --- proposing a mapping ----------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A proposed mapping and what a person should look at before using it."""

    mapping: MappingFile
    fuzzy: dict[str, str]  # heading -> field, matched approximately: check
    unrecognised: dict[str, list[str]]  # heading -> answers no choice matched (set to null)
    missing_essential: list[str]
    missing_other: list[str]
    free_text: list[str] = dataclasses.field(default_factory=list)  # long answers: may be kept


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


def _heading_index(catalogue: Catalogue, wanted: Iterable[str]) -> dict[str, str]:
    """Normalised heading spellings -> field id, for the wanted fields first."""
    index: dict[str, str] = {}
    order = list(dict.fromkeys(wanted)) + [f.id for f in catalogue.answerable]
    for field_id in order:
        field = catalogue.by_id[field_id]
        if field.derived is not None:
            continue
        for spelling in (*field.headings, field.question, field.label, field.id):
            index.setdefault(normalise(spelling), field_id)
    return index


def _applicant_role(heading: str) -> str | None:
    key = normalise(heading)
    for role, spellings in APPLICANT_HEADINGS.items():
        if key in {normalise(s) for s in spellings}:
            return role
    return None


def _detect_split(answers: Counter[str]) -> SplitStyle:
    if any(";" in answer for answer in answers):
        return "semicolon"
    if any(", " in answer for answer in answers):
        return "comma"
    return "semicolon"


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


def _value_map(
    field: Field,
    answers: Counter[str],
    split: SplitStyle | None,
    catalogue: Catalogue,
    answered: set[str],
) -> tuple[dict[str, Setting], list[str]]:
    from masterycheck.batch.many_of_answers import split_many

    seen: dict[str, None] = {}
    for answer in answers:
        if is_unknown(answer):
            continue
        if split is not None:
            matched, leftovers = split_many(answer, field_options(field), split)
            for part in (*matched, *leftovers):
                seen.setdefault(part.strip(), None)
        else:
            seen.setdefault(answer.strip(), None)
    values: dict[str, Setting] = {}
    unrecognised: list[str] = []
    for answer in seen:
        if not answer:
            continue
        try:
            value = parse_value(field, answer)
        except ValueProblem:
            values[answer] = None
            unrecognised.append(answer)
            continue
        choice = sorted(value)[0] if isinstance(value, frozenset) and len(value) == 1 else value
        if not isinstance(choice, str):
            continue
        implied = _implied_settings(answer, field, catalogue, answered)
        values[answer] = {field.id: choice, **implied} if implied else choice
    return values, unrecognised


def propose_mapping(
    headings: Sequence[str],
    catalogue: Catalogue,
    compiled: CompiledProgramme,
    *,
    samples: Sequence[Counter[str]] | None = None,
) -> Proposal:
    """Propose a mapping for an export with these headings (and, optionally, sample answers).

    Headings are matched against the catalogue's accepted spellings ignoring case and
    punctuation (then approximately, reported in ``fuzzy``); choice answers seen in the
    samples get value maps; long answers mark free-text columns to keep.
    """
    essential, other = needed_fields(compiled)
    index = _heading_index(catalogue, [*essential, *other])
    spellings = list(index)
    applicant: dict[str, str] = {}
    columns: list[tuple[int, str, Field]] = []
    fuzzy: dict[str, str] = {}
    keep: list[str] = []
    free_text: list[str] = []
    ignore: list[str] = []
    taken: set[str] = set()
    for position, heading in enumerate(headings):
        key = normalise(heading)
        role = _applicant_role(heading)
        if role is not None and role not in applicant:
            applicant[role] = heading
            continue
        field_id = index.get(key)
        if field_id is None and key and key not in META_HEADINGS:
            close = difflib.get_close_matches(key, spellings, n=1, cutoff=_FUZZY_CUTOFF)
            if close:
                field_id = index[close[0]]
                fuzzy[heading] = field_id
        if field_id is not None and field_id not in taken:
            taken.add(field_id)
            columns.append((position, heading, catalogue.by_id[field_id]))
            continue
        fuzzy.pop(heading, None)
        answers = samples[position] if samples is not None and position < len(samples) else None
        if (
            key not in META_HEADINGS
            and answers
            and any(len(answer) >= _FREE_TEXT_LENGTH for answer in answers)
        ):
            # Long free text (statements) stays in the export: the results carry only what
            # screening needs, unless the hub lead chooses to keep it.
            free_text.append(heading)
        ignore.append(heading)
    mapped: list[ColumnMapping] = []
    unrecognised: dict[str, list[str]] = {}
    for position, heading, field in columns:
        answers = samples[position] if samples is not None and position < len(samples) else None
        split: SplitStyle | None = None
        if field.type is FieldType.MANY_OF:
            split = _detect_split(answers or Counter())
        values: dict[str, Setting] = {}
        if answers and field.type in (FieldType.ONE_OF, FieldType.MANY_OF, FieldType.YES_NO):
            values, odd = _value_map(field, answers, split, catalogue, taken)
            if field.type is FieldType.YES_NO:  # yes/no needs no map unless unreadable
                values = {a: s for a, s in values.items() if s is None}
            if odd:
                unrecognised[heading] = odd
        mapped.append(ColumnMapping(heading=heading, field=field.id, split=split, values=values))
    mapping = MappingFile(
        programme=compiled.programme.id,
        applicant=Applicant(**applicant),
        columns=mapped,
        keep=keep,
        ignore=ignore,
    )
    missing_essential, missing_other = missing_fields(mapping, compiled)
    return Proposal(mapping, fuzzy, unrecognised, missing_essential, missing_other, free_text)


def _quote(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    # json.dumps leaves DEL, the C1 and bidirectional controls raw; YAML's \u escape means the
    # same, and a terminal showing the proposal never obeys them.
    return escape_json_controls(json.dumps(text, ensure_ascii=False))


def _setting_yaml(setting: Setting) -> str:
    if setting is None:
        return "null"
    if isinstance(setting, str):
        return _quote(setting)
    inner = ", ".join(f"{key}: {_setting_yaml(value)}" for key, value in setting.items())
    return "{" + inner + "}"


def render_mapping(proposal: Proposal, catalogue: Catalogue, *, source: str) -> str:
    """The proposal as a commented YAML mapping file for a person to review."""
    mapping = proposal.mapping
    lines = [
        "# Mapping of a form export's columns to masterycheck profile fields.",
        f"# Proposed by `masterycheck mapping` from {source}"
        + (f" for the {mapping.programme} programme." if mapping.programme else "."),
        "# Review every entry before screening: headings are matched ignoring case and",
        "# punctuation; answers under `values` map to a choice, to null (unknown), or to",
        "# several fields at once ({field: answer, ...}).",
    ]

    def field_lines(title: str, ids: list[str]) -> None:
        if ids:
            lines.append("#")
            lines.append(f"# {title}")
            for field_id in ids:
                lines.append(f"#   - {field_id}: {catalogue.by_id[field_id].question}")

    field_lines(
        "MISSING: fields the programme's essential criteria need that no column provides.\n"
        "# Map a column to each (or screen with --allow-missing: those criteria stay unknown):",
        proposal.missing_essential,
    )
    field_lines(
        "Not provided (desirable or evidence criteria; they stay unknown):",
        proposal.missing_other,
    )
    lines += ["schema_version: 1"]
    if mapping.programme:
        lines.append(f"programme: {mapping.programme}")
    lines.append("applicant:  # columns that identify an applicant (replaced with --redact)")
    roles = mapping.applicant.model_dump(exclude_none=True)
    if not roles:
        lines[-1] = "applicant: {}  # no ID, name or email column was recognised"
    for role, heading in roles.items():
        lines.append(f"  {role}: {_quote(heading)}")
    lines.append("columns:" if mapping.columns else "columns: []")
    for column in mapping.columns:
        field = catalogue.by_id[column.field]
        note = "  # approximate heading match: check" if column.heading in proposal.fuzzy else ""
        lines.append(f"  - heading: {_quote(column.heading)}{note}")
        lines.append(f"    field: {column.field}  # {field.type.value}: {field.label}")
        if column.split is not None:
            how = (
                'Microsoft Forms style "a;b;"'
                if column.split == "semicolon"
                else 'Google Forms style "a, b"'
            )
            lines.append(f"    split: {column.split}  # {how}")
        if column.values:
            lines.append("    values:")
            for answer, setting in column.values.items():
                comment = ""
                if setting is None:
                    comment = f"  # not recognised: choose {', '.join(field.choice_ids)} or null"
                    if field.type is FieldType.YES_NO:
                        comment = '  # not recognised: choose "yes", "no" or null'
                lines.append(f"      {_quote(answer)}: {_setting_yaml(setting)}{comment}")
    lines.append("keep:  # free text carried into the results (replaced with --redact)")
    if not mapping.keep:
        lines[-1] = "keep: []  # free-text columns to carry into the results"
    lines += [f"  - {_quote(heading)}" for heading in mapping.keep]
    if proposal.free_text:
        lines.append(
            "  # Long free text is left in the export (it is listed under ignore). To carry it"
        )
        lines.append("  # into the results, write `keep:` with these and take them from ignore:")
        lines += [f"  # - {_quote(heading)}" for heading in proposal.free_text]
    lines.append("ignore:" if mapping.ignore else "ignore: []")
    lines += [f"  - {_quote(heading)}" for heading in mapping.ignore]
    return "\n".join(lines) + "\n"
