"""What a column's answers look like, and how well a column fits each field.

A column is scored against a field by its heading (the weighted share of the heading's words
that the field's question, label, headings, help and choices have, and how much of the
field's own wording the heading has) and by its answers (dates for a date field, numbers of
years for a count, yes and no for a yes/no field, and, most telling, the share of answers
that are the choices of a one-of or many-of field). The best assignment of columns to fields
is then chosen over all columns at once (``assign``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from masterycheck.batch.many_of_answers import split_many
from masterycheck.batch.proposal.choices import ChoicePlacer, parts
from masterycheck.batch.proposal.words import STOP_WORDS, Vocabulary, Weights, coverage, stem
from masterycheck.core.answers import ValueProblem, is_unknown, parse_value
from masterycheck.core.fields import Catalogue, Field, FieldType, normalise
from masterycheck.files.mapping_file import SplitStyle, field_options

LONG_ANSWER = 80  # an answer this long marks a free-text column
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NAME = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Za-z][\w'’.-]*){1,3}$")
_YES_NO = frozenset({"yes", "no", "y", "n"})
_WORD = re.compile(r"[^\W\d_][\w'’]*")
_DOC_WEIGHTS = {"question": 1.0, "label": 1.0, "heading": 1.0, "id": 0.8, "help": 0.5}
_CHOICE_WEIGHT = 0.5
_JUDGED_ANSWERS = 40  # distinct answers looked at to score a column against a choice field


@dataclass
class ColumnFacts:
    """What one column's sampled answers look like (shares of its answered cells)."""

    answers: Counter[str]
    answered: int = 0
    email: float = 0.0
    anonymous: float = 0.0
    names: float = 0.0
    long: float = 0.0
    yes_no: float = 0.0
    dates: float = 0.0
    counts: float = 0.0
    proper: float = 0.0  # answers naming something: "Oakfield Primary", "Riverside College"
    split: SplitStyle | None = None
    distinct: int = 0
    many: bool = False  # several options ticked in one cell ("KS3;KS4;", "KS3, KS4")

    @cached_property
    def common(self) -> Counter[str]:
        """The most common answers, enough to judge which field the column is."""
        return Counter(dict(self.answers.most_common(_JUDGED_ANSWERS)))

    @property
    def sampled(self) -> bool:
        """Whether there were answers to look at."""
        return self.answered > 0


def _has_proper_noun(text: str, known: frozenset[str]) -> bool:
    """Whether an answer has a capitalised word no field or choice uses ("Oakfield")."""
    for word in _WORD.findall(text):
        if word[0].isupper() and stem(normalise(word)) not in known:
            return True
    return False


def column_facts(
    answers: Counter[str] | None, catalogue: Catalogue, known: frozenset[str] = frozenset()
) -> ColumnFacts:
    """Describe a column from its distinct sampled answers (``known``: the words the
    catalogue's fields and choices use, so that other capitalised words are names)."""
    facts = ColumnFacts(answers or Counter())
    if not answers:
        return facts
    date_field = next((f for f in catalogue.answerable if f.type is FieldType.DATE), None)
    count_field = next((f for f in catalogue.answerable if f.type is FieldType.WHOLE_NUMBER), None)
    shares: Counter[str] = Counter()
    for answer, times in answers.items():
        text = answer.strip()
        if is_unknown(text):
            continue
        facts.answered += times
        facts.distinct += 1
        if text.casefold() == "anonymous":
            shares["anonymous"] += times
        if _EMAIL.match(text):
            shares["email"] += times
        if _NAME.match(text) and not any(ch.isdigit() for ch in text):
            shares["names"] += times
        if len(text) >= LONG_ANSWER:
            shares["long"] += times
        if normalise(text) in _YES_NO:
            shares["yes_no"] += times
        if (date_field is not None and _reads(date_field, text) and not text.isdigit()) or (
            text.isdigit() and len(text) == 4
        ):
            shares["dates"] += times
        elif known and _has_proper_noun(text, known):
            shares["proper"] += times
        if count_field is not None and _reads(count_field, text):
            shares["counts"] += times
        if text.endswith(";") or ";" in text or ", " in text:
            shares["many"] += times
    total = max(facts.answered, 1)
    facts.email = shares["email"] / total
    facts.anonymous = shares["anonymous"] / total
    facts.names = shares["names"] / total
    facts.long = shares["long"] / total
    facts.yes_no = shares["yes_no"] / total
    facts.dates = shares["dates"] / total
    facts.counts = shares["counts"] / total
    facts.proper = shares["proper"] / total
    facts.many = shares["many"] > 0
    if any(";" in a for a in answers):
        facts.split = "semicolon"
    elif any(", " in a for a in answers):
        facts.split = "comma"
    return facts


