"""The HTML reports: screening (counts, shortlist, panels, one card per applicant row, the
run's facts as an appendix) and personal.

Checked here without a browser: escaping, redaction, self-containment, the accounting of cards
against rows, and the report's structure against a golden file (tags with their ids and
classes, not the styling). ``test_html_browser.py`` opens the page in headless Chromium.
"""

from __future__ import annotations

import ast
import datetime as dt
import html
import re
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import Golden
from html_report_data import (
    FORMULA_NAME,
    KNOWN_EMAIL,
    KNOWN_NAME,
    SCRIPT_NAME,
    STATEMENT,
    Screened,
    generate,
    generate_with_cli,
    write_report,
)
from masterycheck.batch.screening import Evaluation
from masterycheck.cli.app import app
from masterycheck.core.engine import assess
from masterycheck.errors import ExitCode
from masterycheck.files.criteria import load_all_programmes, load_catalogue, load_profile
from masterycheck.reporters.html import STYLE, render_personal_html
from masterycheck.reporters.html_page import asset, page_head
from masterycheck.reporters.html_screen import (
    CardBuilder,
    CardRenderer,
    ReportError,
    render_screening_html,
    write_screening_html,
)
from masterycheck.reporters.html_screen.panel_words import panel_step, shortlist_reason

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REPORTERS = Path(__file__).resolve().parents[2] / "src" / "masterycheck" / "reporters"
SMALL = 12  # rows in the golden screening: one blank, one short, hostile names


# --- parsing helpers -------------------------------------------------------------------------


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of the page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {key: value or "" for key, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def with_class(self, name: str) -> list[dict[str, str]]:
        return [a for _, a in self.tags if name in a.get("class", "").split()]

    def by_id(self, name: str) -> dict[str, str] | None:
        return next((a for _, a in self.tags if a.get("id") == name), None)


def external_references(page: str) -> list[str]:
    """Every reference in the page that could make a browser fetch something."""
    found = []
    for tag, attrs in Page(page).tags:
        for name, value in attrs.items():
            fetches = name in {"src", "srcset", "data", "poster", "action", "background"}
            links = name in {"href", "xlink:href", "formaction"} and not value.startswith("#")
            if fetches or links:
                found.append(f"<{tag} {name}={value}>")
        if tag in {"script", "iframe", "object", "embed", "link", "img", "base"}:
            found.append(f"<{tag}>")
    for target in re.findall(r"url\(\s*['\"]?([^)'\"]*)", page):
        if not target.startswith(("#", "data:")):
            found.append(f"url({target})")
    found += re.findall(r"@import[^;]*", page)
    return found


_INLINE = {"a", "strong", "em", "code", "span", "br", "b", "i", "tspan"}
_VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}
_HEADINGS = {"h1", "h2", "h3", "h4"}
_COUNTED = {"li": ("item", "items"), "dt": ("entry", "entries")}
_QUIET = {"dd", "thead", "tbody", "th", "td"}


