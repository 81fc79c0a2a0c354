"""Mapping files: which column of a form export answers which profile field, and how.

A mapping file is written by ``masterycheck mapping`` (a proposal from the export's headings
and answers), reviewed by a person, and read by ``masterycheck screen``. It says:

* ``columns``: heading -> profile field, with optional value maps (an answer as the form
  spells it -> a choice, or -> several fields at once, as "State-funded middle school" sets
  both the school type and state funding) and, for many-of answers, how they are joined;
* ``applicant``: the columns that identify an applicant (ID, name, email);
* ``keep``: free-text columns carried into the results (replaced with ``--redact``);
* ``ignore``: columns deliberately not used.

``RowMapper`` compiles a mapping against an export's headings once and then reads each row's
cells into typed answers, turning unreadable cells into unknown answers with a note that
names the row and the column heading, never the value.

A mapping that cannot mean one thing is refused, never resolved by "the later entry wins":
two answers under one column that are the same once case, spaces and punctuation are ignored
but map differently (two that mean the same are accepted); an answer always read as unknown
("N/A") mapped to a value; a heading both used and ignored; a column kept twice; a field set
by a value map and also answered by its own column; a mapping made for another programme
(``check_mapping_programme``); and a mapping heading that matches several export columns
loosely and none exactly (an exact match wins).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Literal

from pydantic import Field as PydanticField

from masterycheck.catalogue import Catalogue, Field, FieldType, normalise
from masterycheck.engine import CompiledProgramme
from masterycheck.errors import InputError, place
from masterycheck.io.yaml_source import YamlDocument, load_model
from masterycheck.models import Identifier, NonEmptyText, SchemaVersion, StrictModel
from masterycheck.programme import Kind, Level
from masterycheck.values import Value, ValueProblem, is_unknown, parse_value

SplitStyle = Literal["semicolon", "comma"]
Setting = str | None | dict[Identifier, str | None]
Location = tuple[str | int, ...]

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
CELL_CACHE_SIZE = 4096  # distinct answers remembered per column (form answers repeat)


class Applicant(StrictModel):
    """The columns that identify an applicant; any may be left out."""

    id: str | None = None
    name: str | None = None
    email: str | None = None


class ColumnMapping(StrictModel):
    """One export column that answers one profile field."""

    heading: NonEmptyText = PydanticField(description="The column heading, as in the export.")
    field: Identifier = PydanticField(description="The profile field the column answers.")
    split: SplitStyle | None = PydanticField(
        default=None,
        description='How a many-of answer joins its options: "semicolon" (Microsoft Forms, '
        '"a;b;") or "comma" (Google Forms, "a, b").',
    )
    values: dict[str, Setting] = PydanticField(
        default_factory=dict,
        description="Answers as the form spells them: a choice of this column's field, null "
        "(unknown), or a mapping of field -> answer to set several fields at once.",
    )


class MappingFile(StrictModel):
    """A mapping of a form export's columns to profile fields."""

    schema_version: SchemaVersion = 1
    programme: Identifier | None = PydanticField(
        default=None,
        description="The programme the mapping is for; screening another programme with it "
        "is refused. Leave it out for a mapping that fits any programme.",
    )
    applicant: Applicant = PydanticField(default_factory=Applicant)
    columns: list[ColumnMapping] = PydanticField(default_factory=list)
    keep: list[NonEmptyText] = PydanticField(
        default_factory=list,
        description="Free-text columns carried into the results (replaced with --redact).",
    )
    ignore: list[str] = PydanticField(
        default_factory=list, description="Columns deliberately not used."
    )


class MappingProblem(ValueError):
    """A mapping that does not fit the catalogue; ``loc`` is the path inside the file."""

    def __init__(self, message: str, loc: Location):
        super().__init__(message)
        self.loc = loc


_SHOWN_LIMIT = 60  # longest heading or answer quoted in full in a message


def _shown(text: str) -> str:
    """Quote a heading or answer for a one-line message: escaped, on one line, shortened.

    Headings and answers come from exports (and so from applicants): ``repr`` escapes control
    and other unprintable characters, so nothing raw reaches the terminal.
    """
    text = " ".join(text.split())
    if len(text) > _SHOWN_LIMIT:
        text = text[: _SHOWN_LIMIT - 1] + "…"
    return repr(text)


def _entry(document: YamlDocument | None, loc: Location) -> str:
    """Where another entry is, for a message already placed at one entry: "line 12"."""
    if document is None:
        return "entry " + ".".join(map(str, loc))
    return f"line {document.locate(loc)[0]}"