def _reads(field: Field, text: str) -> bool:
    try:
        return parse_value(field, text) is not None
    except ValueProblem:
        return False


def answer_parts(field: Field, answers: Counter[str], split: SplitStyle | None) -> Counter[str]:
    """The answers of a column as a field reads them: whole, or cut into ticked options."""
    found: Counter[str] = Counter()
    for answer, times in answers.items():
        if is_unknown(answer):
            continue
        if split is None:
            found[answer.strip()] += times
            continue
        matched, leftovers = split_many(answer, field_options(field), split)
        for part in (*matched, *leftovers):
            if part.strip():
                found[part.strip()] += times
    return found


@dataclass
class FieldIndex:
    """Each field's wording, as words, and how telling each word is among the fields."""

    catalogue: Catalogue
    vocabulary: Vocabulary
    bags: dict[str, dict[str, float]] = field(default_factory=dict)
    documents: dict[str, list[list[str]]] = field(default_factory=dict)
    weights: Weights = field(default_factory=lambda: Weights([]))

    @classmethod
    def build(cls, catalogue: Catalogue, vocabulary: Vocabulary) -> FieldIndex:
        """Index every answerable field of ``catalogue``."""
        index = cls(catalogue, vocabulary)
        for item in catalogue.answerable:
            bag: dict[str, float] = {}
            documents: list[list[str]] = []

            def add(
                text: str,
                weight: float,
                *,
                main: bool,
                bag: dict[str, float] = bag,
                documents: list[list[str]] = documents,
            ) -> None:
                words = vocabulary.words(text)
                for word in words:
                    bag[word] = max(bag.get(word, 0.0), weight)
                if main and words:
                    documents.append(words)

            add(item.question, _DOC_WEIGHTS["question"], main=True)
            add(item.label, _DOC_WEIGHTS["label"], main=True)
            for heading in item.headings:
                add(heading, _DOC_WEIGHTS["heading"], main=True)
            add(item.id.replace("_", " "), _DOC_WEIGHTS["id"], main=False)
            add(item.help, _DOC_WEIGHTS["help"], main=False)
            for choice in item.choices:
                for text in (choice.label, *choice.spellings, *parts(choice.label)):
                    add(text, _CHOICE_WEIGHT, main=False)
            index.bags[item.id] = bag
            index.documents[item.id] = documents
        index.weights = Weights(index.bags.values())
        return index

    @cached_property
    def type_counts(self) -> Counter[FieldType]:
        """How many answerable fields there are of each type."""
        return Counter(item.type for item in self.catalogue.answerable)

    @property
    def known_words(self) -> frozenset[str]:
        """Every word the fields' wording uses, and the words that say nothing."""
        return frozenset(
            {w for bag in self.bags.values() for w in bag}
            | {p for phrase in self.vocabulary.phrases for p in phrase}
            | STOP_WORDS
        )

    def heading_score(self, heading: str, field_id: str) -> float:
        """How well a heading's words fit a field's wording, 0 to 1."""
        words = set(self.vocabulary.words(heading))
        if not words:
            return 0.0
        bag = self.bags[field_id]
        total = sum(self.weights(w) for w in words)
        precision = sum(self.weights(w) * bag.get(w, 0.0) for w in words) / total
        recall = max(
            (coverage(doc, words, self.weights) for doc in self.documents[field_id]),
            default=0.0,
        )
        if normalise(heading) in {normalise(h) for h in self._spellings(field_id)}:
            return 1.0
        return 0.6 * precision + 0.4 * recall

    def _spellings(self, field_id: str) -> list[str]:
        item = self.catalogue.by_id[field_id]
        return [*item.headings, item.question, item.label, item.id]


@dataclass(frozen=True)
class Fit:
    """How one column fits one field."""

    score: float
    heading: float
    content: float  # 0 to 1; 1 when nothing was sampled
    placed: float  # share of answers placed among the field's choices (choice fields)


