"""A generated form export, screened through the real pipeline, for the HTML report tests.

The export looks like a Microsoft Forms download for the primary programme: row 1 is a known
eligible candidate (Aisha Khan), rows 2 and 3 carry hostile names, and the rest are drawn from a
seeded random generator, with a blank row, a short row and unreadable answers among them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from masterycheck.batch.row_mapping import RowMapper
from masterycheck.batch.run import ScreenRun
from masterycheck.batch.screening import VERDICTS, ScreenedRows, Screener, Shortlist
from masterycheck.batch.tables import TableSource, open_table
from masterycheck.files.criteria import (
    CATALOGUE_FILE,
    criteria_dir,
    load_catalogue,
    load_programme,
    resolve_programme,
)
from masterycheck.files.mapping_file import load_mapping
from masterycheck.reporters.html_screen import HtmlReport, RunFacts, run_facts
from masterycheck.reporters.screen_summary import ShortlistEntry

AS_OF = dt.date(2026, 1, 20)
KNOWN_NAME = "Aisha Khan"
KNOWN_EMAIL = "a.khan@school.example"
SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("http://x")'
STATEMENT = "I have led maths in my school for five years & run a lesson study group."

HEADINGS = (
    "ID",
    "Start time",
    "Email",
    "Name",
    "Do you hold Qualified Teacher Status?",
    "When were you awarded QTS?",
    "What type of school do you teach in?",
    "Do you regularly teach maths to the same class?",
    "Which key stages do you teach?",
    "Are you able to fulfil the programme requirements and time commitment?",
    "Does your headteacher understand the commitment required?",
    "Additional status",
    "Are you the maths subject leader?",
    "How many years have you taught primary maths?",
    "Which local authority is your school in?",
    "Personal statement",
)

MAPPING = """\
schema_version: 1
programme: primary
applicant:
  id: "ID"
  name: "Name"
  email: "Email"
columns:
  - heading: "Do you hold Qualified Teacher Status?"
    field: qualified_status
    values:
      "Yes, I hold QTS": "qts"
      "No": "none"
      "QTLS": "qtls"
  - heading: "When were you awarded QTS?"
    field: qts_date
  - heading: "What type of school do you teach in?"
    field: school_type
    values:
      "Primary school": "primary"
      "State-funded middle school": {school_type: "middle", state_funded: "yes"}
      "Secondary academy": "secondary"
      "Infant school (Reception to Year 2)": "infant"
      "Junior school": "junior"
  - heading: "Do you regularly teach maths to the same class?"
    field: teaches_same_class_maths
  - heading: "Which key stages do you teach?"
    field: key_stages_taught
    split: semicolon
    values:
      "KS1": "ks1"
      "KS2": "ks2"
      "KS3": "ks3"
      "EYFS": "eyfs"
  - heading: "Are you able to fulfil the programme requirements and time commitment?"
    field: can_fulfil_commitment
  - heading: "Does your headteacher understand the commitment required?"
    field: head_understands_commitment
  - heading: "Additional status"
    field: additional_status
    split: semicolon
    values:
      "Mathematics SLE": "maths_sle"
      "MaST": "mast"
      "None": "none"
  - heading: "Are you the maths subject leader?"
    field: maths_role
    values:
      "Subject leader": "subject_leader"
      "No": "none"
  - heading: "How many years have you taught primary maths?"
    field: years_teaching_primary_maths
  - heading: "Which local authority is your school in?"
    field: local_authority
    overlay: yorkshire_humber
    values:
      "Kirklees": "kirklees"
      "Wakefield": "wakefield"
      "Hull": "hull"
      "Other": "other"
keep:
  - "Personal statement"
ignore:
  - "Start time"
