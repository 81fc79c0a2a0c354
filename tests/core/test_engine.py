"""Pins the engine: verdicts, hub-to-confirm cases, scores, the path, the window, the JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from masterycheck.core.engine import CompiledProgramme, assess, compile_programme
from masterycheck.core.kleene import Outcome
from masterycheck.core.profile import read_profile
from masterycheck.core.programme import Kind, Level, Programme, Verdict
from masterycheck.core.results import Assessment, CriterionResult
from masterycheck.files.criteria import criteria_dir, load_catalogue, load_programme

CATALOGUE = load_catalogue()
PRIMARY = load_programme(criteria_dir() / "primary.yaml", CATALOGUE)
SECONDARY = load_programme(criteria_dir() / "secondary.yaml", CATALOGUE)
POST16 = load_programme(criteria_dir() / "post16.yaml", CATALOGUE)

AS_OF = dt.date(2026, 1, 15)

PRIMARY_FACTS: dict[str, object] = {
    "qualified_status": "qts",
    "school_type": "primary",
    "teaches_same_class_maths": "yes",
    "can_fulfil_commitment": "yes",
    "head_understands_commitment": "yes",
}
SECONDARY_FACTS: dict[str, object] = {
    "qualified_status": "qts",
    "qts_date": "2015",
    "school_type": "secondary",
    "state_funded": "yes",
    "in_england": "yes",
    "key_stages_taught": ["ks3", "ks4"],
    "years_teaching_maths": "8",
}


def run(
    compiled: CompiledProgramme,
    base: dict[str, object] | None = None,
    as_of: dt.date = AS_OF,
    **changes: object,
) -> Assessment:
    """Assess ``base`` with ``changes`` (a change to None removes the answer)."""
    raw = dict(base or {})
    for key, value in changes.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    return assess(compiled, read_profile(CATALOGUE, raw), as_of)


def result(assessment: Assessment, criterion_id: str) -> CriterionResult:
    return next(r for r in assessment.criteria if r.id == criterion_id)


# --- verdicts ------------------------------------------------------------------------------


def test_all_essential_facts_met_and_evidence_unanswered_is_eligible() -> None:
    assessment = run(PRIMARY, PRIMARY_FACTS)
    assert assessment.verdict is Verdict.ELIGIBLE
    assert assessment.stopped_by == []
    assert assessment.path_to_eligibility == []


def test_essential_fact_not_met_is_not_eligible() -> None:
    assessment = run(PRIMARY, PRIMARY_FACTS, qualified_status="none")
    assert assessment.verdict is Verdict.NOT_ELIGIBLE
    assert assessment.stopped_by == ["qts"]
    assert result(assessment, "qts").outcome is Outcome.NOT_MET


def test_essential_evidence_answered_no_is_not_eligible() -> None:
    assessment = run(PRIMARY, PRIMARY_FACTS, self_passion_tfm="no")
    assert assessment.verdict is Verdict.NOT_ELIGIBLE
    assert assessment.stopped_by == ["passion_for_tfm"]
    found = result(assessment, "passion_for_tfm")
    assert found.outcome is Outcome.NOT_MET
    assert found.reason == "you answered no"
    assert found.self_declared is False


def test_essential_fact_unknown_is_incomplete() -> None:
    assessment = run(PRIMARY, PRIMARY_FACTS, head_understands_commitment="don't know")
    assert assessment.verdict is Verdict.INCOMPLETE
    assert assessment.stopped_by == []
    assert result(assessment, "headteacher_understands_commitment").outcome is Outcome.UNKNOWN


def test_not_met_outweighs_unknown() -> None:
    assessment = run(PRIMARY, PRIMARY_FACTS, qualified_status="none", can_fulfil_commitment=None)
    assert assessment.verdict is Verdict.NOT_ELIGIBLE


def test_desirable_not_met_never_changes_the_verdict() -> None:
    assessment = run(
        PRIMARY,
        PRIMARY_FACTS,
        maths_role="none",
        additional_status="none",
        self_grow_leadership="no",
    )
    assert assessment.verdict is Verdict.ELIGIBLE
    assert assessment.desirable.not_met == 3


def test_essential_evidence_unknown_only_is_eligible_and_listed_for_the_panel() -> None:
    assessment = run(PRIMARY, PRIMARY_FACTS)
    assert assessment.verdict is Verdict.ELIGIBLE
    evidence = {item.criterion: item for item in assessment.evidence}
    expected_evidence = [c.id for c in PRIMARY.programme.criteria if c.kind is Kind.EVIDENCE]
    assert [item.criterion for item in assessment.evidence] == expected_evidence
    passion = evidence["passion_for_tfm"]
    assert passion.level is Level.ESSENTIAL
    assert passion.self_assessment is Outcome.UNKNOWN
    assert passion.text == "Passion and enthusiasm for teaching for mastery"
    assert passion.evidence.startswith("Show what you have done")
    assert result(assessment, "passion_for_tfm").outcome is Outcome.UNKNOWN


def test_self_declared_yes_is_met_but_marked_self_declared() -> None:
    assessment = run(PRIMARY, PRIMARY_FACTS, self_passion_tfm="yes")
    found = result(assessment, "passion_for_tfm")
    assert found.outcome is Outcome.MET
    assert found.self_declared is True
    assert "self-declared" in found.reason
    assert "hub judges" in found.reason
    assert next(
        e for e in assessment.evidence if e.criterion == "passion_for_tfm"
    ).self_assessment is (Outcome.MET)


def test_a_fact_met_is_never_self_declared() -> None:
    found = result(run(PRIMARY, PRIMARY_FACTS), "qts")
    assert found.outcome is Outcome.MET
    assert found.self_declared is False
    assert found.reason == "Qualified teacher status: Qualified Teacher Status (QTS)"


# --- hub to confirm ------------------------------------------------------------------------


def test_qtls_holder_is_for_the_hub_to_confirm_and_incomplete() -> None:
    assessment = run(PRIMARY, PRIMARY_FACTS, qualified_status="qtls")
    found = result(assessment, "qts")
    assert found.hub_to_confirm is True
    assert found.outcome is Outcome.UNKNOWN
    assert found.hub_note is not None
    assert "QTLS" in found.hub_note
    assert found.reason.startswith("hub to confirm: ")
    assert assessment.verdict is Verdict.INCOMPLETE
    assert [(s.kind, s.criteria) for s in assessment.path_to_eligibility] == [("hub", ["qts"])]
    assert assessment.path_to_eligibility[0].action.startswith("Ask your Maths Hub to confirm: ")


def test_qtls_holder_for_secondary_is_for_the_hub_to_confirm() -> None:
    assessment = run(SECONDARY, SECONDARY_FACTS, qualified_status="qtls")
    found = result(assessment, "qts_two_years")
    assert (found.outcome, found.hub_to_confirm) == (Outcome.UNKNOWN, True)
    assert assessment.verdict is Verdict.INCOMPLETE


def test_all_through_school_for_secondary_is_for_the_hub_to_confirm() -> None:
    assessment = run(SECONDARY, SECONDARY_FACTS, school_type="all_through")
    found = result(assessment, "employed_state_secondary_ks3_ks4")
    assert found.hub_to_confirm is True
    assert found.outcome is Outcome.UNKNOWN
    assert found.hub_note is not None
    assert "all-through" in found.hub_note
    assert assessment.verdict is Verdict.INCOMPLETE
    assert [s.kind for s in assessment.path_to_eligibility] == ["hub"]


def test_all_through_independent_school_is_not_eligible_not_for_the_hub() -> None:
    assessment = run(SECONDARY, SECONDARY_FACTS, school_type="all_through", state_funded="no")
    found = result(assessment, "employed_state_secondary_ks3_ks4")
    assert (found.outcome, found.hub_to_confirm) == (Outcome.NOT_MET, False)
    assert assessment.verdict is Verdict.NOT_ELIGIBLE


def test_all_through_school_with_a_question_unanswered_is_incomplete_not_ineligible() -> None:
    # Answering "in England: yes" would make it a case for the hub to confirm, so with that
    # answer missing the criterion is unknown, never not met.
    assessment = run(SECONDARY, SECONDARY_FACTS, school_type="all_through", in_england=None)
    found = result(assessment, "employed_state_secondary_ks3_ks4")
    assert found.outcome is Outcome.UNKNOWN
    assert assessment.verdict is Verdict.INCOMPLETE


def test_qts_met_is_not_sent_to_the_hub() -> None:
    found = result(run(PRIMARY, PRIMARY_FACTS), "qts")
    assert (found.hub_to_confirm, found.hub_note) == (False, None)


# --- desirable score -----------------------------------------------------------------------


def test_desirable_score_counts_met_not_met_unknown_and_self_declared() -> None:
    assessment = run(
        PRIMARY,
        PRIMARY_FACTS,
        additional_status=["MaST"],  # additional_status: met (fact)
        maths_role="none",  # maths_subject_leader: not met
        # four_years_primary_maths: unknown (no answer)
        self_primary_specialist="yes",  # desire_primary_specialist: met, self-declared
        self_track_record_schools_group="no",  # track_record_schools_group: not met
        # grows_leadership: unknown (no answer)
    )
    score = assessment.desirable
    assert (score.met, score.not_met, score.unknown, score.total) == (2, 2, 2, 6)
    assert score.self_declared == 1
    assert score.percent == 33


def test_desirable_score_of_no_answers_is_all_unknown() -> None:
    score = run(PRIMARY, PRIMARY_FACTS).desirable
    assert (score.met, score.not_met, score.unknown, score.total, score.percent) == (0, 0, 6, 6, 0)


def test_desirable_score_with_no_desirable_criteria_is_zero_of_zero() -> None:
    score = run(POST16, {}).desirable
    assert (score.met, score.total, score.percent) == (0, 0, 0)


# --- path to eligibility -------------------------------------------------------------------


def small_programme(criteria: list[dict[str, Any]]) -> CompiledProgramme:
    programme = Programme.model_validate(
        {
            "id": "test",
            "name": "Test programme",
            "phase": "test",
            "academic_years": ["2025/26"],
            "source": {"document": "x.txt", "title": "X"},
            "reference_date": "2025-09-01",
            "reference_date_note": "the start",
            "window": {},
            "commitment": [{"academic_year": "2025/26", "label": "Year 1"}],
            "criteria": [
                {
                    "level": "essential",
                    "kind": "fact",
                    "source": {"document": "x.txt"},
                    "last_verified": "2025-01-01",
                    **criterion,
                }
                for criterion in criteria
            ],
        }
    )
    return compile_programme(programme, CATALOGUE)


def test_a_question_shared_by_two_criteria_is_one_step() -> None:
    compiled = small_programme(
        [
            {"id": "a", "text": "In England", "rule": {"field": "in_england", "equals": "yes"}},
            {
                "id": "b",
                "text": "In England and state-funded",
                "rule": {
                    "all": [
                        {"field": "in_england", "equals": "yes"},
                        {"field": "state_funded", "equals": "yes"},
                    ]
                },
            },
        ]
    )
    assessment = run(compiled, {})
    steps = assessment.path_to_eligibility
    assert [(s.kind, s.fields, s.criteria) for s in steps] == [
        ("answer", ["in_england"], ["a", "b"]),
        ("answer", ["state_funded"], ["b"]),
    ]
    assert steps[0].action == "Answer: Is your school or college in England?"


def test_every_question_of_an_empty_secondary_profile_is_asked_once() -> None:
    assessment = run(SECONDARY, {})
    assert assessment.verdict is Verdict.INCOMPLETE
    asked = [field for step in assessment.path_to_eligibility for field in step.fields]
    assert asked == [
        "qualified_status",
        "qts_date",
        "school_type",
        "state_funded",
        "in_england",
        "key_stages_taught",
        "years_teaching_maths",
    ]
    assert all(step.kind == "answer" for step in assessment.path_to_eligibility)


def test_not_met_essential_is_a_change_step_with_the_criterion_action() -> None:
    assessment = run(PRIMARY, PRIMARY_FACTS, qualified_status="none")
    assert len(assessment.path_to_eligibility) == 1
    step = assessment.path_to_eligibility[0]
    assert step.kind == "change"
    assert step.action == "Hold Qualified Teacher Status before you apply."
    assert step.criteria == ["qts"]
    assert step.fields == ["qualified_status"]


def test_evidence_answered_no_without_an_action_is_a_change_step_in_words() -> None:
    step = run(PRIMARY, PRIMARY_FACTS, self_passion_tfm="no").path_to_eligibility[0]
    assert step.kind == "change"
    assert step.action.startswith(
        "You answered no to “Passion and enthusiasm for teaching for mastery”"
    )
    assert "apply only if your statement can evidence it" in step.action


def test_qts_year_that_cannot_settle_two_years_asks_for_a_more_exact_date() -> None:
    assessment = run(SECONDARY, SECONDARY_FACTS, qts_date="2023")
    assert assessment.verdict is Verdict.INCOMPLETE
    found = result(assessment, "qts_two_years")
    assert found.outcome is Outcome.UNKNOWN
    assert "give a more exact date" in found.reason
    steps = assessment.path_to_eligibility
    assert [(s.kind, s.fields, s.criteria) for s in steps] == [
        ("answer", ["qts_date"], ["qts_two_years"])
    ]
    assert steps[0].action.startswith("Give a more exact answer (a month or a date) to: ")
    assert "When were you awarded QTS?" in steps[0].action


def test_qts_year_that_settles_two_years_is_not_asked_again() -> None:
    # 2015 is at least two years before September 2025 whatever the month: only the
    # qualification is unknown, so only that question is on the path.
    assessment = run(SECONDARY, SECONDARY_FACTS, qualified_status=None)
    assert result(assessment, "qts_two_years").outcome is Outcome.UNKNOWN
    assert [s.fields for s in assessment.path_to_eligibility] == [["qualified_status"]]


def test_missing_qts_date_is_asked_plainly() -> None:
    assessment = run(SECONDARY, SECONDARY_FACTS, qts_date=None)
    step = assessment.path_to_eligibility[0]
    assert (step.kind, step.fields) == ("answer", ["qts_date"])
    assert step.action.startswith("Answer: When were you awarded QTS?")


def test_hub_change_and_answer_steps_together() -> None:
    assessment = run(
        SECONDARY,
        SECONDARY_FACTS,
        qualified_status="qtls",
        state_funded="no",
        years_teaching_maths=None,
    )
    kinds = [(s.kind, s.criteria) for s in assessment.path_to_eligibility]
    assert kinds == [
        ("hub", ["qts_two_years"]),
        ("change", ["employed_state_secondary_ks3_ks4"]),
        ("answer", ["two_years_teaching_maths"]),
    ]


# --- the application window ----------------------------------------------------------------


def test_primary_window_not_yet_open() -> None:
    window = run(PRIMARY, PRIMARY_FACTS, as_of=dt.date(2025, 12, 1)).window
    assert window.state == "not_yet_open"
    assert window.days == 15
    assert window.message == (
        "not yet open: opens in 15 days, on 16 December 2025, and closes on 23 April 2026"
    )


def test_primary_window_open_closes_in_three_days() -> None:
    window = run(PRIMARY, PRIMARY_FACTS, as_of=dt.date(2026, 4, 20)).window
    assert window.state == "open"
    assert window.days == 3
    assert window.message == "open: closes in 3 days, on 23 April 2026"


def test_primary_window_open_on_its_first_and_last_day() -> None:
    assert run(PRIMARY, {}, as_of=dt.date(2025, 12, 16)).window.state == "open"
    last = run(PRIMARY, {}, as_of=dt.date(2026, 4, 23)).window
    assert (last.state, last.days) == ("open", 0)
    assert last.message.startswith("open: closes today")


def test_primary_window_closed() -> None:
    window = run(PRIMARY, PRIMARY_FACTS, as_of=dt.date(2026, 11, 23)).window
    assert window.state == "closed"
    assert window.message.startswith("closed on 23 April 2026.")


def test_secondary_window_closed_after_the_hub_closing_date() -> None:
    window = run(SECONDARY, {}, as_of=dt.date(2025, 6, 13)).window
    assert window.state == "closed"
    assert window.closes == dt.date(2025, 6, 12)
    assert "12 June 2025" in window.message


def test_secondary_window_open_until_the_hub_closing_date() -> None:
    assert run(SECONDARY, {}, as_of=dt.date(2025, 6, 12)).window.state == "open"


def test_a_cohort_is_closed_then_running_then_finished() -> None:
    states = [
        run(SECONDARY, {}, as_of=dt.date(y, m, d)).cohort_status
        for y, m, d in ((2025, 6, 13), (2025, 9, 1), (2027, 9, 1))
    ]
    assert [s.state for s in states if s] == ["closed", "running", "finished"]
    assert "running since September 2025" in (states[1].message if states[1] else "")


def test_next_time_projects_a_year_on_and_says_when_time_meets_a_criterion() -> None:
    # QTS July 2024: not two years by 12 June 2025. Asked in January 2026, the next likely
    # dates are a year on: two years by the start but not by the closing date (for the hub).
    # Asked in November 2026, they are two years on: met. Met from 31 July 2026 either way.
    january = run(SECONDARY, SECONDARY_FACTS, qts_date="2024-07", as_of=dt.date(2026, 1, 10))
    assert january.next_time is not None
    assert january.next_time.closing_date == dt.date(2026, 6, 12)
    assert january.next_time.verdict is Verdict.INCOMPLETE
    assessment = run(SECONDARY, SECONDARY_FACTS, qts_date="2024-07", as_of=dt.date(2026, 11, 30))
    assert assessment.verdict is Verdict.NOT_ELIGIBLE
    later = assessment.next_time
    assert later is not None and later.projected
    assert "not yet published" in later.note
    assert (later.reference_date, later.closing_date) == (dt.date(2027, 9, 1), dt.date(2027, 6, 12))
    assert later.verdict is Verdict.ELIGIBLE
    assert [b.met_from for b in later.becomes_met] == [dt.date(2026, 7, 31)]
    assert "met from 31 July 2026" in later.becomes_met[0].message


def test_no_next_time_while_the_window_is_open() -> None:
    assessment = run(PRIMARY, PRIMARY_FACTS, as_of=dt.date(2026, 1, 10))
    assert assessment.cohort_status is not None and assessment.cohort_status.state == "open"
    assert assessment.next_time is None


def test_post16_window_not_published() -> None:
    window = run(POST16, {}, as_of=dt.date(2026, 11, 23)).window
    assert window.state == "not_published"
    assert (window.opens, window.closes, window.days) == (None, None, None)
    assert window.message.startswith("no application dates are published.")


# --- derived values ------------------------------------------------------------------------


def test_years_since_qts_is_counted_to_the_reference_date_not_the_as_of_date() -> None:
    # QTS in January 2024 is 1 year by 1 September 2025 (not met), but would be 2 or more by
    # 2027: the as-of date must not change it.
    early = run(SECONDARY, SECONDARY_FACTS, qts_date="2024-01", as_of=dt.date(2025, 9, 1))
    late = run(SECONDARY, SECONDARY_FACTS, qts_date="2024-01", as_of=dt.date(2027, 6, 1))
    for assessment in (early, late):
        found = result(assessment, "qts_two_years")
        assert found.outcome is Outcome.NOT_MET
        assert assessment.verdict is Verdict.NOT_ELIGIBLE
        assert assessment.reference_date == dt.date(2025, 9, 1)
        shown = {a.field: a.value for a in found.answers}
        assert shown["years_since_qts"] == "1"
    assert early.as_of != late.as_of


def test_qts_two_years_to_the_day_of_the_closing_date_is_met() -> None:
    assessment = run(SECONDARY, SECONDARY_FACTS, qts_date="2023-06-12")
    assert result(assessment, "qts_two_years").outcome is Outcome.MET


def test_qts_two_years_by_the_start_but_not_by_the_closing_date_is_for_the_hub() -> None:
    # 1 September 2023: two years by the start (1 September 2025), one by the closing date
    # (12 June 2025). The hub decides, and the note names both dates.
    found = result(run(SECONDARY, SECONDARY_FACTS, qts_date="2023-09-01"), "qts_two_years")
    assert (found.outcome, found.hub_to_confirm) == (Outcome.UNKNOWN, True)
    assert "1 September 2025" in (found.hub_note or "")
    assert "12 June 2025" in (found.hub_note or "")
    counted = {a.field: a.counted_to for a in found.answers if a.derived_from}
    assert counted == {
        "years_of_qts_at_closing": dt.date(2025, 6, 12),
        "years_since_qts": dt.date(2025, 9, 1),
    }


def test_qtls_gets_the_qtls_note_not_the_closing_date_note() -> None:
    found = result(run(SECONDARY, SECONDARY_FACTS, qualified_status="qtls"), "qts_two_years")
    assert found.hub_to_confirm is True
    assert "QTLS" in (found.hub_note or "")
    assert "closing date" not in (found.hub_note or "")


def test_a_supply_teacher_is_for_the_hub_but_silence_about_employment_is_not() -> None:
    supply = run(SECONDARY, SECONDARY_FACTS, employment_basis="day_to_day_supply")
    found = result(supply, "employed_state_secondary_ks3_ks4")
    assert found.hub_to_confirm is True
    assert "supply" in (found.hub_note or "")
    silent = result(run(SECONDARY, SECONDARY_FACTS), "employed_state_secondary_ks3_ks4")
    assert (silent.outcome, silent.missing) == (Outcome.MET, [])


def test_answers_used_include_the_hub_rule_fields_once() -> None:
    found = result(run(SECONDARY, SECONDARY_FACTS), "employed_state_secondary_ks3_ks4")
    assert [a.field for a in found.answers] == [
        "school_type",
        "state_funded",
        "in_england",
        "key_stages_taught",
        "employment_basis",
    ]
    assert found.answers[0].value == "Secondary school"


# --- facts behind an outcome ---------------------------------------------------------------


def test_an_unanswered_criterion_names_its_missing_fields_not_only_in_words() -> None:
    found = result(run(SECONDARY, SECONDARY_FACTS, qualified_status=None), "qts_two_years")
    assert (found.missing, found.imprecise, found.unreadable) == (["qualified_status"], [], [])
    assert found.unanswered is True


def test_a_year_too_vague_to_settle_is_imprecise_not_missing() -> None:
    found = result(run(SECONDARY, SECONDARY_FACTS, qts_date="2023"), "qts_two_years")
    assert (found.missing, found.imprecise) == ([], ["years_of_qts_at_closing"])
    assert found.unanswered is False


def test_a_missing_date_leaves_its_derived_value_missing() -> None:
    found = result(run(SECONDARY, SECONDARY_FACTS, qts_date=None), "qts_two_years")
    assert found.missing == ["years_of_qts_at_closing"]
    derived = next(a for a in found.answers if a.field == "years_of_qts_at_closing")
    assert (derived.derived_from, derived.counted_to) == ("qts_date", None)


def test_a_derived_value_names_the_date_it_was_counted_to() -> None:
    assessment = run(SECONDARY, SECONDARY_FACTS)
    found = result(assessment, "qts_two_years")
    derived = next(a for a in found.answers if a.field == "years_since_qts")
    assert (derived.derived_from, derived.counted_to) == ("qts_date", dt.date(2025, 9, 1))
    assert derived.counted_to == assessment.reference_date
    plain = next(a for a in found.answers if a.field == "qualified_status")
    assert (plain.derived_from, plain.counted_to) == (None, None)


def test_an_unreadable_answer_is_missing_and_named_unreadable() -> None:
    raw = {**SECONDARY_FACTS, "state_funded": "perhaps", "qts_date": "last spring"}
    assessment = assess(SECONDARY, read_profile(CATALOGUE, raw, lenient=True), AS_OF)
    employed = result(assessment, "employed_state_secondary_ks3_ks4")
    assert (employed.missing, employed.unreadable) == (["state_funded"], ["state_funded"])
    qts = result(assessment, "qts_two_years")
    assert (qts.missing, qts.unreadable) == (
        ["years_of_qts_at_closing"],
        ["years_of_qts_at_closing"],
    )


def test_answering_an_unreadable_field_again_makes_it_readable() -> None:
    profile = read_profile(CATALOGUE, {"state_funded": "perhaps", "in_england": "?"}, lenient=True)
    assert profile.unreadable == {"state_funded": "perhaps"}
    assert profile.with_answers({"state_funded": True}).unreadable == {}
    assert profile.with_answers({"state_funded": None}).unreadable == {}
    assert profile.with_answers({"in_england": True}).unreadable == {"state_funded": "perhaps"}


def test_settled_and_hub_outcomes_wait_on_nothing() -> None:
    met = result(run(PRIMARY, PRIMARY_FACTS), "qts")
    hub = result(run(PRIMARY, PRIMARY_FACTS, qualified_status="qtls"), "qts")
    for found in (met, hub):
        assert (found.missing, found.unreadable, found.imprecise) == ([], [], [])
        assert found.unanswered is False


def test_not_met_as_answered_waits_on_the_hub_rule_fields() -> None:
    # An all-through school could be a case for the hub once "in England" is answered.
    assessment = run(SECONDARY, SECONDARY_FACTS, school_type="all_through", in_england=None)
    found = result(assessment, "employed_state_secondary_ks3_ks4")
    assert (found.outcome, found.missing) == (Outcome.UNKNOWN, ["in_england"])


# --- notes and output ----------------------------------------------------------------------


def test_provisional_programme_note_comes_first() -> None:
    assessment = run(POST16, {})
    assert assessment.provisional is True
    assert assessment.notes[0] == POST16.programme.provisional_note


def test_assessment_json_has_the_documented_keys() -> None:
    data = run(PRIMARY, PRIMARY_FACTS, self_passion_tfm="yes").model_dump(mode="json")
    assert data["programme"] == "primary"
    assert data["verdict"] == "eligible"
    assert data["as_of"] == "2026-01-15"
    assert len(data["criteria"]) == 17
    for item in data["criteria"]:
        assert {"id", "level", "kind", "outcome", "reason"} <= set(item)
        assert item["level"] in ("essential", "desirable")
        assert item["kind"] in ("fact", "evidence")
        assert item["outcome"] in ("met", "not_met", "unknown")
        assert isinstance(item["reason"], str)
    first = data["criteria"][0]
    assert (first["id"], first["level"], first["kind"], first["outcome"]) == (
        "qts",
        "essential",
        "fact",
        "met",
    )


@pytest.mark.parametrize(
    "compiled", [PRIMARY, SECONDARY, POST16], ids=["primary", "secondary", "post16"]
)
def test_every_criterion_has_a_result_in_file_order(compiled: CompiledProgramme) -> None:
    assessment = run(compiled, {})
    assert [r.id for r in assessment.criteria] == [c.id for c in compiled.programme.criteria]
    assert all(r.origin == "published" for r in assessment.criteria)