class Structure(HTMLParser):
    """The report's outline: one line per element that carries structure, indented by depth.

    Inline markup and everything inside a chart (the styling) are left out; headings show
    their text; a table row or list item of a criterion shows it and the classes of its cells
    or spans (the outcomes); lists and definition lists show how many items they hold.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # open elements, and whether each has a line
        self.skip = 0  # depth inside <head>, a chart or a table head
        self.counts: list[tuple[int, str, int]] = []  # (line index, tag, count) of open lists
        self.heading: tuple[int, list[str]] | None = None
        self.row: tuple[int, str, list[str]] | None = None

    def _describe(self, tag: str, attrs: dict[str, str]) -> str:
        words = tag + (f"#{attrs['id']}" if "id" in attrs else "")
        words += "".join(f".{c}" for c in attrs.get("class", "").split())
        for key in ("data-verdict", "role"):
            if key in attrs:
                words += f"[{key}={attrs[key]}]"
        return words

    def _emit(self, text: str) -> None:
        depth = sum(1 for _, emitted in self.stack if emitted)
        self.lines.append("  " * depth + text)

    def _line(self, tag: str, attrs: dict[str, str]) -> str | None:
        if tag in _INLINE or tag in _VOID or tag in _QUIET or tag in _COUNTED:
            return None
        if tag == "p" and "class" not in attrs and "id" not in attrs:
            return None
        return self._describe(tag, attrs)

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attrs_list}
        if self.skip:
            if tag not in _VOID:
                self.skip += 1
            return
        if tag in {"head", "svg", "thead"}:
            if tag == "svg":
                self._emit(self._describe(tag, attrs))
            self.skip = 1
            return
        if tag in _COUNTED and self.counts:
            index, kind, count = self.counts[-1]
            self.counts[-1] = (index, kind, count + 1)
        if tag in {"td", "span"} and self.row is not None and attrs.get("class"):
            self.row[2].append(attrs["class"].replace(" ", "."))
        criterion_item = tag == "li" and "data-criterion" in attrs
        line = None if tag == "tr" or criterion_item else self._line(tag, attrs)
        if tag == "tr" or criterion_item:
            self._emit(tag)
            self.row = (len(self.lines) - 1, attrs.get("data-criterion", ""), [])
        elif line is not None:
            self._emit(line)
            if tag in {"ul", "dl"}:
                self.counts.append((len(self.lines) - 1, "dt" if tag == "dl" else "li", 0))
            if tag in _HEADINGS:
                self.heading = (len(self.lines) - 1, [])
        if tag not in _VOID:
            self.stack.append((tag, tag == "tr" or criterion_item or line is not None))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.skip:
            self.skip -= 1
            return
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()
        if tag in {"ul", "dl"} and self.counts:
            index, kind, count = self.counts.pop()
            one, many = _COUNTED[kind]
            self.lines[index] += f" ({count} {one if count == 1 else many})"
        if tag in _HEADINGS and self.heading is not None:
            index, words = self.heading
            self.lines[index] += ": " + " ".join("".join(words).split())
            self.heading = None
        if tag in {"tr", "li"} and self.row is not None:
            index, criterion, classes = self.row
            self.lines[index] += (f"[{criterion}]" if criterion else "") + "".join(
                f" {c}" for c in classes
            )
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.heading is not None and not self.skip:
            self.heading[1].append(data)


def structure(page: str) -> str:
    parser = Structure()
    parser.feed(page)
    parser.close()
    return "\n".join(parser.lines) + "\n"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Screened, str]:
    screened, target = generate(tmp_path_factory.mktemp("small"), SMALL)
    return screened, target.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def redacted(tmp_path_factory: pytest.TempPathFactory) -> str:
    _, target = generate(tmp_path_factory.mktemp("redacted"), SMALL, redact=True)
    return target.read_text(encoding="utf-8")


# --- the screening report --------------------------------------------------------------------


def test_structure_matches_the_golden_file(small: tuple[Screened, str], golden: Golden) -> None:
    golden.check("screening-structure.txt", structure(small[1]))


def test_hostile_names_show_as_text(small: tuple[Screened, str]) -> None:
    page = small[1]
    assert "<script>" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "=HYPERLINK(&quot;http://x&quot;)" in page
    parsed = Page(page)
    assert "script" not in {tag for tag, _ in parsed.tags}
    text = "".join(parsed.text)
    assert f"Row 2: {SCRIPT_NAME}" in text  # the card's title, read back as text
    assert f"Row 3: {FORMULA_NAME}" in text
    assert "A note with <angle brackets> & an ampersand." in text


def test_the_page_fetches_nothing(small: tuple[Screened, str], redacted: str) -> None:
    for page in (small[1], redacted):
        assert external_references(page) == []
        assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "http://" not in redacted and "https://" not in redacted  # the only URL was a name


def test_the_reference_check_would_catch_a_fetch() -> None:
    page = (
        '<img src="https://x.example/a.png"><link href="x.css"><a href="#row-1">1</a>'
        "<style>@import 'y.css'; b { background: url(http://x.example/b.png) }"
        "i { fill: url(#mc-bad) }</style>"
    )
    found = external_references(page)
    assert found == [
        "<img src=https://x.example/a.png>",
        "<img>",
        "<link href=x.css>",
        "<link>",
        "url(http://x.example/b.png)",
        "@import 'y.css'",
    ]


INVALID_ROWS = (6, 9)  # the generated export's blank row and short row


def test_one_card_per_applicant_row_in_input_order_invalid_rows_listed(
    small: tuple[Screened, str],
) -> None:
    screened, page = small
    parsed = Page(page)
    cards = parsed.with_class("card")
    applicants = [n for n in range(1, SMALL + 1) if n not in INVALID_ROWS]
    assert [card["id"] for card in cards] == [f"row-{n}" for n in applicants]
    assert "invalid" not in {c["data-verdict"] for c in cards}
    table = re.search(r'<table class="not-screened">.*?</table>', page, re.S)
    assert table is not None
    assert re.findall(r'<tr id="row-(\d+)"', table.group()) == [str(n) for n in INVALID_ROWS]
    assert "blank row" in table.group()
    assert len(INVALID_ROWS) == screened.screening.summary.verdicts["invalid"]
    assert "10 card(s) and 2 listed as not screened for 12 row(s) read." in "".join(parsed.text)


def test_the_page_reads_decision_first_and_the_run_facts_last(small: tuple[Screened, str]) -> None:
    page = small[1]
    order = [
        page.index(marker)
        for marker in (
            '<section id="counts">',
            '<section id="shortlist">',
            '<section id="attrition">',
            '<section id="data-quality">',
            '<section id="evidence">',
            '<section id="not-screened">',
            '<section class="card"',
            '<section id="facts"',
        )
    ]
    assert order == sorted(order)
    assert page.count("Evidence the panel judges") == 1  # printed once, not on every card
    first_table = re.search(r"<table[^>]*>", page[order[0] :])
    assert first_table is not None and first_table.group() == '<table class="shortlist">'


def test_the_shortlist_has_every_eligible_and_incomplete_row_with_reason_and_score(
    small: tuple[Screened, str],
) -> None:
    screened, page = small
    table = re.search(r'<table class="shortlist">.*?</table>', page, re.S)
    assert table is not None
    rows = re.findall(r'<tr data-row="(\d+)">(.*?)</tr>', table.group(), re.S)
    wanted = [row for row, rank in enumerate(screened.ranks, 1) if rank and row not in INVALID_ROWS]
    summary = screened.screening.summary
    assert len(rows) == summary.verdicts["eligible"] + summary.verdicts["incomplete"]
    assert {int(r) for r, _ in rows} <= set(wanted)
    ranks = [int(re.findall(r"<td[^>]*>(.*?)</td>", cells)[0]) for _, cells in rows]
    assert ranks == sorted(ranks)
    incomplete = [html.unescape(cells) for _, cells in rows if "incomplete" in cells]
    assert incomplete and all("Missing: " in cells for cells in incomplete)
    assert all(": not given" in cells for cells in incomplete if "hub" not in cells)
    assert all(re.search(r">\d of 6</td>", cells) for _, cells in rows)


def test_criteria_are_named_by_short_label_with_the_wording_on_hover(
    small: tuple[Screened, str],
) -> None:
    screened, page = small
    body = page[page.index("<body") :]
    text = " ".join(Page(re.sub(r"<svg.*?</svg>", "", body, flags=re.S)).text)
    for compiled in screened.screener.compiled.criteria:
        criterion = compiled.criterion
        assert criterion.short and criterion.short in text
        assert f'title="{html.escape(criterion.text)}"' in body or (
            f'title="{_ascii_reference(criterion.text)}"' in body
        )
        assert not re.search(rf"\b{criterion.id}\b", text), criterion.id
    appendix = page[page.index('<section id="facts"') :]
    for compiled in screened.screener.compiled.criteria:
        assert html.escape(compiled.criterion.text) in appendix  # the published wording


def _ascii_reference(text: str) -> str:
    escaped = html.escape(text)
    return escaped.encode("ascii", "xmlcharrefreplace").decode()


def test_charts_carry_the_summary_counts(small: tuple[Screened, str]) -> None:
    screened, page = small
    summary = screened.screening.summary
    verdicts = re.search(r'<svg class="chart bars" id="verdict-chart".*?</svg>', page, re.S)
    assert verdicts is not None
    values = [int(v) for v in re.findall(r'data-value="(\d+)"', verdicts.group())]
    assert values == [summary.verdicts[v] for v in ("eligible", "incomplete", "not_eligible")] + [
        summary.verdicts["invalid"]
    ]
    attrition = re.search(r'<svg class="chart bars" id="attrition-chart".*?</svg>', page, re.S)
    assert attrition is not None
    essentials = [c for c, e in zip(summary.criteria, summary.essential, strict=True) if e]
    excluded = [int(v) for v in re.findall(r'data-value="(\d+)"', attrition.group())]
    assert excluded == [summary.excluded[c] for c in essentials]
    assert sum(excluded) >= summary.verdicts["not_eligible"] > 0


def test_data_quality_panel_counts_every_mapped_column(small: tuple[Screened, str]) -> None:
    screened, page = small
    table = re.search(r'<table class="quality">.*?</table>', page, re.S)
    assert table is not None
    rows = re.findall(r"<tr><td>(.*?)</td>(.*?)</tr>", table.group())
    summary = screened.screening.summary
    assert len(rows) == len(summary.columns)
    readable = 0
    for _, cells in rows:
        counts = [int(n.replace(",", "")) for n in re.findall(r"(\d[\d,]*)</td>", cells)]
        assert sum(counts) == summary.rows - summary.verdicts["invalid"]
        readable += counts[3]
    assert readable > 0  # the generated export holds unreadable answers
    assert "⚠" in table.group()


def card_of(page: str, row: int) -> str:
    """Row ``row``'s card, as markup."""
    card = re.search(rf'<section class="card" id="row-{row}".*?</section>', page, re.S)
    assert card is not None
    return card.group()


