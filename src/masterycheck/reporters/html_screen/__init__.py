"""The screening report: one self-contained HTML page for a selection panel.

Sections, in order: the run's facts (programme, as-of date, input file, row counts, criteria
checksums and verification dates), a verdict chart, an attrition chart (how many applicants
each essential criterion excludes, in the criteria file's order), a data-quality panel (per
mapped column: answered, blank, explicit no, unreadable), the ranked shortlist, then one card
per input row, in input order (``<section class="card" id="row-N">``), with every criterion's
outcome and reason, the path to eligibility, and the evidence the panel must judge. A card is
laid out to print on one A4 page: the fact criteria in two short tables, the evidence criteria
in one list by their wording with the evidence each needs (``reporters.html_cards``, shared
with the personal report).

One job a module:

* ``facts``: the run's facts (``RunFacts``, ``run_facts``);
* ``cards``: each row's card as data (``ApplicantCard``), built by ``CardBuilder`` from the
  pass's own results (the criteria's results come from the screener's memo, never evaluated
  again), redacted if asked;
* ``card_html``: a card as HTML (``CardRenderer``), in three parts around the rank, which is
  known only when every row is read; each distinct part of a card is rendered once, and equal
  desirable-score charts are drawn once and then referenced. The cards are ASCII (any other
  character as a character reference), so they are spooled as bytes and written without
  transcoding;
* ``overview``: the sections before the cards (facts, charts, data quality, shortlist);
* ``page``: the page as a stream of chunks (``render_screening_html``), so that a large export
  never has to sit in memory as one string, written atomically (``write_screening_html``);
* ``writer``: the report as one of the screening run's writers (``HtmlReport``, a
  ``batch.run.ResultsWriter``), spooling each row's card during the one screening pass.

Every applicant value is escaped; with ``redact`` the cards and the shortlist hold no name,
email, ID or free text. The page holds no script and no URL: opened from disk it
requests nothing, and its Content-Security-Policy forbids any request anyway.
"""

from __future__ import annotations

from masterycheck.reporters.html_screen.card_html import (
    ROLE_WORDS,
    SCREEN_UNANSWERED,
    VERDICT_MEANING,
    CardRenderer,
    Ids,
)
from masterycheck.reporters.html_screen.cards import (
    INVALID,
    REDACTED,
    ROLE_ORDER,
    ApplicantCard,
    CardBuilder,
    CardDetail,
)
from masterycheck.reporters.html_screen.facts import (
    REDACTED_INPUT_NAME,
    CriteriaFile,
    RunFacts,
    run_facts,
    sha256_file,
)
from masterycheck.reporters.html_screen.overview import VERDICT_TONES, ShortlistRow
from masterycheck.reporters.html_screen.page import (
    CHUNK_CARDS,
    ReportError,
    render_screening_html,
    write_screening_html,
)
from masterycheck.reporters.html_screen.writer import HtmlReport

__all__ = [
    "CHUNK_CARDS",
    "INVALID",
    "REDACTED",
    "REDACTED_INPUT_NAME",
    "ROLE_ORDER",
    "ROLE_WORDS",
    "SCREEN_UNANSWERED",
    "VERDICT_MEANING",
    "VERDICT_TONES",
    "ApplicantCard",
    "CardBuilder",
    "CardDetail",
    "CardRenderer",
    "CriteriaFile",
    "HtmlReport",
    "Ids",
    "ReportError",
    "RunFacts",
    "ShortlistRow",
    "render_screening_html",
    "run_facts",
    "sha256_file",
    "write_screening_html",
]
