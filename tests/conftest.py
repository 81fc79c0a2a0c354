"""Shared test options and fixtures.

``--update-golden`` rewrites the expected report outputs in ``tests/golden/`` from the current
code; without it the golden tests compare and fail with a diff. Files are only ever written when
the option is given, and every rewritten file is listed at the end of the run.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
_REWRITTEN = pytest.StashKey[list[Path]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the expected outputs in tests/golden/ instead of comparing with them.",
    )


@dataclass(frozen=True)
class Golden:
    """Compares an output with its golden file, or rewrites the file under --update-golden."""

    directory: Path
    update: bool
    rewritten: list[Path]

    def check(self, name: str, actual: str) -> None:
        path = self.directory / name
        if self.update:
            if not path.is_file() or path.read_text(encoding="utf-8") != actual:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(actual, encoding="utf-8", newline="\n")
                self.rewritten.append(path)
            return
        if not path.is_file():
            pytest.fail(
                f"golden file {path} is missing: run pytest with --update-golden to write it, "
                "then read it before committing",
                pytrace=False,
            )
        expected = path.read_text(encoding="utf-8")
        if actual != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    fromfile=f"{path} (expected)",
                    tofile="actual output",
                )
            )
            pytest.fail(
                f"output differs from the golden file {path.name}:\n{diff}\n"
                "If the change is intended, run pytest with --update-golden and review the diff.",
                pytrace=False,
            )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """The golden-file checker for this run."""
    config = request.config
    return Golden(
        GOLDEN_DIR,
        update=bool(config.getoption("--update-golden")),
        rewritten=config.stash.setdefault(_REWRITTEN, []),
    )


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    rewritten = config.stash.get(_REWRITTEN, [])
    if rewritten:
        terminalreporter.write_sep("=", f"--update-golden rewrote {len(rewritten)} golden file(s)")
        for path in rewritten:
            terminalreporter.write_line(str(path))
