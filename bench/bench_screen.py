"""Benchmark: `masterycheck screen` to CSV against a bare `csv.reader` pass over the same file.

Generates Microsoft-Forms-shaped exports (30 columns) in two shapes: ``forms`` (a long
free-text statement of 80 to 200 words in the last column, not kept) and ``short`` (every
answer short, the statement a few words, not kept). For each size it runs, in the same run and
alternately, a bare ``csv.reader`` pass and the screen (in a child process each, timing the CPU
time of the work: CPU time is steadier than wall time on a shared machine), and reports the
ratio and the child's peak memory (``VmHWM`` from ``/proc/self/status``, read in the child:
``ru_maxrss`` would carry the parent's over fork and exec). Targets: ratio <= 3.0x at 100k
rows; keeping a 2 KB statement column (mapping ``keep:``) <= 1.5x not keeping it; peak memory
at 1M rows <= 1.3x the peak at 10k rows.

Every child is measured the same way: an untimed first run records the modules it loads, and
the timed runs import those before the clock starts, so "work" leaves out every program's
imports alike (masterycheck imports lazily, pandas at ``import pandas``); "process" is the
child's whole CPU time (``RUSAGE_CHILDREN``: interpreter start-up and imports included), what
a user waits for. Bytecode is cached for every child alike (``CHILD_ENV``).

With ``--peers``, pandas and polars run the same screen vectorised (``bench_peers.py``) on the
``forms`` and ``short`` exports, each ratio to the same ``csv.reader`` pass; a peer not
installed is skipped.

    python bench/bench_screen.py                 # both shapes, keep, 1k, 10k and 100k rows
    python bench/bench_screen.py --peers         # and pandas and polars
    python bench/bench_screen.py --million       # and 1M rows (a few minutes, ~2 GB disk)
    python bench/bench_screen.py --format xlsx --before /tmp/old/src   # the XLSX results, and
        # the same screen run from another source tree (``git archive HEAD src | tar -x``),
        # alternately in the same run, for before/after ratios
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
PEERS_SCRIPT = Path(__file__).resolve().with_name("bench_peers.py")

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
SHAPES = ("forms", "short")
STATEMENT = "Personal statement"


def _statements(rng: random.Random, shape: str) -> list[str]:
    """200 statements: ``forms`` 80 to 200 words, ``short`` 3 to 6 words, ``2kb`` ~2,000
    characters."""
    if shape == "short":
        return [" ".join(rng.choices(WORDS, k=rng.randint(3, 6))) for _ in range(200)]
    if shape == "2kb":
        return [" ".join(rng.choices(WORDS, k=300))[:2000] for _ in range(200)]
    return [" ".join(rng.choices(WORDS, k=rng.randint(80, 200))) for _ in range(200)]


def generate(path: Path, rows: int, seed: int = 1, shape: str = "forms") -> None:
    """Write an export of ``rows`` data rows in ``shape`` (forms, short or 2kb)."""
    rng = random.Random(seed)
    statements = _statements(rng, shape)
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


PEAK = """
def peak_kb():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0
"""

# Every child imports, before its clock starts, the modules an untimed run of the same job
# loaded (``bench_peers.imports_before_clock``): imports are left out of every "work" time alike,
# masterycheck's lazy ones as much as pandas's eager ones.
PRELOAD = f"""
import sys
sys.path.insert(0, {str(PEERS_SCRIPT.parent)!r})
from bench_peers import imports_before_clock, record_imports
imports_before_clock()
"""

CHILD_CSV = (
    PEAK
    + PRELOAD
    + """
import csv, sys, time
start = time.process_time()
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    n = sum(1 for _ in csv.reader(f))
elapsed = time.process_time() - start
record_imports()
print(elapsed, peak_kb(), n)
"""
)

CHILD_SCREEN = (
    PEAK
    + PRELOAD
    + """
import sys, time
from masterycheck.cli.app import app
start = time.process_time()
try:
    code = app(["screen", sys.argv[1], "--programme", "primary", "--mapping", sys.argv[2],
                "-o", sys.argv[3], "--as-of", "2026-01-10"], standalone_mode=False)
except SystemExit as exit:
    code = exit.code
if code:
    sys.exit(f"screen failed ({code})")
