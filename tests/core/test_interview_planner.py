"""The interview planner, without a terminal: which question comes next, what is skipped,
what an answer settles, and how many questions an interview can take."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from masterycheck.core.answers import DateRange, Value
from masterycheck.core.engine import (
    CompiledProgramme,
    answers_with_derived,
    assess,
    compile_programme,
)
from masterycheck.core.fields import Field, FieldType, normalise
from masterycheck.core.interview_plan import (
    Status,
    criterion_sources,
    criterion_status,
    next_question,
    open_targets,
    programme_sources,
    read_typed_answer,
    ruled_out,
    screening_question,
    settled_essentials,
    vague_date_targets,
)
from masterycheck.core.profile import Profile, ProfileProblem
from masterycheck.core.programme import Kind, Verdict
from masterycheck.files.criteria import load_all_programmes, load_catalogue

CATALOGUE = load_catalogue()
PROGRAMMES = {p.programme.id: p for p in load_all_programmes(CATALOGUE)}
AS_OF = dt.date(2026, 3, 1)
#: The catalogue's opening questions (criteria/fields.yaml `opening_questions`).
SCREENING_FIELD = "school_type"
POST16_FIELD = "post16_maths_taught"

Policy = Callable[[Field, int], Value | None]


def first_choice(field: Field, _: int) -> Value | None:
    """Yes, the first choice, a long career, an early date."""
    if field.type is FieldType.YES_NO:
        return True
    if field.type is FieldType.ONE_OF:
        return field.choice_ids[0]
    if field.type is FieldType.MANY_OF:
        return frozenset(field.choice_ids[:1])
    if field.type is FieldType.WHOLE_NUMBER:
        return 10
    if field.type is FieldType.DATE:
        return DateRange(dt.date(2010, 1, 1), dt.date(2010, 12, 31))
    return "text"


def dont_know(field: Field, _: int) -> Value | None:
    return None


ELIGIBLE_ANSWERS: dict[str, Value] = {
    "qualified_status": "qts",
    "qts_date": DateRange(dt.date(2015, 7, 1), dt.date(2015, 7, 31)),
    "state_funded": True,
    "in_england": True,
    "key_stages_taught": frozenset({"ks3", "ks4", "ks5"}),
    "post16_maths_taught": frozenset({"gcse_resit"}),
    "years_teaching_maths": 9,
    "years_teaching_primary_maths": 9,
    "additional_status": frozenset({"mast"}),
    "maths_role": "subject_leader",
}
SCHOOL_FOR = {"primary": "primary", "secondary": "secondary", "post16": "fe_college"}


def eligible_for(programme_id: str) -> Policy:
    """The answers of a teacher who meets everything the programme asks."""

    def policy(field: Field, _: int) -> Value | None:
        if field.id == SCREENING_FIELD:
            return SCHOOL_FOR[programme_id]
        if field.id in ELIGIBLE_ANSWERS:
            return ELIGIBLE_ANSWERS[field.id]
        return True if field.type is FieldType.YES_NO else first_choice(field, 0)

    return policy


def interview(programmes: list[CompiledProgramme], policy: Policy) -> tuple[list[str], Profile]:
    """Answer every question the planner asks with ``policy``; the fields asked, in order."""
    profile = Profile()
    asked: list[str] = []
    while (question := next_question(programmes, profile, asked)) is not None:
        assert question.field.id not in asked, "a field was asked twice"
        asked.append(question.field.id)
        profile = profile.with_answers({question.field.id: policy(question.field, len(asked))})
    return asked, profile


def tiers(programme: CompiledProgramme, policy: Policy) -> list[int]:
    profile, found = Profile(), []
    asked: list[str] = []
    while (question := next_question([programme], profile, asked)) is not None:
        found.append(question.tier)
        asked.append(question.field.id)
        profile = profile.with_answers({question.field.id: policy(question.field, len(asked))})
    return found


# --- order ---------------------------------------------------------------------------------


def test_the_first_question_is_an_essential_fact() -> None:
    for programme in PROGRAMMES.values():
        question = next_question([programme], Profile(), [])
        assert question is not None
        assert question.tier == 0
        assert question.targets[0].criterion.criterion.kind is Kind.FACT


@pytest.mark.parametrize("programme_id", sorted(PROGRAMMES))
def test_essential_facts_then_essential_evidence_then_desirable(programme_id: str) -> None:
    found = tiers(PROGRAMMES[programme_id], eligible_for(programme_id))
    assert found == sorted(found)
    assert found[0] == 0


def test_primary_order_is_qualification_then_school() -> None:
    asked, _ = interview([PROGRAMMES["primary"]], eligible_for("primary"))
    assert asked[:3] == ["qualified_status", "school_type", "teaches_same_class_maths"]
    assert asked.index("self_passion_tfm") > asked.index("head_understands_commitment")
    assert asked.index("maths_role") > asked.index("self_desire_develop_skills")


def test_most_criteria_first_among_equals() -> None:
    """qualified_status reads a criterion of primary and of secondary: asked before fields
    that read only one."""
    both = [PROGRAMMES["primary"], PROGRAMMES["secondary"]]
    profile = Profile({"school_type": "middle"})
    question = next_question(both, profile, ["school_type"])
    assert question is not None
    assert question.field.id == "qualified_status"
    assert question.programme_ids == ("primary", "secondary")


# --- skipping ------------------------------------------------------------------------------


def test_fields_of_a_decided_criterion_are_not_asked() -> None:
    """A primary-school teacher fails secondary's employment criterion on school type: its
    other three fields (state-funded, in England, key stages) can change nothing."""
    asked, _ = interview(
        [PROGRAMMES["secondary"]],
        lambda f, n: "primary" if f.id == "school_type" else first_choice(f, n),
    )
    assert "school_type" in asked
    for skipped in ("state_funded", "in_england", "key_stages_taught"):
        assert skipped not in asked


def test_an_answered_or_skipped_field_is_not_asked_again() -> None:
    primary = PROGRAMMES["primary"]
    question = next_question([primary], Profile(), ["qualified_status"])
    assert question is not None and question.field.id != "qualified_status"
    question = next_question([primary], Profile({"qualified_status": "qts"}), [])
    assert question is not None and question.field.id != "qualified_status"


def test_a_derived_field_is_never_asked_its_date_is() -> None:
    asked, _ = interview([PROGRAMMES["secondary"]], eligible_for("secondary"))
    assert "years_since_qts" not in asked
    assert "qts_date" in asked


def test_no_qts_date_when_there_is_no_qts() -> None:
    asked, _ = interview(
        [PROGRAMMES["secondary"]],
        lambda f, n: "none" if f.id == "qualified_status" else eligible_for("secondary")(f, n),
    )
    assert "qts_date" not in asked


def test_a_criterion_that_may_still_go_to_the_hub_stays_open() -> None:
    """All-through school: primary's employment rule fails, but whether it goes to the hub
    depends on teaching the same class, which is still asked."""
    primary = PROGRAMMES["primary"]
    employed = next(
        c for c in primary.criteria if c.criterion.id == "employed_primary_teaching_class"
    )
    profile = Profile({"school_type": "all_through"})
    assert criterion_status(employed, answers_with_derived(primary, profile)) is Status.OPEN
    assert not ruled_out(primary, profile)
    question = next_question([primary], profile, ["school_type", "qualified_status"])
    assert question is not None and question.field.id == "teaches_same_class_maths"
    settled = profile.with_answers({"teaches_same_class_maths": True})
    assert criterion_status(employed, answers_with_derived(primary, settled)) is Status.HUB
    hub = [s for s in settled_essentials(primary, settled) if s.status is Status.HUB]
    assert [s.criterion.criterion.id for s in hub] == ["employed_primary_teaching_class"]
    assert "for the hub to decide" in hub[0].reason


def test_nothing_left_to_ask_when_every_criterion_is_decided() -> None:
    _, profile = interview([PROGRAMMES["primary"]], eligible_for("primary"))
    assert open_targets([PROGRAMMES["primary"]], profile) == []
    assert assess(PROGRAMMES["primary"], profile, AS_OF).verdict is Verdict.ELIGIBLE


# --- question counts -----------------------------------------------------------------------

POLICIES: dict[str, Callable[[str], Policy]] = {
    "yes and first choice": lambda _: first_choice,
    "don't know to everything": lambda _: dont_know,
    "eligible": eligible_for,
}


@pytest.mark.parametrize("policy_name", sorted(POLICIES))
@pytest.mark.parametrize("programme_id", sorted(PROGRAMMES))
def test_question_count_is_bounded(programme_id: str, policy_name: str) -> None:
    """Never more questions than the distinct fields the programme's criteria read.

    The issue's bound, "no more questions than fact plus evidence criteria", holds only when
    each criterion reads one field; a criterion that reads several (secondary's employment
    reads four) needs each of them answered to be met. The counts are pinned below.
    """
    programme = PROGRAMMES[programme_id]
    asked, _ = interview([programme], POLICIES[policy_name](programme_id))
    assert len(asked) == len(set(asked))
    assert set(asked) <= set(programme_sources(programme))
    assert len(asked) <= len(programme_sources(programme))


def single_field_programme(programme: CompiledProgramme) -> CompiledProgramme:
    """The programme with only its criteria that read one answerable field."""
    kept = [c.criterion for c in programme.criteria if len(criterion_sources(programme, c)) == 1]
    return compile_programme(
        programme.programme.model_copy(update={"criteria": kept}), programme.catalogue
    )


@pytest.mark.parametrize("policy_name", sorted(POLICIES))
@pytest.mark.parametrize("programme_id", sorted(PROGRAMMES))
def test_no_more_questions_than_fact_plus_evidence_criteria(
    programme_id: str, policy_name: str
) -> None:
    """The issue's bound, counted: where each criterion reads one field, an interview asks
    no more questions than the programme has fact criteria plus evidence criteria."""
    programme = single_field_programme(PROGRAMMES[programme_id])
    facts = sum(1 for c in programme.criteria if c.criterion.kind is Kind.FACT)
    evidence = sum(1 for c in programme.criteria if c.criterion.kind is Kind.EVIDENCE)
    asked, _ = interview([programme], POLICIES[policy_name](programme_id))
    assert len(asked) <= facts + evidence


def test_criteria_reading_several_fields_are_why_the_bundled_counts_exceed_criteria() -> None:
    """With every criterion, the bundled programmes have more fields than criteria (primary's
    employment reads school type and same class; secondary's reads four fields); a teacher
    who meets them all must answer each. A teacher who fails early is asked fewer."""
    for programme in PROGRAMMES.values():
        criteria = len(programme.criteria)
        fields = len(programme_sources(programme))
        several = [c for c in programme.criteria if len(criterion_sources(programme, c)) > 1]
        if fields > criteria:
            assert several, programme.programme.id
        asked, _ = interview([programme], eligible_for(programme.programme.id))
        assert len(asked) <= fields
    asked, _ = interview([PROGRAMMES["secondary"]], first_choice)  # an infant-school teacher
    assert len(asked) < len(programme_sources(PROGRAMMES["secondary"]))


def test_every_criterion_reads_at_least_one_answerable_field() -> None:
    for programme in PROGRAMMES.values():
        for criterion in programme.criteria:
            sources = criterion_sources(programme, criterion)
            assert sources
            assert all(CATALOGUE.by_id[name].derived is None for name in sources)


def _random_answer(field: Field, data: st.DataObject) -> Value | None:
    draw = data.draw
    if draw(st.booleans()) and draw(st.booleans()):
        return None  # don't know, a quarter of the time
    if field.type is FieldType.YES_NO:
        return draw(st.booleans())
    if field.type is FieldType.ONE_OF:
        return draw(st.sampled_from(field.choice_ids))
    if field.type is FieldType.MANY_OF:
        return frozenset(draw(st.sets(st.sampled_from(field.choice_ids), max_size=3)))
    if field.type is FieldType.WHOLE_NUMBER:
        return draw(st.integers(min_value=0, max_value=30))
    if field.type is FieldType.DATE:
        year = draw(st.integers(min_value=1990, max_value=2026))
        if draw(st.booleans()):
            return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))
        day = dt.date(year, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
        return DateRange(day, day)
    return "text"


@settings(max_examples=60, deadline=None)
@given(data=st.data(), several=st.booleans())
def test_any_answers_end_with_nothing_left_that_could_change(
    data: st.DataObject, several: bool
) -> None:
    """Whatever the answers, each field is asked at most once, only fields the programmes
    read are asked, and when the planner stops no open criterion has an unasked field."""
    if several:
        programmes = list(PROGRAMMES.values())
    else:
        programmes = [
            data.draw(st.sampled_from(sorted(PROGRAMMES.values(), key=lambda p: p.programme.id)))
        ]
    asked, profile = interview(programmes, lambda f, _: _random_answer(f, data))
    read = {name for p in programmes for name in programme_sources(p)}
    assert set(asked) <= read
    for target in open_targets(programmes, profile):
        for name in criterion_sources(target.programme, target.criterion):
            assert name in asked
    verdicts = {p.programme.id: assess(p, profile, AS_OF).verdict for p in programmes}
    for programme in programmes:
        if ruled_out(programme, profile):
            assert verdicts[programme.programme.id] is Verdict.NOT_ELIGIBLE


# --- screening -----------------------------------------------------------------------------


def test_screening_asks_where_first_then_post16_maths_for_a_college() -> None:
    programmes = list(PROGRAMMES.values())
    question = screening_question(programmes, Profile(), [])
    assert question is not None and question.field.id == SCREENING_FIELD
    college = Profile({SCREENING_FIELD: "fe_college"})
    question = screening_question(programmes, college, [SCREENING_FIELD])
    assert question is not None and question.field.id == POST16_FIELD
    assert screening_question(programmes, college, [SCREENING_FIELD, POST16_FIELD]) is None


def test_screening_does_not_ask_post16_maths_of_a_primary_teacher() -> None:
    programmes = list(PROGRAMMES.values())
    primary = Profile({SCREENING_FIELD: "primary"})
    assert screening_question(programmes, primary, [SCREENING_FIELD]) is None


def test_screening_rules_out_programmes_by_setting() -> None:
    college = Profile({SCREENING_FIELD: "fe_college"})
    out = {p.programme.id for p in PROGRAMMES.values() if ruled_out(p, college)}
    assert out == {"primary", "secondary"}
    middle = Profile({SCREENING_FIELD: "middle"})
    assert not ruled_out(PROGRAMMES["primary"], middle)
    assert not ruled_out(PROGRAMMES["secondary"], middle)


def test_not_met_reason_names_the_answer() -> None:
    independent = Profile({"school_type": "secondary", "state_funded": False})
    settled = settled_essentials(PROGRAMMES["secondary"], independent)
    assert [s.status for s in settled] == [Status.NOT_MET]
    assert "State-funded: no" in settled[0].reason
    said_no = Profile({"self_passion_tfm": False})
    settled = settled_essentials(PROGRAMMES["primary"], said_no)
    assert settled[0].reason == "you answered no"


# --- vague dates ---------------------------------------------------------------------------


def test_a_year_that_cannot_settle_two_years_asks_for_the_month() -> None:
    secondary = PROGRAMMES["secondary"]
    vague = Profile(
        {
            "qualified_status": "qts",
            "qts_date": DateRange(dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        }
    )
    targets = vague_date_targets([secondary], vague, "qts_date")
    assert [t.criterion.criterion.id for t in targets] == ["qts_two_years"]
    clear = vague.with_answers({"qts_date": DateRange(dt.date(2015, 1, 1), dt.date(2015, 12, 31))})
    assert vague_date_targets([secondary], clear, "qts_date") == []
    assert vague_date_targets([PROGRAMMES["primary"]], vague, "qts_date") == []


# --- typed answers -------------------------------------------------------------------------


def test_a_choice_by_number_id_or_label() -> None:
    field = CATALOGUE.by_id["school_type"]
    assert read_typed_answer(CATALOGUE, field, "3") == "primary"
    assert read_typed_answer(CATALOGUE, field, "primary") == "primary"
    assert read_typed_answer(CATALOGUE, field, "Further education college") == "fe_college"
    with pytest.raises(ProfileProblem, match="from 1 to 15"):
        read_typed_answer(CATALOGUE, field, "16")
    with pytest.raises(ProfileProblem, match="expected one of"):
        read_typed_answer(CATALOGUE, field, "a castle")


def test_several_choices_by_numbers_or_names() -> None:
    field = CATALOGUE.by_id["key_stages_taught"]
    assert read_typed_answer(CATALOGUE, field, "4, 5") == frozenset({"ks3", "ks4"})
    assert read_typed_answer(CATALOGUE, field, "4 5") == frozenset({"ks3", "ks4"})
    assert read_typed_answer(CATALOGUE, field, "KS3; 5") == frozenset({"ks3", "ks4"})
    with pytest.raises(ProfileProblem, match="from 1 to 6"):
        read_typed_answer(CATALOGUE, field, "0")


def test_yes_no_and_numbers_keep_their_own_reading() -> None:
    assert read_typed_answer(CATALOGUE, CATALOGUE.by_id["state_funded"], "y") is True
    assert read_typed_answer(CATALOGUE, CATALOGUE.by_id["years_teaching_maths"], "12") == 12
    with pytest.raises(ProfileProblem, match="yes or no"):
        read_typed_answer(CATALOGUE, CATALOGUE.by_id["state_funded"], "perhaps")
    assert read_typed_answer(CATALOGUE, CATALOGUE.by_id["state_funded"], "don't know") is None


# --- questions a criteria file reads only under `unless` (issue 10, items 1 and 5) ----------


def test_a_field_read_only_under_unless_is_not_asked_but_a_required_one_is() -> None:
    """Primary reads no answer on England or key stages as before (``unless``), so the
    interview does not ask them for primary; secondary's criterion names England, so it
    asks."""

    def sources(programme_id: str, criterion_id: str) -> tuple[str, ...]:
        programme = PROGRAMMES[programme_id]
        criterion = next(c for c in programme.criteria if c.criterion.id == criterion_id)
        return criterion_sources(programme, criterion)

    primary = sources("primary", "employed_primary_teaching_class")
    assert "in_england" not in primary and "key_stages_taught" not in primary
    assert "in_england" in sources("secondary", "employed_state_secondary_ks3_ks4")
    assert "in_england" not in sources("post16", "institution_compulsory_maths")


def test_a_utc_is_asked_what_post16_maths_is_taught() -> None:
    question = screening_question(
        list(PROGRAMMES.values()), Profile({"school_type": "utc"}), ["school_type"]
    )
    assert question is not None and question.field.id == "post16_maths_taught"


def test_opening_questions_come_from_the_catalogue_not_the_code() -> None:
    from masterycheck.core.fields import Catalogue, OpeningQuestion

    programmes = list(PROGRAMMES.values())
    asked_first = CATALOGUE.model_copy(
        update={"opening_questions": [OpeningQuestion(field="in_england")]}
    )
    relinked = [
        p.__class__(p.programme, asked_first, p.criteria, p.derived, p.counted_to)
        for p in programmes
    ]
    question = screening_question(relinked, Profile({}), [])
    assert question is not None and question.field.id == "in_england"
    with pytest.raises(ValueError, match="unknown field 'nowhere'"):
        Catalogue.model_validate({"fields": [], "opening_questions": [{"field": "nowhere"}]})


def test_a_none_choice_is_marked_in_the_catalogue() -> None:
    assert CATALOGUE.by_id["additional_status"].none_choices == frozenset({"none"})
    assert CATALOGUE.by_id["school_type"].none_choices == frozenset()


def test_a_choice_only_for_secondary_is_not_offered_to_a_primary_teacher() -> None:
    role = CATALOGUE.by_id["maths_role"]
    primary = role.offered_for(frozenset({"primary"}))
    assert primary.choice_ids == ("subject_leader", "none")
    assert role.offered_for(frozenset({"primary", "secondary"})) is role
    assert primary.choice_lookup[normalise("Subject leader")] == "subject_leader"
