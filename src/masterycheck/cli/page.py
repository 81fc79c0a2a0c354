"""`masterycheck page`: write the self-check page a Maths Hub can publish."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from masterycheck.cli.common import reports_errors
from masterycheck.errors import InputError

if TYPE_CHECKING:
    from masterycheck.core.engine import CompiledProgramme


@reports_errors
def page(
    programmes: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PROGRAMME]...",
            help="Programme ids (primary, secondary, post16) or programme files; default: all.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The page to write (.html)."),
    ] = None,
    overlay: Annotated[
        Path | None,
        typer.Option(
            "--overlay",
            help="A hub overlay file: its desirable criteria and weights are added to the "
            "programmes it is for.",
        ),
    ] = None,
) -> None:
    """Write one self-contained HTML page that checks eligibility in any browser.

    The page holds the programmes' criteria and the same rules as `check`; answers stay in
    the browser. Publish it on a hub's website, attach it to an email or share it.
    """
    import datetime as dt

    from masterycheck.files.criteria import (
        CATALOGUE_FILE,
        criteria_dir,
        load_catalogue,
        load_programme,
        programme_files,
        resolve_programme,
    )
    from masterycheck.outputs.safe_files import atomic_output, check_output_target
    from masterycheck.reporters.self_check_page import build_page

    if output is None:
        raise InputError("give the page to write with -o FILE.html", where="--output")
    if output.suffix.lower() not in (".html", ".htm"):
        raise InputError("the page must end in .html", where="--output")
    paths = [resolve_programme(ref) for ref in programmes] if programmes else programme_files()
    if len({p.resolve() for p in paths}) != len(paths):
        raise InputError("a programme is named twice")
    protect = [*paths, criteria_dir() / CATALOGUE_FILE, *([overlay] if overlay else [])]
    check_output_target(output, protect)
    catalogue = load_catalogue()
    compiled = [load_programme(path, catalogue) for path in paths]
    overlay_name = None
    if overlay is not None:
        compiled, overlay_name = _with_overlay(overlay, compiled, named=bool(programmes))
    text = build_page(compiled, generated=dt.date.today(), overlay=overlay_name)
    with atomic_output(output, protect=protect) as out:
        out.write(text)
    typer.echo(f"Wrote {_shown(output)} ({len(text.encode('utf-8')) // 1024} KB).", err=True)


def _with_overlay(
    path: Path, compiled: list[CompiledProgramme], *, named: bool
) -> tuple[list[CompiledProgramme], str]:
    """The programmes with the overlay applied to those it is for; an overlay for none of
    them (or, when programmes are named, not for one of them) is refused."""
    from masterycheck.core.overlay import Overlay
    from masterycheck.files.overlays import load_overlay
    from masterycheck.files.yaml_source import load_model

    overlay, document = load_model(path, Overlay, "an overlay file")
    wanted = [c for c in compiled if not overlay.programmes or c.programme.id in overlay.programmes]
    if not wanted or (named and len(wanted) != len(compiled)):
        others = ", ".join(c.programme.id for c in compiled if c not in wanted)
        raise document.error_at(
            ("programmes",), f"the overlay is for {', '.join(overlay.programmes)}, not {others}"
        )
    result = []
    for programme in compiled:
        if programme in wanted:
            overlay, programme = load_overlay(path, programme, programme.catalogue)
        result.append(programme)
    return result, f"{overlay.name} ({overlay.origin})"


def _shown(path: Path) -> str:
    from masterycheck.outputs.inert_text import one_line

    return one_line(str(path))
