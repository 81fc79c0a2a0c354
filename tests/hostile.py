"""Helpers for the hardening tests: a larger export, and the CLI run as a real child process."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXPORT = REPO / "examples" / "forms-export-primary.csv"
MAPPING = REPO / "examples" / "forms-export-primary.mapping.yaml"
AS_OF = "2026-01-10"


def big_export(path: Path, rows: int) -> Path:
    """The example export's data rows repeated to ``rows`` rows."""
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        heading, *data = list(csv.reader(stream))
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(heading)
        for number in range(rows):
            writer.writerow(data[number % len(data)])
    return path


def child_env() -> dict[str, str]:
    """The environment of a child ``masterycheck``: no colour, the bundled criteria."""
    env = {k: v for k, v in os.environ.items() if k != "MASTERYCHECK_CRITERIA"}
    env["NO_COLOR"] = "1"
    return env


def command(*args: str | Path) -> list[str]:
    """``python -m masterycheck`` with ``args``, as the console script runs it."""
    return [sys.executable, "-m", "masterycheck", *map(str, args)]


def run_child(*args: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``masterycheck`` as a child process and wait for it."""
    return subprocess.run(
        command(*args), input=stdin, capture_output=True, env=child_env(), timeout=120, check=False
    )


def screen_args(export: Path, *extra: str | Path) -> list[str]:
    """``screen EXPORT`` against primary with the example mapping, as of ``AS_OF``."""
    return [
        *("screen", str(export), "--programme", "primary", "--mapping", str(MAPPING)),
        *("--as-of", AS_OF, *map(str, extra)),
    ]