elapsed = time.process_time() - start
record_imports()
print(elapsed, peak_kb(), 0)
"""
)


#: The children's environment. Bytecode is cached (in a private folder, not the source tree) as
#: pip caches an installed package's: with ``PYTHONDONTWRITEBYTECODE`` set, an editable
#: install would compile masterycheck's modules on every run while the peers' came compiled.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


class Timing(NamedTuple):
    """One child's run: CPU seconds of its work (imports left out), its whole process's CPU
    seconds (interpreter start-up and imports included), its peak memory in kB."""

    work: float
    process: float
    peak: int


def _run(command: list[str], imports: Path, *, record: bool = False) -> Timing:
    """Run a child; with ``record`` (an untimed first run) it writes the modules it loaded to
    ``imports``, which the timed runs then import before their clock starts."""
    env = {**CHILD_ENV, ("BENCH_RECORD" if record else "BENCH_IMPORTS"): str(imports)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"child failed: {done.stderr.strip()[-2000:]}")
    elapsed, peak, _ = done.stdout.split()
    process = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Timing(float(elapsed), process, int(peak))


def _child(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def _peer(name: str, export: Path, out: Path) -> list[str]:
    return [sys.executable, str(PEERS_SCRIPT), name, str(export), str(out)]


def _mappings(base: Path) -> tuple[Path, Path]:
    """The proposed mapping for the export, and the same keeping the statement column."""
    mapping, keeping = base / "mapping.yaml", base / "mapping-keep.yaml"
    generate(base / "probe.csv", 200)
    subprocess.run(
        [
            *(sys.executable, "-m", "masterycheck", "mapping", str(base / "probe.csv")),
            *("--programme", "primary", "-o", str(mapping)),
        ],
        check=True,
        capture_output=True,
    )
    document = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    document["keep"] = [*(document.get("keep") or []), STATEMENT]
    document["ignore"] = [h for h in document.get("ignore") or [] if h != STATEMENT]
    keeping.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return mapping, keeping


def _best(runs: int, timed: dict[str, list[str]], folder: Path) -> dict[str, Timing]:
    """Each named child (its command) run once untimed (recording its imports, caching its
    bytecode), then ``runs`` times in turn; the least times and the greatest peak of each."""
    imports = {name: folder / f"imports-{index}.json" for index, name in enumerate(timed)}
    for name, command in timed.items():
        _run(command, imports[name], record=True)
    found: dict[str, list[Timing]] = {name: [] for name in timed}
    for _ in range(runs):
        for name, command in timed.items():
            found[name].append(_run(command, imports[name]))
    return {
        name: Timing(
            min(t.work for t in timings),
            min(t.process for t in timings),
            max(t.peak for t in timings),
        )
        for name, timings in found.items()
    }


def main() -> None:
    """Generate exports, time the passes alternately and print the ratios and memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--million", action="store_true", help="also run 1,000,000 rows")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peers", action="store_true", help="also run pandas and polars")
    parser.add_argument("--sizes", default="1000,10000,100000", help="rows, comma-separated")
    parser.add_argument("--format", default="csv", choices=("csv", "xlsx", "jsonl"))
    parser.add_argument("--before", help="also screen with masterycheck from this src folder")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")] + ([1_000_000] if args.million else [])
    peers = []
    if args.peers:
        for name in ("pandas", "polars"):
            if importlib.util.find_spec(name) is None:
                print(f"peer {name}: skipped, not installed (pip install {name})")
            else:
                peers.append(name)
    results: dict[str, dict[int, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(base / "bytecode")
        mapping, keeping = _mappings(base)
        out = base / f"out.{args.format}"
        for size in sizes:
            runs = args.runs if size <= 100_000 else 1
            for shape in (*SHAPES, "2kb"):
                export = base / f"export-{shape}.csv"
                generate(export, size, shape=shape)
                timed: dict[str, list[str]] = {
                    "csv.reader": _child(CHILD_CSV, str(export)),
                    "screen": _child(CHILD_SCREEN, str(export), str(mapping), str(out)),
                }
                if args.before:
                    before = f"import sys; sys.path.insert(0, {args.before!r})\n"
                    timed["screen (before)"] = _child(
                        before + CHILD_SCREEN, str(export), str(mapping), str(out)
                    )
                if shape == "2kb":
                    timed["screen, keep"] = _child(
                        CHILD_SCREEN, str(export), str(keeping), str(out)
                    )
                if shape in SHAPES:
                    for name in peers:
                        timed[name] = _peer(name, export, out)
                best = _best(runs, timed, base)
                reader = best["csv.reader"]
                figures = results.setdefault(shape, {}).setdefault(size, {})
                line = [
                    f"{size:>9,} rows, {shape:>5}: csv.reader {reader.work:.3f}s "
                    f"(process {reader.process:.3f}s)"
                ]
                for name, timing in best.items():
                    figures[f"{name}_s"] = timing.work
                    figures[f"{name}_process_s"] = timing.process
                    figures[f"{name}_peak_kb"] = timing.peak
                    if name != "csv.reader":
                        line.append(
                            f"{name} {timing.work:.3f}s = {timing.work / reader.work:.2f}x "
                            f"(process {timing.process / reader.process:.2f}x, "
                            f"{timing.peak / 1024:.0f} MB)"
                        )
                if shape == "2kb":
                    keep = best["screen, keep"].work / best["screen"].work
                    figures["keep_ratio"] = keep
                    line.append(f"keep / no keep {keep:.2f}x")
                if args.before:
                    after = best["screen"].work / best["screen (before)"].work
                    figures["after_before_ratio"] = after
                    line.append(f"screen now / before {after:.2f}x")
                print("; ".join(line), flush=True)
                export.unlink()
                out.unlink(missing_ok=True)
    for shape, by_size in results.items():
        if 1_000_000 in by_size and 10_000 in by_size:
            growth = by_size[1_000_000]["screen_peak_kb"] / by_size[10_000]["screen_peak_kb"]
            print(f"{shape}: peak memory of screen 1M / 10k: {growth:.2f}x (target <= 1.30x)")
        if 100_000 in by_size:
            figures = by_size[100_000]
            ratio = figures["screen_s"] / figures["csv.reader_s"]
            print(f"{shape}: screen / csv.reader at 100k: {ratio:.2f}x (target <= 3.0x)")
            if "keep_ratio" in figures:
                print(f"{shape}: keep / no keep at 100k: {figures['keep_ratio']:.2f}x (<= 1.5x)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
