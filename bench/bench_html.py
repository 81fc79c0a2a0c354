"""Benchmark: the HTML screening report against the screening it reports.

Generates a form export (1,000 then 10,000 applicants by default, with the HTML tests'
generator) in a temporary folder and times, best of 5, run alternately, in this process:

* screen: ``masterycheck screen EXPORT --mapping ... -o results.csv`` (the command itself,
  without the interpreter's start-up), which reads, screens, ranks and writes every row;
* HTML: what ``--html`` adds to it: one more pass over the rows, every card built, and the
  report rendered and written (``write_screening_report``);
* and, once ``masterycheck screen`` takes ``--html``, the command with it;
* the whole ``python -m masterycheck screen`` command, interpreter start-up included, for
  scale: what a user waits for.

The ratio HTML / screen is the figure to watch: the report should cost little next to the
screening itself (the target: at most 0.5 at 1,000 applicants). The report is bound by its
size (a card is about 6 KB of HTML, where a row of results is a few hundred bytes) while the
screening memoises its way through repeated answers, so the ratio grows with the export.

    PYTHONPATH=src python bench/bench_html.py [--rows 1000 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-01-20"


def _best(runs: int, works: list[Callable[[], None]]) -> list[float]:
    """The shortest time of each work, run alternately so that a noisy machine slows all."""
    best = [float("inf")] * len(works)
    for _ in range(runs):
        for index, work in enumerate(works):
            start = time.perf_counter()
            work()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def _command(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {done.stderr.strip()[-2000:]}")


def bench(rows: int, runs: int) -> float:
    """Time one export of ``rows`` applicants, print the figures; returns HTML / screen."""
    from html_report_data import screen, write_export, write_mapping, write_report
    from masterycheck.cli.app import app

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        export, mapping = folder / "applications.csv", folder / "applications.mapping.yaml"
        write_export(export, rows)
        write_mapping(mapping)
        results, report = folder / "results.csv", folder / "report.html"
        command = [
            *("screen", str(export), "--programme", "primary", "--mapping", str(mapping)),
            *("-o", str(results), "--as-of", AS_OF),
        ]
        screened = screen(export, mapping)

        def run(extra: list[str]) -> Callable[[], None]:
            def work() -> None:
                with contextlib.redirect_stderr(io.StringIO()):  # the summary
                    app([*command, *extra], standalone_mode=False)

            return work

        def html() -> None:
            write_report(screened, report)

        works = [run([]), html]
        with_html = False
        try:
            run(["--html", str(report)])()
            with_html = True
            works.append(run(["--html", str(report)]))
        except Exception:
            pass
        best = _best(runs, works)
        size = report.stat().st_size / 1e6
        whole = _best(
            max(3, runs // 2),
            [lambda: _command([sys.executable, "-m", "masterycheck", *command])],
        )[0]
    ratio = best[1] / best[0]
    print(f"{rows:,} applicants, report {size:.1f} MB, best of {runs}")
    print(f"masterycheck screen -o results.csv   {best[0]:.3f} s")
    print(f"HTML report (pass, cards, write)     {best[1]:.3f} s")
    print(f"ratio HTML / screen                  {ratio:.2f}x")
    print(f"whole command, start-up included    {whole:.3f} s")
    print(f"HTML report / whole command          {best[1] / whole:.0%}")
    if with_html:
        print(f"masterycheck screen ... --html       {best[2]:.3f} s")
        print(f"ratio with / without --html          {best[2] / best[0]:.2f}x")
    else:
        print("(masterycheck screen has no --html option yet)")
    return ratio


def main() -> None:
    """For each size: generate the export, time the screen and the report, print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    ratios = []
    for rows in args.rows:
        ratios.append((rows, bench(rows, args.runs)))
        print()
    print("ratio HTML / screen: " + "; ".join(f"{rows:,}: {r:.2f}x" for rows, r in ratios))


if __name__ == "__main__":
    main()
