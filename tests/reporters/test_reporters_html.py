"""The personal HTML report: self-contained, every value escaped, every section present."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from masterycheck.core.engine import assess
from masterycheck.core.profile import Profile
from masterycheck.files.criteria import load_all_programmes, load_catalogue
from masterycheck.reporters.html import e, evidence_entry, render_personal_html

HOSTILE = '<script>alert("x")</script> & <b>'
AS_OF = dt.date(2026, 3, 1)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_every_value_is_escaped_and_the_page_is_self_contained() -> None:
    catalogue = load_catalogue()
    programmes = load_all_programmes(catalogue)
    profile = Profile({"school_type": "primary", "qualified_status": "none"})
    assessments = [assess(p, profile, AS_OF) for p in programmes]
    first = assessments[0]
    hostile_result = first.criteria[0].model_copy(update={"text": HOSTILE, "reason": HOSTILE})
    assessments[0] = first.model_copy(
        update={
            "programme_name": HOSTILE,
            "notes": [HOSTILE],
            "criteria": [hostile_result, *first.criteria[1:]],
        }
    )
    page = render_personal_html(assessments)
    assert "<script>" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in page
    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    assert not {"link", "img", "iframe"} & set(parser.tags)  # nothing fetched from elsewhere
    assert "http://" not in page and "https://" not in page


def test_sections_of_the_report() -> None:
    catalogue = load_catalogue()
    programmes = load_all_programmes(catalogue)
    profile = Profile({"school_type": "primary", "qualified_status": "none"})
    page = render_personal_html([assess(p, profile, AS_OF) for p in programmes])
    assert page.startswith("<!DOCTYPE html>")
    for words in (
        "Best fit first",
        "Verdict: NOT ELIGIBLE",
        "Essential criteria",
        "Desirable criteria",
        "Path to eligibility",
        "☐ Hold Qualified Teacher Status before you apply.",
        "What your application statement must evidence",
        "Application window",
        "open: closes in 53 days, on 23 April 2026",
        "Commitment",
        "10 days release time",
        "not met",
        "unknown",
    ):
        assert words in page, words


def test_an_evidence_item_shows_its_outcome_from_the_facts_not_the_reasons_wording() -> None:
    catalogue = load_catalogue()
    primary = next(p for p in load_all_programmes(catalogue) if p.programme.id == "primary")
    assessment = assess(primary, Profile({"school_type": "primary"}), AS_OF)
    unanswered = next(r for r in assessment.criteria if r.kind.value == "evidence")
    assert unanswered.unanswered and unanswered.missing
    # Reworded reasons change nothing: an unanswered item shows no outcome of its own ...
    reworded = unanswered.model_copy(update={"reason": "not said yet"})
    assert "— " not in evidence_entry(reworded)
    # ... and an item answered too vaguely shows its own, whatever the reason says.
    vague = unanswered.model_copy(update={"missing": [], "imprecise": ["x"]})
    assert "? Unknown" in evidence_entry(vague)
    assert e(unanswered.reason) in evidence_entry(vague)
