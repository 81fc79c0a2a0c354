"""The screening report in a real browser: Debian's headless Chromium.

A generated export of 40 applicants is screened with ``masterycheck screen --html`` and the
report opened from disk. Asserted on the DOM Chromium renders (``--dump-dom``): the counts,
then the shortlist of every eligible and incomplete applicant as the first table; one card per
applicant row (invalid rows listed in a table instead); no criterion id as visible text; the
known candidate's card; hostile names as text.
Chromium records its network activity (``--log-net-log``): the page must start no request at
all (the browser's own background requests, which have no page as initiator, are not the
page's). The page is also printed to PDF: A4, no blank page, and every card on exactly one page
(the report printed without its cards takes exactly as many pages fewer as it has cards). A
screenshot is saved to ``test-artifacts/screening-report.png``.

Skipped when ``chromium`` is not installed, unless ``MASTERYCHECK_REQUIRE_CHROMIUM`` is set (as
in CI), in which case it fails.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_html_reports import Page, external_references

from html_report_data import (
    FORMULA_NAME,
    KNOWN_EMAIL,
    KNOWN_NAME,
    SCRIPT_NAME,
    generate_with_cli,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOT = ARTIFACTS / "screening-report.png"
APPLICANTS = 40
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("MASTERYCHECK_REQUIRE_CHROMIUM"):
            pytest.fail("MASTERYCHECK_REQUIRE_CHROMIUM is set but chromium is not installed")
        pytest.skip("headless Chromium not installed (Debian: apt-get install chromium)")
    return found


@dataclass
class Rendered:
    dom: str
    requests: list[str]  # URLs the page itself asked for
    pdf: Path
    seconds: float


def page_requests(net_log: Path) -> list[str]:
    """URLs of the requests a page started, from a Chromium NetLog file.

    The browser's own requests (update checks and the like) carry the initiator "not an
    origin"; a page's carry its origin ("null" for a file opened from disk).
    """
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    found = []
    for event in log["events"]:
        params = event.get("params") or {}
        initiator = params.get("initiator", "not an origin")
        if event["type"] == start and "url" in params and initiator != "not an origin":
            found.append(str(params["url"]))
    return found


def render(page: Path, work: Path, *, screenshot: Path | None = None) -> Rendered:
    """Open ``page`` from disk in headless Chromium: DOM, page requests, PDF, screenshot."""
    net_log, pdf = work / "net-log.json", work / "page.pdf"
    command = [
        chromium(),
        *FLAGS,
        f"--user-data-dir={work / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # nothing resolves, should anything try
        f"--log-net-log={net_log}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        "--dump-dom",
    ]
    if screenshot is not None:
        command += [f"--screenshot={screenshot}", "--window-size=1280,2000"]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr[-2000:]
    return Rendered(done.stdout, page_requests(net_log), pdf, seconds)


def pdf_pages(pdf: Path) -> tuple[int, set[tuple[int, int]]]:
    """The number of pages of a PDF Chromium printed, and their sizes in points."""
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    sizes = {
        (round(float(w)), round(float(h)))
        for w, h in re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    }
    return pages, sizes


def blank_pages(pdf: Path) -> int:
    """How many pages of a PDF Chromium printed draw no text at all."""
    data = pdf.read_bytes()
    blank = 0
    for number in re.findall(rb"/Contents (\d+) 0 R", data):
        found = re.search(rb"\n%s 0 obj\s*<<(.*?)>>\s*stream\r?\n" % number, data, re.S)
        assert found is not None
        length = re.search(rb"/Length (\d+)", found.group(1))
        assert length is not None
        raw = data[found.end() : found.end() + int(length.group(1))]
        content = zlib.decompress(raw) if b"FlateDecode" in found.group(1) else raw
        blank += b"Tj" not in content and b"TJ" not in content
    return blank


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Rendered]:
    chromium()
    folder = tmp_path_factory.mktemp("browser")
    target = generate_with_cli(folder, APPLICANTS)
    shot = folder / SCREENSHOT.name  # this worker's own: xdist runs the fixture per worker
    rendered = render(target, folder, screenshot=shot)
    if shot.is_file():  # kept for people to look at; replaced whole, never half-written
        ARTIFACTS.mkdir(exist_ok=True)
        spare = ARTIFACTS / f".{SCREENSHOT.name}.{os.getpid()}"
        shutil.copyfile(shot, spare)
        spare.replace(SCREENSHOT)
    return target, rendered


def verdicts(page: Path) -> dict[int, str]:
    """Each row's verdict, from the results CSV written beside the report."""
    with (page.parent / "results.csv").open(encoding="utf-8-sig", newline="") as stream:
        return {int(r["row"]): r["verdict"] for r in csv.DictReader(stream)}