def fit(
    heading: str, facts: ColumnFacts, item: Field, index: FieldIndex, placer: ChoicePlacer | None
) -> Fit:
    """Score one column against one field (see the module's docstring)."""
    words = index.heading_score(heading, item.id)
    if not facts.sampled:
        return Fit(words, words, 1.0, 0.0)
    if facts.long >= 0.5 or facts.email >= 0.5 or facts.anonymous >= 0.5:
        return Fit(0.0, words, 0.0, 0.0)
    if facts.proper >= 0.5:  # names of schools or people: not a choice, a date or a count
        return Fit(words * 0.3, words, 0.0, 0.0)
    placed = 0.0
    kind = item.type
    if kind is FieldType.YES_NO:
        content = facts.yes_no
        if content < 0.5 and placer is None:
            content = min(0.4, 1.0 - facts.dates - facts.counts) if facts.distinct <= 4 else 0.0
    elif kind is FieldType.DATE:
        content = facts.dates
    elif kind is FieldType.WHOLE_NUMBER:
        content = facts.counts if facts.dates < 0.5 or facts.counts > facts.dates else 0.0
    elif kind in (FieldType.ONE_OF, FieldType.MANY_OF):
        assert placer is not None
        split = facts.split if kind is FieldType.MANY_OF else None
        pieces = answer_parts(item, facts.common, split)
        total = sum(pieces.values())
        hits = sum(t for a, t in pieces.items() if normalise(a) not in _YES_NO and placer.place(a))
        placed = hits / total if total else 0.0
        yes_no = facts.yes_no if placer.named_choice or item.none_choices else 0.0
        content = max(placed, 0.6 * yes_no)
        if kind is FieldType.ONE_OF and facts.many and facts.split == "semicolon":
            content *= 0.5
    else:
        content = 1.0 - facts.long
    score = words * (0.3 + 0.7 * content) + 0.6 * placed
    if kind in (FieldType.DATE, FieldType.WHOLE_NUMBER):
        # dates and counts of years are told apart from other answers by their form: the
        # fewer fields of that type, the more the form alone says which field it is
        score += 0.35 * content / max(index.type_counts[kind], 1)
    return Fit(score, words, content, placed)


def assign(scores: Sequence[Sequence[float]]) -> list[int | None]:
    """The assignment of rows (columns) to distinct fields with the largest total score.

    ``scores[r][f]`` is row r's score for field f (0 for "not this field"); each row gets at
    most one field and each field at most one row. Returns each row's field index, or None.
    (The Hungarian method, on the square matrix padded with zeros.)
    """
    rows = len(scores)
    cols = len(scores[0]) if rows else 0
    size = max(rows, cols)
    if size == 0:
        return []
    top = max((v for row in scores for v in row), default=0.0)
    cost = [
        [top - (scores[r][c] if r < rows and c < cols else 0.0) for c in range(size)]
        for r in range(size)
    ]
    inf = float("inf")
    u = [0.0] * (size + 1)
    v = [0.0] * (size + 1)
    owner = [0] * (size + 1)  # owner[c] = row (1-based) holding column c
    way = [0] * (size + 1)
    for r in range(1, size + 1):
        owner[0] = r
        c0 = 0
        least = [inf] * (size + 1)
        used = [False] * (size + 1)
        while True:
            used[c0] = True
            r0 = owner[c0]
            delta = inf
            c1 = 0
            for c in range(1, size + 1):
                if used[c]:
                    continue
                current = cost[r0 - 1][c - 1] - u[r0] - v[c]
                if current < least[c]:
                    least[c] = current
                    way[c] = c0
                if least[c] < delta:
                    delta = least[c]
                    c1 = c
            for c in range(size + 1):
                if used[c]:
                    u[owner[c]] += delta
                    v[c] -= delta
                else:
                    least[c] -= delta
            c0 = c1
            if owner[c0] == 0:
                break
        while c0:
            c1 = way[c0]
            owner[c0] = owner[c1]
            c0 = c1
    result: list[int | None] = [None] * rows
    for c in range(1, size + 1):
        r = owner[c] - 1
        if 0 <= r < rows and c - 1 < cols and scores[r][c - 1] > 0:
            result[r] = c - 1
    return result
