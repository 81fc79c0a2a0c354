"""The small typed rule language of criteria, and its compilation against the catalogue.

A rule is one of::

    all: [rule, ...]          every part met
    any: [rule, ...]          at least one part met
    not: rule                 the opposite
    unless: rule              met unless the part is met: an unanswered part does not fail
                              it (how a file reads silence on a question the published
                              criterion does not itself ask, such as "not in England")
    field: F, equals: V       yes/no, one-of, whole-number or text field equals V
    field: F, in: [V, ...]    one-of field is one of the choices
    field: F, gte: N / lte: N whole-number field at least / at most N
    field: F, contains: V     many-of field includes choice V
    field: F, contains_any: [V, ...]   many-of field includes at least one of the choices

Rules are checked at load against the catalogue (unknown field, operator that does not fit
the field's type, unknown choice) and compiled once into plain functions that evaluate a
profile's answers with three-valued logic and say why.

The comparison operators are one registry, ``OPERATORS``: each names the field types it
applies to, the function that compiles it, and a rule with answers that meet it and answers
that do not (run for every operator by the tests). A name it lacks fails loudly.

The module is longer than most (~490 lines) because the rule language is one thing: its model,
the operator registry with its examples and the compiler read each other at every step, and
splitting them would put the registry's examples away from the operators they describe.
"""

# No ``from __future__ import annotations``: pydantic would evaluate every field's annotation
# from its text as each model class is made, which costs a third of making the class.

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Tag, model_validator
from pydantic import Field as PydanticField

from masterycheck.core.answers import (
    DateRange,
    Value,
    ValueProblem,
    YearsRange,
    display,
    parse_value,
)
from masterycheck.core.fields import Catalogue, Field, FieldType
from masterycheck.core.kleene import Outcome, kleene_and, kleene_not, kleene_or
from masterycheck.core.model_base import StrictModel
from masterycheck.core.problems import Location, Problem

Answers = Mapping[str, Value]


class AllRule(StrictModel):
    """Met when every part is met."""

    all: list["Rule"] = PydanticField(min_length=1)


class AnyRule(StrictModel):
    """Met when at least one part is met."""

    any: list["Rule"] = PydanticField(min_length=1)


class NotRule(StrictModel):
    """Met when its part is not met."""

    not_: "Rule" = PydanticField(alias="not")


class UnlessRule(StrictModel):
    """Met unless its part is met: not met only when the answers meet the part, met when they
    do not or when it cannot be decided (silence is not counted against the teacher).

    Unlike ``not``, which leaves an unknown part unknown, this reads an unanswered question as
    "not the case"; a criteria file that uses it says why in its header.
    """

    unless: "Rule"


Scalar = str | int | bool


class Comparison(StrictModel):
    """A comparison of one field's answer with a value; exactly one operator."""

    field: str
    equals: Scalar | None = None
    in_: list[Scalar] | None = PydanticField(default=None, alias="in", min_length=1)
    gte: int | None = None
    lte: int | None = None
    contains: str | None = None
    contains_any: list[str] | None = PydanticField(default=None, min_length=1)

    @model_validator(mode="after")
    def _exactly_one_operator(self) -> "Comparison":
        given = [name for name in OPERATORS if getattr(self, _attr(name)) is not None]
        if len(given) != 1:
            raise ValueError(
                f"a comparison needs exactly one operator of {', '.join(OPERATORS)}"
                + (f"; got {', '.join(given)}" if given else "")
            )
        return self

    @property
    def operator(self) -> str:
        """The operator's name as written in the file."""
        return next(name for name in OPERATORS if getattr(self, _attr(name)) is not None)

    @property
    def operand(self) -> object:
        """The value compared with."""
        return getattr(self, _attr(self.operator))


#: The attribute of ``Comparison`` that holds each operator's operand (``in`` -> ``in_``).
_ATTRS = {
    info.alias or name: name for name, info in Comparison.model_fields.items() if name != "field"
}


def _attr(operator: str) -> str:
    return _ATTRS[operator]