"""

_KNOWN_ANSWERS = [
    "Yes, I hold QTS",
    "2016",
    "Primary school",
    "Yes",
    "KS1;KS2;",
    "Yes",
    "Yes",
    "Mathematics SLE;MaST;",
    "Subject leader",
    "8",
    "Kirklees",
]


def _answers(rng: random.Random) -> list[str]:
    def pick(*weighted: tuple[str, int]) -> str:
        return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]

    return [
        pick(("Yes, I hold QTS", 85), ("No", 6), ("QTLS", 5), ("", 4)),
        pick(*((str(year), 3) for year in range(2005, 2024)), ("", 3), ("ages ago", 2)),
        pick(
            ("Primary school", 60),
            ("State-funded middle school", 8),
            ("Secondary academy", 8),
            ("Infant school (Reception to Year 2)", 12),
            ("Junior school", 12),
        ),
        pick(("Yes", 90), ("No", 6), ("", 4)),
        pick(("KS1;KS2;", 40), ("KS2;", 30), ("KS2;KS3;", 10), ("EYFS;KS1;", 20)),
        pick(("Yes", 88), ("No", 8), ("", 4)),
        pick(("Yes", 85), ("No", 5), ("", 10)),
        pick(("Mathematics SLE;MaST;", 10), ("MaST;", 15), ("None", 65), ("", 10)),
        pick(("Subject leader", 45), ("No", 55)),
        pick(*((str(years), 5) for years in range(0, 16)), ("lots", 4)),
        pick(("Kirklees", 30), ("Wakefield", 30), ("Hull", 20), ("Other", 20)),
    ]


def write_export(path: Path, rows: int, *, seed: int = 7) -> None:
    """Write a form export of ``rows`` data rows (including one blank and one short row)."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(HEADINGS)
        for number in range(1, rows + 1):
            if number == 1:
                name, email, answers = KNOWN_NAME, KNOWN_EMAIL, _KNOWN_ANSWERS
            else:
                name = {2: SCRIPT_NAME, 3: FORMULA_NAME}.get(number, f"Applicant {number}")
                email, answers = f"applicant{number}@school.example", _answers(rng)
            cells = [str(number), "1/15/26 9:01:12", email, name, *answers, STATEMENT]
            if number == 6 and rows > 6:
                cells = [""] * len(HEADINGS)  # a blank row
            elif number == 9 and rows > 9:
                cells = cells[:5]  # a short row
            writer.writerow(cells)


def write_mapping(path: Path) -> None:
    """Write the mapping file for the generated export."""
    path.write_text(MAPPING, encoding="utf-8")


@dataclass
class Screened:
    """A screening run, ready to be written as a report."""

    source: TableSource
    screener: Screener
    screening: ScreenedRows
    ranks: list[int]
    entries: list[ShortlistEntry]
    facts: RunFacts


def screen(export: Path, mapping: Path, *, redact: bool = False) -> Screened:
    """Screen ``export`` against the primary programme, as ``masterycheck screen`` does."""
    catalogue = load_catalogue()
    programme_path = resolve_programme("primary")
    compiled = load_programme(programme_path, catalogue)
    source = open_table(export)
    screener = Screener(
        compiled, RowMapper(load_mapping(mapping, catalogue), source.headings, catalogue)
    )
    position = screener.mapper.applicant["name"]
    best = Shortlist(10, screener.max_score, lambda cells: None if redact else cells[position])
    screening = screener.screen_rows(
        source.rows(),
        lambda row, line, cells, evaluation, notes: best.offer(
            row, evaluation.code, evaluation.score, cells
        ),
    )
    ranks = list(screening.ranks(screener.max_score))
    entries = [
        ShortlistEntry(ranks[row - 1], row, VERDICTS[code], score, name)
        for row, code, score, name in best.best()
    ]
    facts = run_facts(
        compiled,
        as_of=AS_OF,
        input_path=export,
        rows_in=screening.rows,
        rows_out=screening.rows,
        criteria_paths=[programme_path, criteria_dir() / CATALOGUE_FILE],
        redacted=redact,
        mapping_path=mapping,
        notes=["A note with <angle brackets> & an ampersand."],
    )
    return Screened(source, screener, screening, ranks, entries, facts)


def write_report(screened: Screened, target: Path) -> int:
    """Write the HTML report of a screening, as ``masterycheck screen --html`` does: the
    report's writer is given every row by the screening pass (run again here, on the memo the
    first run filled), then finished with the ranks. Returns the characters written."""
    report = HtmlReport(target, screened.screener, lambda rows: screened.facts)
    try:
        screening = screened.screener.screen_rows(screened.source.rows(), report.add)
        run = ScreenRun(screening.rows, screening.summary, screened.entries)
        report.finish(iter(screened.ranks), run)
    finally:
        report.discard()
    return len(target.read_text(encoding="utf-8"))


def generate(folder: Path, rows: int, *, redact: bool = False) -> tuple[Screened, Path]:
    """Generate an export of ``rows`` rows in ``folder``, screen it and write report.html."""
    export, mapping = folder / "applications.csv", folder / "applications.mapping.yaml"
    write_export(export, rows)
    write_mapping(mapping)
    screened = screen(export, mapping, redact=redact)
    target = folder / "report.html"
    write_report(screened, target)
    return screened, target


def generate_with_cli(folder: Path, rows: int, *extra: str) -> Path:
    """Generate an export of ``rows`` rows in ``folder`` and run ``masterycheck screen --html``
    on it; returns the report's path (the results go to results.csv beside it)."""
    from typer.testing import CliRunner

    from masterycheck.cli.app import app

    export, mapping = folder / "applications.csv", folder / "applications.mapping.yaml"
    write_export(export, rows)
    write_mapping(mapping)
    target = folder / "report.html"
    arguments = [
        *("screen", str(export), "--programme", "primary", "--mapping", str(mapping)),
        *("-o", str(folder / "results.csv"), "--as-of", AS_OF.isoformat()),
        *("--html", str(target), *extra),
    ]
    result = CliRunner().invoke(app, arguments, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return target
