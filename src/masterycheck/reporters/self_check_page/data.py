"""The self-check page's data: the compiled programmes as one JSON-ready mapping.

Generated from the criteria files, never written by hand: the rules (checked against the
catalogue by ``compile_programme``) with every comparison's operand read as the engine reads
it, the hub-to-confirm cases, the fields each criterion reads (as ``core.interview_plan``
counts them), derived fields with the date they are counted to, and the programme's facts.
The page's evaluator (``evaluator.js``) gives them the engine's semantics.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from masterycheck.core.answers import parse_value
from masterycheck.core.engine import CompiledCriterion, CompiledProgramme
from masterycheck.core.fields import Catalogue, Field, FieldType
from masterycheck.core.interview_plan import criterion_sources, programme_sources
from masterycheck.core.programme import HubToConfirm
from masterycheck.core.rules import AllRule, AnyRule, Comparison, NotRule, Rule, UnlessRule

Data = dict[str, Any]


def rule_data(rule: Rule, catalogue: Catalogue) -> Data:
    """A rule as the evaluator reads it: ``all``/``any``/``not``/``unless``, or a comparison
    ``{f, op, v}`` whose operand is the engine's typed value (``"yes"`` on a yes/no field is
    ``true``); ``contains`` and ``contains_any`` are both ``has`` (a list of choices)."""
    if isinstance(rule, AllRule):
        return {"all": [rule_data(part, catalogue) for part in rule.all]}
    if isinstance(rule, AnyRule):
        return {"any": [rule_data(part, catalogue) for part in rule.any]}
    if isinstance(rule, NotRule):
        return {"not": rule_data(rule.not_, catalogue)}
    if isinstance(rule, UnlessRule):
        return {"unless": rule_data(rule.unless, catalogue)}
    return _comparison(rule, catalogue.by_id[rule.field])


def _comparison(rule: Comparison, field: Field) -> Data:
    name, operand = rule.operator, rule.operand
    if name == "equals":
        value = operand if field.type is FieldType.ONE_OF else parse_value(field, operand)
        if not isinstance(value, bool | int | str):  # compile_programme refused anything else
            raise TypeError(f"unexpected operand {operand!r} for {field.id!r}")
        return {"f": field.id, "op": "equals", "v": value}
    if name == "contains":
        return {"f": field.id, "op": "has", "v": [operand]}
    if name == "contains_any":
        return {"f": field.id, "op": "has", "v": operand}
    return {"f": field.id, "op": name, "v": operand}


def _field_data(field: Field) -> Data:
    return {
        "id": field.id,
        "label": field.label,
        "type": field.type.value,
        "question": field.question,
        "help": field.help,
        "choices": [[choice.id, choice.label] for choice in field.choices],
        "min": field.minimum,
        "max": field.maximum,
        "derived": field.derived.years_since if field.derived else None,
    }


def _criterion_data(programme: CompiledProgramme, compiled: CompiledCriterion) -> Data:
    criterion = compiled.criterion
    catalogue = programme.catalogue
    given = criterion.hub_to_confirm
    cases = [given] if isinstance(given, HubToConfirm) else list(given or [])
    hub_fields = compiled.hub.fields if compiled.hub else ()
    return {
        "id": criterion.id,
        "level": criterion.level.value,
        "kind": criterion.kind.value,
        "text": criterion.text,
        "evidence": criterion.evidence,
        "action": criterion.action,
        "weight": criterion.weight,
        "origin": compiled.origin,
        "rule": rule_data(criterion.rule, catalogue),
        "hub": [{"when": rule_data(c.when, catalogue), "note": c.note} for c in cases],
        "fields": {
            "rule": list(compiled.rule.fields),
            "used": list(dict.fromkeys((*compiled.rule.fields, *hub_fields))),
            "sources": list(criterion_sources(programme, compiled)),
        },
    }


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _programme_data(compiled: CompiledProgramme) -> Data:
    programme = compiled.programme
    counted_to = dict(compiled.counted_to)
    window = programme.window
    return {
        "id": programme.id,
        "name": programme.name,
        "phase": programme.phase,
        "provisional": programme.provisional,
        "provisional_note": programme.provisional_note,
        "selection_note": programme.selection_note,
        "reference_date": programme.reference_date.isoformat(),
        "derived": [
            [derived, source, counted_to[derived].isoformat()]
            for derived, source in compiled.derived
        ],
        "window": {
            "opens": _date(window.opens),
            "closes": _date(window.closes),
            "decisions_by": _date(window.decisions_by),
            "note": window.note,
            "next_cohort": window.next_cohort,
        },
        "sources": list(programme_sources(compiled)),
        "criteria": [_criterion_data(compiled, c) for c in compiled.criteria],
    }


def page_data(programmes: Sequence[CompiledProgramme]) -> Data:
    """The data the page embeds for ``programmes`` (at least one): the fields they read (in
    catalogue order), the opening questions, and each programme."""
    read: set[str] = set()
    for compiled in programmes:
        for criterion in compiled.criteria:
            read.update(criterion.rule.fields)
            read.update(criterion.hub.fields if criterion.hub else ())
        read.update(source for _, source in compiled.derived)
    first = programmes[0].catalogue
    fields: dict[str, Field] = {}
    for compiled in programmes:  # an overlay's catalogue adds its fields after the national ones
        for field in compiled.catalogue.fields:
            if field.id in read:
                fields.setdefault(field.id, field)
    return {
        "fields": [_field_data(field) for field in fields.values()],
        "opening": [
            {
                "field": q.field,
                "when": {"field": q.when.field, "in": list(q.when.in_)} if q.when else None,
            }
            for q in first.opening_questions
            if q.field in fields
        ],
        "programmes": [_programme_data(compiled) for compiled in programmes],
    }