# Tag names differ from every key a rule may have, so that an error's location (which
# includes the tag) can be walked back to a line of the file.
_TAG_BY_KEY = {
    "all": "all_of",
    "any": "any_of",
    "not": "negation",
    "unless": "exception",
    "field": "comparison",
}
_TAG_BY_TYPE: dict[type, str] = {
    AllRule: "all_of",
    AnyRule: "any_of",
    NotRule: "negation",
    UnlessRule: "exception",
    Comparison: "comparison",
}


def _rule_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for key, tag in _TAG_BY_KEY.items():
            if key in value:
                return tag
        return None
    return _TAG_BY_TYPE.get(type(value))


Rule = Annotated[
    Annotated[AllRule, Tag("all_of")]
    | Annotated[AnyRule, Tag("any_of")]
    | Annotated[NotRule, Tag("negation")]
    | Annotated[UnlessRule, Tag("exception")]
    | Annotated[Comparison, Tag("comparison")],
    Discriminator(
        _rule_tag,
        custom_error_type="rule_shape",
        custom_error_message="a rule needs one of the keys all, any, not, unless or field",
    ),
]


class RuleProblem(Problem):
    """A rule that does not fit the catalogue; ``loc`` is its path inside the rule."""


@dataclass(frozen=True, slots=True)
class Finding:
    """The result of evaluating a rule: the outcome, the phrases that explain it, and (when
    unknown) the fields whose answers would settle it, in rule order.

    ``imprecise`` names those of ``unknown_fields`` that were answered, but too vaguely to
    settle the rule (a year where "at least two years" needs the month); the others have no
    answer.
    """

    outcome: Outcome
    reasons: tuple[str, ...]
    unknown_fields: tuple[str, ...] = ()
    imprecise: tuple[str, ...] = ()


Evaluator = Callable[[Answers], Finding]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule checked against the catalogue and turned into a function."""

    evaluate: Evaluator
    fields: tuple[str, ...]
    words: str
    compound: bool = False
    #: Of ``fields``, those read only under ``unless``: no answer to them leaves the rule
    #: decidable (silence is read as "not the case"), so a form need not ask them.
    optional: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        """The fields whose answer the rule may wait on (``fields`` less ``optional``)."""
        return tuple(name for name in self.fields if name not in self.optional)


def compile_rule(rule: Rule, catalogue: Catalogue, loc: Location = ()) -> CompiledRule:
    """Check ``rule`` against ``catalogue`` and compile it; raises ``RuleProblem``."""
    if isinstance(rule, AllRule | AnyRule):
        key: Literal["all", "any"] = "all" if isinstance(rule, AllRule) else "any"
        parts = [
            compile_rule(part, catalogue, (*loc, key, index))
            for index, part in enumerate(rule.all if isinstance(rule, AllRule) else rule.any)
        ]
        fields = _union(part.fields for part in parts)
        required = set(_union(part.required for part in parts))
        optional = tuple(name for name in fields if name not in required)
        joiner = " and " if key == "all" else " or "
        words = joiner.join(f"({p.words})" if p.compound else p.words for p in parts)
        evaluate = _combine(key, [part.evaluate for part in parts])
        return CompiledRule(evaluate, fields, words, compound=len(parts) > 1, optional=optional)
    if isinstance(rule, NotRule):
        inner = compile_rule(rule.not_, catalogue, (*loc, "not"))
        return CompiledRule(
            _negate(inner.evaluate), inner.fields, f"not ({inner.words})", optional=inner.optional
        )
    if isinstance(rule, UnlessRule):
        inner = compile_rule(rule.unless, catalogue, (*loc, "unless"))
        labels = ", ".join(catalogue.by_id[name].label for name in inner.fields)
        return CompiledRule(
            _unless(inner.evaluate, labels),
            inner.fields,
            f"unless ({inner.words})",
            optional=inner.fields,
        )
    return _compile_comparison(rule, catalogue, loc)


def _union(groups: Any) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for name in group:
            seen.setdefault(name, None)
    return tuple(seen)


def _combine(key: Literal["all", "any"], parts: list[Evaluator]) -> Evaluator:
    combine = kleene_and if key == "all" else kleene_or

    def evaluate(answers: Answers) -> Finding:
        findings = [part(answers) for part in parts]
        outcome = combine(f.outcome for f in findings)
        reasons = tuple(r for f in findings if f.outcome is outcome for r in f.reasons)
        if outcome is not Outcome.UNKNOWN:
            return Finding(outcome, reasons)
        open_ = [f for f in findings if f.outcome is Outcome.UNKNOWN]
        unknown = _union(f.unknown_fields for f in open_)
        return Finding(outcome, reasons, unknown, _union(f.imprecise for f in open_))

    return evaluate


def _negate(inner: Evaluator) -> Evaluator:
    def evaluate(answers: Answers) -> Finding:
        finding = inner(answers)
        return Finding(
            kleene_not(finding.outcome), finding.reasons, finding.unknown_fields, finding.imprecise
        )

    return evaluate


def _unless(inner: Evaluator, labels: str) -> Evaluator:
    def evaluate(answers: Answers) -> Finding:
        finding = inner(answers)
        if finding.outcome is Outcome.MET:
            return Finding(Outcome.NOT_MET, tuple(f"{r} (rules it out)" for r in finding.reasons))
        if finding.outcome is Outcome.NOT_MET:
            return Finding(Outcome.MET, finding.reasons)
        return Finding(Outcome.MET, (f"{labels}: no answer, which does not rule it out",))

    return evaluate


def _compile_comparison(rule: Comparison, catalogue: Catalogue, loc: Location) -> CompiledRule:
    field = catalogue.get(rule.field)
    if field is None:
        raise RuleProblem(f"unknown field {rule.field!r}", (*loc, "field"))
    name = rule.operator
    spec = operator(name)
    if field.type not in spec.types:
        allowed = ", ".join(t.value for t in spec.types)
        raise RuleProblem(
            f"operator {name!r} does not fit field {field.id!r} of type "
            f"{field.type.value} (it applies to {allowed})",
            (*loc, name),
        )
    return spec.compile(field, rule.operand, (*loc, name))


# --- the operators ----------------------------------------------------------------------------

OperatorCompiler = Callable[[Field, object, Location], CompiledRule]
"""Compiles one comparison: the field (of a type the operator applies to), the operand as
the file gives it, and the operand's location (for a ``RuleProblem``)."""


