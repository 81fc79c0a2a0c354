"""Loading a hub's overlay file: checked, applied to a programme and compiled, every problem
named at the overlay file's line and column."""

from __future__ import annotations

from pathlib import Path

from masterycheck.core.engine import CompiledProgramme, compile_programme
from masterycheck.core.fields import Catalogue
from masterycheck.core.overlay import Overlay, OverlayProblem, apply_overlay, extend_catalogue
from masterycheck.core.rules import RuleProblem
from masterycheck.files.yaml_source import load_model


def load_overlay(
    path: Path, compiled: CompiledProgramme, catalogue: Catalogue
) -> tuple[Overlay, CompiledProgramme]:
    """Load an overlay file, apply it to ``compiled`` and compile the result.

    The result's ``catalogue`` holds the overlay's added fields: read the export with it.
    Every problem is an ``InputError`` at the overlay file's line and column.
    """
    overlay, document = load_model(path, Overlay, "an overlay file")
    try:
        catalogue = extend_catalogue(catalogue, overlay)
        programme, origins = apply_overlay(compiled.programme, overlay)
    except OverlayProblem as problem:
        raise document.error_at(problem.loc, str(problem)) from None
    origins = {**{c.criterion.id: c.origin for c in compiled.criteria}, **origins}
    first_added = len(compiled.programme.criteria)
    try:
        result = compile_programme(programme, catalogue, origins=origins)
    except RuleProblem as problem:
        loc = problem.loc
        if len(loc) >= 2 and loc[0] == "criteria" and isinstance(loc[1], int):
            loc = ("add_criteria", loc[1] - first_added, *loc[2:])
        raise document.error_at(loc, str(problem)) from None
    return overlay, result
