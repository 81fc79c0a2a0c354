"""The screening report in a real browser: Debian's headless Chromium.

A generated export of 60 applicants is screened with ``masterycheck screen --html`` and the
report opened from disk. Asserted on the DOM Chromium renders (``--dump-dom``): one card per
row, the counts in the charts and facts, the known candidate's card, hostile names as text.
Chromium records its network activity (``--log-net-log``): the page must start no request at
all (the browser's own background requests, which have no page as initiator, are not the
page's). The page is also printed to PDF: A4, every card on one page of its own. A screenshot is
saved to ``test-artifacts/screening-report.png``.

Skipped when ``chromium`` is not installed, unless ``MASTERYCHECK_REQUIRE_CHROMIUM`` is set (as
in CI), in which case it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
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
APPLICANTS = 60
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


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Rendered]:
    chromium()
    folder = tmp_path_factory.mktemp("browser")
    target = generate_with_cli(folder, APPLICANTS)
    ARTIFACTS.mkdir(exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    return target, render(target, folder, screenshot=SCREENSHOT)


def test_the_rendered_dom_has_one_card_per_applicant(report: tuple[Path, Rendered]) -> None:
    _, rendered = report
    dom = Page(rendered.dom)
    cards = dom.with_class("card")
    assert len(cards) == APPLICANTS
    assert [card["id"] for card in cards] == [f"row-{n}" for n in range(1, APPLICANTS + 1)]
    text = "".join(dom.text)
    assert f"{APPLICANTS} card(s) for {APPLICANTS} row(s) read." in text
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
        for verdict in ("eligible", "incomplete", "not_eligible", "invalid")
    ]
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
    assert "Essential criteria" in text and "Evidence for the panel to judge" in text


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


#: Pages before the first card: the run's facts, the charts, the data-quality panel and the
#: shortlist take 3 pages of A4 (measured with Debian's Chromium); one more is allowed.
FRONT_PAGES = 4


def test_it_prints_on_a4_one_page_per_card(report: tuple[Path, Rendered]) -> None:
    _, rendered = report
    pages, sizes = pdf_pages(rendered.pdf)
    assert sizes == {(595, 842)}  # A4 in points
    # The overview, then every card on a page of its own (a page break before each) and,
    # for these typical applicants, on one page only.
    assert APPLICANTS + 1 <= pages <= APPLICANTS + FRONT_PAGES


def test_the_screenshot_is_saved(report: tuple[Path, Rendered]) -> None:
    data = SCREENSHOT.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # not a blank page
