"""JSON reports: the result models as data, for programs to read.

The keys and values are a contract (see ``core.vocabulary``); new keys may be added, none
renamed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from masterycheck.outputs.inert_text import escape_json_controls

if TYPE_CHECKING:
    from masterycheck.core.results import Assessment
    from masterycheck.reporters.registry import Listing, Out


def json_text(data: object) -> str:
    """``data`` as indented JSON, every control character escaped (no final line break)."""
    return escape_json_controls(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def assessments_data(assessments: Sequence[Assessment], *, single: bool) -> object:
    """One assessment as it is; several (best fit first) under the as-of date and best fit."""
    if single:
        return assessments[0].model_dump(mode="json")
    return {
        "as_of": assessments[0].as_of.isoformat(),
        "best_fit": assessments[0].programme,
        "assessments": [a.model_dump(mode="json") for a in assessments],
    }


class JsonReporter:
    """The ``json`` format."""

    name = "json"

    def show(self, out: Out, assessments: Sequence[Assessment], *, single: bool) -> None:
        out.echo(json_text(assessments_data(assessments, single=single)))

    def show_listing(self, out: Out, listing: Listing) -> None:
        out.echo(json_text(listing.rows if listing.data is None else listing.data))

    def document(self, assessments: Sequence[Assessment]) -> str:
        return json_text(assessments_data(assessments, single=len(assessments) == 1)) + "\n"
