"""A screening card as HTML: ``CardRenderer``, rendering each distinct part of a card once.

A card is rendered in ASCII, in three parts around its rank (known only once every row is
screened). The card sections themselves are shared with the personal report
(``reporters.html_cards``).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from masterycheck.core.engine import desirable_score
from masterycheck.core.kleene import Outcome
from masterycheck.core.programme import Level
from masterycheck.core.results import CriterionResult, DesirableScore
from masterycheck.core.vocabulary import RowVerdict, is_published
from masterycheck.reporters.html_cards import (
    VERDICT_TITLES,
    desirable_section,
    essential_section,
    is_evidence,
    outcome_class,
    outcome_words,
    score_chart,
)
from masterycheck.reporters.html_page import e
from masterycheck.reporters.html_screen.cards import INVALID, ApplicantCard, CardDetail
from masterycheck.reporters.html_screen.panel_words import panel_step
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
#: Statements longer than this many words may not fit a printed card's page (measured on A4
#: with headless Chromium: cards with 200-word statements fit, 350-word ones often not).
PRINTED_WORDS = 250
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

    def __init__(
        self,
        input_name: str,
        score_out_of: int,
        memo_size: int = 16_384,
        *,
        shorts: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        """Cards of rows of ``input_name``; criteria named by ``shorts`` (id -> short label,
        the wording on hover), the path's questions by ``labels`` (question -> field label)."""
        self.memo_size = memo_size
        self.shorts: Mapping[str, str] = shorts or {}
        self.labels: Mapping[str, str] = labels or {}
        self._layout: _Layout | None = None
        self._rows: dict[int, tuple[CriterionResult, str]] = {}
        self._essential: dict[Ids, tuple[tuple[CriterionResult, ...], str]] = {}
        self._desirable: dict[Ids, tuple[tuple[CriterionResult, ...], list[str]]] = {}
        self._evidence: dict[Ids, tuple[tuple[CriterionResult, ...], str, bool]] = {}
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
            found = (result, _ascii(self.criterion_row(result)))
            if len(self._rows) < self.memo_size:
                self._rows[id(result)] = found
        return found[1]

    def short(self, result: CriterionResult) -> str:
        """A criterion's short label (``core.labels``, given by id), else its wording."""
        return self.shorts.get(result.id) or result.text

    def criterion_row(self, result: CriterionResult) -> str:
        """One criterion as a table row: its short label (the published wording on hover),
        the outcome in words, and why."""
        origin = " <em>(hub's own)</em>" if not is_published(result.origin) else ""
        return (
            f'<tr data-criterion="{e(result.id)}"><td title="{e(result.text)}">'
            f"{e(self.short(result))}{origin}</td>"
            f'<td class="{outcome_class(result)}">{outcome_words(result)}</td>'
            f"<td>{e(result.reason)}</td></tr>"
        )

    def checklist_item(self, result: CriterionResult) -> str:
        """One evidence criterion as a box to tick on paper; its outcome only if answered."""
        said = ""
        if not result.unanswered:
            said = f' <span class="{outcome_class(result)}">— {outcome_words(result)}</span>'
        return (
            f'<li data-criterion="{e(result.id)}" title="{e(result.text)}">'
            f"&#9744; {e(self.short(result))}{said}</li>"
        )

    def path_steps(self, path: tuple[str, ...]) -> tuple[str, ...]:
        """The path to eligibility in the panel's words (``panel_step``)."""
        return tuple(panel_step(step, self.labels) for step in path)

    def _criteria(self, row: int, detail: CardDetail, statements: bool) -> list[str]:
        """The card's criteria and what is missing, from the caches where they can be; the
        evidence criteria as a checklist last (``lines[-1]``, empty when nothing to show).

        Without ``statements`` the checklist is shown only when an evidence criterion was
        answered (the panel's evidence list is printed once, before the cards).
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
                steps = self.path_steps(detail.path)
                path = _ascii(
                    "\n".join(
                        [
                            "<h3>What is missing or stands in the way</h3>",
                            '<ul class="path">',
                            *[f"<li>{e(step)}</li>" for step in steps],
                            "</ul>",
                        ]
                    )
                )
                if len(self._paths) < self.memo_size:
                    self._paths[detail.path] = path
            lines.append(path)
        key = layout.evidence(ids)
        evidence = self._evidence.get(key)
        if evidence is None:
            chosen = layout.evidence(results)
            items = "".join(self.checklist_item(r) for r in chosen)
            answered = any(not r.unanswered for r in chosen)
            html = f'<ul class="checklist">{items}</ul>' if items else ""
            evidence = (chosen, _ascii(html), answered)
            if len(self._evidence) < self.memo_size:
                self._evidence[key] = evidence
        _, html, answered = evidence
        lines.append(html if (statements or answered) else "")
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
            parts = self._criteria(row, detail, bool(statements))
            checklist = parts.pop()
            lines += parts
            if statements:
                headings = self._headings
                said = "".join(
                    [
                        f"{headings.get(heading) or self._heading(heading)}"
                        f'<blockquote class="statement">{_text(text)}</blockquote>'
                        for heading, text in statements
                    ]
                )
                lines.append("<h3>Statement, with the evidence criteria to tick</h3>")
                words = sum(len(text.split()) for _, text in statements)
                if words > PRINTED_WORDS:
                    lines.append(
                        f'<p class="print-only small">{_number(words)} words: a printed card '
                        "ends at the foot of its page, so the statement may be cut short here; "
                        "the whole text is on screen and in the results file.</p>"
                    )
                lines.append(f'<div class="statement-check"><div>{said}</div>{checklist}</div>')
            elif checklist:
                lines.append(f"<h3>Evidence criteria</h3>\n{checklist}")
        lines.append("</section>")
        return before_rank, before_words, "\n".join(lines)

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
