"""A screening card as HTML: ``CardRenderer``, rendering each distinct part of a card once.

A card is rendered in ASCII, in three parts around its rank (known only once every row is
screened). The card sections themselves are shared with the personal report
(``reporters.html_cards``).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from masterycheck.batch.duplicates import SUPERSEDED
from masterycheck.core.engine import desirable_score
from masterycheck.core.kleene import Outcome
from masterycheck.core.programme import Level
from masterycheck.core.results import CriterionResult, DesirableScore
from masterycheck.core.vocabulary import RowVerdict
from masterycheck.reporters.html_cards import (
    VERDICT_TITLES,
    criterion_row,
    desirable_section,
    essential_section,
    evidence_section,
    is_evidence,
    path_section,
    score_chart,
)
from masterycheck.reporters.html_page import e
from masterycheck.reporters.html_screen.cards import INVALID, ApplicantCard, CardDetail
from masterycheck.reporters.svg_charts import reusable

T = TypeVar("T")
VERDICT_MEANING = {
    RowVerdict.ELIGIBLE.value: "meets every essential criterion that the answers can decide",
    RowVerdict.INCOMPLETE.value: (
        "no essential criterion fails, but some cannot be decided from the answers"
    ),
    RowVerdict.NOT_ELIGIBLE.value: "an essential criterion is not met",
    INVALID: "the row could not be read, so it was not screened",
}
ROLE_WORDS = {"name": "Name", "id": "ID", "email": "Email"}


def _verdict_line(verdict: str) -> str:
    title = VERDICT_TITLES.get(verdict, verdict.upper())
    meaning = VERDICT_MEANING.get(verdict, "")
    return f'<p class="verdict {e(verdict)}">{e(title)} — {e(meaning)}</p>'


_SPECIAL = re.compile("[&<>\"']")


def _ascii(markup: str) -> str:
    """Markup with every non-ASCII character as a character reference (the same page).

    A chunk of cards that is all ASCII is held one byte a character and written without
    transcoding, which is most of the cost of writing a large report.
    """
    return markup if markup.isascii() else markup.encode("ascii", "xmlcharrefreplace").decode()


def _text(value: str) -> str:
    """An applicant's value as HTML text, escaped, in ASCII (quick when nothing changes)."""
    if not value.isascii():
        return _ascii(e(value))
    return e(value) if _SPECIAL.search(value) else value


_VERDICT_LINES = {verdict: _ascii(_verdict_line(verdict)) for verdict in VERDICT_MEANING}
_VERDICTS = {verdict: verdict for verdict in VERDICT_MEANING}  # safe in an attribute as they are


def _number(count: int) -> str:
    """A count with thousands separators (quick for the many under a thousand)."""
    return str(count) if count < 1000 else f"{count:,}"


def _role_term(role: str) -> str:
    """The term of an identity entry, up to its value: ``<dt>Name</dt><dd>``."""
    return f"<dt>{ROLE_WORDS.get(role) or _text(role)}</dt><dd>"


_ROLE_TERMS = {role: _role_term(role) for role in ROLE_WORDS}
SCREEN_UNANSWERED = (
    'Unless an item shows its own outcome, it is <span class="unknown">? unknown — for the '
    "panel to judge</span>: the row holds no answer to it. After each colon, the evidence the "
    "statement must give."
)
_SCORE_ID = "score-row-placeholder"
_REVIEW = '<p class="review">For human review: incomplete, or a case for the hub to confirm.</p>'
_DATA_VERDICT = re.compile('data-verdict="([^"]*)"')


def _superseded_line(by: int, own: str) -> str:
    """The verdict line of an earlier submission superseded by row ``by``."""
    words = own.replace("_", " ") if own in VERDICT_MEANING else "not screened"
    return (
        f'<p class="verdict {SUPERSEDED}">SUPERSEDED — an earlier submission: the same '
        f'applicant\'s latest, <a href="#row-{by}">row {by}</a>, is screened instead (this '
        f"row's own answers: {words}); not ranked, not counted</p>"
    )


Ids = tuple[int, ...]


def _picker(positions: Sequence[int]) -> Callable[[Sequence[T]], tuple[T, ...]]:
    """A function taking the items at ``positions`` from a sequence, as a tuple."""
    if len(positions) >= 2:
        return operator.itemgetter(*positions)
    if positions:
        only = positions[0]
        return lambda items: (items[only],)
    return lambda items: ()


