"""Placing a form's answers among a field's choices, as a hub lead would read them.

In order, the first that decides: the catalogue's own spellings (``parse_value``); a part of
the answer cut at brackets, dashes, slashes and "and" ("Academy (primary)", "No - QTLS"),
a part that says only yes or no last; school years ("Year 4") read against the years a
choice's label names ("Key Stage 2 (Years 3-6)"); an age range ("11-16") read as a phase of
school; word overlap with the choices' labels and spellings; a plain "yes" to a question that
names one choice ("Are you the maths subject leader?"), "no" to its none choice. An answer
none of these places is left unplaced, for a person to decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property

from masterycheck.batch.proposal.words import Vocabulary, Weights, coverage
from masterycheck.core.answers import ValueProblem, parse_value
from masterycheck.core.fields import Field, FieldType, normalise

_PARTS = re.compile(r"\s*(?:[()\[\]/|:;]|\s[-–—]\s|\band\b|\s&\s|,)\s*", re.IGNORECASE)
_SCHOOL_YEAR = re.compile(r"^(?:year|yr|y)\s*(\d{1,2})$")
_YEARS_IN_LABEL = re.compile(r"\byears?\s+(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})", re.IGNORECASE)
_AGE_RANGE = re.compile(r"\b(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\b")
_YES = frozenset({"yes", "y"})
_NO = frozenset({"no", "n"})
# School phases by the ages a school takes (GLOSSARY: infant, junior, primary, middle,
# secondary, all-through); used only when an answer's words name no phase.
_AGE_PHASES: tuple[tuple[str, tuple[int, int], tuple[int, int]], ...] = (
    # (choice, range of the youngest age, range of the oldest age)
    ("all_through", (0, 5), (16, 19)),
    ("infant", (0, 5), (0, 7)),
    ("junior", (6, 8), (10, 11)),
    ("primary", (0, 5), (10, 11)),
    ("middle", (8, 10), (12, 14)),
    ("secondary", (11, 14), (16, 19)),
)
_OVERLAP_NEEDED = 0.6  # share of a choice's (weighted) words an answer must have
_MEMO_SIZE = 4096  # answers remembered per field


def parts(text: str) -> list[str]:
    """The parts of an answer cut at brackets, " - ", "/", ":", "," and "and"."""
    return [p.strip() for p in _PARTS.split(text) if p and p.strip()]


@dataclass
class ChoiceSet:
    """One field's choices as words, shared by every column scored against the field; the
    answers it has placed are remembered."""

    field: Field
    vocabulary: Vocabulary
    memo: dict[str, tuple[str | None, str | None]] = dataclass_field(default_factory=dict)

    @cached_property
    def lookup(self) -> dict[str, str]:
        """Normalised spellings, labels, ids, and the parts of labels -> choice id."""
        found = dict(self.field.choice_lookup)
        for choice in self.field.choices:
            for text in (choice.label, *choice.spellings):
                for part in parts(text):
                    found.setdefault(normalise(part), choice.id)
        return found

    @cached_property
    def forms(self) -> list[tuple[str, list[str]]]:
        """(choice id, words) of every label, spelling and label part; words that two choices
        share as a whole ("up to Level 2" and "A level" are both "level") say neither."""
        forms: list[tuple[str, list[str]]] = []
        owners: dict[tuple[str, ...], set[str]] = {}
        for choice in self.field.choices:
            texts = [choice.label, *choice.spellings]
            texts += [p for t in texts for p in parts(t)]
            for text in dict.fromkeys(texts):
                words = self.vocabulary.words(text)
                if words:
                    forms.append((choice.id, words))
                    key = tuple(sorted({w for w in words if not w.isdigit()}))
                    owners.setdefault(key, set()).add(choice.id)
        return [
            (choice_id, words)
            for choice_id, words in forms
            if len(owners[tuple(sorted({w for w in words if not w.isdigit()}))]) == 1
        ]

    @cached_property
    def negated_forms(self) -> list[list[str]]:
        """The words of none choices' labels ("No maths leadership role"), which name what
        they deny: never matched by word overlap."""
        return [
            self.vocabulary.words(text)
            for choice in self.field.choices
            if choice.means_none
            for text in (choice.label, *parts(choice.label))
        ]

    @cached_property
    def overlap_forms(self) -> list[tuple[str, frozenset[str], float]]:
        """(choice id, words, their total weight) of the forms word overlap may match: not
        a none choice's label ("No maths leadership role" shares the words it denies), and
        numbers left out."""
        found: list[tuple[str, frozenset[str], float]] = []
        for choice_id, form in self.forms:
            if form in self.negated_forms:
                continue
            words = frozenset(w for w in form if not w.isdigit())
            if words:
                found.append((choice_id, words, sum(self.weights(w) for w in words)))
        return found

    @cached_property
    def by_synonym(self) -> dict[str, str]:
        """A choice form that is one whole synonym phrase ("Second in department") -> its
        choice, keyed by the group's word."""
        found: dict[str, str] = {}
        for choice in self.field.choices:
            for text in (choice.label, *choice.spellings):
                key = self.vocabulary.whole_phrase(text) if len(text.split()) > 1 else None
                if key is not None:
                    found.setdefault(key, choice.id)
        return found

    @cached_property
    def weights(self) -> Weights:
        """How telling each word is among this field's choices."""
        by_choice: dict[str, set[str]] = {}
        for choice_id, words in self.forms:
            by_choice.setdefault(choice_id, set()).update(words)
        return Weights(by_choice.values())

    @cached_property
    def none_choice(self) -> str | None:
        """The choice that says "none of these", if exactly one does."""
        nones = sorted(self.field.none_choices)
        return nones[0] if len(nones) == 1 else None

    def plain(self, answer: str) -> tuple[str | None, str | None]:
        """(the choice ``answer`` means, whatever the question; else the yes or no it says)."""
        found = self.memo.get(answer)
        if found is None:
            found = self._plain(answer)
            if len(self.memo) < _MEMO_SIZE:
                self.memo[answer] = found
        return found

    def _plain(self, answer: str) -> tuple[str | None, str | None]:
        text = answer.strip()
        if not text:
            return None, None
        try:
            value = parse_value(self.field, text)
        except ValueProblem:
            value = None
        if isinstance(value, str):
            return value, None
        if isinstance(value, frozenset) and len(value) == 1:
            return next(iter(value)), None
        pieces = parts(text)
        yes_no: str | None = None
        for piece in pieces:
            key = normalise(piece)
            if key in _YES or key in _NO:
                yes_no = yes_no or key
                continue
            synonym = self.vocabulary.whole_phrase(piece) if len(key.split()) > 1 else None
            found = (
                self.lookup.get(key)
                or (self.by_synonym.get(synonym) if synonym else None)
                or self._school_year(key)
            )
            if found is not None:
                return found, None
        for piece in [text, *pieces] if len(pieces) > 1 else [text]:
            found = self._by_overlap(piece)
            if found is not None:
                return found, None
        found = self._by_ages(text)
        if found is not None:
            return found, None
        words = self.vocabulary.words(text, keep_stop_words=True)
        if words and words[0] == "none" and self.none_choice is not None:
            return self.none_choice, None
        return None, yes_no

    def _school_year(self, key: str) -> str | None:
        """ "year 4" -> the choice whose label names years 3-6."""
        match = _SCHOOL_YEAR.match(key)
        if match is None:
            return None
        year = int(match.group(1))
        for choice in self.field.choices:
            span = _YEARS_IN_LABEL.search(choice.label)
            if span and int(span.group(1)) <= year <= int(span.group(2)):
                return choice.id
        return None

    def _by_ages(self, text: str) -> str | None:
        match = _AGE_RANGE.search(text)
        if match is None:
            return None
        low, high = int(match.group(1)), int(match.group(2))
        if high <= low:
            return None
        ids = set(self.field.choice_ids)
        for choice_id, (youngest, first), (oldest, last) in _AGE_PHASES:
            if choice_id in ids and youngest <= low <= first and oldest <= high <= last:
                return choice_id
        return None

    def _by_overlap(self, text: str) -> str | None:
        """The choice one of whose forms the answer's words cover best, if clearly best.

        Ties go to the choice whose words come first in the answer ("Middle deemed
        secondary" is a middle school).
        """
        words = [w for w in self.vocabulary.words(text) if not w.isdigit()]
        if not words:
            return None
        weight = self.weights
        present = set(words)
        said = sum(weight(w) for w in present)
        best: dict[str, float] = {}
        for choice_id, form, total in self.overlap_forms:
            shared = sum(weight(w) for w in form & present)
            if not shared:
                continue
            # the share of the choice's words the answer has, less when the answer is mostly
            # about something else
            share = shared / total * (0.5 + 0.5 * shared / said)
            best[choice_id] = max(best.get(choice_id, 0.0), share)
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < _OVERLAP_NEEDED * 0.75:
            return None
        tied = [c for c, share in ranked if share >= ranked[0][1] - 1e-9]
        if len(tied) == 1:
            return tied[0]
        first = {c: self._first_position(c, words) for c in tied}
        order = sorted(tied, key=lambda c: first[c])
        return order[0] if first[order[0]] < first[order[1]] else None

    def _first_position(self, choice_id: str, words: list[str]) -> int:
        mine = {w for c, form in self.forms if c == choice_id for w in form}
        return next((i for i, w in enumerate(words) if w in mine), len(words))


