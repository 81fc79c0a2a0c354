"""The self-check page in a real browser: Debian's headless Chromium.

The differential: generated profiles (hypothesis) are put in the page, each as a fragment,
and every programme's ``data-verdict``, every criterion's ``data-outcome`` (and whether it is
left to the hub), the desirable score, the path to eligibility, the window, the best fit and
the next question are compared with the Python engine's. The normal run takes a sample in one
page load: the page assesses a list of fragments given in an ``#mc-batch`` JSON block (data,
not script, so the page's policy is unchanged), each in a copy of its own results. A few
single loads check the real path (the fragment in the address). With
``MASTERYCHECK_FULL_DIFFERENTIAL=1``, 1,000 profiles per programme.

Also: no request and no Content-Security-Policy report (Chromium's console) while the page
loads and answers; the page without JavaScript; axe-core's WCAG 2.2 AA rules (fetched with
npm into pytest's cache, injected only into a test copy of the page with its hash added to
the policy; skipped when it cannot be fetched); a screenshot for the README.

Skipped when ``chromium`` is not installed, unless ``MASTERYCHECK_REQUIRE_CHROMIUM`` is set.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_html_browser import FLAGS, chromium, page_requests, pdf_pages
from test_self_check_page import (
    ROOT,
    Record,
    differential_size,
    disagreements,
    engine_record,
    programmes,
    sample,
)
from typer.testing import CliRunner

from masterycheck.cli.app import app
from masterycheck.reporters.self_check_page.page import csp_hash, json_block

BATCH = 400  # fragments per page load
SCREENSHOT = ROOT / "test-artifacts" / "self-check-page.png"
TODAY = dt.date.today()


@dataclass
class Loaded:
    dom: str
    console: list[str]  # what the page logged: errors, policy reports
    requests: list[str]  # URLs the page itself asked for


def load(page: Path, work: Path, fragment: str = "", *extra: str) -> Loaded:
    """Open ``page`` (with ``#fragment``) in headless Chromium: its DOM, console and requests."""
    net_log = work / f"net-{len(list(work.glob('net-*')))}.json"
    done = subprocess.run(
        [
            chromium(),
            *FLAGS,
            f"--user-data-dir={work / 'profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--log-net-log={net_log}",
            "--enable-logging=stderr",
            "--v=0",
            *extra,
            "--dump-dom",
            page.resolve().as_uri() + (f"#{fragment}" if fragment else ""),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = re.findall(r":CONSOLE[^\]]*\] (.*)", done.stderr)
    return Loaded(done.stdout, console, page_requests(net_log))


def with_scripts(page: str, *scripts: str) -> str:
    """A test copy of the page with more inline scripts, each allowed by its hash."""
    hashes = " ".join(csp_hash(script) for script in scripts)
    assert page.count("script-src ") == 1
    page = page.replace("script-src ", f"script-src {html.escape(hashes)} ", 1)
    tags = "".join(f"<script>{script}</script>" for script in scripts)
    return page.replace("</body>", tags + "</body>", 1)


def with_batch(page: str, cases: Sequence[str]) -> str:
    """A test copy of the page that assesses each of ``cases`` (a JSON block, not a script)."""
    block = f'<script type="application/json" id="mc-batch">{json_block(list(cases))}</script>'
    marker = '<script type="application/json" id="mc-data">'
    return page.replace(marker, f"{block}\n{marker}", 1)


class Hooks(HTMLParser):
    """The records a page shows: one per ``[data-case]`` (or the page itself)."""

    def __init__(self, dom: str) -> None:
        super().__init__()
        self.records: list[Record] = []
        self.profiles: list[str] = []
        self.ranks: dict[str, int] = {}
        self.next = ""
        self._programme: dict[str, object] = {}
        self.feed(dom)

    def _new(self) -> Record:
        record: Record = {"fit": [], "next": "", "programmes": {}}
        self.records.append(record)
        return record

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if "data-case" in a:
            record = self._new()
            record["fit"] = a["data-fit"].split(",")
            record["next"] = a["data-next-question"]
            self.profiles.append(a["data-profile"])
        if tag == "form" and "data-next-question" in a:
            self.next = a["data-next-question"]
        if "data-programme" in a and "data-verdict" in a:
            record = self.records[-1] if self.records else self._new()
            self._programme = {
                "verdict": a["data-verdict"],
                "not_for_you": a["data-not-for-you"],
                "criteria": {},
            }
            record["programmes"][a["data-programme"]] = self._programme
            if "data-rank" in a:
                self.ranks[a["data-programme"]] = int(a["data-rank"])
        if "data-criterion" in a and "data-outcome" in a:
            criteria = self._programme["criteria"]
            assert isinstance(criteria, dict)
            criteria[a["data-criterion"]] = [a["data-outcome"], a["data-hub"]]
        if "data-steps" in a:
            self._programme["path"] = json.loads(a["data-steps"])
        if "data-score" in a:
            self._programme["score"] = [int(n) for n in a["data-score"].split(",")]
        if "data-window" in a:
            self._programme["window"] = a["data-window"]

    def page_record(self) -> Record:
        """The page's own record (no batch): best fit from ``data-rank``."""
        record = self.records[0]
        record["fit"] = sorted(self.ranks, key=self.ranks.__getitem__)
        record["next"] = self.next
        return record


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chromium()
    folder = tmp_path_factory.mktemp("page")
    target = folder / "checker.html"
    result = CliRunner().invoke(app, ["page", "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def batch_records(page: Path, cases: Sequence[str], work: Path) -> tuple[list[Record], list[str]]:
    """The page's records and saved profiles for ``cases``, ``BATCH`` per load."""
    records: list[Record] = []
    profiles: list[str] = []
    text = page.read_text(encoding="utf-8")
    for start in range(0, len(cases), BATCH):
        copy = work / f"batch-{start}.html"
        copy.write_text(with_batch(text, cases[start : start + BATCH]), encoding="utf-8")
        loaded = load(copy, work)
        assert loaded.console == [] and loaded.requests == []
        hooks = Hooks(loaded.dom)
        records += hooks.records
        profiles += hooks.profiles
    return records, profiles


def test_the_page_agrees_with_the_engine_on_generated_profiles(
    page_file: Path, tmp_path: Path
) -> None:
    cases = sample(differential_size(50))
    records, profiles = batch_records(page_file, cases, tmp_path)
    wrong = disagreements(programmes(), cases, records, TODAY)
    assert wrong == [], f"{len(wrong)} of {len(cases)} differ:\n" + "\n".join(wrong[:5])
    for index in (1, len(cases) // 2, len(cases) - 1):  # the saved profile, through `check`
        saved = tmp_path / f"saved-{index}.yaml"
        saved.write_text(profiles[index], encoding="utf-8")
        result = CliRunner().invoke(app, ["check", "--all", "--profile", str(saved), "-f", "json"])
        verdicts = {a["programme"]: a["verdict"] for a in json.loads(result.stdout)["assessments"]}
        assert verdicts == {p: r["verdict"] for p, r in records[index]["programmes"].items()}


def test_the_fragment_fills_the_hooks_on_load(page_file: Path, tmp_path: Path) -> None:
    """The real path: answers in the address (a QTLS holder in a middle school, a year for a
    date, a skipped question and an evidence criterion answered no)."""
    fragment = (
        "qualified_status=qtls&qts_date=2019&school_type=middle&teaches_same_class_maths=yes"
        "&can_fulfil_commitment=&self_passion_tfm=no"
    )
    loaded = load(page_file, tmp_path, fragment)
    assert loaded.console == []  # no policy report, no script error
    assert loaded.requests == []
    assert Hooks(loaded.dom).page_record() == engine_record(programmes(), fragment, TODAY)
    assert '<html lang="en-GB" class="js">' in loaded.dom


def test_without_javascript_the_criteria_and_the_way_to_check_by_hand_show(
    page_file: Path, tmp_path: Path
) -> None:
    """A copy whose policy runs no script, as a browser with JavaScript off shows it; its
    blocked script, inline style and image are reported (the console check's control)."""
    text = page_file.read_text(encoding="utf-8")
    text = re.sub(r"script-src [^;]*;", "script-src 'none';", text, count=1)
    text = text.replace(
        "<header>", '<header><p style="color:red">x</p><img src="https://x.test/a.png" alt="">', 1
    )
    copy = tmp_path / "no-script.html"
    copy.write_text(text, encoding="utf-8")
    loaded = load(copy, tmp_path, "qualified_status=qts")
    assert 'class="no-js"' in loaded.dom and 'data-outcome="' not in loaded.dom
    assert "How to check by hand" in loaded.dom
    assert loaded.dom.count("<li data-criterion=") == sum(len(p.criteria) for p in programmes())
    reports = [line for line in loaded.console if "Content Security Policy" in line]
    assert len(reports) == 3  # the script, the style attribute, the image
    assert loaded.requests == []  # blocked before any request


def axe_core(cache: pytest.Cache) -> str:
    """axe-core's script: $MASTERYCHECK_AXE_CORE, or the npm package fetched once into
    pytest's cache; the test is skipped when neither can be had."""
    given = os.environ.get("MASTERYCHECK_AXE_CORE")
    if given:
        return Path(given).read_text(encoding="utf-8")
    folder = cache.mkdir("axe-core")
    script = folder / "axe.min.js"
    if not script.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("axe-core not available: npm is not installed")
        done = subprocess.run(
            [npm, "pack", "axe-core", "--pack-destination", str(folder)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        packed = sorted(folder.glob("axe-core-*.tgz"))
        if done.returncode != 0 or not packed:
            pytest.skip("axe-core could not be fetched with npm")
        with tarfile.open(packed[-1]) as archive:
            member = archive.extractfile("package/axe.min.js")
            assert member is not None
            script.write_bytes(member.read())
    return script.read_text(encoding="utf-8")


AXE_RUN = """
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
  "wcag22aa", "best-practice"]}}).then(function (result) {
  var out = document.createElement("pre");
  out.id = "axe-result";
  out.textContent = JSON.stringify(result.violations.map(function (v) {
    return {id: v.id, impact: v.impact, nodes: v.nodes.map(function (n) { return n.target; })};
  }));
  document.body.appendChild(out);
});
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_core_finds_no_wcag_22_aa_violation(
    page_file: Path, tmp_path: Path, request: pytest.FixtureRequest, scheme: str
) -> None:
    axe = axe_core(request.config.cache)
    copy = tmp_path / "axe.html"
    copy.write_text(with_scripts(page_file.read_text(encoding="utf-8"), axe, AXE_RUN), "utf-8")
    colours = "--blink-settings=preferredColorScheme=" + ("0" if scheme == "dark" else "1")
    fragment = "qualified_status=qts&qts_date=2019&school_type=primary&teaches_same_class_maths=no"
    loaded = load(copy, tmp_path, fragment, "--virtual-time-budget=20000", colours)
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', loaded.dom, re.S)
    assert found is not None, "axe-core did not finish"
    violations = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert violations == []


MEASURE = """
var root = document.documentElement;
root.style.width = "320px";  /* headless Chromium's window is never narrower than 500 */
var widest = 0;
Array.prototype.forEach.call(document.querySelectorAll("body *"), function (node) {
  var box = node.getBoundingClientRect();
  if (box.width && node.offsetParent !== null) widest = Math.max(widest, box.right);
});
root.setAttribute("data-test-widths", Math.ceil(widest) + "," + document.body.scrollWidth);
root.style.width = "";
"""


def test_at_320_pixels_nothing_scrolls_sideways_and_the_summary_prints_on_one_page(
    page_file: Path, tmp_path: Path
) -> None:
    """320 CSS pixels is the width WCAG's reflow asks for (1280 px at 400%; 200% zoom is
    640): the page must not scroll sideways. Its print view is one A4 page."""
    copy = tmp_path / "phone.html"
    copy.write_text(with_scripts(page_file.read_text(encoding="utf-8"), MEASURE), "utf-8")
    pdf = tmp_path / "summary.pdf"
    SCREENSHOT.parent.mkdir(exist_ok=True)
    fragment = (
        "qualified_status=qts&qts_date=2019-07&school_type=primary&teaches_same_class_maths=yes"
        "&can_fulfil_commitment=yes&head_understands_commitment=&self_passion_tfm=yes"
    )
    loaded = load(
        copy,
        tmp_path,
        fragment,
        "--window-size=500,1400",
        f"--screenshot={SCREENSHOT}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
    )
    assert loaded.console == []
    widths = re.search(r'data-test-widths="(\d+),(\d+)"', loaded.dom)
    assert widths is not None
    assert int(widths.group(1)) <= 320 and int(widths.group(2)) <= 320
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pages, _ = pdf_pages(pdf)
    assert pages == 1
