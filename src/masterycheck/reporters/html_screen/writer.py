"""The screening report as one of the screening run's writers (``HtmlReport``).

A ``batch.run.ResultsWriter``: each row's card is rendered as the one screening pass gives the
row and spooled as ASCII bytes without its rank; the page is written once every row is read
and ranked. Every eligible and incomplete row is kept for the shortlist with its one-line
reason (no cap); invalid rows, and rows found superseded, are listed in one table instead of
being given a card.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from masterycheck.batch.screening import VERDICT_CODES
from masterycheck.core.vocabulary import RowVerdict
from masterycheck.outputs.ranked import RecordSpool
from masterycheck.reporters.html_screen.appendix import NotScreenedRow
from masterycheck.reporters.html_screen.card_html import CardRenderer
from masterycheck.reporters.html_screen.cards import INVALID, CardBuilder
from masterycheck.reporters.html_screen.facts import RunFacts
from masterycheck.reporters.html_screen.overview import PanelRow
from masterycheck.reporters.html_screen.page import render_screening_html, write_screening_html
from masterycheck.reporters.html_screen.panel_words import shortlist_reason

_INCOMPLETE = VERDICT_CODES[RowVerdict.INCOMPLETE.value]  # codes up to it are shortlisted

if TYPE_CHECKING:
    from masterycheck.batch.run import ScreenRun
    from masterycheck.batch.screening import Evaluation, Screener


class HtmlReport:
    """The HTML report as a writer of the screening run (``batch.run.ResultsWriter``).

    Each row's card is rendered as the pass gives the row, from the pass's own results
    (``CardBuilder``), and spooled without its rank; ``finish`` writes the page's facts,
    charts and shortlist, then the cards with their ranks.
    """

    def __init__(
        self,
        target: Path,
        screener: Screener,
        facts: Callable[[int], RunFacts],
        *,
        protect: Iterable[Path] = (),
    ) -> None:
        """Write to ``target``; ``facts(rows)`` gives the run's facts once the rows are
        counted (redacted when ``facts(...).redacted``)."""
        self.target = target
        self.protect = list(protect)
        self._facts = facts
        first = facts(0)
        self._builder = CardBuilder(screener, redact=first.redacted)
        labels = {f.question: f.label for f in screener.compiled.catalogue.fields}
        self._renderer = CardRenderer(
            first.input_name,
            first.score_out_of,
            shorts={c.id: c.short for c in first.criteria},
            labels=labels,
        )
        self._spool = RecordSpool(target.parent)
        self._chars = 0
        self._shortlisted: list[tuple[int, str, int, str | None, str]] = []
        self._reasons: dict[tuple[str, tuple[str, ...]], str] = {}
        self._verdicts: dict[str, str] = {}  # one string object per verdict
        self._row_verdicts: list[str] = []  # by row, for a row found superseded
        self._lines = array("q")  # by row
        self._invalid: list[NotScreenedRow] = []

    def _reason(self, evaluation: Evaluation) -> str:
        key = (evaluation.verdict, evaluation.path)
        reason = self._reasons.get(key)
        if reason is None:
            steps = self._renderer.path_steps(evaluation.path)
            reason = shortlist_reason(evaluation.verdict, steps)
            if len(self._reasons) < 16_384:
                self._reasons[key] = reason
        return reason

    def add(
        self,
        row: int,
        line: int,
        cells: tuple[str, ...],
        evaluation: Evaluation,
        notes: tuple[str, ...],
    ) -> None:
        """Render one row's card and spool it, in three parts around its rank (ASCII); keep a
        shortlisted row's line of the shortlist, and list an invalid row instead."""
        verdict = self._verdicts.setdefault(evaluation.verdict, evaluation.verdict)
        self._row_verdicts.append(verdict)
        self._lines.append(line)
        if verdict == INVALID:
            why = evaluation.reasons[0] if evaluation.reasons else "the row could not be read"
            self._invalid.append(NotScreenedRow(row, line, verdict, why))
            self._spool.write(b"")
            return
        card = self._builder.card(row, line, cells, evaluation, notes)
        if evaluation.code <= _INCOMPLETE:
            name = card.identity[0][1] if card.identity and card.identity[0][0] == "name" else None
            self._shortlisted.append(
                (row, verdict, evaluation.score, name, self._reason(evaluation))
            )
        before_rank, before_words, rest = self._renderer.parts(card)
        self._spool.write(
            b"%d,%d,%s%s%s"
            % (
                len(before_rank),
                len(before_words),
                before_rank.encode(),
                before_words.encode(),
                rest.encode(),
            )
        )

    def _cards(
        self, ranks: Iterator[int], rows_in: int, superseded: Mapping[int, int]
    ) -> Iterator[str]:
        words = self._renderer.rank_words
        for row, (record, rank) in enumerate(zip(self._spool.records(), ranks, strict=True), 1):
            if not record or row in superseded:
                yield ""  # listed in the table of rows not screened
                continue
            first = record.index(b",")
            second = record.index(b",", first + 1)
            start = second + 1
            middle = start + int(record[:first])
            end = middle + int(record[first + 1 : second])
            yield (
                b"%s%d%s%s%s"
                % (
                    record[start:middle],
                    rank,
                    record[middle:end],
                    words(rank, rows_in).encode(),
                    record[end:],
                )
            ).decode("ascii")

    def finish(self, ranks: Iterator[int], run: ScreenRun) -> int:
        """Write the report; returns how many cards it holds."""
        facts = self._facts(run.rows)
        by_row = array("q", ranks)
        shortlist = sorted(
            (
                PanelRow(by_row[row - 1], row, verdict, score, name, reason)
                for row, verdict, score, name, reason in self._shortlisted
                if row not in run.superseded and by_row[row - 1]
            ),
            key=lambda entry: entry.rank,
        )
        listed = [
            *self._invalid,
            *(
                NotScreenedRow(row, self._lines[row - 1], self._row_verdicts[row - 1], "", by)
                for row, by in run.superseded.items()
            ),
        ]
        listed.sort(key=lambda entry: entry.row)
        if facts.redacted:
            shortlist = [
                PanelRow(p.rank, p.row, p.verdict, p.score, None, p.reason) for p in shortlist
            ]
        chunks = render_screening_html(
            facts,
            run.summary,
            shortlist,
            self._cards(iter(by_row), facts.rows_in, run.superseded),
            listed,
        )
        write_screening_html(self.target, chunks, protect=self.protect)
        return run.rows

    def discard(self) -> None:
        """Remove the spool."""
        self._spool.remove()
