"""The mapping proposal: headings matched by meaning, answers placed among choices, the
applicant's columns found by content, and the review list at the top of the file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from masterycheck.batch.proposal import Confidence, Proposal, propose_mapping, render_mapping
from masterycheck.batch.proposal.choices import ChoicePlacer
from masterycheck.batch.proposal.columns import assign
from masterycheck.batch.proposal.words import Vocabulary, stem
from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.fields import Catalogue
from masterycheck.files.criteria import load_catalogue, load_programme, resolve_programme
from masterycheck.files.mapping_file import load_mapping


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def vocabulary(catalogue: Catalogue) -> Vocabulary:
    return Vocabulary.of(catalogue)


def programme(catalogue: Catalogue, name: str) -> CompiledProgramme:
    return load_programme(resolve_programme(name), catalogue)


def propose(
    catalogue: Catalogue, name: str, columns: dict[str, list[str]]
) -> tuple[dict[str, str], Proposal]:
    headings = list(columns)
    samples = [Counter(answers) for answers in columns.values()]
    proposal = propose_mapping(headings, catalogue, programme(catalogue, name), samples=samples)
    return {c.heading: c.field for c in proposal.mapping.columns}, proposal


def test_stems_and_synonyms_make_differently_worded_headings_meet(vocabulary: Vocabulary) -> None:
    assert stem("teaches") == stem("teaching") == "teach"
    assert "qts" in vocabulary.words("Are you a qualified teacher?")
    assert "year" in vocabulary.words("How long have you been teaching maths?")
    assert "key_stage" in vocabulary.words("Which year groups do you teach?")
    assert "key_stage" in vocabulary.words("KS4 coordinator")


@pytest.mark.parametrize(
    ("field_id", "answer", "heading", "choice"),
    [
        ("school_type", "Primary (4-11)", "", "primary"),
        ("school_type", "Junior (7-11)", "", "junior"),
        ("school_type", "Academy (primary)", "", "primary"),
        ("school_type", "Middle (9-13)", "", "middle"),
        ("school_type", "Middle school (deemed secondary)", "", "middle"),
        ("school_type", "11-16 comprehensive", "", "secondary"),
        ("qualified_status", "No - QTLS", "", "qtls"),
        ("qualified_status", "Yes - QTS", "", "qts"),
        ("qualified_status", "Neither / working towards", "", "none"),
        ("maths_role", "Head of Maths / Curriculum Leader", "", "subject_leader"),
        ("maths_role", "Second in maths / KS3 coordinator", "", "department_responsibility"),
        ("maths_role", "Yes", "Are you the maths subject leader?", "subject_leader"),
        ("maths_role", "No", "Are you the maths subject leader?", "none"),
        ("additional_status", "None of the above", "", "none"),
        ("key_stages_taught", "Year 4", "", "ks2"),
        ("key_stages_taught", "Year 1", "", "ks1"),
        ("key_stages_taught", "Year 8", "", "ks3"),
        ("key_stages_taught", "Reception", "", "eyfs"),
    ],
)
def test_answers_in_the_domain_s_own_forms_are_placed(
    catalogue: Catalogue,
    vocabulary: Vocabulary,
    field_id: str,
    answer: str,
    heading: str,
    choice: str,
) -> None:
    placer = ChoicePlacer(catalogue.by_id[field_id], vocabulary, heading)
    assert placer.place(answer) == choice


@pytest.mark.parametrize(
    ("field_id", "answer"),
    [("maths_role", "Yes"), ("school_type", "Somewhere else entirely"), ("maths_role", "Bursar")],
)
def test_an_answer_nothing_places_is_left_unplaced(
    catalogue: Catalogue, vocabulary: Vocabulary, field_id: str, answer: str
) -> None:
    """A plain "yes" to a question naming no choice, or words no choice has, stay None."""
    placer = ChoicePlacer(catalogue.by_id[field_id], vocabulary, "Your current role")
    assert placer.place(answer) is None


def test_best_assignment_is_chosen_over_all_columns_at_once() -> None:
    # Greedy would give column 0 field 0 (0.9) and leave column 1 with nothing (0.0).
    assert assign([[0.9, 0.8], [0.85, 0.0]]) == [1, 0]
    assert assign([[0.0, 0.0], [0.5, 0.0]]) == [None, 0]


def test_questions_worded_otherwise_are_matched_by_meaning_and_answers(
    catalogue: Catalogue,
) -> None:
    fields, _ = propose(
        catalogue,
        "secondary",
        {
            "Are you a qualified teacher? Please tick which applies": ["Yes - QTS", "No - QTLS"],
            "What phase is your school?": ["Secondary (11-16)", "Middle (9-13)"],
            "How long have you been teaching maths?": ["5 years", "10+", "3"],
            "Which key stages are on your timetable this year?": ["KS3;KS4;", "KS4;"],
            "Current role in the maths department": ["Head of Maths / Curriculum Leader"],
            "Other accreditations held (tick all that apply)": ["Maths SLE;", "MaST;"],
            "When did you gain it?": ["Sept 2019", "2016/17", "July 2012"],
        },
    )
    assert fields == {
        "Are you a qualified teacher? Please tick which applies": "qualified_status",
        "What phase is your school?": "school_type",
        "How long have you been teaching maths?": "years_teaching_maths",
        "Which key stages are on your timetable this year?": "key_stages_taught",
        "Current role in the maths department": "maths_role",
        "Other accreditations held (tick all that apply)": "additional_status",
        "When did you gain it?": "qts_date",  # by its answers: month-years are a date
    }


def test_a_column_whose_answers_are_a_field_s_choices_is_that_field(catalogue: Catalogue) -> None:
    fields, _ = propose(
        catalogue, "primary", {"Q7": ["MaST;", "Lead Practitioner;", "None of the above;"]}
    )
    assert fields == {"Q7": "additional_status"}


def test_anonymous_form_columns_are_never_the_applicant(catalogue: Catalogue) -> None:
    _, proposal = propose(
        catalogue,
        "primary",
        {
            "ID": ["1", "2"],
            "Email": ["anonymous", "anonymous"],
            "Name": ["anonymous", "anonymous"],
            "Applicant's full name": ["Amira Khan", "Tom Bradley"],
            "Your work email": ["a.khan@oak.sch.uk", "t.bradley@elm.sch.uk"],
            "Name of your school": ["Oakfield Primary", "Elm Junior School"],
        },
    )
    applicant = proposal.mapping.applicant
    assert (applicant.name, applicant.email) == ("Applicant's full name", "Your work email")
    assert {"Email", "Name"} <= set(proposal.mapping.ignore)
    assert proposal.mapping.columns == []  # school names: no field


def test_unplaced_answers_are_null_and_listed_at_the_top(catalogue: Catalogue) -> None:
    _, proposal = propose(
        catalogue,
        "primary",
        {"Type of school": ["Primary (4-11)", "Forest school co-operative"]},
    )
    column = proposal.mapping.columns[0]
    assert column.values["Forest school co-operative"] is None
    assert column.values["Primary (4-11)"] == "primary"
    assert proposal.unrecognised == {"Type of school": ["Forest school co-operative"]}
    text = render_mapping(proposal, catalogue, source="x.csv")
    review = text[: text.index("schema_version")]
    assert '"Type of school": "Forest school co-operative"' in review


def test_review_lists_unsure_columns_then_answers_then_missing_fields(
    catalogue: Catalogue,
) -> None:
    _, proposal = propose(
        catalogue,
        "secondary",
        {
            "Anything else?": ["Yes", "No"],
            "School phase": ["Secondary", "Upside-down school"],
        },
    )
    text = render_mapping(proposal, catalogue, source="x.csv")
    first, second, third = (text.index(f"# {n}. ") for n in (1, 2, 3))
    assert first < second < third < text.index("schema_version")
    assert "in_england" in text[third:] and "suggested constant" in text[third:]


def test_constant_for_a_missing_essential_field_is_proposed_commented_out(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    _, proposal = propose(catalogue, "secondary", {"Do you have QTS?": ["Yes"]})
    text = render_mapping(proposal, catalogue, source="x.csv")
    assert "# constants:" in text and '#   in_england: "yes"' in text
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_mapping(path, catalogue).mapping.constants == {}  # opt in: not set
    opted = text.replace("# constants:", "constants:").replace(
        '#   in_england: "yes"', '  in_england: "yes"'
    )
    path.write_text(opted, encoding="utf-8")
    assert load_mapping(path, catalogue).mapping.constants == {"in_england": "yes"}


def test_each_column_says_how_sure_the_proposal_is(catalogue: Catalogue) -> None:
    _, proposal = propose(
        catalogue,
        "primary",
        {"Do you hold Qualified Teacher Status?": ["Yes", "No"], "Misc": ["Yes", "No"]},
    )
    confidence = proposal.confidence
    assert confidence["Do you hold Qualified Teacher Status?"].confidence is Confidence.SURE
    if "Misc" in confidence:  # a bare yes/no column may be mapped, but never surely
        assert confidence["Misc"].confidence is not Confidence.SURE
    text = render_mapping(proposal, catalogue, source="x.csv")
    assert '"Do you hold Qualified Teacher Status?"  # sure' in text


def test_school_and_submission_time_columns_are_proposed_for_the_applicant(
    catalogue: Catalogue,
) -> None:
    """Issue 11, item 6: duplicates are told apart by email, or full name and school, and the
    latest submission wins, so the proposal names the school and the timestamp columns."""
    _, proposal = propose(
        catalogue,
        "primary",
        {
            "Timestamp": ["03/02/2025 10:26:00", "04/02/2025 10:37:00"],
            "Email address": ["a@oak.sch.uk", "b@elm.sch.uk"],
            "Full name": ["Amira Khan", "Tom Bradley"],
            "Which school do you currently teach at?": ["Oakfield Primary", "Elm Infants"],
            "Type of school": ["Primary", "Infant"],
        },
    )
    applicant = proposal.mapping.applicant
    assert (applicant.school, applicant.submitted) == (
        "Which school do you currently teach at?",
        "Timestamp",
    )
    assert [c.field for c in proposal.mapping.columns] == ["school_type"]


def test_a_column_saying_where_the_school_is_is_not_taken_for_the_school() -> None:
    from collections import Counter

    from masterycheck.batch.proposal.applicant import is_school_column
    from masterycheck.batch.proposal.columns import ColumnFacts, column_facts
    from masterycheck.files.criteria import load_catalogue

    catalogue = load_catalogue()

    def _facts_for(answers: list[str]) -> ColumnFacts:
        return column_facts(Counter(answers), catalogue, frozenset({"primary", "school"}))

    facts = _facts_for(["Kirklees", "Wakefield", "Hull", "Leeds"])
    assert not is_school_column("Which local authority is your school in?", facts)
    names = _facts_for(["Thornhill Grange", "Brookside Lodge", "Ashworth Hall", "Kellmore Vale"])
    assert is_school_column("School name", names)
