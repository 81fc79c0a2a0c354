"""The screening report's page as a stream of HTML chunks, and its atomic writing.

``render_screening_html`` yields the head, the sections a panel reads first, then the cards in
chunks (so that a large export never has to sit in memory as one string), then the appendix;
``write_screening_html`` writes them atomically.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from masterycheck.core.window import long_date
from masterycheck.outputs.safe_files import atomic_output
from masterycheck.reporters.html_page import PAGE_FOOT, e, page_head
from masterycheck.reporters.html_screen.appendix import NotScreenedRow, appendix_sections
from masterycheck.reporters.html_screen.facts import RunFacts
from masterycheck.reporters.html_screen.overview import ShortlistRow, overview_sections

if TYPE_CHECKING:
    from masterycheck.batch.screening import Summary

CHUNK_CARDS = 10  # cards joined into one chunk


class ReportError(RuntimeError):
    """Internal error: the report's cards are not exactly the rows read."""


def render_screening_html(
    facts: RunFacts,
    summary: Summary,
    shortlist: Sequence[ShortlistRow],
    cards: Iterable[str],
    not_screened: Sequence[NotScreenedRow] = (),
) -> Iterator[str]:
    """The screening report as a stream of HTML chunks (join them, or write them in turn).

    ``cards`` are the rendered cards, one per row read, in row order (``CardRenderer``); an
    empty string stands for a row with no card, listed in ``not_screened`` instead. Raises
    ``ReportError`` after the last card if there are not ``facts.rows_in`` of them; written
    through ``write_screening_html`` the file is then never created.
    """
    title = f"Screening report: {facts.programme_name}"
    cohort = f" (Cohort {facts.cohort})" if facts.cohort is not None else ""
    head = [
        page_head(title),
        "<header>",
        f"<h1>{e(title)}{e(cohort)}</h1>",
        f'<p class="small">{facts.rows_in:,} row(s) of {e(facts.input_name)}, screened as of '
        f"{e(long_date(facts.as_of))} against the published criteria. Verdicts come from the "
        "answers given; the panel judges the evidence criteria from each application. The "
        "run's facts and checksums are in the appendix.</p>",
        "</header>",
        *overview_sections(facts, summary, shortlist, not_screened),
        '<section id="applicants">',
        "<h2>Applicants</h2>",
        f"<p>One card per applicant row, in the order of the input file "
        f"({facts.rows_in - len(not_screened):,} in all); each card starts on a new page "
        "when printed.</p>",
        "</section>",
    ]
    yield "\n".join(head) + "\n"
    count = 0
    batch: list[str] = []  # up to CHUNK_CARDS cards
    shown = 0
    for card in cards:
        count += 1
        if not card:
            continue
        shown += 1
        batch.append(card)
        if shown % CHUNK_CARDS == 0:
            yield "\n".join(batch) + "\n"
            batch.clear()
    if batch:
        yield "\n".join(batch) + "\n"
    if count != facts.rows_in:
        raise ReportError(f"rows in ({facts.rows_in}) != cards in the report ({count})")
    yield "\n".join(appendix_sections(facts)) + "\n"
    listed = f" and {count - shown:,} listed as not screened" if count > shown else ""
    yield (
        f'<footer><p class="small" id="card-count">{shown:,} card(s){listed} for '
        f"{facts.rows_in:,} row(s) read. Made by masterycheck {e(facts.version)}.</p>"
        "</footer>\n" + PAGE_FOOT
    )


def write_screening_html(
    target: Path, chunks: Iterable[str], *, protect: Iterable[Path] = ()
) -> int:
    """Write the chunks to ``target`` atomically (never over an input in ``protect``).

    Returns the number of characters written. If rendering fails part-way, nothing is left
    at ``target`` (an earlier file there is untouched).
    """
    written = 0
    with atomic_output(target, protect=protect, newline="") as stream:
        for chunk in chunks:
            stream.write(chunk)
            written += len(chunk)
    return written
