"""Pins the criteria files against the published sources they encode.

The expected criteria are copied from the source documents by hand, in published order, so a
change to a criteria file that drifts from the source fails here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from masterycheck.core.engine import CompiledProgramme, assess
from masterycheck.core.profile import read_profile
from masterycheck.core.programme import Criterion, Example, Kind, Level, Verdict
from masterycheck.files.criteria import load_catalogue, load_programme, programme_files

SHARED = Path(__file__).resolve().parents[3] / "shared"
SOURCES = SHARED / "sources"
GLOSSARY = "GLOSSARY.md"

CATALOGUE = load_catalogue()
PROGRAMMES: dict[str, CompiledProgramme] = {
    path.stem: load_programme(path, CATALOGUE) for path in programme_files()
}

needs_shared = pytest.mark.skipif(
    not SOURCES.is_dir(),
    reason=f"the published sources are not at {SOURCES} (CI keeps shared/ beside the repo)",
)

PRIMARY_ESSENTIAL = [
    "Qualified Teacher Status",
    "Employed as a teacher in a primary/infant/junior/middle school, and regularly teaching "
    "maths to the same class of children",
    "Able to fulfil the programme requirements and time commitment outlined above",
    "Good teaching skills in maths as evidenced by internal/external/Ofsted observation",
    "Passion and enthusiasm for teaching for mastery",
    "Ability to work collaboratively with others",
    "Successful track record of working effectively with other professionals within your own "
    "school",
    "Excellent communication and interpersonal skills",
    "An understanding of what constitutes effective learning in maths and the ability and "
    "confidence to communicate this",
    "Desire to develop skills, both in the classroom and in working with others",
    "Working in a school where the headteacher understands the commitment required in the first "
    "year of training and beyond",
]
PRIMARY_DESIRABLE = [
    "Additional status, e.g., Mathematics SLE/MaST",
    "Mathematics subject leader",
    "A minimum of four years' teaching primary maths",
    "A desire to develop as a specialist teacher of primary maths",
    "A successful track record of working effectively with other professionals across a group "
    "of schools",
    "The ability to grow leadership capacity in others",
]
SECONDARY_ESSENTIAL = [
    "Qualified Teacher Status (for at least two years)",
    "Employed as a teacher in a state-funded middle/secondary school in England; currently "
    "teaching maths to KS3 and/or KS4 students",
    "A minimum of two years' experience teaching maths",
    "Good teaching skills in maths as evidenced by internal/external observation",
    "Passion and enthusiasm for teaching for mastery",
    "Ability to work collaboratively with others",
    "Keen to work to develop other professionals within their department",
    "Excellent communication and interpersonal skills",
    "An understanding of what constitutes effective learning in maths, and the ability and "
    "confidence to communicate this.",
]
SECONDARY_DESIRABLE = [
    "Additional status, e.g. Lead Practitioner; Mathematics SLE; NCETM Accredited PD Lead",
    "Maths subject leader or responsibility within a maths department",
    "Experience of developing a department's maths curriculum",
    "Experience of leading collaborative professional development",
    "Successful track record of working effectively with other professionals within own school",
    "Already engaged with Maths Hub teaching for mastery work.",
]

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def normalised(text: str) -> str:
    """Whitespace collapsed and typographic quotes made plain."""
    return " ".join(text.translate(_QUOTES).split())


def texts(criteria: list[Criterion]) -> list[str]:
    return [normalised(c.text) for c in criteria]


def all_criteria() -> list[tuple[str, Criterion]]:
    return [(pid, c) for pid, compiled in PROGRAMMES.items() for c in compiled.programme.criteria]


def all_examples() -> list[pytest.ParameterSet]:
    return [
        pytest.param(pid, example, id=f"{pid}: {example.name}")
        for pid, compiled in PROGRAMMES.items()
        for example in compiled.programme.examples
    ]


def test_the_three_programmes_are_bundled() -> None:
    assert sorted(PROGRAMMES) == ["post16", "primary", "secondary"]


# --- the criteria, in published order ------------------------------------------------------


def test_primary_has_the_11_essential_and_6_desirable_published_criteria() -> None:
    programme = PROGRAMMES["primary"].programme
    assert texts(programme.essentials()) == PRIMARY_ESSENTIAL
    assert texts(programme.desirables()) == PRIMARY_DESIRABLE
    assert (len(PRIMARY_ESSENTIAL), len(PRIMARY_DESIRABLE)) == (11, 6)


def test_secondary_has_the_9_essential_and_6_desirable_published_criteria() -> None:
    programme = PROGRAMMES["secondary"].programme
    assert texts(programme.essentials()) == SECONDARY_ESSENTIAL
    assert texts(programme.desirables()) == SECONDARY_DESIRABLE
    assert (len(SECONDARY_ESSENTIAL), len(SECONDARY_DESIRABLE)) == (9, 6)


def test_secondary_flattened_table_is_read_as_essential_desirable_pairs() -> None:
    programme = PROGRAMMES["secondary"].programme
    level = {normalised(c.text): c.level for c in programme.criteria}
    assert (
        level["Keen to work to develop other professionals within their department"]
        is Level.ESSENTIAL
    )
    assert (
        level[
            "Successful track record of working effectively with other professionals within "
            "own school"
        ]
        is Level.DESIRABLE
    )


def test_post16_is_provisional_with_only_essential_fact_criteria() -> None:
    programme = PROGRAMMES["post16"].programme
    assert programme.provisional is True
    assert programme.provisional_note
    assert "not published" in programme.provisional_note
    assert programme.criteria
    assert all(c.level is Level.ESSENTIAL for c in programme.criteria)
    assert all(c.kind is Kind.FACT for c in programme.criteria)
    assert programme.desirables() == []


def test_primary_and_secondary_are_not_provisional() -> None:
    assert PROGRAMMES["primary"].programme.provisional is False
    assert PROGRAMMES["secondary"].programme.provisional is False


# --- every criterion, against its source ---------------------------------------------------


@needs_shared
@pytest.mark.parametrize(
    ("programme_id", "criterion"),
    [pytest.param(pid, c, id=f"{pid}.{c.id}") for pid, c in all_criteria()],
)
def test_criterion_text_appears_verbatim_in_its_source(
    programme_id: str, criterion: Criterion
) -> None:
    document = criterion.source.document
    if _is_page(document):
        # A public page is not kept beside the files: its published sentence is, in `quote`.
        assert criterion.source.quote
        source = " ".join(criterion.source.quote.split())
    else:
        path = SHARED / GLOSSARY if document == GLOSSARY else SOURCES / document
        assert path.is_file(), f"{programme_id}.{criterion.id}: no source document {document}"
        source = " ".join(path.read_text(encoding="utf-8").split())
    # Exact to the character, typographic apostrophes included; only line folding is ignored.
    assert " ".join(criterion.text.split()) in source


def _is_page(document: str) -> bool:
    return document.startswith("https://")


@needs_shared
@pytest.mark.parametrize(
    ("programme_id", "criterion"),
    [pytest.param(pid, c, id=f"{pid}.{c.id}") for pid, c in all_criteria()],
)
def test_criterion_source_document_exists(programme_id: str, criterion: Criterion) -> None:
    document = criterion.source.document
    if _is_page(document):
        return
    assert document == GLOSSARY or (SOURCES / document).is_file(), (
        f"{programme_id}.{criterion.id}: {document} is neither in {SOURCES} nor {GLOSSARY}"
    )
    if document == GLOSSARY:
        assert (SHARED / GLOSSARY).is_file()


@needs_shared
@pytest.mark.parametrize("programme_id", sorted(PROGRAMMES))
def test_programme_source_documents_exist(programme_id: str) -> None:
    programme = PROGRAMMES[programme_id].programme
    for source in (programme.source, *programme.other_sources):
        if _is_page(source.document):
            assert source.quote, f"{source.document} is cited without its published words"
            continue
        path = SHARED / GLOSSARY if source.document == GLOSSARY else SOURCES / source.document
        assert path.is_file(), source.document


@pytest.mark.parametrize(
    ("programme_id", "criterion"),
    [pytest.param(pid, c, id=f"{pid}.{c.id}") for pid, c in all_criteria()],
)
def test_criterion_is_dated_and_evidence_says_what_to_show(
    programme_id: str, criterion: Criterion
) -> None:
    assert isinstance(criterion.last_verified, dt.date)
    assert criterion.last_verified <= dt.date.today()
    if criterion.kind is Kind.EVIDENCE:
        assert criterion.evidence
        assert criterion.evidence.strip()


def test_every_evidence_criterion_is_one_a_hub_judges_from_self_assessment_fields() -> None:
    for programme_id, criterion in all_criteria():
        if criterion.kind is Kind.EVIDENCE:
            compiled_criteria = PROGRAMMES[programme_id].criteria
            compiled = next(c for c in compiled_criteria if c.criterion.id == criterion.id)
            assert all(name.startswith("self_") for name in compiled.rule.fields), criterion.id


# --- programme facts -----------------------------------------------------------------------


def test_primary_window_and_first_year_commitment() -> None:
    programme = PROGRAMMES["primary"].programme
    assert programme.window.opens == dt.date(2025, 12, 16)
    assert programme.window.closes == dt.date(2026, 4, 23)
    year_one = programme.commitment[0]
    assert year_one.academic_year == "2026/27"
    assert year_one.release_days == 10
    assert year_one.funded is True
    assert year_one.residentials is not None
    assert "three two-day residential" in year_one.residentials
    assert programme.reference_date == programme.window.closes


def test_secondary_has_7_5_release_days_in_each_of_two_years() -> None:
    programme = PROGRAMMES["secondary"].programme
    assert [(y.academic_year, y.release_days) for y in programme.commitment[:2]] == [
        ("2025/26", 7.5),
        ("2026/27", 7.5),
    ]
    assert programme.window.opens is None
    # The sheet gives no closing date; the hub's page does (quoted in closing_date_source).
    assert programme.window.closes == programme.closing_date == dt.date(2025, 6, 12)
    assert programme.closing_date_source is not None
    assert "12th June 2025" in (programme.closing_date_source.quote or "")
    assert programme.window.decisions_by == dt.date(2025, 6, 30)
    assert programme.reference_date == dt.date(2025, 9, 1)


def test_a_criterion_from_a_public_page_must_quote_it() -> None:
    with pytest.raises(ValueError, match="needs its `quote`"):
        Criterion.model_validate(
            {
                "id": "x",
                "level": "essential",
                "kind": "fact",
                "text": "t",
                "source": {"document": "https://example.org/page"},
                "last_verified": "2026-11-30",
                "rule": {"field": "in_england", "equals": "yes"},
            }
        )


def test_post16_school_sixth_form_goes_to_the_hub_and_fe_college_is_eligible() -> None:
    compiled = PROGRAMMES["post16"]
    common = {
        "post16_maths_taught": ["gcse_resit"],
        "institution_compulsory_maths": "yes",
        "institution_nominates": "yes",
        "can_commit_two_years": "yes",
    }
    day = dt.date(2026, 11, 30)
    school = {"school_type": "secondary", "key_stages_taught": ["ks4", "ks5"], **common}
    college = {"school_type": "fe_college", **common}
    in_school = assess(compiled, read_profile(CATALOGUE, school), day)
    in_college = assess(compiled, read_profile(CATALOGUE, college), day)
    assert in_school.verdict is Verdict.INCOMPLETE
    hub = [r for r in in_school.criteria if r.hub_to_confirm]
    assert [r.id for r in hub] == ["institution_compulsory_maths"]
    assert "school sixth form" in (hub[0].hub_note or "")
    assert in_college.verdict is Verdict.ELIGIBLE


def test_post16_publishes_no_window_dates() -> None:
    window = PROGRAMMES["post16"].programme.window
    assert (window.opens, window.closes, window.decisions_by) == (None, None, None)


@pytest.mark.parametrize("programme_id", sorted(PROGRAMMES))
def test_every_programme_has_an_example_of_each_verdict(programme_id: str) -> None:
    expected = {example.expect for example in PROGRAMMES[programme_id].programme.examples}
    assert expected == set(Verdict)


@pytest.mark.parametrize(("programme_id", "example"), all_examples())
def test_example_candidate_gets_its_expected_verdict(programme_id: str, example: Example) -> None:
    compiled = PROGRAMMES[programme_id]
    profile = read_profile(CATALOGUE, example.profile)
    as_of = example.as_of or compiled.programme.reference_date
    assert assess(compiled, profile, as_of).verdict is example.expect


@needs_shared
# post16's "the institution nominates its lead teacher" is not published wording: the
# post-16 texts are the subject of issue 10, item 6, and are checked there.
@pytest.mark.parametrize("programme_id", ["primary", "secondary"])
def test_school_expectations_are_the_published_bullets_word_for_word(programme_id: str) -> None:
    programme = PROGRAMMES[programme_id].programme
    path = SOURCES / programme.source.document
    source = " ".join(path.read_text(encoding="utf-8").split())
    for expectation in programme.expectations:
        # Sub-bullets are joined with "; " after their lead-in's ":"; every piece is published.
        for piece in expectation.replace(": ", "; ").split("; "):
            assert " ".join(piece.split()).rstrip(".") in source, piece


@needs_shared
def test_primary_lists_all_seven_published_expectations() -> None:
    assert len(PROGRAMMES["primary"].programme.expectations) == 7


@pytest.mark.parametrize(
    ("programme_id", "criterion"),
    [pytest.param(pid, c, id=f"{pid}.{c.id}") for pid, c in all_criteria()],
)
def test_every_criterion_has_a_short_label_for_tables(
    programme_id: str, criterion: Criterion
) -> None:
    assert criterion.short, f"{programme_id}.{criterion.id} needs `short:` (issue 12)"
    assert len(criterion.short) <= 40
