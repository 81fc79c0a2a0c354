"""masterycheck: eligibility checker for the NCETM / Maths Hubs Mastery Specialist programmes.

The Python API (``masterycheck.api``), in five lines::

    import masterycheck

    result = masterycheck.assess("primary", {"qualified_status": "qts", "qts_date": 2019})
    print(result.verdict, [step.action for step in result.path_to_eligibility])
    for row in masterycheck.screen("applications.csv", "primary", mapping="mapping.yaml"):
        print(row.row, row.verdict, row.assessment and row.assessment.desirable.met)

The names below are imported on first use (PEP 562), so that ``import masterycheck``, which
every command runs, costs no more than the version.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from masterycheck.version import __version__

if TYPE_CHECKING:
    from masterycheck.api import (
        Assessment,
        Catalogue,
        CompiledProgramme,
        CriteriaFileFacts,
        InputError,
        MappingProposal,
        Profile,
        RowVerdict,
        ScreenedRow,
        Verdict,
        VersionFacts,
        assess,
        assess_all,
        best_fit_first,
        load_catalogue,
        load_overlay,
        load_profile,
        load_programme,
        load_programmes,
        propose_mapping,
        read_profile,
        screen,
        version_facts,
    )

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
    "__version__",
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

#: The module every lazily imported name comes from.
_API = "masterycheck.api"


def __getattr__(name: str) -> object:
    """Import an API name from ``masterycheck.api`` on first use."""
    if name in __all__:
        value = getattr(importlib.import_module(_API), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'masterycheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names, the lazily imported ones included."""
    return sorted({*globals(), *__all__})
