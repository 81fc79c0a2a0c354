"""Benchmark: how fast, and in how little memory, hostile workbooks are refused.

A 200 KB workbook can hold a shared string that expands to 150 MB, or two million shared
strings; before the reader's bounds such files took 1.4 GB and 19 s, or 512 MB and 47 s. Each
file is opened in a child process (``open_table(...).rows()`` until it is refused) and timed in
CPU seconds, against the same reading of an ordinary 1,000-row export written by openpyxl in
the same run. Target: every hostile file refused in under 2 s and 200 MB peak memory.

    python bench/bench_hostile_xlsx.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

CHILD = """
import json, resource, sys, time
start = time.process_time()
from masterycheck.errors import InputError
from masterycheck.batch.tables import open_table
try:
    rows = sum(1 for _ in open_table(sys.argv[1]).rows())
    outcome = f"read {rows} rows"
except InputError as error:
    outcome = "refused: " + error.message
seconds = time.process_time() - start
try:  # this program's own peak (ru_maxrss can carry over a parent's, on Linux)
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) / 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mb": peak}))
"""

_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    '"xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    'sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>'
)
_SST = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _workbook(path: Path, strings: Iterable[bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in (
            ("[Content_Types].xml", _TYPES),
            ("_rels/.rels", _RELS),
            ("xl/workbook.xml", _WORKBOOK),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", _SHEET),
        ):
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as stream:
            for piece in strings:
                stream.write(piece)
    return path


def _one_long_string(megabytes: int) -> Iterable[bytes]:
    yield (_SST + "<si><t>Name</t></si><si><t>").encode()
    block = b"a" * (1 << 20)
    for _ in range(megabytes):
        yield block
    yield b"</t></si></sst>"


def _many_strings(count: int) -> Iterable[bytes]:
    yield (_SST + "<si><t>Name</t></si>").encode()
    batch = 10_000
    for start in range(0, count, batch):
        yield "".join(f"<si><t>s{n}</t></si>" for n in range(start, start + batch)).encode()
    yield b"</sst>"


def _ordinary(path: Path, rows: int) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Form1")
    sheet.append(["ID", "Name", "Email", "Do you hold QTS?", "Statement"])
    for number in range(1, rows + 1):
        sheet.append(
            [number, f"Teacher {number}", f"t{number}@school.example", "Yes", "I lead maths. " * 40]
        )
    workbook.save(path)
    return path


def _child(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    """Write the files, time each in child processes (best of ``--runs``) and print ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        files = {
            "ordinary 1,000-row export (baseline)": _ordinary(base / "ordinary.xlsx", 1_000),
            "one shared string of 150 MB": _workbook(base / "long.xlsx", _one_long_string(150)),
            "2,000,000 shared strings": _workbook(base / "many.xlsx", _many_strings(2_000_000)),
        }
        baseline = 0.0
        for name, path in files.items():
            runs = [_child(path) for _ in range(args.runs)]
            best = min(runs, key=lambda run: float(str(run["seconds"])))
            seconds = float(str(best["seconds"]))
            peak = max(float(str(run["peak_mb"])) for run in runs)
            baseline = baseline or seconds
            print(
                f"{name}: {path.stat().st_size / 1024:,.0f} KB file, {seconds:.2f}s "
                f"({seconds / baseline:.2f}x the baseline), peak {peak:.0f} MB; {best['outcome']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
