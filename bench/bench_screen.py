"""Benchmark: `masterycheck screen` to CSV against a bare `csv.reader` pass over the same file.

Generates Microsoft-Forms-shaped exports (30 columns, including a long free-text statement),
then for each size runs, in the same run, a bare ``csv.reader`` pass and the screen (in a
child process each, timing the CPU time of the work, not the interpreter start-up: CPU time
is steadier than wall time on a shared machine), and reports the ratio and the child's peak
memory (``ru_maxrss``). Targets: ratio <= 2.5x at 100k rows; peak
memory at 1M rows <= 1.3x the peak at 10k rows (screening streams).

    python bench/bench_screen.py            # 1k, 10k and 100k rows
    python bench/bench_screen.py --million  # and 1M rows (takes a few minutes, ~1 GB disk)
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEADINGS = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
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
    "School name",
    "School postcode",
    "School URN",
    "Headteacher name",
    "Headteacher email",
    "Job title",
    "Year group taught",
    "How did you hear about the programme?",
    "Dietary requirements",
    "Access requirements",
    "Preferred residential",
    "Consent to share data",
    "Personal statement",
]
ANSWERS = [
    ["Yes, I hold QTS"] * 8 + ["QTLS", "No"],
    [str(y) for y in range(2005, 2024)] + ["", "2019-07"],
    ["Primary school"] * 6 + ["Infant school", "Junior school", "State-funded middle school"],
    ["Yes"] * 9 + ["No"],
    ["KS1;KS2;", "KS2;", "KS1;", "EYFS;KS1;", "KS2;KS3;"],
    ["Yes"] * 9 + ["No"],
    ["Yes"] * 8 + ["Not sure", ""],
    ["None", "Mathematics SLE;", "MaST;", "Lead Practitioner;", "Mathematics SLE;MaST;"],
    ["Subject leader", "No", "No"],
    [str(n) for n in range(0, 15)] + ["three"],
    ["Kirklees", "Wakefield", "Hull", "North Lincolnshire", "Other"],
]
_TEXT = (
    "I have led maths in my school and run lesson study with colleagues across our trust "
    "reasoning fluency variation representation structure mastery pupils teachers"
)
WORDS = _TEXT.split(maxsplit=-1)


def generate(path: Path, rows: int, seed: int = 1) -> None:
    """Write an export of ``rows`` data rows."""
    rng = random.Random(seed)
    statements = [" ".join(rng.choices(WORDS, k=rng.randint(80, 200))) for _ in range(200)]
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADINGS)
        for number in range(1, rows + 1):
            answers = [rng.choice(options) for options in ANSWERS]
            writer.writerow(
                [
                    str(number),
                    "1/15/26 9:01:12",
                    "1/15/26 9:20:40",
                    f"teacher{number}@school.example",
                    f"Teacher {number}",
                    "",
                    *answers,
                    f"School {number % 500}",
                    "HU1 1AA",
                    str(100000 + number % 900),
                    f"Head {number % 500}",
                    f"head{number % 500}@school.example",
                    "Class teacher",
                    "Year 4",
                    "Maths Hub newsletter",
                    "None",
                    "None",
                    "Spring",
                    "Yes",
                    statements[number % len(statements)] + f" ({number})",
                ]
            )


CHILD_CSV = """
import csv, resource, sys, time
start = time.process_time()
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    n = sum(1 for _ in csv.reader(f))
elapsed = time.process_time() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, n)
"""

CHILD_SCREEN = """
import resource, sys, time
from masterycheck.cli.app import app
start = time.process_time()
try:
    app(["screen", sys.argv[1], "--programme", "primary", "--mapping", sys.argv[2],
         "-o", sys.argv[3], "--as-of", "2026-01-10"], standalone_mode=False)
except SystemExit as exit:
    if exit.code:
        raise
elapsed = time.process_time() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, 0)
"""


def _child(code: str, *args: str) -> tuple[float, int]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"child failed: {done.stderr.strip()[-2000:]}")
    elapsed, rss, _ = done.stdout.split()
    return float(elapsed), int(rss)


def main() -> None:
    """Generate exports, time both passes alternately and print the ratios and memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--million", action="store_true", help="also run 1,000,000 rows")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [1_000, 10_000, 100_000] + ([1_000_000] if args.million else [])
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        mapping = base / "mapping.yaml"
        generate(base / "probe.csv", 200)
        subprocess.run(
            [
                *(sys.executable, "-m", "masterycheck", "mapping", str(base / "probe.csv")),
                *("--programme", "primary", "-o", str(mapping)),
            ],
            check=True,
            capture_output=True,
        )
        for size in sizes:
            export = base / f"export-{size}.csv"
            generate(export, size)
            out = base / f"out-{size}.csv"
            reader_times, screen_times, peak = [], [], 0
            runs = args.runs if size <= 100_000 else 1
            for _ in range(runs):
                reader_times.append(_child(CHILD_CSV, str(export))[0])
                elapsed, rss = _child(CHILD_SCREEN, str(export), str(mapping), str(out))
                screen_times.append(elapsed)
                peak = max(peak, rss)
            reader, screen = min(reader_times), min(screen_times)
            results[size] = {"reader_s": reader, "screen_s": screen, "peak_kb": peak}
            print(
                f"{size:>9,} rows: csv.reader {reader:.3f}s, screen {screen:.3f}s, "
                f"ratio {screen / reader:.2f}x, peak memory {peak / 1024:.0f} MB",
                flush=True,
            )
            export.unlink()
            out.unlink(missing_ok=True)
    if 1_000_000 in results:
        growth = results[1_000_000]["peak_kb"] / results[10_000]["peak_kb"]
        print(f"peak memory 1M / 10k: {growth:.2f}x (target <= 1.30x)")
    if 100_000 in results:
        ratio = results[100_000]["screen_s"] / results[100_000]["reader_s"]
        print(f"ratio at 100k: {ratio:.2f}x (target <= 2.5x)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