def test_the_known_candidates_card(small: tuple[Screened, str]) -> None:
    screened, page = small
    text = card_of(page, 1)
    shown = html.unescape(text)  # the cards' own words are ASCII, with character references
    assert f"<h2>Row 1: {KNOWN_NAME}</h2>" in text
    assert KNOWN_EMAIL in text
    assert "ELIGIBLE — meets every essential criterion" in shown
    assert "rank 1 of 12" in text
    # Every criterion once: a fact criterion as a table row, an evidence one in the checklist.
    criteria = [c.criterion for c in screened.screener.compiled.criteria]
    marked = re.findall(r'<(tr|li) data-criterion="([^"]+)"', text)
    assert sorted(c for _, c in marked) == sorted(c.id for c in criteria)
    kinds = {c.id: c.kind.value for c in criteria}
    assert {tag for tag, c in marked if kinds[c] == "evidence"} == {"li"}
    assert {tag for tag, c in marked if kinds[c] != "evidence"} == {"tr"}
    assert "Statement, with the evidence criteria to tick" in shown
    assert '<ul class="checklist">' in text and "&#9744; " in text  # boxes to tick on paper
    assert STATEMENT.replace("&", "&amp;") in text
    assert 'id="score-row-1"' in text  # the desirable score chart
    assert text.isascii()


