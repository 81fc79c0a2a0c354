"""Words of headings and answers, for matching them to fields and choices by meaning.

Text is normalised (case and punctuation ignored), cut into words, and each word or phrase is
replaced by the word that stands for its synonym group in the catalogue (``synonyms``), after
a light stemming ("teaches" and "teaching" are "teach"). Words that say nothing about which
field is meant ("which", "do", "you", "please") are dropped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import cached_property

from masterycheck.core.fields import Catalogue, normalise

_STOP_TEXT = """a an the of in on at to for from by with and or nor if it its is are was were be
been being am do does did done have has had having you your yours i me my we us our they them
their this that these those what which who whom whose when where why how please tick select
choose all any apply applies e g eg etc currently current will would can could should may might
shall must not only just also about there here as so than then into onto up out over under
such each per via whether yes no answer question below above following one box"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_MEMO_SIZE = 65536  # texts whose words are remembered
_KEY_STAGE = re.compile(r"^ks(\d)$")
_IRREGULAR = {"taught": "teach", "children": "child", "held": "hold"}


def stem(word: str) -> str:
    """A light stem of one normalised word: plurals, -ing and -ed endings taken off."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement, shortest in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ches", "ch", 6),
        ("shes", "sh", 6),
        ("xes", "x", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("es", "e", 5),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= shortest:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + replacement
    return word


class Vocabulary:
    """The catalogue's synonym groups, applied to text."""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        """Index the groups: each phrase (stemmed words) -> the group's first phrase."""
        self.phrases: dict[tuple[str, ...], str] = {}
        for group in groups:
            if not group:
                continue
            canonical = "_".join(stem(w) for w in normalise(group[0]).split())
            for phrase in group:
                key = tuple(stem(w) for w in normalise(phrase).split())
                if key:
                    self.phrases.setdefault(key, canonical)
        self.longest = max((len(k) for k in self.phrases), default=1)
        self._memo: dict[tuple[str, bool], list[str]] = {}

    @classmethod
    def of(cls, catalogue: Catalogue) -> Vocabulary:
        """The vocabulary of a catalogue's ``synonyms``."""
        return cls(catalogue.synonyms)

    def whole_phrase(self, text: str) -> str | None:
        """The group's word when all of ``text`` is one phrase of a synonym group."""
        return self.phrases.get(tuple(stem(w) for w in normalise(text).split()))

    def words(self, text: str, *, keep_stop_words: bool = False) -> list[str]:
        """The meaningful words of ``text``, in order: stemmed, synonyms replaced.

        A key stage ("KS3") gives its own word and ``key_stage``, so "KS4 coordinator" is
        near "KS3 coordinator" while "KS3" and "KS4" stay apart.
        """
        key = (text, keep_stop_words)
        found = self._memo.get(key)
        if found is None:
            found = self._words(text, keep_stop_words=keep_stop_words)
            if len(self._memo) < _MEMO_SIZE:
                self._memo[key] = found
        return list(found)

    def _words(self, text: str, *, keep_stop_words: bool) -> list[str]:
        raw = [stem(w) for w in normalise(text).split()]
        out: list[str] = []
        at = 0
        while at < len(raw):
            for size in range(min(self.longest, len(raw) - at), 0, -1):
                found = self.phrases.get(tuple(raw[at : at + size]))
                if found is not None:
                    # the group's word, and the words as written: "release days" keeps
                    # what sets it apart from the rest of its group
                    out.append(found)
                    out += [w for w in raw[at : at + size] if w != found]
                    at += size
                    break
            else:
                word = raw[at]
                at += 1
                if word in STOP_WORDS and not keep_stop_words:
                    continue
                out.append(word)
                if _KEY_STAGE.match(word):
                    out.append("key_stage")
        return [w for w in out if keep_stop_words or w not in STOP_WORDS]


class Weights:
    """How telling each word is among a set of documents (inverse document frequency)."""

    def __init__(self, documents: Iterable[Iterable[str]]) -> None:
        """Count, for each word, the documents it appears in."""
        counts: dict[str, int] = {}
        total = 0
        for document in documents:
            total += 1
            for word in set(document):
                counts[word] = counts.get(word, 0) + 1
        self.total = max(total, 1)
        self.counts = counts
        self._memo: dict[str, float] = {}

    def __call__(self, word: str) -> float:
        """The weight of a word: high when few documents have it, 0 < w."""
        found = self._memo.get(word)
        if found is None:
            found = math.log(1.0 + self.total / (1 + self.counts.get(word, 0))) + 0.05
            if len(self._memo) < _MEMO_SIZE:
                self._memo[word] = found
        return found

    @cached_property
    def unseen(self) -> float:
        """The weight of a word no document has."""
        return self(" ")


def coverage(part: Iterable[str], whole: Iterable[str], weight: Weights) -> float:
    """The weighted share of ``part``'s words that are in ``whole`` (0 for no words)."""
    words = set(part)
    if not words:
        return 0.0
    inside = set(whole)
    total = sum(weight(w) for w in words)
    return sum(weight(w) for w in words if w in inside) / total
