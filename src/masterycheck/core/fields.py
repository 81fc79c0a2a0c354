"""The catalogue of profile fields shared by every programme.

Each field is one thing a teacher can be asked: its type, the question as a person would be
asked it, help text, choices, and the column headings a form export may use for it.
"""

# No ``from __future__ import annotations``: pydantic would evaluate every field's annotation
# from its text as each model class is made, which costs a third of making the class.

import re
from enum import StrEnum
from functools import cached_property

from pydantic import Field as PydanticField
from pydantic import model_validator

from masterycheck.core.model_base import (
    Identifier,
    NonEmptyText,
    SchemaVersion,
    StrictModel,
    no_items,
)
from masterycheck.core.vocabulary import CountedTo


class FieldType(StrEnum):
    """The type of a profile field's answer."""

    YES_NO = "yes_no"
    WHOLE_NUMBER = "whole_number"
    DATE = "date"
    ONE_OF = "one_of"
    MANY_OF = "many_of"
    TEXT = "text"


FIELD_TYPE_WORDS: dict[FieldType, str] = {
    FieldType.YES_NO: "yes/no",
    FieldType.WHOLE_NUMBER: "whole number",
    FieldType.DATE: "date or year",
    FieldType.ONE_OF: "one of",
    FieldType.MANY_OF: "any of",
    FieldType.TEXT: "text",
}


class Choice(StrictModel):
    """One allowed answer of a one-of or many-of field."""

    id: Identifier
    label: NonEmptyText
    spellings: list[NonEmptyText] = PydanticField(
        default_factory=no_items,
        description="Other ways a form or a person may write this answer (case and "
        "punctuation are ignored when matching).",
    )
    only_for: list[Identifier] = PydanticField(
        default_factory=no_items,
        description="Programme ids this choice is offered for in an interview (empty: all); a "
        "profile or export may still give it.",
    )
    means_none: bool = PydanticField(
        default=False,
        description="This choice says 'none of these' / 'no': a form's answer of it counts "
        "as a 'no' answer (not a blank) in screening's data-quality counts.",
    )


class Derivation(StrictModel):
    """How a derived field is computed from another field."""

    years_since: Identifier = PydanticField(
        description="A date field; the derived value is the number of whole years from it "
        "to the programme's reference date (or its closing date: see counted_to)."
    )
    counted_to: CountedTo = PydanticField(
        default=CountedTo.REFERENCE_DATE,
        description="The programme date the years are counted to: reference_date (default) or "
        "closing_date (a programme that uses such a field must publish a closing_date).",
    )


