"""The unedited proposal on the export corpus (``tests/batch/export_corpus``): the rates it
reaches against the mappings a careful hub lead wrote, the applicant's columns, and that
every proposal screens as it is. ``bench/bench_proposal.py`` prints the same figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from masterycheck.batch.row_mapping import CellStatus, RowMapper
from masterycheck.batch.tables import open_table
from masterycheck.cli.app import app
from masterycheck.core.fields import Catalogue
from masterycheck.errors import ExitCode
from masterycheck.files.criteria import load_catalogue
from masterycheck.files.mapping_file import load_mapping
from proposal_corpus import Measure, corpus_folders, export_file, measure, rate

FOLDERS = corpus_folders()
runner = CliRunner()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def measures(catalogue: Catalogue) -> list[Measure]:
    return [measure(folder, catalogue) for folder in FOLDERS]


def test_corpus_has_both_form_systems_both_file_kinds_every_programme_and_held_out_exports(
    catalogue: Catalogue,
) -> None:
    kinds = {export_file(f).suffix for f in FOLDERS}
    programmes = {
        load_mapping(f / "expected.mapping.yaml", catalogue).mapping.programme for f in FOLDERS
    }
    assert len(FOLDERS) >= 8
    assert kinds == {".csv", ".xlsx"}
    assert programmes == {"primary", "secondary", "post16"}
    assert sum(f.name.startswith("heldout_") for f in FOLDERS) >= 3
    assert {f.name.split("_")[0] for f in FOLDERS} >= {"ms", "google"}


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_expected_mapping_reads_every_answer_of_its_export(
    folder: Path, catalogue: Catalogue
) -> None:
    """The yardstick itself is right: no answer of a mapped column is unreadable with it."""
    loaded = load_mapping(folder / "expected.mapping.yaml", catalogue)
    source = open_table(export_file(folder))
    mapper = RowMapper(loaded, source.headings, catalogue)
    for row in source.rows():
        statuses = mapper.statuses(mapper.key(row.cells))
        assert CellStatus.UNREADABLE not in statuses, (row.cells, statuses)


def test_unedited_proposals_reach_the_target_rates(measures: list[Measure]) -> None:
    columns = rate(sum(m.column_hits for m in measures), sum(m.columns for m in measures))
    answers = rate(sum(m.answer_hits for m in measures), sum(m.answers for m in measures))
    misses = [miss for m in measures for miss in (*m.column_misses, *m.answer_misses)]
    assert columns >= 0.9, misses
    assert answers >= 0.9, misses
    assert sum(m.columns for m in measures) >= 80 and sum(m.answers for m in measures) >= 150


def test_held_out_exports_reach_the_target_rates_too(measures: list[Measure]) -> None:
    held = [m for m in measures if m.held_out]
    assert rate(sum(m.column_hits for m in held), sum(m.columns for m in held)) >= 0.9
    assert rate(sum(m.answer_hits for m in held), sum(m.answers for m in held)) >= 0.9


def test_the_applicant_s_name_and_email_columns_are_right_on_every_export(
    measures: list[Measure],
) -> None:
    assert [m.name for m in measures if not m.applicant_right] == []


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_unedited_proposal_screens_as_it_is(
    folder: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    programme = load_mapping(folder / "expected.mapping.yaml", catalogue).mapping.programme
    assert programme is not None
    export = export_file(folder)
    mapping = tmp_path / "proposed.mapping.yaml"
    proposed = runner.invoke(
        app, ["mapping", str(export), "--programme", programme, "-o", str(mapping)]
    )
    assert proposed.exit_code == 0, proposed.output
    screened = runner.invoke(
        app,
        [
            *("screen", str(export), "--programme", programme, "--mapping", str(mapping)),
            *("-o", str(tmp_path / "results.csv"), "--as-of", "2025-06-01", "--allow-missing"),
        ],
    )
    assert screened.exit_code == ExitCode.OK, screened.output
    assert (tmp_path / "results.csv").is_file()
