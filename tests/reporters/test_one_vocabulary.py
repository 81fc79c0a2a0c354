"""One vocabulary (issue 12, item 4): every output a person reads names verdicts and outcomes
by the labels of ``core.vocabulary`` ("Not eligible", "Not met"), the same in the terminal,
text, Markdown, HTML and the XLSX workbook; JSON and CSV keep the words themselves
("not_eligible"), the contract scripts read. Run through the real entry point."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from masterycheck.cli.app import app
from masterycheck.core.vocabulary import (
    HUB_TO_CONFIRM,
    LABELS,
    SUPERSEDED,
    Outcome,
    RowVerdict,
    Verdict,
    label,
    shouted,
    spoken,
)

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "examples" / "forms-export-primary.csv"
MAPPING = ROOT / "examples" / "forms-export-primary.mapping.yaml"
AS_OF = "2026-03-01"
#: Words of the vocabulary that no person should read as they are.
MACHINE_WORDS = ("not_met", "not_eligible", HUB_TO_CONFIRM)
VERDICT_LABELS = {label(v) for v in RowVerdict} | {label(SUPERSEDED)}
OUTCOME_LABELS = {label(o) for o in Outcome} | {label(HUB_TO_CONFIRM)}


def _visible(page: str) -> str:
    """An HTML page's visible text: no styles, scripts, tags or attributes."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _invoke(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*arguments, "--as-of", AS_OF])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("vocabulary")
    for out, extra in (("r.csv", ("--html", str(folder / "r.html"))), ("r.xlsx", ())):
        code, _, stderr = _invoke(
            "screen", str(EXPORT), "--programme", "primary", "--mapping", str(MAPPING),
            "-o", str(folder / out), *extra,
        )  # fmt: skip
        assert code == 0, stderr
        (folder / f"{out}.stderr").write_text(stderr, encoding="utf-8")
    code, _, stderr = _invoke(
        "screen", str(EXPORT), "--programme", "primary", "--mapping", str(MAPPING),
        "-o", str(folder / "r.jsonl"), "--format", "json",
    )  # fmt: skip
    assert code == 0, stderr
    return folder


def test_every_word_has_one_label_and_the_forms_derive_from_it() -> None:
    words = [*Verdict, *RowVerdict, *Outcome, SUPERSEDED, HUB_TO_CONFIRM]
    assert all(word in LABELS for word in words)
    assert label(Outcome.NOT_MET) == "Not met"
    assert spoken(Verdict.NOT_ELIGIBLE) == "not eligible"
    assert shouted(Verdict.NOT_ELIGIBLE) == "NOT ELIGIBLE"
    assert len(set(LABELS.values())) == len(LABELS)  # no two words read alike


def test_the_terminal_summary_names_verdicts_by_their_labels(screened: Path) -> None:
    stderr = (screened / "r.csv.stderr").read_text(encoding="utf-8")
    assert not any(word in stderr for word in MACHINE_WORDS)
    shortlist = stderr[stderr.index("Shortlist: ") :]
    verdicts = set(re.findall(r"│ \d+ +│ \d+ +│ ([A-Za-z ]+?) +│", shortlist))
    assert verdicts and verdicts <= VERDICT_LABELS
    assert "│ Not met │" in stderr or "Not met" in stderr.split("Mapped columns")[0]


def test_the_html_report_shows_labels_and_never_a_machine_word(screened: Path) -> None:
    page = (screened / "r.html").read_text(encoding="utf-8")
    text = _visible(page)
    assert not any(word in text for word in MACHINE_WORDS)
    shortlist = page[page.index('id="shortlist"') :]
    shortlist = shortlist[: shortlist.index("</table>")]
    cells = set(re.findall(r'<td class="(?:eligible|incomplete)">([^<]+)</td>', shortlist))
    assert cells == {label(Verdict.ELIGIBLE), label(Verdict.INCOMPLETE)}
    outcomes = {
        html.unescape(m).split(" ", 1)[1].split(" (")[0]
        for m in re.findall(r'<td class="(?:met|not_met|unknown)">([^<]+)</td>', page)
    }
    assert outcomes and outcomes <= OUTCOME_LABELS


def test_the_workbook_shows_labels_under_machine_ids(screened: Path) -> None:
    book = openpyxl.load_workbook(screened / "r.xlsx", read_only=True)
    try:
        rows = list(book["Results"].iter_rows(values_only=True))
        summary = [r[0] for r in book["Summary"].iter_rows(values_only=True) if r]
    finally:
        book.close()
    ids = list(rows[1])  # the second heading row: the ids scripts read
    assert "verdict" in ids and "not_met" not in rows[0]
    verdicts = {r[ids.index("verdict")] for r in rows[2:]}
    assert verdicts <= VERDICT_LABELS and label(Verdict.NOT_ELIGIBLE) in verdicts
    outcomes = {r[ids.index("qts")] for r in rows[2:]} - {None}
    assert outcomes <= OUTCOME_LABELS and label(Outcome.NOT_MET) in outcomes
    assert {label(v) for v in RowVerdict} <= set(summary)
    cells = {str(c) for r in rows[2:] for c in r if c is not None}
    assert not cells & {*MACHINE_WORDS, *(v.value for v in RowVerdict), "met", "unknown"}


def test_csv_and_json_lines_keep_the_words_scripts_read(screened: Path) -> None:
    with (screened / "r.csv").open(encoding="utf-8-sig", newline="") as source:
        records = list(csv.DictReader(source))
    assert {r["verdict"] for r in records} == {v.value for v in RowVerdict}
    assert "not_met" in {r["qts"] for r in records}
    lines = (screened / "r.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["verdict"] for line in lines} == {v.value for v in RowVerdict}


@pytest.mark.parametrize("profile", ["primary-not-eligible", "secondary-incomplete"])
def test_the_check_reports_use_the_same_labels(profile: str, tmp_path: Path) -> None:
    programme = profile.split("-")[0]
    where = str(ROOT / "examples" / f"{profile}.yaml")
    code, stdout, _ = _invoke("check", programme, "--profile", where, "--full")
    assert code in (3, 4)
    assert not any(word in stdout for word in MACHINE_WORDS)
    assert re.search(r"Verdict: (NOT ELIGIBLE|INCOMPLETE) —", stdout)
    outcomes = set(re.findall(r"^ {4}(Met|Not met|Unknown)\b", stdout, flags=re.M))
    assert outcomes and outcomes <= OUTCOME_LABELS
    for suffix in ("md", "html"):
        report = tmp_path / f"report.{suffix}"
        code, _, _ = _invoke("check", programme, "--profile", where, "--report", str(report))
        text = report.read_text(encoding="utf-8")
        text = _visible(text) if suffix == "html" else text
        assert not any(word in text for word in MACHINE_WORDS), suffix
        assert "| Met |" in text or "| Not met |" in text or suffix == "html"
        assert "✔ Met" in text or "✘ Not met" in text or suffix == "md"