class Field(StrictModel):
    """One profile field."""

    id: Identifier
    label: NonEmptyText = PydanticField(description="A short name for reports, e.g. 'QTS'.")
    type: FieldType
    question: NonEmptyText
    help: str = ""
    choices: list[Choice] = PydanticField(default_factory=no_items)
    headings: list[NonEmptyText] = PydanticField(
        default_factory=no_items,
        description="Accepted spellings of a form export's column heading for this field.",
    )
    derived: Derivation | None = None
    minimum: int | None = None
    maximum: int | None = None
    personal: bool = PydanticField(
        default=False, description="Personal data (name, email, free text): redacted on request."
    )

    @model_validator(mode="after")
    def _choices_fit_type(self) -> "Field":
        has_choices = self.type in (FieldType.ONE_OF, FieldType.MANY_OF)
        if has_choices and not self.choices:
            raise ValueError(f"a {self.type.value} field needs choices")
        if not has_choices and self.choices:
            raise ValueError(f"a {self.type.value} field cannot have choices")
        ids = [choice.id for choice in self.choices]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate choice id {duplicates[0]!r}")
        if self.derived is not None and self.type is not FieldType.WHOLE_NUMBER:
            raise ValueError("only a whole_number field can be derived")
        if (self.minimum is not None or self.maximum is not None) and (
            self.type is not FieldType.WHOLE_NUMBER
        ):
            raise ValueError("minimum and maximum apply to whole_number fields only")
        return self

    def offered_for(self, programmes: frozenset[str]) -> "Field":
        """This field with only the choices offered for any of ``programmes`` (itself when
        every choice is)."""
        kept = [c for c in self.choices if not c.only_for or programmes & set(c.only_for)]
        if len(kept) == len(self.choices) or not kept:
            return self
        return Field.model_validate(
            {**{name: getattr(self, name) for name in Field.model_fields}, "choices": kept}
        )

    @cached_property
    def none_choices(self) -> frozenset[str]:
        """The choices that say 'none of these' / 'no' (``means_none`` in the catalogue)."""
        return frozenset(c.id for c in self.choices if c.means_none)

    @cached_property
    def choice_ids(self) -> tuple[str, ...]:
        """The ids of this field's choices, in order."""
        return tuple(choice.id for choice in self.choices)

    @cached_property
    def choice_lookup(self) -> dict[str, str]:
        """Normalised id, label and spellings of every choice, mapped to the choice id."""
        lookup: dict[str, str] = {}
        for choice in self.choices:
            for spelling in (choice.id, choice.label, *choice.spellings):
                lookup.setdefault(normalise(spelling), choice.id)
        return lookup

    def label_of(self, choice_id: str) -> str:
        """The label of a choice id (the id itself if unknown)."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice.label
        return choice_id


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Case- and punctuation-insensitive form of a heading or answer, for matching."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


class OpeningCondition(StrictModel):
    """Ask an opening question only when an earlier answer is one of some choices."""

    field: Identifier
    in_: list[Identifier] = PydanticField(alias="in", min_length=1)


class OpeningQuestion(StrictModel):
    """A question the interview asks first when no programme is named (where and what the
    teacher teaches), before the questions each programme's criteria need."""

    field: Identifier
    when: OpeningCondition | None = None


class Catalogue(StrictModel):
    """The profile fields every programme's rules may refer to."""

    schema_version: SchemaVersion = 1
    fields: list[Field]
    opening_questions: list[OpeningQuestion] = PydanticField(
        default_factory=no_items,
        description="Asked first, in order, when a teacher names no programme; each only if "
        "a programme reads it (and its `when` holds).",
    )
    synonyms: list[list[NonEmptyText]] = PydanticField(
        default_factory=no_items,
        description="Groups of words or phrases a form may use for the same thing (the first "
        "of each group stands for all of them), for matching a form export's headings and "
        "answers to fields and choices: e.g. [qts, qualified teacher]. Matched ignoring case "
        "and punctuation, as whole words.",
    )

    @model_validator(mode="after")
    def _ids_unique_and_derivations_resolve(self) -> "Catalogue":
        seen: set[str] = set()
        for field in self.fields:
            if field.id in seen:
                raise ValueError(f"duplicate field id {field.id!r}")
            seen.add(field.id)
        by_id = {field.id: field for field in self.fields}
        for field in self.fields:
            if field.derived is not None:
                source = by_id.get(field.derived.years_since)
                if source is None or source.type is not FieldType.DATE:
                    raise ValueError(
                        f"field {field.id!r}: years_since must name a date field, "
                        f"not {field.derived.years_since!r}"
                    )
        for question in self.opening_questions:
            if question.field not in by_id:
                raise ValueError(f"opening question: unknown field {question.field!r}")
            when = question.when
            if when is None:
                continue
            condition = by_id.get(when.field)
            if condition is None:
                raise ValueError(f"opening question: unknown field {when.field!r}")
            unknown = [c for c in when.in_ if c not in condition.choice_ids]
            if unknown:
                raise ValueError(
                    f"opening question: {unknown[0]!r} is not a choice of {when.field!r}"
                )
        return self

    @cached_property
    def by_id(self) -> dict[str, Field]:
        """Fields by id."""
        return {field.id: field for field in self.fields}

    def get(self, field_id: str) -> Field | None:
        """The field with this id, or None."""
        return self.by_id.get(field_id)

    @cached_property
    def answerable(self) -> tuple[Field, ...]:
        """The fields a person answers (not derived)."""
        return tuple(field for field in self.fields if field.derived is None)
