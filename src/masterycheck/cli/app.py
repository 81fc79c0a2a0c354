"""The `masterycheck` command: registers the commands and runs them with clean exits."""

from __future__ import annotations

import sys

import typer

from masterycheck.cli import check, info, interview, mapping_cmd, schema, screen, validate
from masterycheck.errors import ExitCode

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
app.command("mapping")(mapping_cmd.mapping)
app.command("screen")(screen.screen)


def main() -> None:
    """Entry point of the console script: Ctrl-C exits 130 without a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("\nmasterycheck: interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)
