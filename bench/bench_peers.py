"""Peers for ``bench_screen.py``: the same screen, vectorised with pandas or polars.

Each peer reads the benchmark's export, answers the primary programme's fact criteria column by
column (Kleene logic: met, not met, unknown; QTLS and an all-through school are for the hub to
confirm, so unknown), decides the verdict (a fact criterion not met: not eligible; one unknown:
incomplete; evidence criteria stay unknown and never make a row incomplete), scores the
desirable criteria, ranks (verdict, then score, then row) and writes a results CSV. It is a
yardstick for speed, not a second implementation: its results are not compared byte for byte.

    python bench/bench_peers.py pandas|polars EXPORT RESULTS.csv   # prints CPU s and peak kB

pandas and polars are installed for the benchmark only (never a dependency of masterycheck).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

QTS = "Do you hold Qualified Teacher Status?"
SCHOOL = "What type of school do you teach in?"
SAME_CLASS = "Do you regularly teach maths to the same class?"
FULFIL = "Are you able to fulfil the programme requirements and time commitment?"
HEAD = "Does your headteacher understand the commitment required?"
STATUS = "Additional status"
LEADER = "Are you the maths subject leader?"
YEARS = "How many years have you taught primary maths?"
PRIMARY_SCHOOLS = ["Primary school", "Infant school", "Junior school", "State-funded middle school"]
HUB_SCHOOLS = ["All through", "Other"]
MET, NOT_MET, UNKNOWN = 1, 0, -1
VERDICT_CODE = {0: "eligible", 1: "incomplete", 2: "not_eligible"}


def imports_before_clock() -> None:
    """Import the modules listed in the file ``$BENCH_IMPORTS`` names (what an untimed run of
    the same job loaded), so that every child's clock leaves its imports out alike."""
    listed = os.environ.get("BENCH_IMPORTS")
    if not listed:
        return
    for name in json.loads(Path(listed).read_text(encoding="utf-8")):
        try:
            importlib.import_module(name)
        except Exception:  # a module that loads only in its own context
            continue


def record_imports() -> None:
    """Write every module loaded so far to the file ``$BENCH_RECORD`` names (if it is set)."""
    record = os.environ.get("BENCH_RECORD")
    if record:
        names = [name for name in sys.modules if name != "__main__"]
        Path(record).write_text(json.dumps(names), encoding="utf-8")


def peak_kb() -> int:
    """The process's peak resident memory (VmHWM), in kB."""
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def screen_pandas(export: str, results: str) -> None:
    """The screen with pandas (NumPy underneath)."""
    np: Any = importlib.import_module("numpy")  # untyped: no stubs installed for the bench
    pd: Any = importlib.import_module("pandas")

    frame = pd.read_csv(export, dtype=str, keep_default_na=False, encoding="utf-8-sig")

    def yes_no(column: str) -> Any:
        answer = frame[column].str.strip().str.lower()
        return np.select([answer == "yes", answer == "no"], [MET, NOT_MET], UNKNOWN)

    qts = frame[QTS]
    qts_outcome = np.select(
        [qts == "Yes, I hold QTS", qts.isin(["QTLS", ""])], [MET, UNKNOWN], NOT_MET
    )
    school = frame[SCHOOL]
    school_ok = np.select(
        [school.isin(PRIMARY_SCHOOLS), school.isin(HUB_SCHOOLS) | (school == "")],
        [MET, UNKNOWN],
        NOT_MET,
    )
    same_class = yes_no(SAME_CLASS)
    employed = np.minimum(school_ok, same_class)  # Kleene and: NOT_MET < UNKNOWN < MET
    employed = np.where((school_ok == NOT_MET) | (same_class == NOT_MET), NOT_MET, employed)
    essentials = np.stack([qts_outcome, employed, yes_no(FULFIL), yes_no(HEAD)])
    not_met = (essentials == NOT_MET).any(axis=0)
    unknown = (essentials == UNKNOWN).any(axis=0)
    code = np.where(not_met, 2, np.where(unknown, 1, 0))
    years = pd.to_numeric(frame[YEARS], errors="coerce")
    status = frame[STATUS].str.strip()
    score = (
        (status.ne("") & status.ne("None")).astype(int)
        + (frame[LEADER] == "Subject leader").astype(int)
        + (years >= 4).astype(int)
    )
    out = pd.DataFrame(
        {
            "row": np.arange(1, len(frame) + 1),
            "line": np.arange(2, len(frame) + 2),
            "verdict": pd.Series(code).map(VERDICT_CODE),
            "score": score.to_numpy(),
            "applicant_id": frame["ID"],
            "applicant_name": frame["Name"],
            "applicant_email": frame["Email"],
            "qts": qts_outcome,
            "employed_primary_teaching_class": employed,
        }
    )
    order = np.lexsort((out["row"].to_numpy(), -out["score"].to_numpy(), code))
    rank = np.empty(len(frame), dtype=np.int64)
    rank[order] = np.arange(1, len(frame) + 1)
    out.insert(2, "rank", rank)
    out.to_csv(results, index=False, encoding="utf-8-sig", lineterminator="\r\n")


