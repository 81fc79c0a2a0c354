"""A teacher's profile: their answers, read and typed against the field catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from masterycheck.core.answers import Value, ValueProblem, parse_value, to_plain
from masterycheck.core.fields import Catalogue
from masterycheck.core.problems import Problem


class ProfileProblem(Problem):
    """An answer that cannot be read; ``field_id`` names the profile key at fault (and
    ``loc`` is that key, inside the profile's answers)."""

    def __init__(self, field_id: str, message: str) -> None:
        super().__init__(message, (field_id,))
        self.field_id = field_id


@dataclass(frozen=True)
class Profile:
    """Typed answers by field id (an unknown answer is absent), and data-quality notes.

    ``unreadable`` maps the fields whose answer was given but could not be read (read
    leniently, as unknown) to that answer as given: absent from ``answers`` like any unknown
    answer, and shown in the results (quoted with ``answers.shown_answer``).
    """

    answers: dict[str, Value] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    unreadable: Mapping[str, str] = field(default_factory=dict)

    def with_answers(self, more: Mapping[str, Value | None]) -> Profile:
        """A copy with ``more`` answers set (None removes an answer: it becomes unknown)."""
        answers = dict(self.answers)
        for key, value in more.items():
            if value is None:
                answers.pop(key, None)
            else:
                answers[key] = value
        unreadable = {k: v for k, v in self.unreadable.items() if k not in more}
        return Profile(answers, self.notes, unreadable)

    def to_plain(self) -> dict[str, object]:
        """The answers as plain data that ``read_profile`` reads back to the same profile."""
        return {key: to_plain(value) for key, value in self.answers.items()}


def read_answer(catalogue: Catalogue, field_id: str, raw: object) -> Value | None:
    """Read one raw answer for ``field_id``; raises ``ProfileProblem``."""
    found = catalogue.get(field_id)
    if found is None:
        shown = field_id if len(field_id) <= 60 else field_id[:57] + "..."
        raise ProfileProblem(field_id, f"unknown field {shown!r}{_suggest(catalogue, field_id)}")
    if found.derived is not None:
        raise ProfileProblem(
            field_id,
            f"{field_id!r} is computed from {found.derived.years_since!r}; answer that instead",
        )
    try:
        return parse_value(found, raw)
    except ValueProblem as problem:
        raise ProfileProblem(field_id, f"{field_id}: {problem}") from None


def read_profile(
    catalogue: Catalogue, raw: Mapping[str, object], *, lenient: bool = False
) -> Profile:
    """Read a mapping of field id to raw answer into a typed profile.

    With ``lenient``, an answer of the wrong type becomes unknown with a data-quality note
    instead of an error. Unknown field ids are always errors (a typo must not pass unseen).
    """
    answers: dict[str, Value] = {}
    notes: list[str] = []
    unreadable: dict[str, str] = {}
    for key, value in raw.items():
        try:
            typed = read_answer(catalogue, key, value)
        except ProfileProblem as problem:
            if not lenient or catalogue.get(key) is None or problem.field_id != key:
                raise
            notes.append(f"{key}: unreadable answer treated as unknown ({problem})")
            unreadable[key] = str(value)
            continue
        if typed is not None:
            answers[key] = typed
    return Profile(answers, tuple(notes), unreadable)


def _suggest(catalogue: Catalogue, field_id: str) -> str:
    import difflib

    close = difflib.get_close_matches(field_id, list(catalogue.by_id), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