def test_the_evidence_list_is_printed_once_and_cards_tick_short_labels(
    small: tuple[Screened, str],
) -> None:
    screened, page = small
    panel = re.search(r'<section id="evidence">.*?</section>', page, re.S)
    assert panel is not None
    listed = html.unescape(panel.group())
    card = html.unescape(card_of(page, 1))
    for compiled in screened.screener.compiled.criteria:
        criterion = compiled.criterion
        if criterion.kind.value != "evidence":
            continue
        item = re.search(rf'<li data-criterion="{criterion.id}" title="[^"]*">(.*?)</li>', listed)
        assert item is not None, criterion.id
        assert item.group(1) == (
            f"<strong>{criterion.short}</strong> ({criterion.level.value}): {criterion.evidence}"
        )
        ticked = re.search(rf'<li data-criterion="{criterion.id}" title="([^"]*)">(.*?)</li>', card)
        assert ticked is not None and ticked.group(1) == criterion.text
        assert ticked.group(2) == f"☐ {criterion.short}"  # unanswered: nothing more to say


def test_equal_score_charts_are_drawn_once(small: tuple[Screened, str]) -> None:
    page = small[1]
    symbols = re.findall(r'<symbol id="(mc-score-\d+)"', page)
    uses = re.findall(r'<use href="#(mc-score-\d+)"/>', page)
    assert len(set(symbols)) == len(symbols) > 0
    assert set(uses) == set(symbols)
    charts = re.findall(r'<svg class="chart stacked" id="score-row-(\d+)"', page)
    assert len(uses) == len(charts) == len(set(charts))


def test_a_card_shows_every_outcome_with_its_reason_and_the_path(
    small: tuple[Screened, str],
) -> None:
    page = small[1]
    not_eligible = re.search(
        r'<section class="card" id="row-\d+"[^>]*data-verdict="not_eligible">.*?</section>',
        page,
        re.S,
    )
    assert not_eligible is not None
    text = html.unescape(not_eligible.group())
    assert "NOT ELIGIBLE — an essential criterion is not met" in text
    assert '<td class="not_met">✘ Not met</td>' in text
    assert "<h3>What is missing or stands in the way</h3>" in text
    assert "Answer: " not in page  # the panel is told what is missing, not asked to answer
    assert '<section class="card" id="row-6"' not in page  # invalid: listed, not a card


