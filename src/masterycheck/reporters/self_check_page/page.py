"""The self-check page: one self-contained HTML file a Maths Hub can publish.

The page holds the programmes' data (``data.page_data``, one JSON block), the evaluator
(``evaluator.js``) and the page's script (``ui.js``) inline, with a Content-Security-Policy
that allows exactly those: the script and the stylesheet by their SHA-256 hashes, nothing
fetched, no ``unsafe-inline``, no ``eval``. Without JavaScript the page still lists every
criterion with its published wording and says how to check by hand; the script fills the
same elements with the outcomes (``data-verdict``, ``data-outcome``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

from masterycheck.core.engine import CompiledCriterion, CompiledProgramme
from masterycheck.core.programme import HubToConfirm
from masterycheck.core.results import CommitmentSummary
from masterycheck.core.vocabulary import Kind, Level, Outcome, Verdict, is_published
from masterycheck.core.window import long_date
from masterycheck.reporters.html_page import e
from masterycheck.reporters.self_check_page.data import Data, page_data
from masterycheck.reporters.words import (
    OUTCOME_MARKS,
    VERDICT_EXPLAINED,
    VERDICT_WORDS,
    commitment_line,
)
from masterycheck.version import __version__

#: The page's assets: package data beside this module.
ASSETS = ("evaluator.js", "ui.js", "page.css")


@cache
def asset(name: str) -> str:
    """The text of one of the page's assets (``ASSETS``), read once."""
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    """The CSP source expression of an inline script or style: ``'sha256-<base64>'``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script: str, style: str) -> str:
    """The page's policy: only the inline script and style with these exact texts run."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {csp_hash(script)}",
            f"style-src {csp_hash(style)}",
            "form-action 'none'",
            "base-uri 'none'",
        ]
    )


def json_block(data: object) -> str:
    """JSON to place between ``<script type="application/json">`` and ``</script>``: ``<``,
    ``>`` and ``&`` (and the line separators) escaped, so no text in it can end the block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def _words() -> Data:
    """The words the script shows, from the reporters' one place for them."""
    return {
        "verdict": {v.value: VERDICT_WORDS[v] for v in Verdict},
        "explained": {v.value: VERDICT_EXPLAINED[v] for v in Verdict},
        "marks": {o.value: list(OUTCOME_MARKS[o]) for o in Outcome},
    }


def _title(compiled: CompiledProgramme) -> str:
    programme = compiled.programme
    cohort = f", Cohort {programme.cohort}" if programme.cohort is not None else ""
    return f"{programme.name}{cohort} ({', '.join(programme.academic_years)})"


def _criterion(compiled: CompiledCriterion) -> list[str]:
    criterion = compiled.criterion
    if criterion.kind is Kind.EVIDENCE:
        how = f"Evidence, judged by the hub from your application: {criterion.evidence}"
    else:
        how = f"Fact. Checked as: {compiled.rule.words}."
    given = criterion.hub_to_confirm
    cases = [given] if isinstance(given, HubToConfirm) else list(given or [])
    origin = "" if is_published(compiled.origin) else f" (added by {compiled.origin})"
    lines = [
        f'<li data-criterion="{e(criterion.id)}">',
        f'<p class="c-text"><span class="mark" hidden></span> {e(criterion.text)}{e(origin)}</p>',
        f'<p class="c-how">{e(how)}</p>',
    ]
    lines += [f'<p class="c-how">Left to the hub: {e(case.note)}.</p>' for case in cases]
    lines += ['<p class="c-detail" hidden></p>', "</li>"]
    return lines