@dataclass(frozen=True)
class LoadedMapping:
    """A validated mapping file and where its entries are (for file:line errors)."""

    mapping: MappingFile
    document: YamlDocument | None = None

    def where(self, loc: Location, *, value: bool = False) -> str | None:
        """``file:line:column`` of an entry (its value's, if ``value``), if from a file."""
        if self.document is None:
            return None
        line, column = self.document.locate(loc, value=value)
        return place(self.document.name, line, column)


# --- validation -------------------------------------------------------------------------------


def _answerable(catalogue: Catalogue, field_id: str, loc: Location) -> Field:
    found = catalogue.get(field_id)
    if found is None:
        raise MappingProblem(f"unknown field {field_id!r}", loc)
    if found.derived is not None:
        raise MappingProblem(
            f"{field_id!r} is computed from {found.derived.years_since!r}; map that instead", loc
        )
    return found


def _check_setting(
    catalogue: Catalogue, field: Field, raw: str | None, loc: Location
) -> Value | None:
    try:
        return parse_value(field, raw)
    except ValueProblem as problem:
        raise MappingProblem(f"value for {field.id!r} does not fit: {problem}", loc) from None


def _check_values(
    catalogue: Catalogue,
    column: ColumnMapping,
    field: Field,
    loc: Location,
    answered_by: Mapping[str, int],
    document: YamlDocument | None,
) -> None:
    """Check one column's value map: each setting fits, and no two answers collide.

    Answers are compared as the reader compares a cell with them (``normalise``: case, spaces
    and punctuation ignored). Two that collide and mean the same (``"Yes"`` and ``"yes"`` both
    ``qts``, or ``"middle"`` and ``{school_type: middle}``) are accepted: the file still means
    one thing. Two that collide and mean different things are refused, since which one a cell
    matched would depend on the order of the file. An answer the reader always takes as
    unknown ("N/A", "don't know") cannot be mapped to a value, except as one option of a
    many-of answer, where it is looked up.
    """
    meanings: dict[str, tuple[str, dict[str, Value | None]]] = {}
    for answer, setting in column.values.items():
        where = (*loc, "values", answer)
        meaning: dict[str, Value | None] = {}
        if isinstance(setting, dict):
            for other_id, raw in setting.items():
                other = _answerable(catalogue, other_id, (*where, other_id))
                meaning[other_id] = _check_setting(catalogue, other, raw, (*where, other_id))
                owner = answered_by.get(other_id)
                if other_id != field.id and owner is not None:
                    raise MappingProblem(
                        f"{other_id!r} is answered by its own column at "
                        f"{_entry(document, ('columns', owner, 'field'))}, whose answer would "
                        "always win over this one: take it out of one of them",
                        (*where, other_id),
                    )
        else:
            meaning[field.id] = _check_setting(catalogue, field, setting, where)
        if (
            field.type is not FieldType.MANY_OF
            and is_unknown(answer)
            and any(value is not None for value in meaning.values())
        ):
            # The reader takes such a cell as unknown before it looks at the value map.
            raise MappingProblem(
                f"answer {_shown(answer)} is always read as unknown (like a blank or "
                '"don\'t know"), so this entry would never apply: map it to null or take it out',
                where,
            )
        key = normalise(answer)
        first = meanings.get(key)
        if first is None:
            meanings[key] = (answer, meaning)
        elif first[1] != meaning:
            raise MappingProblem(
                f"answer {_shown(answer)} is {_shown(first[0])} at "
                f"{_entry(document, (*loc, 'values', first[0]))} once case, spaces and "
                "punctuation are ignored, but maps to something else: keep one of them",
                where,
            )


def _check_headings(mapping: MappingFile, document: YamlDocument | None) -> None:
    """Refuse a heading both used and ignored, and a heading kept twice.

    Headings are compared as written (surrounding spaces aside): an export may have both
    "Email" and "email", and a mapping may use one and ignore the other. A used and an ignored
    heading that only match loosely are checked against the export, by ``RowMapper``.
    """
    used: dict[str, tuple[str, Location]] = {}
    for role, heading in mapping.applicant.model_dump(exclude_none=True).items():
        used.setdefault(heading.strip(), (f"applicant {role}", ("applicant", role)))
    for index, column in enumerate(mapping.columns):
        used.setdefault(column.heading, ("columns", ("columns", index, "heading")))
    kept: dict[str, int] = {}
    for index, heading in enumerate(mapping.keep):
        if heading in kept:
            raise MappingProblem(
                f"{_shown(heading)} is kept twice (first at "
                f"{_entry(document, ('keep', kept[heading]))}): keep it once",
                ("keep", index),
            )
        kept[heading] = index
        used.setdefault(heading, ("keep", ("keep", index)))
    for index, heading in enumerate(mapping.ignore):
        found = used.get(heading.strip())
        if found is not None:
            section, loc = found
            raise MappingProblem(
                f"{_shown(heading)} is under ignore but also under {section} at "
                f"{_entry(document, loc)}: take it out of one of them",
                ("ignore", index),
            )


