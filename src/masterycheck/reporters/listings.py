"""Plain-data views of programmes, fields and criteria, for `programmes`, `fields`, `explain`.

Each view is a list of rows (dicts of plain values) that any reporter can draw as a table,
Markdown or JSON.
"""

from __future__ import annotations

import datetime as dt

from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.fields import FIELD_TYPE_WORDS, Catalogue
from masterycheck.core.window import window_status
from masterycheck.reporters.registry import Row


def programme_rows(programmes: list[CompiledProgramme], as_of: dt.date) -> list[Row]:
    """One row per programme: cohort, window status as of a date, criteria counts."""
    rows: list[Row] = []
    for compiled in programmes:
        programme = compiled.programme
        status = window_status(programme.window, as_of)
        rows.append(
            {
                "id": programme.id,
                "name": programme.name,
                "cohort": programme.cohort,
                "academic_years": ", ".join(programme.academic_years),
                "window": status.state,
                "window_message": status.message,
                "essential": len(programme.essentials()),
                "desirable": len(programme.desirables()),
                "provisional": programme.provisional,
            }
        )
    return rows


def field_rows(catalogue: Catalogue) -> list[Row]:
    """One row per profile field: type, question and accepted answers."""
    rows: list[Row] = []
    for field in catalogue.fields:
        rows.append(
            {
                "id": field.id,
                "type": field.type.value,
                "type_words": FIELD_TYPE_WORDS[field.type],
                "question": field.question,
                "help": field.help,
                "choices": [choice.id for choice in field.choices],
                "derived_from": field.derived.years_since if field.derived else None,
            }
        )
    return rows


def criterion_rows(compiled: CompiledProgramme) -> list[Row]:
    """One row per criterion: level, kind, published wording, source and rule in words."""
    rows: list[Row] = []
    for item in compiled.criteria:
        criterion = item.criterion
        rows.append(
            {
                "id": criterion.id,
                "level": criterion.level.value,
                "kind": criterion.kind.value,
                "text": criterion.text,
                "rule": item.rule.words,
                "hub_to_confirm": "; ".join(note for _, note in item.hub_cases) or None,
                "evidence": criterion.evidence,
                "reading": criterion.reading,
                "weight": criterion.weight,
                "source": criterion.source.document
                + (f" ({criterion.source.section})" if criterion.source.section else ""),
                "last_verified": criterion.last_verified.isoformat(),
                "origin": item.origin,
            }
        )
    return rows
