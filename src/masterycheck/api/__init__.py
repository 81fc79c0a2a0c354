"""The Python API: load the criteria, assess a teacher, screen form rows, propose a mapping.

What ``import masterycheck`` offers (its ``__all__``); the ``check`` command is built on these
functions. A mistake in what is given (an unknown programme, a bad file, an answer that cannot
be read) raises ``InputError``, whose ``str`` is the one line the command line prints.

This module holds the criteria and one teacher's assessment; the form exports
(``api.form_exports``: ``screen``, ``propose_mapping``) and the facts of what produced a result
(``api.release_facts``) are imported when one of their names is first used, and the screening
and mapping machinery when ``screen`` or ``propose_mapping`` is first called, so that ``check``
starts as fast as before.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.engine import assess as _assess
from masterycheck.core.fields import Catalogue
from masterycheck.core.profile import Profile, ProfileProblem
from masterycheck.core.results import Assessment
from masterycheck.core.vocabulary import Level, Outcome, RowVerdict, Verdict
from masterycheck.errors import InputError

if TYPE_CHECKING:
    from masterycheck.api.form_exports import MappingProposal, ScreenedRow, propose_mapping, screen
    from masterycheck.api.release_facts import CriteriaFileFacts, VersionFacts, version_facts

__all__ = [
    "Assessment",
    "Catalogue",
    "CompiledProgramme",
    "CriteriaFileFacts",
    "InputError",
    "MappingProposal",
    "Profile",
    "RowVerdict",
    "ScreenedRow",
    "Verdict",
    "VersionFacts",
    "assess",
    "assess_all",
    "best_fit_first",
    "load_catalogue",
    "load_overlay",
    "load_profile",
    "load_programme",
    "load_programmes",
    "propose_mapping",
    "read_profile",
    "screen",
    "version_facts",
]

PathLike: TypeAlias = str | os.PathLike[str]
#: A programme: its id (``"primary"``), the path of a programme file, or one already loaded.
ProgrammeRef: TypeAlias = str | os.PathLike[str] | CompiledProgramme
#: Rows of a form export given as data: each a mapping of heading to answer, or a sequence
#: of answers in the order of ``headings``.
Rows: TypeAlias = Iterable[Mapping[str, object] | Sequence[object]]

#: Name -> the module beside this one that holds it, imported when the name is first used.
_LATER = {
    **dict.fromkeys(
        ("MappingProposal", "ScreenedRow", "propose_mapping", "screen"),
        "masterycheck.api.form_exports",
    ),
    **dict.fromkeys(
        ("CriteriaFileFacts", "VersionFacts", "version_facts"), "masterycheck.api.release_facts"
    ),
}


def __getattr__(name: str) -> object:
    """Import a name of ``api.form_exports`` or ``api.release_facts`` on first use."""
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module 'masterycheck.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, the lazily imported ones included."""
    return sorted({*globals(), *__all__})


# --- the criteria ------------------------------------------------------------------------------


def load_catalogue(path: PathLike | None = None) -> Catalogue:
    """The field catalogue: the bundled one (``criteria/fields.yaml``), or the file at ``path``."""
    from masterycheck.files.criteria import load_catalogue as load

    return load(Path(path) if path is not None else None)


def load_programme(
    programme: PathLike,
    *,
    catalogue: Catalogue | None = None,
    overlay: PathLike | None = None,
) -> CompiledProgramme:
    """A programme, checked and compiled: a bundled one by id (``"primary"``, ``"secondary"``,
    ``"post16"``) or a programme file by path; with ``overlay``, a hub overlay file applied
    (its desirable criteria, weights and fields: it never changes a verdict)."""
    from masterycheck.files.criteria import load_programme as load
    from masterycheck.files.criteria import resolve_programme

    if catalogue is None:
        catalogue = load_catalogue()
    compiled = load(resolve_programme(os.fspath(programme)), catalogue)
    return compiled if overlay is None else load_overlay(overlay, compiled)


def load_programmes(catalogue: Catalogue | None = None) -> list[CompiledProgramme]:
    """Every bundled programme, compiled, in file-name order."""
    from masterycheck.files.criteria import load_all_programmes

    return load_all_programmes(catalogue if catalogue is not None else load_catalogue())