@dataclass(frozen=True, slots=True)
class Operator:
    """A comparison operator: what it means, the field types it applies to, how it compiles.

    ``example`` is a rule using it (on a field of the bundled catalogue); ``passing`` holds
    answers, as a profile file gives them, that meet it, and ``failing`` answers that do not.
    """

    meaning: str
    types: tuple[FieldType, ...]
    compile: OperatorCompiler
    example: Mapping[str, object]
    passing: Mapping[str, object]
    failing: Mapping[str, object]


class UnknownOperator(LookupError):
    """An operator name the registry lacks: a bug (the rule model admits only known names)."""


def operator(name: str) -> Operator:
    """The operator named ``name``; raises ``UnknownOperator`` for a name not registered."""
    found = OPERATORS.get(name)
    if found is None:
        raise UnknownOperator(f"unknown operator {name!r} (known: {', '.join(OPERATORS)})")
    return found


def _compile_equals(field: Field, operand: object, loc: Location) -> CompiledRule:
    return _equality(field, _expect_value(field, operand, loc))


def _compile_in(field: Field, operand: object, loc: Location) -> CompiledRule:
    return _membership(field, _expect_choices(field, operand, loc), many=False)


def _compile_contains(field: Field, operand: object, loc: Location) -> CompiledRule:
    return _membership(field, frozenset({_expect_choice(field, operand, loc)}), many=True)


def _compile_contains_any(field: Field, operand: object, loc: Location) -> CompiledRule:
    return _membership(field, _expect_choices(field, operand, loc), many=True)


def _compile_gte(field: Field, operand: object, loc: Location) -> CompiledRule:
    assert isinstance(operand, int)
    return _bound(field, operand, at_least=True)


def _compile_lte(field: Field, operand: object, loc: Location) -> CompiledRule:
    assert isinstance(operand, int)
    return _bound(field, operand, at_least=False)