def check_mapping(
    mapping: MappingFile, catalogue: Catalogue, document: YamlDocument | None = None
) -> None:
    """Check every field, split, value and heading of ``mapping`` against the catalogue.

    Refused, besides unknown fields and values that do not fit: a field or heading mapped
    twice; a value map setting a field that another column answers directly; two answers
    under one column that collide once case, spaces and punctuation are ignored and map to
    different things (colliding answers that mean the same are accepted); an answer always
    read as unknown ("N/A") mapped to a value, which would never apply; a heading under
    ``ignore`` that is also used; a heading kept twice. A heading both mapped under
    ``columns`` and kept is accepted: the panel may want the answer's own words.

    Raises ``MappingProblem`` with the path of the first entry at fault; ``document``, when
    given, lets messages name the line of the other entry involved.
    """
    answered_by: dict[str, int] = {}
    for index, column in enumerate(mapping.columns):
        answered_by.setdefault(column.field, index)
    seen_fields: dict[str, int] = {}
    seen_headings: dict[str, int] = {}
    for index, column in enumerate(mapping.columns):
        loc: Location = ("columns", index)
        field = _answerable(catalogue, column.field, (*loc, "field"))
        if column.field in seen_fields:
            raise MappingProblem(
                f"field {column.field!r} is already answered by column {seen_fields[column.field]}"
                " (map each field once)",
                (*loc, "field"),
            )
        seen_fields[column.field] = index + 1
        heading = normalise(column.heading)
        if heading in seen_headings:
            first = _entry(document, ("columns", seen_headings[heading], "heading"))
            raise MappingProblem(
                f"this heading is mapped twice (first at {first}; headings are matched "
                "ignoring case and punctuation)",
                (*loc, "heading"),
            )
        seen_headings[heading] = index
        if column.split is not None and field.type is not FieldType.MANY_OF:
            raise MappingProblem(
                f"split applies to many-of fields only; {field.id!r} is {field.type.value}",
                (*loc, "split"),
            )
        _check_values(catalogue, column, field, loc, answered_by, document)
    _check_headings(mapping, document)


def check_mapping_programme(loaded: LoadedMapping, compiled: CompiledProgramme) -> None:
    """Refuse a mapping whose ``programme:`` names another programme than ``compiled``.

    A mapping without ``programme:`` fits any programme. The ``InputError`` is placed at the
    ``programme:`` value, e.g. "m.yaml:2:12: the mapping is for primary, but --programme is
    secondary (make a mapping for secondary, or screen with --programme primary)".
    """
    named = loaded.mapping.programme
    wanted = compiled.programme.id
    if named is None or named == wanted:
        return
    raise InputError(
        f"the mapping is for {named}, but --programme is {wanted}",
        where=loaded.where(("programme",), value=True),
        hint=f"make a mapping for {wanted}, or screen with --programme {named}",
    )


def load_mapping(
    path: Path, catalogue: Catalogue, *, programme: CompiledProgramme | None = None
) -> LoadedMapping:
    """Load and validate a mapping file; every problem is an ``InputError`` at file:line.

    With ``programme``, a mapping made for another programme is refused too (see
    ``check_mapping_programme``).
    """
    mapping, document = load_model(path, MappingFile, "a mapping file")
    try:
        check_mapping(mapping, catalogue, document)
    except MappingProblem as problem:
        line, column = document.locate(problem.loc)
        raise InputError(str(problem), where=place(document.name, line, column)) from None
    loaded = LoadedMapping(mapping, document)
    if programme is not None:
        check_mapping_programme(loaded, programme)
    return loaded


# --- what a programme needs -------------------------------------------------------------------