def test_the_rendered_dom_has_one_card_per_applicant(report: tuple[Path, Rendered]) -> None:
    page, rendered = report
    dom = Page(rendered.dom)
    cards = dom.with_class("card")
    invalid = sorted(row for row, verdict in verdicts(page).items() if verdict == "invalid")
    assert invalid  # the export holds a blank and a short row
    applicants = [n for n in range(1, APPLICANTS + 1) if n not in invalid]
    assert [card["id"] for card in cards] == [f"row-{n}" for n in applicants]
    listed = re.search(r'<table class="not-screened">.*?</table>', rendered.dom, re.S)
    assert listed is not None
    assert [int(r) for r in re.findall(r'<tr id="row-(\d+)"', listed.group())] == invalid
    text = "".join(dom.text)
    assert (
        f"{len(applicants)} card(s) and {len(invalid)} listed as not screened for "
        f"{APPLICANTS} row(s) read." in text
    )
    rows_in = re.search(r'<dd id="fact-rows-in">(\d+)</dd>', rendered.dom)
    assert rows_in is not None and int(rows_in.group(1)) == APPLICANTS


def test_the_verdict_chart_adds_up_to_the_cards(report: tuple[Path, Rendered]) -> None:
    _, rendered = report
    chart = re.search(r'<svg class="chart bars" id="verdict-chart".*?</svg>', rendered.dom, re.S)
    assert chart is not None
    counts = [int(v) for v in re.findall(r'data-value="(\d+)"', chart.group())]
    cards = Page(rendered.dom).with_class("card")
    by_verdict = [
        sum(1 for card in cards if card["data-verdict"] == verdict)
        for verdict in ("eligible", "incomplete", "not_eligible")
    ] + [rendered.dom.count('<td class="invalid">')]
    assert counts == by_verdict
    assert sum(counts) == APPLICANTS and all(counts)
    printed = re.findall(r'<text class="value"[^>]*>([\d,]+)</text>', chart.group())
    assert [int(p) for p in printed] == counts  # the numbers are printed on the chart


def test_the_known_candidates_card(report: tuple[Path, Rendered]) -> None:
    _, rendered = report
    card = re.search(r'<section class="card" id="row-1".*?</section>', rendered.dom, re.S)
    assert card is not None
    text = card.group()
    assert f"<h2>Row 1: {KNOWN_NAME}</h2>" in text
    assert KNOWN_EMAIL in text
    assert 'data-verdict="eligible"' in text and 'data-rank="1"' in text
    assert "Essential criteria" in text and 'class="checklist"' in text
    assert "Evidence for the panel to judge" not in text  # the list is printed once, up front


def test_hostile_names_are_text_in_the_browser(report: tuple[Path, Rendered]) -> None:
    _, rendered = report
    dom = Page(rendered.dom)
    assert "script" not in {tag for tag, _ in dom.tags}
    text = "".join(dom.text)
    assert f"Row 2: {SCRIPT_NAME}" in text
    assert f"Row 3: {FORMULA_NAME}" in text


def test_no_network_request_is_attempted(report: tuple[Path, Rendered]) -> None:
    page, rendered = report
    assert external_references(page.read_text(encoding="utf-8")) == []
    assert external_references(rendered.dom) == []
    assert rendered.requests == []


def test_the_network_check_sees_a_page_that_fetches(tmp_path: Path) -> None:
    """Control: the same check catches a page with external references."""
    page = tmp_path / "fetches.html"
    page.write_text(
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.example.test/x.css">'
        '</head><body><img src="http://img.example.test/a.png" alt=""></body></html>',
        encoding="utf-8",
    )
    rendered = render(page, tmp_path)
    assert set(rendered.requests) == {
        "https://cdn.example.test/x.css",
        "http://img.example.test/a.png",
    }