@dataclass
class ChoicePlacer:
    """Places the answers of one column among one field's choices (see the module)."""

    field: Field
    vocabulary: Vocabulary
    heading: str = ""
    shared: ChoiceSet | None = None

    @cached_property
    def choices(self) -> ChoiceSet:
        """The field's choices (shared when given)."""
        return self.shared or ChoiceSet(self.field, self.vocabulary)

    @cached_property
    def named_choice(self) -> str | None:
        """The one choice the question names, which a plain "yes" means, if any.

        "Are you the maths subject leader?" names subject_leader: every word of one of its
        forms is in the heading, and no other choice's form is as fully there.
        """
        choices = self.choices
        if not self.heading or choices.field.type is not FieldType.ONE_OF:
            return None
        heading = set(choices.vocabulary.words(self.heading))
        best: dict[str, float] = {}
        for choice_id, words in choices.forms:
            if choice_id == choices.none_choice:
                continue
            share = coverage(words, heading, choices.weights)
            best[choice_id] = max(best.get(choice_id, 0.0), share)
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if ranked and ranked[0][1] >= 0.99 and (len(ranked) == 1 or ranked[1][1] < 0.99):
            return ranked[0][0]
        return None

    def place(self, answer: str) -> str | None:
        """The choice id ``answer`` means, or None when it cannot be placed."""
        found, yes_no = self.choices.plain(answer)
        if found is not None or yes_no is None:
            return found
        if yes_no in _NO:
            return self.choices.none_choice
        return self.named_choice