def load_overlay(overlay: PathLike, programme: ProgrammeRef) -> CompiledProgramme:
    """``programme`` with the hub overlay file ``overlay`` applied, compiled (the result's
    ``catalogue`` holds the overlay's own fields)."""
    from masterycheck.files.overlays import load_overlay as load

    compiled = _programme(programme)
    return load(Path(overlay), compiled, compiled.catalogue)[1]


def _programme(programme: ProgrammeRef) -> CompiledProgramme:
    if isinstance(programme, CompiledProgramme):
        return programme
    return load_programme(programme)


# --- one teacher -------------------------------------------------------------------------------


def read_profile(
    answers: Mapping[str, object], catalogue: Catalogue, *, lenient: bool = False
) -> Profile:
    """Read answers given as data (field id -> answer, as in a profile file: ``"yes"``,
    ``2019``, ``"2019-07"``, a list for a many-of field, ``None`` or ``"don't know"`` for
    unknown). With ``lenient`` an answer of the wrong type becomes unknown with a note;
    otherwise, like an unknown field id always, it raises ``InputError`` naming the field."""
    from masterycheck.core.profile import read_profile as read

    try:
        return read(catalogue, answers, lenient=lenient)
    except ProfileProblem as problem:
        raise InputError(
            str(problem), hint="run 'masterycheck fields' to see the fields and accepted answers"
        ) from None


def load_profile(
    path: PathLike, *, catalogue: Catalogue | None = None, lenient: bool = False
) -> Profile:
    """Read a profile file (YAML or JSON); a problem raises ``InputError`` at file:line:column."""
    from masterycheck.files.criteria import load_profile as load

    return load(
        Path(path), catalogue if catalogue is not None else load_catalogue(), lenient=lenient
    )


def assess(
    programme: ProgrammeRef,
    answers: Mapping[str, object] | Profile,
    *,
    as_of: dt.date | None = None,
    lenient: bool = False,
) -> Assessment:
    """Assess a teacher's answers (a mapping as in a profile file, or a ``Profile``) against
    ``programme`` as of ``as_of`` (default: today).

    The result is what ``check --format json`` reports: ``assessment.to_dict()`` is its JSON.
    """
    compiled = _programme(programme)
    profile = (
        answers
        if isinstance(answers, Profile)
        else read_profile(answers, compiled.catalogue, lenient=lenient)
    )
    return _assess(compiled, profile, as_of if as_of is not None else dt.date.today())


#: Eligible first, then incomplete, then not eligible: the ranking order of ``RowVerdict``.
_VERDICT_RANK = {verdict: list(RowVerdict).index(RowVerdict.of(verdict)) for verdict in Verdict}


def best_fit_first(assessments: Iterable[Assessment]) -> list[Assessment]:
    """Order assessments: programmes the teacher's setting rules out (``not_for_you``) last;
    then eligible, incomplete, not eligible; fewer essentials failing or unknown, then a
    higher desirable score, come first."""

    def key(assessment: Assessment) -> tuple[bool, int, int, int, int]:
        failing = len(assessment.stopped_by)
        unknown = sum(
            1
            for r in assessment.criteria
            if r.level is Level.ESSENTIAL and r.outcome is Outcome.UNKNOWN
        )
        return (
            assessment.not_for_you is not None,
            _VERDICT_RANK[assessment.verdict],
            failing,
            unknown,
            -assessment.desirable.percent,
        )

    return sorted(assessments, key=key)


def assess_all(
    answers: Mapping[str, object] | Profile,
    *,
    as_of: dt.date | None = None,
    lenient: bool = False,
    programmes: Iterable[CompiledProgramme] | None = None,
) -> list[Assessment]:
    """Assess the answers against every bundled programme (or ``programmes``), best fit first
    (what ``check --all`` reports). Phase first: a programme that where and what the teacher
    teaches rules out carries ``not_for_you`` (why, in one sentence) and comes last."""
    from masterycheck.core.fit import mark_fit

    chosen = list(programmes) if programmes is not None else load_programmes()
    if not chosen:
        return []
    profile = (
        answers
        if isinstance(answers, Profile)
        else read_profile(answers, chosen[0].catalogue, lenient=lenient)
    )
    assessed = [(p, assess(p, profile, as_of=as_of)) for p in chosen]
    return best_fit_first(mark_fit(assessed, profile))
