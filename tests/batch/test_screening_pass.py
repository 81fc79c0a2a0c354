"""The one pass a block at a time: any block size and any memo size give the same rows and
counts; the ranks counted out from the rows' keys are a stable sort; the log of submissions
gives the same groups from a spool, with a bitmap, and with NULs in its cells."""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import masterycheck.batch.duplicate_keys as duplicate_keys
from masterycheck.batch.duplicates import SubmissionLog
from masterycheck.batch.row_mapping import RowMapper
from masterycheck.batch.screening import (
    DEFAULT_CACHE_SIZE,
    SUPERSEDED_CODE,
    VERDICT_CODES,
    Evaluation,
    Screener,
    ranks_in_order,
)
from masterycheck.batch.screening_pass import ScreenedBlock
from masterycheck.batch.tables import CsvTable, open_table
from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.fields import Catalogue
from masterycheck.files.criteria import load_catalogue, load_programme
from masterycheck.files.mapping_file import load_mapping
from masterycheck.outputs.ranked import BlockSpool

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "examples" / "forms-export-primary.csv"
MAPPING = REPO / "examples" / "forms-export-primary.mapping.yaml"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(REPO / "criteria" / "fields.yaml")


@pytest.fixture(scope="module")
def primary(catalogue: Catalogue) -> CompiledProgramme:
    return load_programme(REPO / "criteria" / "primary.yaml", catalogue)


def many_rows(tmp_path: Path, rows: int = 300) -> Path:
    """The example export's rows (valid, invalid, unreadable answers) shuffled into more."""
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        heading, *body = list(csv.reader(stream))
    shuffle = random.Random(7)
    path = tmp_path / "many.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(heading)
        writer.writerows(shuffle.choice(body) for _ in range(rows))
    return path


def screened(
    path: Path, catalogue: Catalogue, primary: CompiledProgramme, size: int, cache: int
) -> tuple[list[tuple[object, ...]], object, list[int]]:
    loaded = load_mapping(MAPPING, catalogue)
    source = open_table(path)
    assert isinstance(source, CsvTable)
    screener = Screener(primary, RowMapper(loaded, source.headings, catalogue), cache_size=cache)
    got: list[tuple[object, ...]] = []

    def keep(block: ScreenedBlock) -> None:
        for row, line, _, ev, notes in block.rows():
            got.append((row, line, ev.verdict, ev.score, ev.outcomes, ev.reasons, ev.path, notes))

    result = screener.screen_blocks(source.row_blocks(size), keep)
    return got, result.summary, list(result.ranks(screener.max_score))


def test_any_block_size_and_memo_size_give_the_same_screening(
    tmp_path: Path, catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    path = many_rows(tmp_path)
    first = screened(path, catalogue, primary, 256, DEFAULT_CACHE_SIZE)
    assert len(first[0]) == 300
    assert any(notes for *_, notes in first[0])  # unreadable answers are quoted
    for size, cache in ((1, DEFAULT_CACHE_SIZE), (7, 0), (64, 1), (33, 5)):
        assert screened(path, catalogue, primary, size, cache) == first, (size, cache)


@given(st.lists(st.tuples(st.integers(0, SUPERSEDED_CODE), st.integers(0, 6)), max_size=60))
def test_ranks_are_a_stable_sort_by_verdict_then_score(pairs: list[tuple[int, int]]) -> None:
    codes = [code for code, _ in pairs]
    scores = [score for _, score in pairs]
    order = sorted(
        (i for i, code in enumerate(codes) if code != SUPERSEDED_CODE),
        key=lambda i: (codes[i], -scores[i], i),
    )
    expected = [0] * len(pairs)
    for rank, index in enumerate(order, 1):
        expected[index] = rank
    assert list(ranks_in_order(codes, scores, 6)) == expected


ELIGIBLE = Evaluation("eligible", VERDICT_CODES["eligible"], 2, False, ("met",), (), ())
HEADINGS = ("Name", "Email", "School", "Completion time")
ROLES = {"name": 0, "email": 1, "school": 2, "submitted": 3}


def log_of(rows: Sequence[Sequence[str]], spool: Path | None = None) -> SubmissionLog:
    log = SubmissionLog(ROLES, HEADINGS, None if spool is None else lambda: BlockSpool(spool))
    for start in range(0, len(rows), 5):
        block = rows[start : start + 5]
        log.keep_block(block, [ELIGIBLE] * len(block))
    return log


def test_the_log_groups_alike_in_memory_in_a_spool_and_with_a_bitmap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shuffle = random.Random(3)
    rows = [
        (
            f"Name {shuffle.randrange(40)}",
            f"p{shuffle.randrange(60)}@school.example" if shuffle.random() < 0.9 else "",
            f"School {shuffle.randrange(3)}",
            f"1/{shuffle.randrange(1, 28)}/26 9:00:00",
        )
        for _ in range(120)
    ]
    rows[7] = ("Nul\x00Name", "nul@school.example", "Oak", "1/2/26 9:00:00")
    rows[90] = ("nul\x00name", "NUL@school.example ", "Oak", "1/3/26 9:00:00")
    expected = log_of(rows).resolve()
    assert expected.superseded[8] == 91
    spooled = log_of(rows, tmp_path)
    assert spooled.resolve() == expected
    spooled.discard()
    monkeypatch.setattr(duplicate_keys, "SET_ROWS", 0)
    assert log_of(rows).resolve() == expected
    log = log_of(rows, tmp_path)
    assert log.cells([8, 91], "email") == {8: "nul@school.example", 91: "NUL@school.example "}
    assert log.evaluations([3]) == {3: ELIGIBLE}
    log.discard()
    assert not list(tmp_path.iterdir())
