"""The `masterycheck` command: registers the commands and runs them with clean exits."""

from __future__ import annotations

import contextlib
import signal
import sys
from types import FrameType

import typer

from masterycheck.cli import check, info, interview, mapping, schema, screen, validate
from masterycheck.errors import ExitCode, Terminated

app = typer.Typer(
    name="masterycheck",
    help="Check eligibility for the NCETM / Maths Hubs Mastery Specialist programmes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

app.command("programmes")(info.programmes)
app.command("fields")(info.fields)
app.command("explain")(info.explain)
app.command("check")(check.check)
app.command("validate")(validate.validate)
app.command("test")(validate.test)
app.command("schema")(schema.schema)
app.command("interview")(interview.interview)
app.command("mapping")(mapping.mapping)
app.command("screen")(screen.screen)


_STOP_SIGNALS = ("SIGTERM", "SIGHUP")


def _stop_on_signal(signal_number: int, frame: FrameType | None) -> None:
    """Turn SIGTERM or SIGHUP into ``Terminated`` so that cleanup runs; later stop signals are
    ignored until it has (a second one must not cut the cleanup short)."""
    for name in (*_STOP_SIGNALS, "SIGINT"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise Terminated(signal_number, signal.Signals(signal_number).name)


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP clean up like Ctrl-C (where the platform has them)."""
    for name in _STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, _stop_on_signal)


def main() -> None:
    """Entry point of the console script: Ctrl-C exits 130, SIGHUP 129 and SIGTERM 143, each
    after removing every temporary file, without a traceback."""
    from masterycheck.outputs.scratch import remove_leftovers

    install_signal_handlers()
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("\nmasterycheck: interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)
    except Terminated as stop:
        with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
            sys.stderr.write(f"\nmasterycheck: stopped by {stop.name}\n")
        sys.exit(stop.exit_code)
    finally:
        remove_leftovers()
