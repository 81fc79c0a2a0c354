"""Benchmark: ``open_table(...).rows()`` against a bare ``csv.reader`` pass over the same file.

Generates a 100,000-row, 30-column CSV (one column a ~600-character free-text statement with
commas and, in some rows, quoted phrases) in a temporary folder, then times each pass (best of
3, CPU time) and prints the ratio. Target: the reader within about 1.3x of csv.reader.

    PYTHONPATH=src python bench/bench_reader.py [--rows 100000] [--quotes 0.5]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from masterycheck.batch.tables import open_table

WORDS = (
    *("pupils", "mastery", "maths", "teaching", "reasoning", "fluency", "school", "hub"),
    *("lead", "variation", "representation", "structure", "lessons", "department"),
    *("colleagues,", "number", "sense,", "and", "small", "steps", "in", "the", "classroom"),
)
CHOICES = ("Yes", "No", "Primary", "Secondary, academy", "KS3;KS4;", "Not sure")


def _statement(rng: random.Random, quoted: bool) -> str:
    words: list[str] = []
    size = 0
    while size < 600:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    if quoted:
        at = rng.randrange(len(words) - 3)
        words[at] = '"' + words[at]
        words[at + 2] += '"'
    return " ".join(words)


def write_table(path: Path, rows: int, quotes: float) -> None:
    """Write the benchmark CSV: an ID, a date, an email, a name, 25 choices and a statement."""
    rng = random.Random(1)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["ID", "Start time", "Email", "Name", *(f"Q{i}" for i in range(25)), "Why"])
        for number in range(1, rows + 1):
            writer.writerow(
                [
                    str(number),
                    "2024-03-01 09:15:00",
                    f"person{number}@school.example",
                    f"Applicant {number}",
                    *(rng.choice(CHOICES) for _ in range(25)),
                    _statement(rng, rng.random() < quotes),
                ]
            )


def bare_pass(path: Path) -> int:
    """Count the rows with a bare csv.reader."""
    count = 0
    with path.open(newline="", encoding="utf-8") as stream:
        for _ in csv.reader(stream):
            count += 1
    return count - 1


def reader_pass(path: Path) -> int:
    """Count the rows with open_table(...).rows()."""
    count = 0
    for _ in open_table(path).rows():
        count += 1
    return count


def best_of(runs: int, works: list[Callable[[Path], int]], path: Path) -> list[tuple[float, int]]:
    """The shortest of ``runs`` timings of each ``work(path)``, and its result.

    The works run alternately, so that a noisy machine slows them alike, and the time is the
    process's CPU time, which other processes on a shared machine disturb less than wall time.
    """
    best = [float("inf")] * len(works)
    results = [0] * len(works)
    for _ in range(runs):
        for index, work in enumerate(works):
            start = time.process_time()
            results[index] = work(path)
            best[index] = min(best[index], time.process_time() - start)
    return list(zip(best, results, strict=True))


def main() -> None:
    """Generate the file, time both passes and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--quotes", type=float, default=0.5, help="share of rows with quotes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "applications.csv"
        write_table(path, args.rows, args.quotes)
        size = path.stat().st_size / 1e6
        (bare, bare_rows), (ours, our_rows) = best_of(3, [bare_pass, reader_pass], path)
    assert bare_rows == our_rows == args.rows, (bare_rows, our_rows)
    print(f"{args.rows:,} rows, {size:.1f} MB, {args.quotes:.0%} of rows with quotes")
    print(f"csv.reader          {bare:.3f} s")
    print(f"open_table().rows() {ours:.3f} s")
    print(f"ratio               {ours / bare:.2f}x")


if __name__ == "__main__":
    main()