def test_the_shortlist_is_the_first_table_after_the_counts_and_names_every_candidate(
    report: tuple[Path, Rendered],
) -> None:
    page, rendered = report
    dom = rendered.dom
    counts = dom.index('<section id="counts">')
    assert dom.index("<table") > counts
    first = re.search(r"<table[^>]*>", dom[counts:])
    assert first is not None and first.group() == '<table class="shortlist">'
    assert dom.index('<section id="facts"') > dom.rindex('class="card"')  # the appendix last
    table = re.search(r'<table class="shortlist">.*?</table>', dom, re.S)
    assert table is not None
    wanted = {row for row, v in verdicts(page).items() if v in {"eligible", "incomplete"}}
    assert len(wanted) > 10  # more than the old cap of ten
    listed = [int(r) for r in re.findall(r'<tr data-row="(\d+)">', table.group())]
    assert sorted(listed) == sorted(wanted)
    for row in re.findall(r"<tr data-row=.*?</tr>", table.group(), re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert re.fullmatch(r"\d+ of \d+", cells[-2])  # the desirable score
        reason = html.unescape(cells[-1])
        if "incomplete" in row:
            assert reason.startswith(("Missing: ", "For the hub to confirm: "))
            assert "Answer:" not in reason and "Ask your Maths Hub" not in reason
        else:
            assert reason.startswith("Meets every essential criterion")


def test_no_criterion_id_is_visible_text(report: tuple[Path, Rendered]) -> None:
    page, rendered = report
    with (page.parent / "results.csv").open(encoding="utf-8-sig", newline="") as stream:
        headings = next(csv.reader(stream))
    ids = [h for h in headings if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", h)]
    ids = [i for i in ids if not i.startswith(("applicant_", "score_", "path_", "duplicate_"))]
    assert len(ids) >= 10
    body = rendered.dom[rendered.dom.index("<body") :]
    body = re.sub(r"<style.*?</style>", "", body, flags=re.S)
    text = " ".join(Page(body).text)
    shown = [i for i in ids if re.search(rf"\b{i}\b", text)]
    assert shown == []
    assert "data-criterion" in body  # the ids are still there, for scripts, as attributes


def test_it_prints_on_a4_one_page_per_card_and_no_blank_page(
    report: tuple[Path, Rendered], tmp_path: Path
) -> None:
    page, rendered = report
    pages, sizes = pdf_pages(rendered.pdf)
    assert sizes == {(595, 842)}  # A4 in points
    assert blank_pages(rendered.pdf) == 0
    # The same report without its cards: every card adds exactly one page (a page break
    # before each, and no card runs onto a second page).
    cards = len(Page(rendered.dom).with_class("card"))
    without = tmp_path / "without-cards.html"
    markup = page.read_text(encoding="utf-8")
    without.write_text(
        re.sub(r'<section class="card".*?</section>\n?', "", markup, flags=re.S),
        encoding="utf-8",
    )
    front_and_appendix, _ = pdf_pages(render(without, tmp_path).pdf)
    assert pages == front_and_appendix + cards


def test_the_screenshot_is_saved(report: tuple[Path, Rendered]) -> None:
    data = (report[0].parent / SCREENSHOT.name).read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # not a blank page


def test_cards_with_long_statements_still_print_one_page_each(tmp_path: Path) -> None:
    """Kept statements of 150 to 3,000 words: every card still takes exactly one A4 page (a
    long statement is cut at the page's foot, and its card says so above it) and no page is
    blank."""
    chromium()
    from typer.testing import CliRunner

    from masterycheck.cli.app import app

    export = ROOT / "examples" / "forms-export-primary.csv"
    with export.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source))
    kept = rows[0].index("Personal statement")
    sentence = "I lead a lesson study group with two schools and we plan and observe together."
    for number, row in enumerate(rows[1:]):
        row += [""] * (len(rows[0]) - len(row))
        words = (150, 400, 900, 3000)[number % 4]
        row[kept] = " ".join((sentence.split() * 200)[:words])
    long = tmp_path / "long.csv"
    with long.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    page = tmp_path / "long.html"
    mapping = ROOT / "examples" / "forms-export-primary.mapping.yaml"
    arguments = [str(long), "--programme", "primary", "--mapping", str(mapping)]
    result = CliRunner().invoke(
        app, ["screen", *arguments, "-o", str(tmp_path / "r.csv"), "--html", str(page)]
    )
    assert result.exit_code == 0, result.stderr
    markup = page.read_text(encoding="utf-8")
    assert markup.count("a printed card ends at the foot of its page") == 9  # over 250 words
    rendered = render(page, tmp_path)
    pages, _ = pdf_pages(rendered.pdf)
    assert blank_pages(rendered.pdf) == 0
    cards = markup.count('<section class="card"')
    without = tmp_path / "without-cards.html"
    without.write_text(
        re.sub(r'<section class="card".*?</section>\n?', "", markup, flags=re.S),
        encoding="utf-8",
    )
    assert pages == pdf_pages(render(without, tmp_path).pdf)[0] + cards
