"""The one registry of report formats: by name and by file suffix; unknown names fail loudly."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from masterycheck.core.engine import assess
from masterycheck.core.profile import Profile
from masterycheck.files.criteria import load_all_programmes, load_catalogue
from masterycheck.reporters.registry import (
    FORMATS,
    SUFFIXES,
    Listing,
    UnknownFormat,
    file_format,
    reporter,
    reporter_for_file,
)

ASSESSMENTS = [
    assess(p, Profile({"school_type": "primary"}), dt.date(2026, 3, 1))
    for p in load_all_programmes(load_catalogue())
]
LISTING = Listing("Things", [{"id": "a", "size_words": 2, "tags": ["x", "y"]}], ["id", "tags"])


class Captured:
    """An ``Out`` that keeps what was written."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._console = Console(record=True, width=80, color_system=None)

    def echo(self, text: str) -> None:
        self.texts.append(text)

    def console(self) -> Console:
        return self._console


def test_formats_by_name() -> None:
    assert list(FORMATS) == ["text", "json", "markdown", "html"]
    for name in FORMATS:
        assert reporter(name).name == name


def test_an_unknown_format_fails_loudly_naming_the_known_ones() -> None:
    with pytest.raises(UnknownFormat, match=r"'pdf' \(known: text, json, markdown, html\)"):
        reporter("pdf")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("r.md", "markdown"),
        ("r.markdown", "markdown"),
        ("r.html", "html"),
        ("r.htm", "html"),
        ("R.HTML", "html"),
        ("r.MD", "markdown"),
        ("r.txt", None),
        ("r.json", None),
        ("r", None),
    ],
)
def test_report_files_by_suffix(name: str, expected: str | None) -> None:
    assert file_format(Path(name)) == expected
    found = reporter_for_file(Path(name))
    assert (found.name if found else None) == expected
    assert set(SUFFIXES.values()) == {"markdown", "html"}


def test_each_file_format_renders_a_whole_document() -> None:
    markdown = reporter("markdown").document(ASSESSMENTS)
    assert markdown.startswith("# Mastery Specialist eligibility check")
    page = reporter("html").document(ASSESSMENTS)
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    with pytest.raises(NotImplementedError):
        reporter("text").document(ASSESSMENTS)


def test_json_of_one_assessment_or_of_several() -> None:
    out = Captured()
    reporter("json").show(out, ASSESSMENTS[:1], single=True)
    reporter("json").show(out, ASSESSMENTS, single=False)
    one, several = (json.loads(text) for text in out.texts)
    assert one["programme"] == ASSESSMENTS[0].programme
    assert several["best_fit"] == ASSESSMENTS[0].programme
    assert [a["programme"] for a in several["assessments"]] == [a.programme for a in ASSESSMENTS]


def test_text_is_drawn_on_the_console_not_echoed() -> None:
    out = Captured()
    reporter("text").show(out, ASSESSMENTS, single=False)
    assert out.texts == []
    assert "Best fit first" in out.console().export_text()


def test_a_listing_in_each_format() -> None:
    out = Captured()
    reporter("json").show_listing(out, LISTING)
    reporter("json").show_listing(out, Listing("T", [], [], data={"more": 1}))
    reporter("markdown").show_listing(out, LISTING)
    reporter("text").show_listing(out, LISTING)
    rows, data, markdown = out.texts
    assert json.loads(rows) == LISTING.rows
    assert json.loads(data) == {"more": 1}
    assert markdown == "# Things\n\n| id | tags |\n|---|---|\n| a | x, y |"
    assert out.console().export_text() == "Things\n\na\n  tags: x, y\n"


def test_importing_the_registry_imports_no_reporter() -> None:
    code = (
        "import sys; import masterycheck.reporters.registry; "
        "print(sorted(m for m in sys.modules if m.startswith('masterycheck.reporters.')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "['masterycheck.reporters.registry']"
