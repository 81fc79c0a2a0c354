"""Benchmark: `masterycheck check` on one profile against importing its dependencies.

Both commands run alternately in the same run (the machines are noisy), and the report is the
ratio of medians. Target: the check costs at most 1.3x a bare
`python -c "import typer, rich, pydantic, yaml"`.

    python bench/bench_check.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "primary-eligible.yaml"


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    """Run both commands alternately and print medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    entry = shutil.which("masterycheck")
    check = [entry] if entry else [sys.executable, "-m", "masterycheck"]
    check += ["check", "primary", "--profile", str(PROFILE), "--as-of", "2026-01-10"]
    baseline = [sys.executable, "-c", "import typer, rich, pydantic, yaml"]
    result = subprocess.run(check, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"check failed with exit {result.returncode}: {result.stderr.strip()}")
    _time(baseline), _time(check)  # warm the file cache
    base_times, check_times = [], []
    for _ in range(args.runs):
        base_times.append(_time(baseline))
        check_times.append(_time(check))
    base, mine = statistics.median(base_times), statistics.median(check_times)
    print(f"baseline import typer, rich, pydantic, yaml: median {base * 1000:.0f} ms")
    print(f"masterycheck check primary (text report):   median {mine * 1000:.0f} ms")
    print(f"ratio: {mine / base:.2f}x (target <= 1.30x), {args.runs} runs each")


if __name__ == "__main__":
    main()