def needed_fields(compiled: CompiledProgramme) -> tuple[list[str], list[str]]:
    """Fields a form must answer: (for essential facts, for other criteria), in file order.

    Derived fields are replaced by the field they are computed from. The first list decides
    eligibility; the second only the desirable score and the evidence self-assessments.
    """
    derived_from = dict(compiled.derived)
    essential: dict[str, None] = {}
    other: dict[str, None] = {}
    for item in compiled.criteria:
        names = (*item.rule.fields, *(item.hub.fields if item.hub else ()))
        target = (
            essential
            if item.criterion.level is Level.ESSENTIAL and item.criterion.kind is Kind.FACT
            else other
        )
        for name in names:
            target.setdefault(derived_from.get(name, name), None)
    return list(essential), [name for name in other if name not in essential]


def provided_fields(mapping: MappingFile) -> set[str]:
    """Every field some column of ``mapping`` answers, directly or through a value map."""
    provided = {column.field for column in mapping.columns}
    for column in mapping.columns:
        for setting in column.values.values():
            if isinstance(setting, dict):
                provided.update(setting)
    return provided


def missing_fields(
    mapping: MappingFile, compiled: CompiledProgramme
) -> tuple[list[str], list[str]]:
    """Needed fields no column provides: (for essential facts, for other criteria)."""
    provided = provided_fields(mapping)
    essential, other = needed_fields(compiled)
    return [f for f in essential if f not in provided], [f for f in other if f not in provided]


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


def _options_of(field: Field) -> list[str]:
    return [s for choice in field.choices for s in (choice.label, *choice.spellings, choice.id)]


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
    from masterycheck.io.table_reader import split_many

    seen: dict[str, None] = {}
    for answer in answers:
        if is_unknown(answer):
            continue
        if split is not None:
            matched, leftovers = split_many(answer, _options_of(field), split)
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


_YAML_RAW_CONTROLS = {
    code: f"\\u{code:04x}"
    for code in (
        0x7F,
        *range(0x80, 0xA0),
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0xFEFF,
    )
}