def screen_polars(export: str, results: str) -> None:
    """The screen with polars (Rust, several threads)."""
    pl: Any = importlib.import_module("polars")

    frame = pl.read_csv(export, infer_schema=False, encoding="utf8")

    def yes_no(column: str) -> Any:
        answer = pl.col(column).str.strip_chars().str.to_lowercase()
        return (
            pl.when(answer == "yes").then(MET).when(answer == "no").then(NOT_MET).otherwise(UNKNOWN)
        )

    qts = pl.col(QTS)
    school = pl.col(SCHOOL)
    outcomes = frame.with_row_index("row", offset=1).with_columns(
        pl.when(qts == "Yes, I hold QTS")
        .then(MET)
        .when(qts.is_in(["QTLS", ""]))
        .then(UNKNOWN)
        .otherwise(NOT_MET)
        .alias("qts"),
        pl.when(school.is_in(PRIMARY_SCHOOLS))
        .then(MET)
        .when(school.is_in(HUB_SCHOOLS) | (school == ""))
        .then(UNKNOWN)
        .otherwise(NOT_MET)
        .alias("school_ok"),
        yes_no(SAME_CLASS).alias("same_class"),
        yes_no(FULFIL).alias("fulfil"),
        yes_no(HEAD).alias("head"),
        (
            (pl.col(STATUS).str.strip_chars().is_in(["", "None"]).not_()).cast(pl.Int32)
            + (pl.col(LEADER) == "Subject leader").cast(pl.Int32)
            + (pl.col(YEARS).cast(pl.Int64, strict=False) >= 4).fill_null(False).cast(pl.Int32)
        ).alias("score"),
    )
    essentials = ["qts", "employed_primary_teaching_class", "fulfil", "head"]
    outcomes = outcomes.with_columns(
        pl.min_horizontal("school_ok", "same_class").alias("employed_primary_teaching_class")
    ).with_columns(
        pl.when(pl.any_horizontal([pl.col(c) == NOT_MET for c in essentials]))
        .then(2)
        .when(pl.any_horizontal([pl.col(c) == UNKNOWN for c in essentials]))
        .then(1)
        .otherwise(0)
        .alias("code")
    )
    ranked = outcomes.sort(["code", "score", "row"], descending=[False, True, False])
    ranked = ranked.with_row_index("rank", offset=1).sort("row")
    ranked.select(
        "row",
        (pl.col("row") + 1).alias("line"),
        "rank",
        pl.col("code").replace_strict(VERDICT_CODE, return_dtype=pl.String).alias("verdict"),
        "score",
        pl.col("ID").alias("applicant_id"),
        pl.col("Name").alias("applicant_name"),
        pl.col("Email").alias("applicant_email"),
        "qts",
        "employed_primary_teaching_class",
    ).write_csv(results, line_terminator="\r\n")


PEERS = {"pandas": screen_pandas, "polars": screen_polars}


def main() -> None:
    """Run one peer on one export; print its CPU seconds and peak memory in kB."""
    name, export, results = sys.argv[1:4]
    __import__(name)
    imports_before_clock()
    start = time.process_time()
    PEERS[name](export, results)
    elapsed = time.process_time() - start
    record_imports()
    print(elapsed, peak_kb(), 0)


if __name__ == "__main__":
    main()
