"""Short human labels for criteria, from one place: tables, sheets and summaries name a
criterion by its ``short:`` label, or, when a criterion (an overlay's) has none, by its
published text cut at a word boundary. Pure."""

from __future__ import annotations

from masterycheck.core.programme import Criterion

__all__ = ["LABEL_LIMIT", "criterion_label"]

#: The longest label (the model's limit on ``short``).
LABEL_LIMIT = 40


def criterion_label(criterion: Criterion, limit: int = LABEL_LIMIT) -> str:
    """The criterion's short label, or its text cut at a word boundary with "…"."""
    if criterion.short:
        return criterion.short
    text = " ".join(criterion.text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"
