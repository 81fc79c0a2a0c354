"""Words addressed to the selection panel rather than to the applicant.

The path to eligibility is written for a teacher ("Answer: When were you awarded QTS?"); the
screening report reads it to a panel ("QTS awarded: not given"). ``panel_step`` turns one step,
``shortlist_reason`` gives a shortlisted row its one-line reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_ANSWER = re.compile(r"^Answer: (?P<q>.+)$", re.S)
_EXACT = re.compile(r"^Give a more exact answer \((?P<x>[^)]*)\) to: (?P<q>.+)$", re.S)
_AGAIN = re.compile(
    r"^Answer again, in a form the checker reads \((?P<v>.*) could not be read\): (?P<q>.+)$",
    re.S,
)
_HUB = "Ask your Maths Hub to confirm: "
HUB_STEP = "For the hub to confirm: "


def panel_step(action: str, labels: Mapping[str, str]) -> str:
    """A step of the path to eligibility as the panel reads it: what is missing from the
    application ("QTS awarded: not given"), not what the applicant should do.

    ``labels`` maps each question to its field's short label; a step the words do not fit
    is kept as it is."""
    found = _ANSWER.match(action)
    if found and found["q"] in labels:
        return f"{labels[found['q']]}: not given"
    found = _EXACT.match(action)
    if found and found["q"] in labels:
        return f"{labels[found['q']]}: not exact enough ({found['x']} needed)"
    found = _AGAIN.match(action)
    if found and found["q"] in labels:
        return f"{labels[found['q']]}: answer could not be read ({found['v']})"
    if action.startswith(_HUB):
        return f"{HUB_STEP}{action[len(_HUB) :]}"
    return action


def shortlist_reason(verdict: str, steps: Sequence[str], shown: int = 3) -> str:
    """A shortlisted row's one-line reason: what makes it eligible, or what is missing.

    ``steps`` are the row's path steps in the panel's words (``panel_step``); at most
    ``shown`` are named, the rest counted. Cases for the hub to confirm are said apart."""
    hub = [s for s in steps if s.startswith(HUB_STEP)]
    missing = [s for s in steps if not s.startswith(HUB_STEP)]
    parts = ["Meets every essential criterion"] if verdict == "eligible" else []
    if missing:
        more = f" (and {len(missing) - shown} more)" if len(missing) > shown else ""
        parts.append(f"Missing: {'; '.join(missing[:shown])}{more}")
    if hub:
        parts.append(f"{HUB_STEP}{'; '.join(s[len(HUB_STEP) :] for s in hub)}")
    return ". ".join(parts) or "Some essential criteria cannot be decided from the answers"