def _quote(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    quoted = json.dumps(text, ensure_ascii=False)
    # json.dumps leaves DEL, the C1 controls and the bidirectional overrides raw; YAML's \u
    # escape means the same, and a terminal showing the proposal never obeys them.
    return quoted.translate(_YAML_RAW_CONTROLS)


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


# --- reading rows -----------------------------------------------------------------------------


class CellStatus(IntEnum):
    """How one mapped cell was answered, for the summary."""

    BLANK = 0  # empty or "don't know"
    NO = 1  # an explicit no (or none)
    UNREADABLE = 2
    ANSWERED = 3


Settings = tuple[tuple[str, Value | None], ...]


@dataclass(frozen=True, slots=True)
class MappedColumn:
    """A mapping column bound to its position in the export."""

    position: int
    heading: str
    field: Field
    split: SplitStyle | None
    values: Mapping[str, Settings]  # normalised answer -> settings
    options: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReadAnswers:
    """One row's answers, read: typed values, and each mapped column's status."""

    answers: dict[str, Value]
    statuses: tuple[CellStatus, ...]

    @property
    def unreadable(self) -> tuple[int, ...]:
        """Indexes (into ``RowMapper.columns``) of the cells that could not be read."""
        return tuple(i for i, s in enumerate(self.statuses) if s is CellStatus.UNREADABLE)


def _is_no(value: Value) -> bool:
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value == "none"
    if isinstance(value, frozenset):
        return value <= {"none"}
    return False


class _ExportHeadings:
    """An export's headings, for finding the column a mapping heading names."""

    def __init__(self, headings: Sequence[str]) -> None:
        self.headings = headings
        self.exact: dict[str, list[int]] = {}
        self.loose: dict[str, list[int]] = {}
        for position, heading in enumerate(headings):
            if heading.strip():
                self.exact.setdefault(heading.strip(), []).append(position)
            key = normalise(heading)
            if key:
                self.loose.setdefault(key, []).append(position)

    def matches(self, heading: str) -> list[int]:
        """Columns headed ``heading``: the exact match if there is one, else every loose one.

        Loosely is as ``normalise`` compares (case, spaces and punctuation ignored); a heading
        that is all punctuation matches only exactly, never a blank heading.
        """
        exact = self.exact.get(heading.strip())
        if exact:
            return exact
        key = normalise(heading)
        return self.loose.get(key, []) if key else []

    def column(self, position: int) -> str:
        """'column D 'Email'' for a 0-based position, the heading quoted safely."""
        from masterycheck.io.table_reader import column_letter

        words = f"column {column_letter(position + 1)}"
        heading = self.headings[position]
        return f"{words} {_shown(heading)}" if heading.strip() else words


_COLUMNS_NAMED = 5  # columns listed in a message about an ambiguous heading


class RowMapper:
    """A mapping compiled against an export's headings; reads each row's cells."""

    def __init__(
        self, loaded: LoadedMapping, headings: Sequence[str], catalogue: Catalogue
    ) -> None:
        """Bind every mapped heading to its column; ``InputError`` names what does not fit.

        A mapping heading binds to the export column with exactly that heading, else to the one
        column whose heading matches ignoring case, spaces and punctuation. Refused, at the
        mapping's line: a heading no column has; a heading that matches several columns that
        way and none exactly ("Email" and "email" for "E-MAIL"), which would otherwise pick
        one silently; two ``keep`` entries that find the same column; an ``ignore`` entry
        that finds a column the mapping reads (under ``columns``, ``applicant`` or ``keep``).
        """
        mapping = loaded.mapping
        document = loaded.document
        export = _ExportHeadings(headings)

        def find(heading: str, loc: Location) -> int:
            found = export.matches(heading)
            if not found:
                raise InputError(
                    f"the export has no column headed {_shown(heading)}",
                    where=loaded.where(loc),
                    hint="run 'masterycheck mapping' to see the headings it has",
                )
            if len(found) > 1:
                named = ", ".join(export.column(p) for p in found[:_COLUMNS_NAMED])
                if len(found) > _COLUMNS_NAMED:
                    named += f" and {len(found) - _COLUMNS_NAMED} more"
                raise InputError(
                    f"the heading {_shown(heading)} matches {len(found)} columns of the export "
                    f"once case, spaces and punctuation are ignored ({named}), and none exactly",
                    where=loaded.where(loc),
                    hint="write the heading exactly as the export spells the one you mean",
                )
            return found[0]

        reads: dict[int, tuple[str, Location]] = {}  # export position -> who reads it
        columns: list[MappedColumn] = []
        for index, column in enumerate(mapping.columns):
            field = catalogue.by_id[column.field]
            values: dict[str, Settings] = {}
            for answer, setting in column.values.items():
                pairs = setting.items() if isinstance(setting, dict) else [(field.id, setting)]
                values[normalise(answer)] = tuple(
                    (fid, parse_value(catalogue.by_id[fid], raw)) for fid, raw in pairs
                )
            options = tuple(dict.fromkeys([*column.values, *_options_of(field)]))
            split = column.split
            if split is None and field.type is FieldType.MANY_OF:
                split = "semicolon"
            loc: Location = ("columns", index, "heading")
            position = find(column.heading, loc)
            reads.setdefault(position, ("columns", loc))
            columns.append(MappedColumn(position, column.heading, field, split, values, options))
        self.columns: tuple[MappedColumn, ...] = tuple(columns)
        self.positions: tuple[int, ...] = tuple(c.position for c in columns)
        roles = mapping.applicant.model_dump(exclude_none=True)
        self.applicant: dict[str, int] = {}
        for role, heading in roles.items():
            position = find(heading, ("applicant", role))
            reads.setdefault(position, (f"applicant {role}", ("applicant", role)))
            self.applicant[role] = position
        kept: dict[int, int] = {}
        keep: list[tuple[str, int]] = []
        for index, heading in enumerate(mapping.keep):
            position = find(heading, ("keep", index))
            if position in kept:
                raise InputError(
                    f"{_shown(heading)} finds {export.column(position)}, which is already "
                    f"kept at {_entry(document, ('keep', kept[position]))}: keep it once",
                    where=loaded.where(("keep", index)),
                )
            kept[position] = index
            reads.setdefault(position, ("keep", ("keep", index)))
            keep.append((heading, position))
        self.keep: tuple[tuple[str, int], ...] = tuple(keep)
        for index, heading in enumerate(mapping.ignore):
            for position in export.matches(heading):
                if position in reads:
                    section, loc = reads[position]
                    raise InputError(
                        f"{_shown(heading)} under ignore finds {export.column(position)}, "
                        f"which {section} at {_entry(document, loc)} reads: take it out of "
                        "one of them",
                        where=loaded.where(("ignore", index)),
                    )
        self._own = {c.field.id for c in columns}
        self._cell_cache: tuple[dict[str, tuple[CellStatus, Settings]], ...] = tuple(
            {} for _ in columns
        )
        self._status_cache: tuple[dict[str, CellStatus], ...] = tuple({} for _ in columns)

    def provided_fields(self) -> set[str]:
        """Every field a mapped cell may set (its own field, or through a value map)."""
        provided = set(self._own)
        for column in self.columns:
            for settings in column.values.values():
                provided.update(fid for fid, _ in settings)
        return provided

    def settable_fields(self) -> tuple[frozenset[str], ...]:
        """For each mapped column, the fields its answers may set (own field and value maps)."""
        return tuple(
            frozenset(
                {column.field.id}
                | {fid for settings in column.values.values() for fid, _ in settings}
            )
            for column in self.columns
        )

    def statuses(self, key: Sequence[str]) -> tuple[CellStatus, ...]:
        """How each mapped cell (as given by ``key``) was answered."""
        found = tuple(map(dict.get, self._status_cache, key))
        if None in found:
            return tuple([self.status(j, cell) for j, cell in enumerate(key)])
        return found  # type: ignore[return-value]  # no None left

    def status(self, index: int, cell: str) -> CellStatus:
        """How mapped column ``index``'s cell was answered: blank, no, answered, unreadable."""
        cache = self._cell_cache[index]
        found = cache.get(cell)
        if found is None:
            found = self._read_cell(self.columns[index], cell)
            if len(cache) < CELL_CACHE_SIZE:
                cache[cell] = found
        if len(self._status_cache[index]) < CELL_CACHE_SIZE:
            self._status_cache[index][cell] = found[0]
        return found[0]

    def key(self, cells: Sequence[str]) -> tuple[str, ...]:
        """The cells that feed the criteria: equal keys give equal answers."""
        return tuple([cells[p] for p in self.positions])

    def read(self, key: Sequence[str]) -> ReadAnswers:
        """Read the mapped cells (as given by ``key``) into typed answers."""
        answers: dict[str, Value] = {}
        extras: dict[str, Value | None] = {}
        statuses: list[CellStatus] = []
        own: dict[str, Value | None] = {}
        for column, cache, cell in zip(self.columns, self._cell_cache, key, strict=True):
            found = cache.get(cell)
            if found is None:
                found = self._read_cell(column, cell)
                if len(cache) < CELL_CACHE_SIZE:
                    cache[cell] = found
            status, settings = found
            statuses.append(status)
            for fid, value in settings:
                if fid == column.field.id:
                    own[fid] = value
                elif fid not in self._own:
                    if fid in extras and extras[fid] != value:
                        extras[fid] = None  # two answers disagree: unknown
                    else:
                        extras[fid] = value
        for fid, value in (*extras.items(), *own.items()):
            if value is not None:
                answers[fid] = value
        return ReadAnswers(answers, tuple(statuses))

    def _read_cell(self, column: MappedColumn, cell: str) -> tuple[CellStatus, Settings]:
        field = column.field
        if is_unknown(cell):
            return CellStatus.BLANK, ()
        mapped = column.values.get(normalise(cell)) if column.values else None
        if mapped is not None:
            return self._status_of(field, mapped), mapped
        try:
            if column.split is not None:
                settings = self._read_many(column, cell)
                if settings is None:
                    return CellStatus.UNREADABLE, ()
                return self._status_of(field, settings), settings
            value = parse_value(field, cell)
        except ValueProblem:
            return CellStatus.UNREADABLE, ()
        if value is None:
            return CellStatus.BLANK, ()
        return (CellStatus.NO if _is_no(value) else CellStatus.ANSWERED), ((field.id, value),)

    def _read_many(self, column: MappedColumn, cell: str) -> Settings | None:
        from masterycheck.io.table_reader import split_many

        assert column.split is not None
        matched, leftovers = split_many(cell, column.options, column.split)
        if any(part.strip() for part in leftovers):
            return None
        field = column.field
        chosen: set[str] = set()
        extra: list[tuple[str, Value | None]] = []
        for part in matched:
            mapped = column.values.get(normalise(part))
            if mapped is not None:
                for fid, value in mapped:
                    if fid == field.id and isinstance(value, frozenset):
                        chosen |= value
                    elif fid == field.id and isinstance(value, str):
                        chosen.add(value)
                    elif fid != field.id:
                        extra.append((fid, value))
                continue
            found = field.choice_lookup.get(normalise(part))
            if found is None:
                return None
            chosen.add(found)
        return ((field.id, frozenset(chosen)), *extra)

    @staticmethod
    def _status_of(field: Field, settings: Settings) -> CellStatus:
        for fid, value in settings:
            if fid == field.id:
                if value is None:
                    return CellStatus.BLANK
                return CellStatus.NO if _is_no(value) else CellStatus.ANSWERED
        return CellStatus.ANSWERED
