"""The screening pipeline: every row accounted for, ranking, invalid rows, unreadable cells."""

from __future__ import annotations

import csv
from array import array
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masterycheck.batch.proposal import propose_mapping
from masterycheck.batch.row_mapping import RowMapper
from masterycheck.batch.screening import (
    DEFAULT_CACHE_SIZE,
    VERDICT_CODES,
    AccountingError,
    Evaluation,
    Screener,
    ranks_in_order,
)
from masterycheck.batch.tables import TableRow, open_table
from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.fields import Catalogue
from masterycheck.files.criteria import load_catalogue, load_programme
from masterycheck.files.mapping_file import LoadedMapping, load_mapping
from masterycheck.files.overlays import load_overlay

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "examples" / "forms-export-primary.csv"
MAPPING = REPO / "examples" / "forms-export-primary.mapping.yaml"
OVERLAY = REPO / "examples" / "overlay-yorkshire-humber.yaml"

HEADINGS = [
    "ID",
    "Name",
    "Do you hold Qualified Teacher Status?",
    "What type of school do you teach in?",
    "Do you regularly teach maths to the same class?",
    "Are you able to fulfil the programme requirements and time commitment?",
    "Does your headteacher understand the commitment required?",
    "Are you the maths subject leader?",
]
ANSWERS = [
    ["Yes, I hold QTS", "QTLS", "No", "", "maybe"],
    ["Primary school", "Secondary academy", "All through", "Junior school", "??"],
    ["Yes", "No", "", "Not sure"],
    ["Yes", "No", ""],
    ["Yes", "Yes", "No", "Don't know"],
    ["Subject leader", "No", ""],
]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(REPO / "criteria" / "fields.yaml")


@pytest.fixture(scope="module")
def primary(catalogue: Catalogue) -> CompiledProgramme:
    return load_programme(REPO / "criteria" / "primary.yaml", catalogue)


def _screen(
    path: Path, catalogue: Catalogue, compiled: CompiledProgramme, loaded: LoadedMapping | None
) -> list[tuple[int, int, str, int, tuple[str, ...], tuple[str, ...]]]:
    source = open_table(path)
    if loaded is None:
        loaded = LoadedMapping(propose_mapping(source.headings, catalogue, compiled).mapping)
    screener = Screener(compiled, RowMapper(loaded, source.headings, catalogue))
    rows: list[tuple[int, Evaluation, tuple[str, ...]]] = []
    screened = screener.screen_rows(
        source.rows(),
        lambda row, line, cells, evaluation, notes: rows.append((row, evaluation, notes)),
    )
    assert screened.rows == screened.summary.rows == len(rows)
    return [
        (row, rank, evaluation.verdict, evaluation.score, evaluation.reasons, notes)
        for (row, evaluation, notes), rank in zip(
            rows, screened.ranks(screener.max_score), strict=True
        )
    ]


row_strategy = st.one_of(
    st.tuples(*(st.sampled_from(options) for options in ANSWERS)).map(
        lambda answers: ("ok", list(answers))
    ),
    st.just(("blank", [])),
    st.integers(min_value=1, max_value=len(HEADINGS) - 1).map(lambda n: ("short", ["x"] * n)),
    st.just(("long", ["x"] * (len(HEADINGS) + 2))),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row_strategy, min_size=0, max_size=25))
def test_rows_in_equal_rows_out_in_input_order(
    tmp_path_factory: pytest.TempPathFactory,
    catalogue: Catalogue,
    primary: CompiledProgramme,
    rows: list[tuple[str, list[str]]],
) -> None:
    path = tmp_path_factory.mktemp("export") / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(HEADINGS)
        for number, (kind, cells) in enumerate(rows, start=1):
            if kind == "ok":
                writer.writerow([str(number), f"Applicant {number}", *cells])
            elif kind == "blank":
                stream.write("\r\n")
            else:
                writer.writerow(cells)
    results = _screen(path, catalogue, primary, None)
    assert [r[0] for r in results] == list(range(1, len(rows) + 1))
    assert sorted(r[1] for r in results) == list(range(1, len(rows) + 1))
    for (kind, _), (_, _, verdict, _, reasons, _) in zip(rows, results, strict=True):
        assert (verdict == "invalid") == (kind != "ok")
        if verdict == "invalid":
            assert reasons and reasons[0]


