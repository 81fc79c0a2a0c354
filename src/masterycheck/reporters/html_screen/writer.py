"""The screening report as one of the screening run's writers (``HtmlReport``).

A ``batch.run.ResultsWriter``: each row's card is rendered as the one screening pass gives the
row and spooled as ASCII bytes without its rank; the page is written once every row is read
and ranked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from masterycheck.outputs.ranked import RecordSpool
from masterycheck.reporters.html_screen.card_html import CardRenderer
from masterycheck.reporters.html_screen.cards import CardBuilder
from masterycheck.reporters.html_screen.facts import RunFacts
from masterycheck.reporters.html_screen.page import render_screening_html, write_screening_html

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
        self._renderer = CardRenderer(first.input_name, first.score_out_of)
        self._spool = RecordSpool(target.parent)
        self._chars = 0

    def add(
        self,
        row: int,
        line: int,
        cells: tuple[str, ...],
        evaluation: Evaluation,
        notes: tuple[str, ...],
    ) -> None:
        """Render one row's card and spool it, in three parts around its rank (ASCII)."""
        before_rank, before_words, rest = self._renderer.parts(
            self._builder.card(row, line, cells, evaluation, notes)
        )
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
            first = record.index(b",")
            second = record.index(b",", first + 1)
            start = second + 1
            middle = start + int(record[:first])
            end = middle + int(record[first + 1 : second])
            if not rank:  # an earlier submission, superseded by the applicant's latest
                before_words, rest = self._renderer.superseded(
                    record[middle:end].decode("ascii"),
                    record[end:].decode("ascii"),
                    superseded[row],
                )
                yield (
                    f"{record[start:middle].decode('ascii')}{rank}{before_words}"
                    f"{words(rank, rows_in)}{rest}"
                )
                continue
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
        chunks = render_screening_html(
            facts, run.summary, run.shortlist, self._cards(ranks, facts.rows_in, run.superseded)
        )
        write_screening_html(self.target, chunks, protect=self.protect)
        return run.rows

    def discard(self) -> None:
        """Remove the spool."""
        self._spool.remove()