class _Layout:
    """Where each part of a card finds its criteria (the same on every card of a run)."""

    def __init__(self, results: Sequence[CriterionResult]) -> None:
        numbered = list(enumerate(results))
        self.size = len(results)
        fact = [(i, r) for i, r in numbered if not is_evidence(r)]
        self.essential = _picker([i for i, r in fact if r.level is Level.ESSENTIAL])
        self.desirable_facts = _picker([i for i, r in fact if r.level is Level.DESIRABLE])
        self.desirable = _picker([i for i, r in numbered if r.level is Level.DESIRABLE])
        evidence = [i for i, r in numbered if is_evidence(r)]
        self.evidence = _picker(evidence)
        self.has_evidence = bool(evidence)


class CardRenderer:
    """Renders cards, rendering each distinct part of a card once.

    ``CardBuilder`` shares result objects between rows (memoised per criterion), so each
    criterion's table row is cached by the identity of its result, and each part of a card
    (the essential table; the desirable score, chart and table; the evidence list) by the
    identities of its results, the path by its steps. The caches hold the results too, so
    that no identity is reused while it is cached. The desirable part is kept split where
    the score chart's id goes. A card is then joined from strings already escaped: only the
    applicant's own values (title, identity, statements, notes) are escaped per row.
    """

    def __init__(self, input_name: str, score_out_of: int, memo_size: int = 16_384) -> None:
        self.memo_size = memo_size
        self._layout: _Layout | None = None
        self._rows: dict[int, tuple[CriterionResult, str]] = {}
        self._essential: dict[Ids, tuple[tuple[CriterionResult, ...], str]] = {}
        self._desirable: dict[Ids, tuple[tuple[CriterionResult, ...], list[str]]] = {}
        self._evidence: dict[Ids, tuple[tuple[CriterionResult, ...], str]] = {}
        self._paths: dict[tuple[str, ...], str] = {}
        # Few: desirable scores by the outcomes that make them, and their charts by score.
        self._scores: dict[tuple[tuple[Outcome, bool], ...], DesirableScore] = {}
        self._charts: dict[DesirableScore, str] = {}
        self._headings: dict[str, str] = {}  # kept columns' headings, escaped
        self._of_rows: dict[int, str] = {}
        self._small = (
            _ascii(f" of {e(input_name)} · "),
            _ascii(" · desirable score "),
            f" of {score_out_of}</p>",
        )

    def _row(self, result: CriterionResult) -> str:
        found = self._rows.get(id(result))
        if found is None:
            found = (result, _ascii(criterion_row(result)))
            if len(self._rows) < self.memo_size:
                self._rows[id(result)] = found
        return found[1]

    def _criteria(self, row: int, detail: CardDetail, statements: bool) -> list[str]:
        """The card's criteria, path and evidence list, from the caches where they can be.

        With ``statements`` to follow, the evidence section is opened even when the
        programme has no evidence criterion.
        """
        results = detail.results
        layout = self._layout
        if layout is None or layout.size != len(results):
            layout = self._layout = _Layout(results)
        ids = tuple(map(id, results))
        lines: list[str] = []
        key = layout.essential(ids)
        essential = self._essential.get(key)
        if essential is None:
            facts = layout.essential(results)
            essential = (facts, _ascii("\n".join(essential_section(facts, self._row))))
            if len(self._essential) < self.memo_size:
                self._essential[key] = essential
        lines.append(essential[1])
        key = layout.desirable(ids)
        desirable = self._desirable.get(key)
        if desirable is None:
            chosen = layout.desirable(results)
            signature = tuple([(r.outcome, r.self_declared) for r in chosen])
            score = self._scores.get(signature)
            if score is None:
                score = self._scores[signature] = desirable_score(list(chosen))
            chart = self._charts.get(score)
            if chart is None and score.total:  # drawn once here, as a symbol; then by reference
                symbol, chart = reusable(
                    score_chart(_SCORE_ID, score), f"mc-score-{len(self._charts) + 1}"
                )
                self._charts[score] = chart
                lines.append(symbol)
            section = desirable_section(
                layout.desirable_facts(results), score, _SCORE_ID, self._row, chart
            )
            # The chart is ours alone (numbers and fixed words): its placeholder id is safe
            # to replace with the row's.
            parts = _ascii("\n".join(section)).split(_SCORE_ID)
            desirable = (chosen, parts)
            if len(self._desirable) < self.memo_size:
                self._desirable[key] = desirable
        if desirable[1] != [""]:
            lines.append(f"score-row-{row}".join(desirable[1]))
        if detail.path:
            path = self._paths.get(detail.path)
            if path is None:
                path = _ascii("\n".join(path_section(detail.path)))
                if len(self._paths) < self.memo_size:
                    self._paths[detail.path] = path
            lines.append(path)
        key = layout.evidence(ids)
        evidence = self._evidence.get(key)
        if evidence is None:
            chosen = layout.evidence(results)
            section = evidence_section(chosen, "Evidence for the panel to judge", SCREEN_UNANSWERED)
            evidence = (chosen, _ascii("\n".join(section)))
            if len(self._evidence) < self.memo_size:
                self._evidence[key] = evidence
        if evidence[1]:
            lines.append(evidence[1])
        elif statements and not layout.has_evidence:
            lines.append("<h3>Evidence for the panel to judge</h3>")
        return lines

    def _heading(self, heading: str) -> str:
        """A kept column's heading, over its text on a card."""
        shown = self._headings[heading] = (
            f'<p class="statement-heading"><strong>{_text(heading)}</strong></p>'
        )
        return shown

    def parts(self, card: ApplicantCard) -> tuple[str, str, str]:
        """One card's HTML (ASCII) in three parts, to be joined around its rank: the part
        before the rank's attribute value, the part before the rank's words (``rank_words``)
        and the rest. The rank is known only once every row is screened."""
        row = card.row
        verdict = card.verdict
        of_input, _, out_of = self._small
        identity = card.identity
        title = f"Row {row}: {_text(identity[0][1])}" if identity else f"Row {row}"
        before_rank = f'<section class="card" id="row-{row}" data-row="{row}" data-rank="'
        before_words = (
            f'" data-verdict="{_VERDICTS.get(verdict) or _text(verdict)}">\n'
            f"<h2>{title}</h2>\n"
            f'<p class="small">Line {_number(card.line)}{of_input}'
        )
        lines = [f"{card.score}{out_of}"]
        if identity:
            roles = _ROLE_TERMS
            shown = "".join(
                [
                    f"{roles.get(role) or _role_term(role)}{_text(value)}</dd>"
                    for role, value in identity
                ]
            )
            lines.append(f'<dl class="facts identity">{shown}</dl>')
        lines.append(_VERDICT_LINES.get(verdict) or _ascii(_verdict_line(verdict)))
        if card.review:
            lines.append(_REVIEW)
        detail = card.detail
        if detail.problem is not None:
            lines.append(f'<p class="problem">Why: {_text(detail.problem)}</p>')
        if card.notes:
            lines += [f'<p class="note">{_text(note)}</p>' for note in card.notes]
        if detail.problem is None:
            statements = card.statements
            lines += self._criteria(row, detail, bool(statements))
            if statements:
                headings = self._headings
                lines += [
                    f"{headings.get(heading) or self._heading(heading)}"
                    f'<blockquote class="statement">{_text(text)}</blockquote>'
                    for heading, text in statements
                ]
        lines.append("</section>")
        return before_rank, before_words, "\n".join(lines)

    def superseded(self, before_words: str, rest: str, by: int) -> tuple[str, str]:
        """A card's parts after its rank (``parts``) once its row is found to be an earlier
        submission superseded by row ``by``: the verdict ``superseded`` with a link to that
        row and the row's own verdict in words, and no review line."""
        found = _DATA_VERDICT.search(before_words)
        own = found[1] if found else ""
        before_words = before_words.replace(
            f'data-verdict="{own}"', f'data-verdict="{SUPERSEDED}"', 1
        )
        line = _VERDICT_LINES.get(own) or _ascii(_verdict_line(own))
        rest = rest.replace(line, _ascii(_superseded_line(by, own)), 1)
        return before_words, rest.replace(f"\n{_REVIEW}", "", 1)

    def rank_words(self, rank: int, rows_in: int) -> str:
        """The words of a card's rank, up to its score: ``rank 3 of 1,000 · desirable score ``."""
        if not rank:
            return f"not ranked{self._small[1]}"
        of_rows = self._of_rows.get(rows_in)
        if of_rows is None:
            of_rows = self._of_rows[rows_in] = _ascii(f" of {rows_in:,} · desirable score ")
        return f"rank {_number(rank)}{of_rows}"

    def render(self, card: ApplicantCard, rows_in: int) -> str:
        """One card's HTML (ASCII: other characters as character references)."""
        before_rank, before_words, rest = self.parts(card)
        words = self.rank_words(card.rank, rows_in)
        return f"{before_rank}{card.rank}{before_words}{words}{rest}"