def _expect_choices(field: Field, raw: object, loc: Location) -> frozenset[str]:
    assert isinstance(raw, list)
    return frozenset(_expect_choice(field, item, (*loc, i)) for i, item in enumerate(raw))


def _expect_choice(field: Field, raw: object, loc: Location) -> str:
    if isinstance(raw, str) and raw in field.choice_ids:
        return raw
    raise RuleProblem(
        f"unknown choice {raw!r} for field {field.id!r} (choices: {', '.join(field.choice_ids)})",
        loc,
    )


def _expect_value(field: Field, raw: object, loc: Location) -> Value:
    if field.type is FieldType.ONE_OF:
        return _expect_choice(field, raw, loc)
    try:
        value = parse_value(field, raw)
    except ValueProblem as problem:
        raise RuleProblem(f"value does not fit field {field.id!r}: {problem}", loc) from None
    if value is None:
        raise RuleProblem(f"a rule cannot compare field {field.id!r} with an unknown value", loc)
    return value


class NoAnswer(str):
    """The reason a comparison is unknown for want of an answer: the words, and the field (so
    the engine can word the reason anew for an answer that was given but could not be read)."""

    field_id: str

    def __new__(cls, field: Field) -> "NoAnswer":
        """“no answer to <the field's question>”."""
        made = super().__new__(cls, f"no answer to “{field.question}”")
        made.field_id = field.id
        return made


class AboutAnswer(str):
    """A reason that quotes the answer to one field, with that field (so the engine can say
    when the answer is the hub's statement rather than the applicant's)."""

    field_id: str

    def __new__(cls, text: str, field_id: str) -> "AboutAnswer":
        """``text``, about the answer to ``field_id``."""
        made = super().__new__(cls, text)
        made.field_id = field_id
        return made


def _no_answer(field: Field) -> Finding:
    return Finding(Outcome.UNKNOWN, (NoAnswer(field),), (field.id,))


def _membership(field: Field, wanted: frozenset[str], *, many: bool) -> CompiledRule:
    """``in`` (``many`` false: the one answer is one of ``wanted``), or ``contains`` and
    ``contains_any`` (``many``: the answers include one of ``wanted``)."""
    names = " or ".join(field.label_of(c) for c in field.choice_ids if c in wanted)
    words = f"{field.label} includes {names}" if many else f"{field.label} is {names}"
    fid = field.id

    def evaluate(answers: Answers) -> Finding:
        value = answers.get(fid)
        if value is None:
            return _no_answer(field)
        hit = bool(wanted & value) if many and isinstance(value, frozenset) else value in wanted
        shown = display(field, value)
        if hit:
            return Finding(Outcome.MET, (AboutAnswer(f"{field.label}: {shown}", fid),))
        return Finding(
            Outcome.NOT_MET, (AboutAnswer(f"{field.label}: {shown} (needs {names})", fid),)
        )

    return CompiledRule(evaluate, (fid,), words, compound=len(wanted) > 1)


def _bound(field: Field, limit: int, *, at_least: bool) -> CompiledRule:
    """``gte`` (``at_least``) or ``lte``: a whole number, or a range of them, against a limit."""
    words = (
        f"{field.label} is at least {limit}" if at_least else f"{field.label} is at most {limit}"
    )
    fid = field.id

    def evaluate(answers: Answers) -> Finding:
        value = answers.get(fid)
        if value is None:
            return _no_answer(field)
        low, high = (value.low, value.high) if isinstance(value, YearsRange) else (value, value)
        assert isinstance(low, int) and (high is None or isinstance(high, int))
        shown = f"{field.label}: {display(field, value)}"
        if at_least:
            if low >= limit:
                return Finding(Outcome.MET, (AboutAnswer(shown, fid),))
            if high is not None and high < limit:
                needs = f"{shown} (needs at least {limit})"
                return Finding(Outcome.NOT_MET, (AboutAnswer(needs, fid),))
        else:
            if high is not None and high <= limit:
                return Finding(Outcome.MET, (AboutAnswer(shown, fid),))
            if low > limit:
                needs = f"{shown} (needs at most {limit})"
                return Finding(Outcome.NOT_MET, (AboutAnswer(needs, fid),))
        return _too_vague(shown, words, fid, field.derived is not None)

    return CompiledRule(evaluate, (fid,), words)