def test_redaction_removes_names_emails_ids_and_free_text(redacted: str) -> None:
    for private in (KNOWN_NAME, KNOWN_EMAIL, "applicant5@school.example", "Applicant 5"):
        assert private not in redacted
    assert "&lt;script&gt;" not in redacted and "HYPERLINK" not in redacted
    assert "lesson study" not in redacted
    assert "<th>Applicant</th>" not in redacted
    assert 'class="facts identity"' not in redacted
    parsed = Page(redacted)
    assert len(parsed.with_class("card")) == SMALL - len(INVALID_ROWS)
    assert "<h2>Row 1</h2>" in redacted
    fact = parsed.by_id("fact-redacted")
    assert fact is not None
    assert 'Redacted</dt><dd id="fact-redacted">yes' in redacted


def test_facts_name_the_input_file_not_its_folder(small: tuple[Screened, str]) -> None:
    screened, page = small
    assert '<dd id="fact-input">applications.csv</dd>' in page
    assert str(screened.source.name) not in page  # the full path
    for criteria_file in screened.facts.criteria_files:
        assert re.fullmatch(r"[0-9a-f]{64}", criteria_file.sha256)
        assert f"sha256 {criteria_file.sha256}" in page
    assert '<dd id="fact-last-verified">' in page
    assert '<dd id="fact-rows-in">12</dd>' in page


def test_print_layout_is_a4_with_a_page_per_card() -> None:
    assert "@page { size: A4; margin: 15mm; }" in STYLE
    assert re.search(r"@media print \{.*\.card \{ break-before: page;", STYLE, re.S)
    assert re.search(r"@media print \{.*thead \{ display: table-header-group; \}", STYLE, re.S)


QUESTIONS = {"When were you awarded QTS?": "QTS awarded", "How many years?": "Years taught"}


@pytest.mark.parametrize(
    ("step", "said"),
    [
        ("Answer: When were you awarded QTS?", "QTS awarded: not given"),
        (
            "Give a more exact answer (a month or a date) to: When were you awarded QTS?",
            "QTS awarded: not exact enough (a month or a date needed)",
        ),
        (
            "Answer again, in a form the checker reads ('lots' could not be read): How many years?",
            "Years taught: answer could not be read ('lots')",
        ),
        ("Ask your Maths Hub to confirm: QTLS", "For the hub to confirm: QTLS"),
        ("Answer: A question not in the catalogue?", "Answer: A question not in the catalogue?"),
    ],
)
def test_path_steps_are_told_to_the_panel(step: str, said: str) -> None:
    assert panel_step(step, QUESTIONS) == said


def test_a_shortlist_reason_says_what_is_missing_and_what_the_hub_confirms() -> None:
    missing = ["A: not given", "B: not given", "C: not given", "D: not given"]
    assert shortlist_reason("incomplete", missing) == (
        "Missing: A: not given; B: not given; C: not given (and 1 more)"
    )
    assert shortlist_reason("eligible", []) == "Meets every essential criterion"
    assert shortlist_reason("eligible", ["For the hub to confirm: QTLS"]) == (
        "Meets every essential criterion. For the hub to confirm: QTLS"
    )
    assert shortlist_reason("incomplete", ["A: not given", "For the hub to confirm: Q"]) == (
        "Missing: A: not given. For the hub to confirm: Q"
    )


def test_the_stylesheet_is_package_data_read_once() -> None:
    """The CSS ships in the wheel as ``html_assets/report.css`` and is inlined as it is."""
    css = files("masterycheck.reporters").joinpath("html_assets").joinpath("report.css")
    assert css.is_file()
    assert css.read_text(encoding="utf-8").strip() == STYLE
    assert asset("report.css") is asset("report.css")
    assert f"<style>\n{STYLE}\n</style>" in page_head("A title")


HTML_MODULES = sorted(
    [
        *(REPORTERS / name for name in ("html.py", "html_cards.py", "html_page.py")),
        REPORTERS / "svg_charts.py",
        *(REPORTERS / "html_screen").glob("*.py"),
    ]
)


