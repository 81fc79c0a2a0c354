"""Mapping files: which column of a form export answers which profile field, and how.

A mapping file is written by ``masterycheck mapping`` (a proposal from the export's headings
and answers, ``batch.proposal``), reviewed by a person, and read by ``masterycheck screen``
(``batch.row_mapping``). It says:

* ``columns``: heading -> profile field, with optional value maps (an answer as the form
  spells it -> a choice, or -> several fields at once, as "State-funded middle school" sets
  both the school type and state funding) and, for many-of answers, how they are joined;
* ``applicant``: the columns that identify an applicant (ID, name, email);
* ``keep``: free-text columns carried into the results (replaced with ``--redact``);
* ``ignore``: columns deliberately not used;
* ``constants``: fields the hub answers for every applicant (``in_england: "yes"`` for a
  regional form that does not ask it), shown as the hub's statement, not the applicant's.

A mapping that cannot mean one thing is refused, never resolved by "the later entry wins":
two answers under one column that are the same once case, spaces and punctuation are ignored
but map differently (two that mean the same are accepted); an answer always read as unknown
("N/A") mapped to a value; a heading both used and ignored; a column kept twice; a field set
by a value map and also answered by its own column; and a mapping made for another programme
(``check_mapping_programme``); a constant for a field a column also answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field as PydanticField

from masterycheck.core.answers import Value, ValueProblem, is_unknown, parse_value
from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.fields import Catalogue, Field, FieldType, normalise
from masterycheck.core.model_base import (
    Identifier,
    NonEmptyText,
    SchemaVersion,
    StrictModel,
    no_entries,
    no_items,
)
from masterycheck.core.problems import Location as Location  # batch.row_mapping uses it
from masterycheck.core.problems import Problem
from masterycheck.core.programme import Kind, Level
from masterycheck.errors import InputError
from masterycheck.files.yaml_source import YamlDocument, load_model

SplitStyle = Literal["semicolon", "comma"]
Setting = str | None | dict[Identifier, str | None]


def field_options(field: Field) -> list[str]:
    """Every way a choice of ``field`` may be written: labels, spellings and ids."""
    return [s for choice in field.choices for s in (choice.label, *choice.spellings, choice.id)]


class Applicant(StrictModel):
    """The columns that identify an applicant; any may be left out.

    ``school`` and ``submitted`` tell two submissions by one person apart from two people:
    rows with the same email, or the same full name and school, are one applicant, screened
    from the latest submission (by ``submitted``, else the last row; ``batch.duplicates``).
    """

    id: str | None = None
    name: str | None = None
    email: str | None = None
    school: str | None = PydanticField(
        default=None,
        description="The column naming the applicant's school: the same full name and school "
        "on two rows are one applicant's two submissions.",
    )
    submitted: str | None = PydanticField(
        default=None,
        description='The column holding the submission time (Microsoft Forms "Completion '
        'time", Google Forms "Timestamp"): of one applicant\'s submissions, the latest is '
        "screened. Without it, the last row is.",
    )


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
        default_factory=no_entries,
        description="Answers as the form spells them: a choice of this column's field, null "
        "(unknown), or a mapping of field -> answer to set several fields at once.",
    )
    overlay: Identifier | None = PydanticField(
        default=None,
        description="The hub overlay (its `hub` id) that adds this column's field. Screened "
        "without that overlay, the column is not read.",
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
    columns: list[ColumnMapping] = PydanticField(default_factory=no_items)
    keep: list[NonEmptyText] = PydanticField(
        default_factory=no_items,
        description="Free-text columns carried into the results (replaced with --redact).",
    )
    ignore: list[str] = PydanticField(
        default_factory=no_items, description="Columns deliberately not used."
    )
    constants: dict[Identifier, NonEmptyText] = PydanticField(
        default_factory=no_entries,
        description="Fields the hub answers for every applicant (field -> answer, as a profile "
        'gives it), e.g. in_england: "yes" for a regional form that does not ask it. Shown in '
        "the results as the hub's statement, never as the applicant's answer.",
    )


class MappingProblem(Problem):
    """A mapping that does not fit the catalogue; ``loc`` is the path inside the file."""


_SHOWN_LIMIT = 60  # longest heading or answer quoted in full in a message


def shown_heading(text: str) -> str:
    """Quote a heading or answer for a one-line message: escaped, on one line, shortened.

    Headings and answers come from exports (and so from applicants): ``repr`` escapes control
    and other unprintable characters, so nothing raw reaches the terminal.
    """
    text = " ".join(text.split())
    if len(text) > _SHOWN_LIMIT:
        text = text[: _SHOWN_LIMIT - 1] + "…"
    return repr(text)


def entry_place(document: YamlDocument | None, loc: Location) -> str:
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
        return self.document.where(loc, value=value)


# --- validation -------------------------------------------------------------------------------


def _answerable(catalogue: Catalogue, field_id: str, loc: Location) -> Field:
    found = catalogue.get(field_id)
    if found is None:
        raise MappingProblem(
            f"unknown field {field_id!r} (a field a hub overlay adds needs `overlay: <hub>` on "
            "its column)",
            loc,
        )
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
                        f"{entry_place(document, ('columns', owner, 'field'))}, whose answer would "
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
                f"answer {shown_heading(answer)} is always read as unknown (like a blank or "
                '"don\'t know"), so this entry would never apply: map it to null or take it out',
                where,
            )
        key = normalise(answer)
        first = meanings.get(key)
        if first is None:
            meanings[key] = (answer, meaning)
        elif first[1] != meaning:
            raise MappingProblem(
                f"answer {shown_heading(answer)} is {shown_heading(first[0])} at "
                f"{entry_place(document, (*loc, 'values', first[0]))} once case, spaces and "
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
                f"{shown_heading(heading)} is kept twice (first at "
                f"{entry_place(document, ('keep', kept[heading]))}): keep it once",
                ("keep", index),
            )
        kept[heading] = index
        used.setdefault(heading, ("keep", ("keep", index)))
    for index, heading in enumerate(mapping.ignore):
        found = used.get(heading.strip())
        if found is not None:
            section, loc = found
            raise MappingProblem(
                f"{shown_heading(heading)} is under ignore but also under {section} at "
                f"{entry_place(document, loc)}: take it out of one of them",
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
        if column.overlay is not None and catalogue.get(column.field) is None:
            continue  # for a hub overlay that is not applied: not read
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
            first = entry_place(document, ("columns", seen_headings[heading], "heading"))
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
    _check_constants(mapping, catalogue, document)


def _check_constants(
    mapping: MappingFile, catalogue: Catalogue, document: YamlDocument | None
) -> None:
    """Check each constant: a field that can be answered, an answer that fits it and is not
    unknown, and no column (or column's value map) that answers the same field."""
    set_by: dict[str, Location] = {}
    for index, column in enumerate(mapping.columns):
        set_by.setdefault(column.field, ("columns", index, "field"))
        for answer, setting in column.values.items():
            if isinstance(setting, dict):
                for other_id in setting:
                    set_by.setdefault(other_id, ("columns", index, "values", answer, other_id))
    for field_id, raw in mapping.constants.items():
        loc: Location = ("constants", field_id)
        field = _answerable(catalogue, field_id, loc)
        if _check_setting(catalogue, field, raw, loc) is None:
            raise MappingProblem(
                f"constant {field_id!r} is an unknown answer ({shown_heading(raw)}): give the "
                "answer that holds for every applicant, or take it out",
                loc,
            )
        owner = set_by.get(field_id)
        if owner is not None:
            raise MappingProblem(
                f"{field_id!r} is both a constant and answered by a column at "
                f"{entry_place(document, owner)}: take it out of one of them",
                loc,
            )


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
        raise document.error_at(problem.loc, str(problem)) from None
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
            # A field the rule reads only under `unless` (silence read as "not the case")
            # never leaves the criterion unknown, so a form need not ask it.
            where = other if name in item.rule.optional else target
            where.setdefault(derived_from.get(name, name), None)
    return list(essential), [name for name in other if name not in essential]


def read_when_silent(compiled: CompiledProgramme) -> set[str]:
    """Fields every rule reads only under ``unless``: no answer is read as "not the case"
    (England, employment basis), so a form that does not ask them leaves nothing unknown."""
    derived_from = dict(compiled.derived)
    silent: set[str] = set()
    asked: set[str] = set()
    for item in compiled.criteria:
        for name in (*item.rule.fields, *(item.hub.fields if item.hub else ())):
            field = derived_from.get(name, name)
            (silent if name in item.rule.optional else asked).add(field)
    return silent - asked


def unapplied_overlay_columns(mapping: MappingFile, catalogue: Catalogue) -> list[ColumnMapping]:
    """Columns for a hub overlay whose fields ``catalogue`` lacks (that overlay is not applied)."""
    return [c for c in mapping.columns if c.overlay is not None and catalogue.get(c.field) is None]


def provided_fields(mapping: MappingFile) -> set[str]:
    """Every field some column of ``mapping`` answers, directly or through a value map, or
    that a constant sets."""
    provided = {column.field for column in mapping.columns} | set(mapping.constants)
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
