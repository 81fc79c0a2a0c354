"""Proposing a mapping from an export's headings and answers, for a person to review.

``propose_mapping`` scores every column against every field (``columns``: heading words and
answers; ``words``: synonyms and stems; ``choices``: answers placed among choices), finds
the applicant's columns by content (``applicant``), and ``render_mapping`` writes the result
with a review list at the top. ``review`` re-reads an edited mapping against the export.
"""

from masterycheck.batch.proposal.applicant import META_HEADINGS
from masterycheck.batch.proposal.propose import (
    CONSTANT_SUGGESTIONS,
    ColumnChoice,
    Confidence,
    Proposal,
    propose_mapping,
    sample_answers,
)
from masterycheck.batch.proposal.render import render_mapping, review_lines
from masterycheck.batch.proposal.review import MappingReview, review_mapping

__all__ = [
    "CONSTANT_SUGGESTIONS",
    "META_HEADINGS",
    "ColumnChoice",
    "Confidence",
    "MappingReview",
    "Proposal",
    "propose_mapping",
    "render_mapping",
    "review_lines",
    "review_mapping",
    "sample_answers",
]