def test_example_export_order_ranking_and_reasons(
    catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    results = _screen(EXPORT, catalogue, primary, load_mapping(MAPPING, catalogue))
    assert [r[0] for r in results] == list(range(1, 13))
    by_rank = sorted(results, key=lambda r: r[1])
    codes = [VERDICT_CODES[r[2]] for r in by_rank]
    assert codes == sorted(codes)  # eligible, incomplete, not eligible, invalid
    eligible = [r for r in by_rank if r[2] == "eligible"]
    keys = [(-r[3], r[0]) for r in eligible]
    assert keys == sorted(keys)  # by score, ties in row order
    invalid = {r[0]: r[4] for r in results if r[2] == "invalid"}
    assert invalid[6] == ("blank row",)
    assert "cells" in invalid[7][0]


def test_unreadable_cell_is_unknown_with_note_naming_row_column_and_the_value_given(
    catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    results = {
        r[0]: r for r in _screen(EXPORT, catalogue, primary, load_mapping(MAPPING, catalogue))
    }
    notes = results[4][5]
    assert len(notes) == 1
    assert "row 4" in notes[0]
    assert "How many years have you taught primary maths?" in notes[0]
    assert "unreadable answer “lots”, treated as unknown" in notes[0]
    assert results[4][2] == "incomplete"  # the headteacher answer is "Not sure"


def test_ranks_are_a_stable_counting_sort() -> None:
    codes = array("b", [2, 0, 1, 0, 3, 0])
    scores = array("H", [5, 1, 4, 3, 0, 3])
    ranks = ranks_in_order(codes, scores, 6)
    assert list(ranks) == [5, 3, 4, 1, 6, 2]


def test_the_pass_refuses_rows_out_of_order(
    tmp_path: Path, catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(",".join(HEADINGS) + "\r\n" + "1,A,QTS,Primary,Yes,Yes,Yes,No\r\n")
    source = open_table(path)
    loaded = LoadedMapping(propose_mapping(source.headings, catalogue, primary).mapping)
    screener = Screener(primary, RowMapper(loaded, source.headings, catalogue))
    row = next(iter(source.rows()))
    skipped = TableRow(2, row.line + 1, row.cells, None)
    with pytest.raises(AccountingError, match="row 2 read where row 1 was expected"):
        screener.screen_rows([skipped], lambda *parts: None)


def test_memoised_and_unmemoised_screening_agree(
    catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    loaded = load_mapping(MAPPING, catalogue)
    outcomes = []
    for cache_size in (0, 1, 3, DEFAULT_CACHE_SIZE):
        source = open_table(EXPORT)
        screener = Screener(
            primary, RowMapper(loaded, source.headings, catalogue), cache_size=cache_size
        )
        for _ in range(2):  # a second pass finds its memos filled by the first
            got: list[tuple[int, str, int, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = []
            screened = screener.screen_rows(
                source.rows(),
                lambda row, line, cells, ev, notes: got.append(  # noqa: B023 (called at once)
                    (row, ev.verdict, ev.score, ev.outcomes, ev.reasons, notes)
                ),
            )
            assert sum(screened.summary.verdicts.values()) == screened.rows == len(got)
            outcomes.append((got, screened.summary))
    assert all(outcome == outcomes[0] for outcome in outcomes)


def test_overlay_adds_a_desirable_criterion_and_never_changes_a_verdict(
    catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    loaded = load_mapping(MAPPING, catalogue)
    _, with_overlay = load_overlay(OVERLAY, primary, catalogue)
    added = [c for c in with_overlay.criteria if c.origin != "published"]
    assert [c.criterion.id for c in added] == ["school_in_hub_area"]
    assert added[0].origin == "overlay:yorkshire_humber"
    plain = _screen(EXPORT, catalogue, primary, loaded)
    overlaid = _screen(EXPORT, catalogue, with_overlay, loaded)
    assert [r[2] for r in plain] == [r[2] for r in overlaid]
    assert any(o[3] > p[3] for p, o in zip(plain, overlaid, strict=True))


def test_overlay_may_not_add_an_essential_criterion(
    tmp_path: Path, catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    from masterycheck.errors import InputError

    text = OVERLAY.read_text(encoding="utf-8").replace("level: desirable", "level: essential")
    text = text.replace("    weight: 2\n", "")
    path = tmp_path / "overlay.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_overlay(path, primary, catalogue)
    assert "overlay.yaml:" in caught.value.one_line()
    assert "desirable" in caught.value.one_line()


# --- natural answers, unreadable answers and the hub's constants (issue 11) ----------------

SECONDARY_HEADINGS = [
    "Name",
    "Do you hold QTS?",
    "When were you awarded QTS?",
    "What type of school do you teach in?",
    "Is your school state-funded?",
    "Which key stages do you teach?",
    "How many years have you taught maths?",
]
SECONDARY_MAPPING = """\
schema_version: 1
applicant: {name: "Name"}
columns:
  - {heading: "Do you hold QTS?", field: qualified_status}
  - {heading: "When were you awarded QTS?", field: qts_date}
  - {heading: "What type of school do you teach in?", field: school_type}
  - {heading: "Is your school state-funded?", field: state_funded}
  - {heading: "Which key stages do you teach?", field: key_stages_taught}
  - {heading: "How many years have you taught maths?", field: years_teaching_maths}
constants: {in_england: "yes"}
"""


@pytest.fixture(scope="module")
def secondary(catalogue: Catalogue) -> CompiledProgramme:
    return load_programme(REPO / "criteria" / "secondary.yaml", catalogue)


def _secondary_screen(
    tmp_path: Path, catalogue: Catalogue, compiled: CompiledProgramme, rows: list[list[str]]
) -> tuple[Screener, list[tuple[int, Evaluation, tuple[str, ...], tuple[str, ...]]]]:
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([SECONDARY_HEADINGS, *rows])
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(SECONDARY_MAPPING, encoding="utf-8")
    source = open_table(export)
    screener = Screener(
        compiled, RowMapper(load_mapping(mapping, catalogue), source.headings, catalogue)
    )
    got: list[tuple[int, Evaluation, tuple[str, ...], tuple[str, ...]]] = []
    screener.screen_rows(
        source.rows(),
        lambda row, line, cells, evaluation, notes: got.append((row, evaluation, notes, cells)),
    )
    return screener, got


def test_natural_dates_and_counts_in_cells_decide_as_in_check(
    tmp_path: Path, catalogue: Catalogue, secondary: CompiledProgramme
) -> None:
    row = ["A", "QTS", "", "Secondary", "Yes", "KS3;KS4", ""]
    cells = [
        ("2016/17", "10+", "eligible"),
        ("Sept 2019", "five years", "eligible"),
        ("July 2024", "5", "not_eligible"),  # under two years on any day of July
        ("Summer 2022", "2.5", "eligible"),
        ("N/A", "-", "incomplete"),
    ]
    rows = [[*row[:2], date, *row[3:6], count] for date, count, _ in cells]
    _, got = _secondary_screen(tmp_path, catalogue, secondary, rows)
    assert [evaluation.verdict for _, evaluation, _, _ in got] == [v for _, _, v in cells]
    assert all("unreadable" not in " ".join(notes) for _, _, notes, _ in got)


def test_an_unreadable_cell_is_quoted_in_the_reason_and_the_path_not_called_unanswered(
    tmp_path: Path, catalogue: Catalogue, secondary: CompiledProgramme
) -> None:
    rows = [
        ["A", "QTS", "the July after my PGCE", "Secondary", "Yes", "KS3", "8"],
        ["B", "QTS", "", "Secondary", "Yes", "KS3", "8"],
    ]
    screener, got = _secondary_screen(tmp_path, catalogue, secondary, rows)
    (_, unreadable, notes, cells), (_, blank, _, blank_cells) = got
    assert unreadable.verdict == blank.verdict == "incomplete"
    reason = " ".join(unreadable.reasons)
    assert "could not read the answer “the July after my PGCE”" in reason
    assert "no answer to" not in reason
    assert unreadable.path[0].startswith("Answer again, in a form the checker reads (“the July")
    assert "unreadable answer “the July after my PGCE”, treated as unknown" in notes[0]
    assert any("no answer to" in r for r in blank.reasons)
    assert "could not read" not in " ".join(blank.reasons)
    assert blank.path[0].startswith("Answer: When were you awarded QTS?")
    qts = next(r for r in screener.results(screener.key(cells)) if r.id == "qts_two_years")
    assert qts.unreadable == qts.missing == ["years_of_qts_at_closing"]
    blank_qts = next(
        r for r in screener.results(screener.key(blank_cells)) if r.id == "qts_two_years"
    )
    assert blank_qts.unreadable == [] and blank_qts.missing == ["years_of_qts_at_closing"]


def test_constants_answer_every_row_as_the_hubs_statement(
    tmp_path: Path, catalogue: Catalogue, secondary: CompiledProgramme
) -> None:
    rows = [["A", "QTS", "2015", "Secondary", "Yes", "KS3", "8"]] * 3
    screener, got = _secondary_screen(tmp_path, catalogue, secondary, rows)
    assert screener.mapper.constants == {"in_england": True}
    assert "in_england" in screener.mapper.provided_fields()
    for _, evaluation, notes, cells in got:
        assert evaluation.verdict == "eligible"
        assert notes == screener.constant_notes
        assert "not the applicant's answer" in notes[0]
        for result in screener.results(screener.key(cells)):
            for used in result.answers:
                assert used.source == ("hub" if used.field == "in_england" else "applicant")


def test_constants_screen_the_same_memoised_or_not(
    tmp_path: Path, catalogue: Catalogue, secondary: CompiledProgramme
) -> None:
    export = tmp_path / "export.csv"
    rows = [
        ["A", "QTS", "2015", "Secondary", "Yes", "KS3", "8"],
        ["B", "QTLS", "Sept 2019", "Middle", "No", "KS3", "two"],
        ["C", "QTS", "soon", "Secondary", "Yes", "KS4", "lots"],
    ] * 2
    with export.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([SECONDARY_HEADINGS, *rows])
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(SECONDARY_MAPPING, encoding="utf-8")
    loaded = load_mapping(mapping, catalogue)
    seen = []
    for cache_size in (0, 1, DEFAULT_CACHE_SIZE):
        source = open_table(export)
        screener = Screener(
            secondary, RowMapper(loaded, source.headings, catalogue), cache_size=cache_size
        )
        got: list[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = []
        screener.screen_rows(
            source.rows(),
            lambda row, line, cells, ev, notes: got.append(  # noqa: B023 (called at once)
                (ev.verdict, ev.reasons, ev.path, notes)
            ),
        )
        seen.append(got)
    assert seen[0] == seen[1] == seen[2]
    assert [verdict for verdict, _, _, _ in seen[0][:3]] == [
        "eligible",
        "not_eligible",  # not state-funded
        "incomplete",
    ]
