"""The checks a mapping must pass: ``check_mapping``, against the field catalogue.

A mapping that cannot mean one thing is refused, never resolved by "the later entry wins"
(see ``files.mapping_file`` for the list). Each refusal is a ``MappingProblem`` at the path of
the entry at fault; ``load_mapping`` places it at file:line:column, and a message naming
another entry gives that one's line.
"""

from __future__ import annotations

from collections.abc import Mapping

from masterycheck.core.answers import Value, ValueProblem, is_unknown, parse_value
from masterycheck.core.fields import Catalogue, Field, FieldType, normalise
from masterycheck.core.problems import Location
from masterycheck.files.mapping_file import (
    ColumnMapping,
    MappingFile,
    MappingProblem,
    entry_place,
    shown_heading,
)
from masterycheck.files.yaml_source import YamlDocument


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
