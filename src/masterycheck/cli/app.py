"""The `masterycheck` command: registers the commands and runs them with clean exits.

A command's module is imported, and its options built, only when that command runs (or when
the list of commands is shown): `check` pays neither for the screening pipeline nor for the
interview.
"""

# No ``from __future__ import annotations``: typer reads the options from the annotations, which
# it would otherwise evaluate from their text at every run.

import atexit
import contextlib
import gc
import importlib
import os
import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from masterycheck.cli import PLUGINS_SETTING, skip_plugin_loader
from masterycheck.cli.common import OutputFormat
from masterycheck.errors import ExitCode, Terminated

if TYPE_CHECKING:
    from collections.abc import Callable

    from typer._click import Command, Context, Parameter  # the click that typer runs on
    from typer._click.shell_completion import CompletionItem

#: Every command, in the order help lists them: the module and function that implement it.
COMMANDS: dict[str, tuple[str, str]] = {
    "programmes": ("masterycheck.cli.info", "programmes"),
    "fields": ("masterycheck.cli.info", "fields"),
    "explain": ("masterycheck.cli.info", "explain"),
    "check": ("masterycheck.cli.check", "check"),
    "validate": ("masterycheck.cli.validate", "validate"),
    "test": ("masterycheck.cli.validate", "test"),
    "schema": ("masterycheck.cli.schema", "schema"),
    "interview": ("masterycheck.cli.interview", "interview"),
    "mapping": ("masterycheck.cli.mapping", "mapping"),
    "screen": ("masterycheck.cli.screen", "screen"),
    "page": ("masterycheck.cli.page", "page"),
}


#: Parameters whose values complete in the shell, in every command that has them.
COMPLETED = ("programme", "answer")


def _completer(name: str) -> "Callable[[Context, Parameter, str], list[CompletionItem]]":
    """Complete parameter ``name``'s values with ``cli.completion``, imported only then."""

    def shell_complete(
        ctx: "Context", param: "Parameter", incomplete: str
    ) -> "list[CompletionItem]":
        from masterycheck.cli.completion import COMPLETERS

        return COMPLETERS[name](ctx, param, incomplete)

    return shell_complete


def command(name: str) -> "Command":
    """The click command of ``name``, built by typer from its function; its ``programme``
    and ``answer`` values complete in the shell (``cli.completion``)."""
    module, attribute = COMMANDS[name]
    one = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    one.command(name)(getattr(importlib.import_module(module), attribute))
    built = typer.main.get_command(one)
    for param in built.params:
        if param.name in COMPLETED:
            # What typer's ``autocompletion=`` sets: given here once, for every command.
            param._custom_shell_complete = _completer(param.name)
    return built


class Commands(TyperGroup):
    """The commands of ``COMMANDS``, each built on first use."""

    def list_commands(self, ctx: "Context") -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: "Context", cmd_name: str) -> "Command | None":
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = command(cmd_name)
        return self.commands.get(cmd_name)


app = typer.Typer(
    name="masterycheck",
    help="Check eligibility for the NCETM / Maths Hubs Mastery Specialist programmes.",
    cls=Commands,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback(invoke_without_command=True)
def _group(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show the version and the criteria files in use (sha256, last verified), "
            "then exit.",
        ),
    ] = False,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", "-f", help="With --version: text or json."),
    ] = None,
) -> None:
    # A callback makes typer build a group (of the commands above), not a single command.
    if version:
        from masterycheck.cli.version import show_version

        show_version(output_format or OutputFormat.TEXT)
        raise typer.Exit(ExitCode.OK)
    if output_format is not None:
        raise typer.BadParameter(
            "before a command it applies to --version only; give it after the command",
            param_hint="'--format'",
        )
    if ctx.invoked_subcommand is None:
        raise typer.BadParameter("name a command, or give --help", param_hint="COMMAND")


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


#: Where temporary files are made and listed; a command that never imported it made none.
SCRATCH = "masterycheck.outputs.scratch"


def remove_leftovers() -> None:
    """Remove every temporary file still listed (``outputs.scratch``), if any were made."""
    scratch = sys.modules.get(SCRATCH)
    if scratch is not None:
        scratch.remove_leftovers()


def no_pydantic_plugins() -> None:
    """Run no pydantic plugins, and so never scan every installed package's entry points for
    them (pydantic does on its first model otherwise); a setting of the user's is kept (see
    ``masterycheck.cli``)."""
    os.environ.setdefault(PLUGINS_SETTING, "__all__")
    skip_plugin_loader()


def main() -> None:
    """Entry point of the console script: Ctrl-C exits 130, SIGHUP 129 and SIGTERM 143, each
    after removing every temporary file, without a traceback."""
    no_pydantic_plugins()
    install_signal_handlers()
    # At exit, leave every object out of the interpreter's last garbage collections, a tenth
    # of check's time: no finalizer of ours is left to run then (outputs are closed and
    # temporary files removed below), and the memory goes back with the process.
    atexit.register(gc.freeze)
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
