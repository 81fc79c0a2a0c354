"""Benchmark: start-up of `masterycheck check` against importing the stack it is built on.

Both are whole processes, run alternately in the same run (the machines are noisy); the report
gives the best and the median of each and their ratios. Target: the check costs at most 1.3x

    python -c "import typer, yaml, rich.console, rich.table; from pydantic import BaseModel"

Both run byte-compiled, as an installed package does: the compiled files go to a temporary
folder (PYTHONPYCACHEPREFIX), never into the source tree. ``--as-is`` runs them with the
environment as it is instead (where PYTHONDONTWRITEBYTECODE is set, an editable install's
sources are then compiled on every run, but the libraries' are not).

    python bench/bench_check.py [--runs 21] [--as-is]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = Path("examples") / "primary-eligible.yaml"
BASELINE_CODE = "import typer, yaml, rich.console, rich.table; from pydantic import BaseModel"
TARGET = 1.3
VERDICT_EXITS = (0, 3, 4)  # eligible, not eligible, incomplete


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )
    return time.perf_counter() - start


def main() -> None:
    """Run both commands alternately and print best, median and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--as-is", action="store_true", help="Keep the bytecode settings.")
    args = parser.parse_args()
    entry = shutil.which("masterycheck")
    check = [entry] if entry else [sys.executable, "-m", "masterycheck"]
    check += ["check", "primary", "--profile", str(PROFILE)]
    baseline = [sys.executable, "-c", BASELINE_CODE]
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="bench-pyc-") as pycache:
        if not args.as_is:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = pycache
        result = subprocess.run(check, capture_output=True, text=True, cwd=ROOT, env=env)
        if result.returncode not in VERDICT_EXITS:
            sys.exit(f"check failed with exit {result.returncode}: {result.stderr.strip()}")
        for _ in range(2):  # compile, and warm the file cache
            _time(baseline, env), _time(check, env)
        base_times, check_times = [], []
        for _ in range(args.runs):
            base_times.append(_time(baseline, env))
            check_times.append(_time(check, env))
    for name, times in (("baseline", base_times), ("check", check_times)):
        best, median = min(times), statistics.median(times)
        print(f"{name:8}  best {best * 1000:6.1f} ms   median {median * 1000:6.1f} ms")
    print(f"baseline: python -c {BASELINE_CODE!r}")
    print(f"check:    masterycheck {' '.join(check[-4:])}")
    mode = "as the environment is" if args.as_is else "byte-compiled"
    best_ratio = min(check_times) / min(base_times)
    median_ratio = statistics.median(check_times) / statistics.median(base_times)
    print(
        f"ratio: best {best_ratio:.2f}x, median {median_ratio:.2f}x "
        f"(target <= {TARGET:.2f}x), {args.runs} alternated runs each, {mode}"
    )


if __name__ == "__main__":
    main()
