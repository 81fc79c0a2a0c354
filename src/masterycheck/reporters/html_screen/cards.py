"""The screening report's cards as data: one ``ApplicantCard`` per input row.

``CardBuilder`` builds each card from the screening pass's own parts, redacting names,
emails, IDs and free text if asked. Rendering a card is ``card_html``'s job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from masterycheck.core.results import CriterionResult
from masterycheck.core.vocabulary import RowVerdict

if TYPE_CHECKING:
    from masterycheck.batch.screening import Evaluation, Screener

INVALID = RowVerdict.INVALID.value
ROLE_ORDER = ("name", "id", "email")
REDACTED = "(redacted)"


@dataclass(frozen=True, slots=True, eq=False)
class CardDetail:
    """What the criteria concluded for one set of answers (shared by equal answer sets)."""

    results: tuple[CriterionResult, ...]
    path: tuple[str, ...]
    problem: str | None = None  # why an invalid row could not be read


@dataclass(frozen=True, slots=True)
class ApplicantCard:
    """One input row, for its card."""

    row: int
    line: int
    rank: int
    verdict: str
    review: bool
    score: int
    detail: CardDetail
    identity: tuple[tuple[str, str], ...] = ()  # (role, value), in the order name, id, email
    statements: tuple[tuple[str, str], ...] = ()  # (column heading, free text)
    notes: tuple[str, ...] = ()


class CardBuilder:
    """Builds each row's card from the screening pass's parts, redacting if asked.

    The criteria's results (their reasons, for the card) are the screening's own: the
    ``Screener`` memoises each criterion's result on the cells that feed it, so a card takes
    the results the pass computed, and rows that share those cells share one result object.
    """

    def __init__(self, screener: Screener, *, redact: bool = False):
        """Cards for rows screened by ``screener``."""
        self.screener = screener
        self.redact = redact
        mapper = screener.mapper
        applicant: dict[str, int] = dict(mapper.applicant)
        self.roles = tuple((role, applicant[role]) for role in ROLE_ORDER if role in applicant)
        self.keep: tuple[tuple[str, int], ...] = tuple(mapper.keep)
        self._redacted = tuple((heading, REDACTED) for heading, _ in self.keep)

    def _detail(self, cells: tuple[str, ...], evaluation: Evaluation) -> CardDetail:
        if evaluation.verdict == INVALID:
            problem = evaluation.reasons[0] if evaluation.reasons else "the row could not be read"
            return CardDetail((), (), problem)
        screener = self.screener
        return CardDetail(screener.results(screener.key(cells)), evaluation.path)

    def card(
        self,
        row: int,
        line: int,
        cells: tuple[str, ...],
        evaluation: Evaluation,
        notes: tuple[str, ...],
        rank: int = 0,
    ) -> ApplicantCard:
        """The card of one screened (or invalid) row, as the screening pass gives it."""
        identity: tuple[tuple[str, str], ...] = ()
        statements: tuple[tuple[str, str], ...]
        if self.redact:
            statements = self._redacted
        else:
            size = len(cells)
            identity = tuple(
                [
                    (role, value)
                    for role, position in self.roles
                    if position < size and (value := cells[position].strip())
                ]
            )
            statements = tuple(
                [
                    (heading, value)
                    for heading, position in self.keep
                    if position < size and (value := cells[position].strip())
                ]
            )
        return ApplicantCard(
            row=row,
            line=line,
            rank=rank,
            verdict=evaluation.verdict,
            review=evaluation.review,
            score=evaluation.score,
            detail=self._detail(cells, evaluation),
            identity=identity,
            statements=statements,
            notes=notes,
        )