def _programme(compiled: CompiledProgramme) -> list[str]:
    programme = compiled.programme
    pid = e(programme.id)
    window = programme.window
    opens = long_date(window.opens) if window.opens else "not published"
    closes = long_date(window.closes) if window.closes else "not published"
    lines = [
        f'<section class="programme" id="programme-{pid}" data-programme="{pid}"'
        f' aria-labelledby="title-{pid}">',
        f'<h2 id="title-{pid}">{e(_title(compiled))}</h2>',
        '<p class="verdict" hidden></p>',
    ]
    if programme.provisional and programme.provisional_note:
        lines.append(f'<p class="note">{e(programme.provisional_note)}</p>')
    lines += [
        '<section class="results" hidden>',
        "<h3>Path to eligibility</h3>",
        '<ol class="path"></ol>',
        "<h3>Desirable score</h3>",
        '<p class="score"></p>',
        "<h3>What your application must evidence</h3>",
        '<ul class="evidence"></ul>',
        '<ul class="notes"></ul>',
        "</section>",
    ]
    for level in (Level.ESSENTIAL, Level.DESIRABLE):
        chosen = [c for c in compiled.criteria if c.criterion.level is level]
        if not chosen:
            continue
        lines.append(f"<h3>{level.value.capitalize()} criteria</h3>")
        lines.append(f'<ul class="criteria {level.value}">')
        for criterion in chosen:
            lines += _criterion(criterion)
        lines.append("</ul>")
    lines += [
        "<h3>Application window</h3>",
        f"<p>Opens: {e(opens)}. Closes: {e(closes)}.</p>",
        '<p class="window" hidden></p>',
        "<h3>The commitment</h3>",
        "<ul>",
        *[f"<li>{e(commitment_line(year))}</li>" for year in _commitment(compiled)],
        "</ul>",
    ]
    if programme.expectations:
        lines += ["<h3>What the school commits to</h3>", "<ul>"]
        lines += [f"<li>{e(item)}</li>" for item in programme.expectations]
        lines.append("</ul>")
    if programme.selection_note:
        lines.append(f'<p class="note">{e(programme.selection_note)}</p>')
    lines.append(
        f'<p class="source">Source: {e(programme.source.title)} ({e(programme.source.document)}).'
        f" Years since a date are counted to {e(long_date(programme.reference_date))},"
        f" {e(programme.reference_date_note)}.</p>"
    )
    return [*lines, "</section>"]


def _commitment(compiled: CompiledProgramme) -> list[CommitmentSummary]:
    return [CommitmentSummary(**year.model_dump()) for year in compiled.programme.commitment]


BY_HAND = (
    "How to check by hand: read each programme's essential criteria below. You are eligible "
    "when you meet every one of them; an evidence criterion is judged by the hub from your "
    "application, so apply only if your statement can show it. Desirable criteria strengthen "
    "an application. Where a criterion says a case is left to the hub, ask your Maths Hub."
)


def build_page(
    programmes: Sequence[CompiledProgramme], *, generated: dt.date, overlay: str | None = None
) -> str:
    """The whole page for ``programmes`` (at least one), generated on ``generated``; ``overlay``
    names a hub overlay applied to them."""
    data = {**page_data(programmes), "words": _words()}
    script = asset("evaluator.js") + "\n" + asset("ui.js")
    style = asset("page.css")
    if "</" in script or "</" in style:  # the assets end their elements only where meant
        raise ValueError("an inline asset of the self-check page contains '</'")
    title = "Mastery Specialist programmes: am I eligible?"
    if len(programmes) == 1:
        title = f"{programmes[0].programme.name}: am I eligible?"
    from_hub = f" It includes {e(overlay)}." if overlay else ""
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en-GB" class="no-js">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{e(content_security_policy(script, style))}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{e(title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#journey" hidden>Skip to the questions</a>',
        "<header>",
        f"<h1>{e(title)}</h1>",
        "<p>A self-check against the published criteria of the NCETM and Maths Hubs Mastery "
        f"Specialist programmes.{from_hub} It is a guide, not a decision: your Maths Hub "
        "selects.</p>",
        '<p class="private">Private: your answers stay in this browser. Nothing is sent '
        "anywhere; the answers are kept only in this page's address (after the #), so you can "
        "bookmark it to come back.</p>",
        f'<p class="no-js-only">{e(BY_HAND)}</p>',
        "</header>",
        "<main>",
        '<section id="fit" aria-labelledby="fit-title" aria-live="polite" hidden>',
        '<h2 id="fit-title">Which programme fits</h2>',
        "<ol></ol>",
        "</section>",
        '<section id="journey" aria-labelledby="journey-title" hidden>',
        '<h2 id="journey-title">Your answers</h2>',
        "<p>Answer what you can: \u201cDon't know\u201d is always an answer. Only the questions "
        "that can still change the result are asked, and the results below update as you "
        "answer.</p>",
        '<form id="questions" novalidate></form>',
        '<p id="announce" class="visually-hidden" aria-live="polite"></p>',
        '<div class="actions">',
        '<button type="button" id="save">Save my answers</button>',
        '<button type="button" id="print">Print a summary</button>',
        '<button type="button" id="restart">Start again</button>',
        "</div>",
        '<section id="summary-answers" class="print-only" aria-label="Your answers">',
        "<h2>Your answers</h2><dl></dl></section>",
        "</section>",
    ]
    for compiled in programmes:
        lines += _programme(compiled)
    lines += [
        "</main>",
        "<footer>",
        f"<p>Made with masterycheck {e(__version__)} on {e(long_date(generated))} from the "
        "published criteria. Dates are counted as the programmes' files say; the window's "
        "status is as of your device's date.</p>",
        "</footer>",
        f'<script type="application/json" id="mc-data">{json_block(data)}</script>',
        f"<script>{script}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines)
