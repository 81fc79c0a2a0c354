"""The screening report: one self-contained HTML page for a selection panel.

Sections, in the order a panel reads: the decision (the counts by verdict, then the shortlist
of every eligible and incomplete applicant, no cap, each with its one-line reason, what is
missing for an incomplete one, and its desirable score); the verdict chart; the attrition
chart and table (how many applicants each essential criterion excludes); the data-quality
panel (per mapped column: answered, blank, explicit no, unreadable); the evidence the panel
judges, printed once; invalid and superseded rows in one table; then one card per applicant
row, in input order (``<section class="card" id="row-N">``); and last, as an appendix, the
run's facts (programme, as-of date, input file, row counts, criteria checksums and
verification dates) with every criterion's published wording.

Criteria are named by their short label (``core.labels``), the published wording on hover
and in the appendix; ids appear only in attributes. A card shows only what is the
applicant's own: the fact criteria's outcomes and reasons in two short tables, what is
missing in the panel's words ("QTS awarded: not given"), the notes on the row's cells, and
the kept statements with the evidence criteria beside them as boxes to tick on paper. It is
laid out to print on one A4 page.

One job a module:

* ``facts``: the run's facts (``RunFacts``, ``run_facts``), the criteria's short labels;
* ``cards``: each row's card as data (``ApplicantCard``), built by ``CardBuilder`` from the
  pass's own results (the criteria's results come from the screener's memo, never evaluated
  again), redacted if asked;
* ``card_html``: a card as HTML (``CardRenderer``), in three parts around the rank, which is
  known only when every row is read; each distinct part of a card is rendered once, and equal
  desirable-score charts are drawn once and then referenced. The cards are ASCII (any other
  character as a character reference), so they are spooled as bytes and written without
  transcoding;
* ``panel_words``: the path to eligibility told to the panel, and the shortlist's reasons;
* ``overview``: the sections before the cards (counts, shortlist, charts, data quality);
* ``appendix``: the evidence list, the table of rows not screened, and the appendix;
* ``page``: the page as a stream of chunks (``render_screening_html``), so that a large export
  never has to sit in memory as one string, written atomically (``write_screening_html``);
* ``writer``: the report as one of the screening run's writers (``HtmlReport``, a
  ``batch.run.ResultsWriter``), spooling each row's card during the one screening pass and
  keeping every shortlisted row's line.

Every applicant value is escaped; with ``redact`` the cards and the shortlist hold no name,
email, ID or free text. The page holds no script and no URL: opened from disk it
requests nothing, and its Content-Security-Policy forbids any request anyway.
"""

from __future__ import annotations

from masterycheck.reporters.html_screen.appendix import NotScreenedRow
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
from masterycheck.reporters.html_screen.overview import VERDICT_TONES, PanelRow, ShortlistRow
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
    "NotScreenedRow",
    "PanelRow",
    "ReportError",
    "RunFacts",
    "ShortlistRow",
    "render_screening_html",
    "run_facts",
    "sha256_file",
    "write_screening_html",
]
