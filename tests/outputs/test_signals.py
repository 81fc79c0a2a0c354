"""SIGTERM and SIGHUP clean up like Ctrl-C: no spool of applicants' data, no temporary file.

Each test runs the real command in a child process, waits until it is writing (its spool or
temporary file exists), sends the signal and checks the exit code and the folder.
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from hostile import big_export, child_env, command, screen_args

ROWS = 60_000


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_export(tmp_path_factory.mktemp("signals") / "export.csv", ROWS)


def _stop_while_writing(export: Path, out: Path, sig: int, *extra: str) -> tuple[int, str]:
    process = subprocess.Popen(
        command(
            *screen_args(export),
            "-o",
            out / "results.csv",
            *extra,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )
    deadline = time.monotonic() + 60
    try:
        while not any(out.iterdir()):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the run ended before it wrote anything to signal")
            time.sleep(0.005)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    return process.returncode, stderr.decode()


@pytest.mark.parametrize(
    ("sig", "code"),
    [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)],
    ids=["SIGTERM", "SIGHUP", "SIGINT"],
)
@pytest.mark.parametrize("output_format", ["csv", "json", "xlsx"])
def test_stop_signal_leaves_no_spool_or_temporary_file(
    export: Path, tmp_path: Path, sig: int, code: int, output_format: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    returncode, stderr = _stop_while_writing(export, out, sig, "--format", output_format)
    left = sorted(path.name for path in out.iterdir())
    assert (returncode, left) == (code, []), stderr
    assert "Traceback" not in stderr