@pytest.mark.parametrize("path", HTML_MODULES, ids=lambda p: str(p.relative_to(REPORTERS)))
def test_each_html_module_says_its_job_in_at_most_400_lines(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert ast.get_docstring(ast.parse(text))
    assert len(text.splitlines()) <= 400


def _cards(screened: Screened) -> list[str]:
    """Every card, rendered with its rank straight from the screening pass's parts."""
    builder = CardBuilder(screened.screener)
    facts = screened.facts
    labels = {f.question: f.label for f in screened.screener.compiled.catalogue.fields}
    shorts = {c.id: c.short for c in facts.criteria}
    renderer = CardRenderer(facts.input_name, facts.score_out_of, shorts=shorts, labels=labels)
    cards: list[str] = []

    def add(
        row: int, line: int, cells: tuple[str, ...], evaluation: Evaluation, notes: tuple[str, ...]
    ) -> None:
        if evaluation.verdict == "invalid":  # listed in a table, not given a card
            cards.append("")
            return
        card = builder.card(row, line, cells, evaluation, notes, screened.ranks[row - 1])
        cards.append(renderer.render(card, facts.rows_in))

    screened.screener.screen_rows(screened.source.rows(), add)
    return cards


def test_missing_cards_fail_and_leave_no_file(small: tuple[Screened, str], tmp_path: Path) -> None:
    screened, _ = small
    target = tmp_path / "report.html"
    chunks = render_screening_html(
        screened.facts, screened.screening.summary, screened.entries, _cards(screened)[:-1]
    )
    with pytest.raises(ReportError, match=r"rows in \(12\) != cards in the report \(11\)"):
        write_screening_html(target, chunks)
    assert not target.exists()


def test_the_report_is_streamed_in_chunks_its_spooled_cards_as_rendered_directly(
    small: tuple[Screened, str], tmp_path: Path
) -> None:
    screened, page = small
    chunks = list(
        render_screening_html(
            screened.facts, screened.screening.summary, screened.entries, _cards(screened)
        )
    )
    assert len(chunks) >= 3
    rendered = [card for card in _cards(screened) if card]
    assert len(rendered) == len(Page(page).with_class("card"))
    for card in rendered:  # every card spooled is the card rendered directly
        assert card in page
    again = tmp_path / "again.html"
    assert write_report(screened, again) == len(page)
    assert again.read_text(encoding="utf-8") == page


def test_cards_take_the_screenings_own_results(
    small: tuple[Screened, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No criterion is evaluated again for a card: the results are the screener's memo's."""
    screened, _ = small
    builder = CardBuilder(screened.screener)
    calls: list[object] = []
    monkeypatch.setattr(
        "masterycheck.batch.screening.criterion_result", lambda *args: calls.append(args)
    )
    cards = []

    def add(
        row: int, line: int, cells: tuple[str, ...], evaluation: Evaluation, notes: tuple[str, ...]
    ) -> None:
        cards.append(builder.card(row, line, cells, evaluation, notes))

    screened.screener.screen_rows(screened.source.rows(), add)
    assert calls == []
    assert len(cards) == SMALL
    assert all(card.detail.problem is not None or card.detail.results for card in cards)


# --- the personal report ---------------------------------------------------------------------


def test_personal_report_is_a_card_with_window_and_commitment() -> None:
    catalogue = load_catalogue()
    profile = load_profile(EXAMPLES / "primary-not-eligible.yaml", catalogue)
    programmes = load_all_programmes(catalogue)
    page = render_personal_html([assess(p, profile, dt.date(2026, 3, 1)) for p in programmes])
    parsed = Page(page)
    cards = parsed.with_class("card")
    assert {card["id"] for card in cards} == {"primary", "secondary", "post16"}
    primary = re.search(r'<section class="card" id="primary".*?</section>', page, re.S)
    assert primary is not None
    text = primary.group()
    for words in (
        "<h3>Application window</h3>",
        "<dt>Closes</dt><dd>23 April 2026</dd>",
        "open: closes in 53 days, on 23 April 2026",
        "<h3>Commitment</h3>",
        "10 days release time",
        "<h3>Essential criteria</h3>",
        "<h3>Path to eligibility</h3>",
        'id="score-primary"',
    ):
        assert words in text, words
    assert external_references(page) == []
    assert "@page { size: A4; margin: 15mm; }" in page


def test_personal_card_shows_an_answered_evidence_criterion_with_its_reason() -> None:
    from masterycheck.core.profile import Profile

    catalogue = load_catalogue()
    primary = next(p for p in load_all_programmes(catalogue) if p.programme.id == "primary")
    profile = Profile({"self_passion_tfm": True, "self_collaborative": False})
    page = html.unescape(render_personal_html([assess(primary, profile, dt.date(2026, 3, 1))]))
    items = dict(re.findall(r'<li data-criterion="([^"]+)">(.*?)</li>', page))
    assert (
        '<span class="met">— ✔ Met (self-declared):</span> you answered yes'
        in items["passion_for_tfm"]
    )
    assert (
        '<span class="not_met">— ✘ Not met:</span> you answered no'
        in items["works_collaboratively"]
    )
    assert "unknown" not in items["good_teaching_observed"]  # not answered: said once above
    assert "? unknown</span>: you have not said whether you meet it" in page
    assert "<h3>What your application statement must evidence</h3>" in page
    assert not re.search(r'<tr data-criterion="(passion_for_tfm|works_collaboratively)"', page)


def test_check_writes_the_html_report(tmp_path: Path) -> None:
    target = tmp_path / "me.html"
    result = CliRunner().invoke(
        app,
        [
            "check", "primary", "-p", str(EXAMPLES / "primary-eligible.yaml"),
            "--as-of", "2026-01-10", "--report", str(target),
        ],
    )  # fmt: skip
    assert result.exit_code == ExitCode.OK, result.output
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert 'class="card" id="primary"' in page
    assert "Verdict: ELIGIBLE" in page
    assert external_references(page) == []
    assert target.stat().st_mode & 0o077 == 0  # written through atomic_output (0600)


def test_check_refuses_other_report_suffixes(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "check", "primary", "-a", "qualified_status=none",
            "--report", str(tmp_path / "me.pdf"),
        ],
    )  # fmt: skip
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "--report: the report file must end in .md or .html" in result.output
    assert not (tmp_path / "me.pdf").exists()


# --- masterycheck screen --html ----------------------------------------------------------


def test_screen_writes_the_html_report(tmp_path: Path, small: tuple[Screened, str]) -> None:
    target = generate_with_cli(tmp_path, SMALL)
    page = target.read_text(encoding="utf-8")
    assert (tmp_path / "results.csv").is_file()

    def outline(page: str) -> list[str]:  # the run's notes differ: the CLI adds its own
        return [line for line in structure(page).splitlines() if "ul.notes" not in line]

    assert outline(page) == outline(small[1])  # the same report as the pipeline's
    assert f"<td>{KNOWN_NAME}</td>" in page  # the shortlist names the applicants
    assert target.stat().st_mode & 0o077 == 0  # written through atomic_output (0600)


def test_screen_redacts_the_html_report(tmp_path: Path) -> None:
    page = generate_with_cli(tmp_path, SMALL, "--redact").read_text(encoding="utf-8")
    assert KNOWN_NAME not in page and KNOWN_EMAIL not in page and "lesson study" not in page
    assert '<dd id="fact-redacted">yes' in page


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("report.pdf", "--html: the HTML report file must end in .html"),
        ("results.csv", "--html: the HTML report file must end in .html"),
    ],
)
def test_screen_refuses_a_bad_html_target_before_any_work(
    tmp_path: Path, name: str, message: str
) -> None:
    from html_report_data import write_export, write_mapping

    export, mapping = tmp_path / "applications.csv", tmp_path / "mapping.yaml"
    write_export(export, SMALL)
    write_mapping(mapping)
    result = CliRunner().invoke(
        app,
        [
            "screen", str(export), "--programme", "primary", "--mapping", str(mapping),
            "-o", str(tmp_path / "results.csv"), "--html", str(tmp_path / name),
        ],
    )  # fmt: skip
    assert result.exit_code == ExitCode.BAD_INPUT
    assert message in result.output
    assert not (tmp_path / "results.csv").exists()


def test_screen_refuses_an_html_report_over_the_results(tmp_path: Path) -> None:
    from html_report_data import write_export, write_mapping

    export, mapping = tmp_path / "applications.csv", tmp_path / "mapping.yaml"
    write_export(export, SMALL)
    write_mapping(mapping)
    result = CliRunner().invoke(
        app,
        [
            "screen", str(export), "--programme", "primary", "--mapping", str(mapping),
            "-o", str(tmp_path / "out.html"), "--format", "csv",
            "--html", str(tmp_path / "out.html"),
        ],
    )  # fmt: skip
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "the HTML report and the results must be different files" in result.output
    assert not (tmp_path / "out.html").exists()
