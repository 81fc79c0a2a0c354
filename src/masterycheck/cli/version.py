"""`masterycheck --version`: the release and the criteria files that produce its results."""

from __future__ import annotations

import typer

from masterycheck.cli.common import OutputFormat, print_json

#: How many hex digits of a file's SHA-256 the text shows (JSON gives all of it).
SHA256_SHOWN = 12


def show_version(output_format: OutputFormat) -> None:
    """Print the package version, the criteria folder and each criteria file's SHA-256 (a
    prefix, in text) and the dates its criteria were last verified; as JSON for scripts."""
    from masterycheck.api import version_facts
    from masterycheck.outputs.inert_text import one_line

    facts = version_facts()
    if output_format is OutputFormat.JSON:
        print_json(facts.to_dict())
        return
    typer.echo(f"masterycheck {facts.version}")
    typer.echo(one_line(f"criteria: {facts.criteria_dir}"))
    width = max((len(f.name) for f in facts.criteria_files), default=0)
    for file in facts.criteria_files:
        line = f"  {file.name:<{width}}  sha256 {file.sha256[:SHA256_SHOWN] or '-':<{SHA256_SHOWN}}"
        if file.last_verified is not None:
            oldest, newest = file.last_verified
            dates = oldest.isoformat()
            if newest != oldest:
                dates += f" to {newest.isoformat()}"
            line += f"  last verified {dates}"
        if file.problem is not None:
            line += f"  ({file.problem})"
        typer.echo(one_line(line.rstrip()))