def _too_vague(shown: str, words: str, fid: str, derived: bool) -> Finding:
    """Unknown: the answer was given, but its readings decide ``words`` both ways."""
    more = "a more exact date" if derived else "a more exact number"
    reason = AboutAnswer(f"{shown}, which cannot settle “{words}”: give {more}", fid)
    return Finding(Outcome.UNKNOWN, (reason,), (fid,), (fid,))


def _equality(field: Field, expected: Value) -> CompiledRule:
    shown_expected = display(field, expected)
    words = f"{field.label} is {shown_expected}"
    fid = field.id

    def evaluate(answers: Answers) -> Finding:
        value = answers.get(fid)
        if value is None:
            return _no_answer(field)
        shown = f"{field.label}: {display(field, value)}"
        if isinstance(value, YearsRange) and isinstance(expected, int):
            # A number known within bounds equals the value only if the bounds say so.
            if value.low <= expected and (value.high is None or expected <= value.high):
                return _too_vague(shown, words, fid, field.derived is not None)
        elif value == expected:
            return Finding(Outcome.MET, (AboutAnswer(shown, fid),))
        return Finding(Outcome.NOT_MET, (AboutAnswer(f"{shown} (needs {shown_expected})", fid),))

    return CompiledRule(evaluate, (fid,), words)


_NUMBER = (FieldType.WHOLE_NUMBER,)
_MANY = (FieldType.MANY_OF,)

#: Every comparison operator by the name a rule gives it, in the order messages list them.
OPERATORS: dict[str, Operator] = {
    "equals": Operator(
        "the answer is the value",
        (FieldType.YES_NO, FieldType.ONE_OF, FieldType.WHOLE_NUMBER, FieldType.TEXT),
        _compile_equals,
        example={"field": "qualified_status", "equals": "qts"},
        passing={"qualified_status": "qts"},
        failing={"qualified_status": "qtls"},
    ),
    "in": Operator(
        "the answer is one of the choices",
        (FieldType.ONE_OF,),
        _compile_in,
        example={"field": "school_type", "in": ["primary", "infant", "junior"]},
        passing={"school_type": "infant"},
        failing={"school_type": "secondary"},
    ),
    "gte": Operator(
        "the number is at least the limit",
        _NUMBER,
        _compile_gte,
        example={"field": "years_teaching_primary_maths", "gte": 4},
        passing={"years_teaching_primary_maths": 4},
        failing={"years_teaching_primary_maths": 3},
    ),
    "lte": Operator(
        "the number is at most the limit",
        _NUMBER,
        _compile_lte,
        example={"field": "years_teaching_primary_maths", "lte": 10},
        passing={"years_teaching_primary_maths": 10},
        failing={"years_teaching_primary_maths": 11},
    ),
    "contains": Operator(
        "the answers include the choice",
        _MANY,
        _compile_contains,
        example={"field": "additional_status", "contains": "mast"},
        passing={"additional_status": ["maths_sle", "mast"]},
        failing={"additional_status": ["maths_sle"]},
    ),
    "contains_any": Operator(
        "the answers include at least one of the choices",
        _MANY,
        _compile_contains_any,
        example={"field": "additional_status", "contains_any": ["maths_sle", "mast"]},
        passing={"additional_status": ["lead_practitioner", "mast"]},
        failing={"additional_status": ["none"]},
    ),
}

if set(OPERATORS) != set(_ATTRS):  # the rule model and the registry must name the same ones
    raise RuntimeError(
        f"comparison keys {sorted(_ATTRS)} differ from the operators {sorted(OPERATORS)}"
    )


__all__ = [
    "OPERATORS",
    "AboutAnswer",
    "AllRule",
    "Answers",
    "AnyRule",
    "Comparison",
    "CompiledRule",
    "DateRange",
    "Finding",
    "NoAnswer",
    "NotRule",
    "Operator",
    "OperatorCompiler",
    "Rule",
    "RuleProblem",
    "UnknownOperator",
    "UnlessRule",
    "compile_rule",
    "operator",
]
