"""Criterion labels: the ``short:`` label, else the published text cut at a word boundary."""

from __future__ import annotations

from pathlib import Path

from masterycheck.core.labels import LABEL_LIMIT, criterion_label
from masterycheck.files.criteria import load_catalogue, load_programme

ROOT = Path(__file__).resolve().parents[2]


def _criteria() -> list:  # type: ignore[type-arg]
    compiled = load_programme(ROOT / "criteria" / "secondary.yaml", load_catalogue())
    return [c.criterion for c in compiled.criteria]


def test_a_criterion_is_named_by_its_short_label() -> None:
    for criterion in _criteria():
        assert criterion_label(criterion) == criterion.short


def test_without_a_short_label_the_text_is_cut_at_a_word_boundary() -> None:
    long = next(c for c in _criteria() if len(c.text) > LABEL_LIMIT)
    label = criterion_label(long.model_copy(update={"short": None}))
    assert len(label) <= LABEL_LIMIT and label.endswith("…")
    assert long.text.startswith(label[:-1])
    assert long.text[len(label) - 1] in " ,;:."  # the cut falls between words


def test_without_a_short_label_a_short_text_is_the_label() -> None:
    brief = _criteria()[0].model_copy(update={"short": None, "text": "Qualified  teacher"})
    assert criterion_label(brief) == "Qualified teacher"
