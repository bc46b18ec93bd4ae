"""SPEC v2's optional safety answers (§3) and the flags they raise (§6)."""

import pytest

from screening.engine import AnswersError, screen, validate_answers

from .conftest import well

MODERATE_PHQ9 = [2, 2, 2, 2, 2, 0, 0, 0, 0]  # 10
SEVERE_PHQ9 = [3, 3, 3, 3, 3, 3, 2, 0, 0]  # 20
ITEM9_ONLY = [0, 0, 0, 0, 0, 0, 0, 0, 1]
NO_SYMPTOMS = {"hallucinations": False, "paranoia": False}


def refused(answers) -> AnswersError:
    with pytest.raises(AnswersError) as caught:
        validate_answers(answers)
    return caught.value


def flags(criteria, **answers) -> list[str]:
    return screen(well(**answers), criteria).flags


# --- the answers ---------------------------------------------------------------------------


def test_each_new_answer_is_optional():
    validate_answers(well())


@pytest.mark.parametrize("answers", [
    {"firearm_access": True}, {"firearm_access": False},
    {"self_harm_past_month": True}, {"overdose_past_year": False},
    {"psychotic_symptoms": {"hallucinations": True, "paranoia": False}},
    {"psychotic_symptoms": NO_SYMPTOMS},
])
def test_it_accepts_the_new_answers(answers):
    validate_answers(well(**answers))


@pytest.mark.parametrize("answers, field", [
    ({"firearm_access": 1}, "firearm_access"),
    ({"firearm_access": "yes"}, "firearm_access"),
    ({"firearm_access": None}, "firearm_access"),
    ({"self_harm_past_month": 0}, "self_harm_past_month"),
    ({"overdose_past_year": "false"}, "overdose_past_year"),
    ({"psychotic_symptoms": True}, "psychotic_symptoms"),
    ({"psychotic_symptoms": {"hallucinations": True, "paranoia": 0}},
     "psychotic_symptoms.paranoia"),
    ({"psychotic_symptoms": {"hallucinations": None, "paranoia": False}},
     "psychotic_symptoms.hallucinations"),
])
def test_it_refuses_a_new_answer_of_the_wrong_type_naming_it(answers, field):
    assert refused(well(**answers)).field == field


@pytest.mark.parametrize("given, missing", [
    ({"hallucinations": True}, "psychotic_symptoms.paranoia"),
    ({"paranoia": False}, "psychotic_symptoms.hallucinations"),
    ({}, "psychotic_symptoms.hallucinations"),
])
def test_psychotic_symptoms_needs_both_answers_when_given(given, missing):
    error = refused(well(psychotic_symptoms=given))
    assert error.field == missing and "required" in error.message


@pytest.mark.parametrize("answers, field", [
    ({"firearm_acess": True}, "firearm_acess"),
    ({"psychotic_symptoms": NO_SYMPTOMS | {"voices": True}}, "psychotic_symptoms.voices"),
])
def test_it_refuses_a_misspelt_new_field(answers, field):
    error = refused(well(**answers))
    assert error.field == field and "unknown" in error.message


# --- the flags -----------------------------------------------------------------------------


@pytest.mark.parametrize("answers, expected", [
    ({"self_harm_past_month": True}, True),
    ({"self_harm_past_month": False}, False),
    ({}, False),
])
def test_safety_followup_holds_for_self_harm_in_the_past_month(criteria, answers, expected):
    assert ("safety_followup" in flags(criteria, **answers)) is expected


def test_safety_discordant_when_phq9_item_9_is_positive_and_every_cssrs_answer_no(criteria):
    assert {"safety_followup", "safety_discordant"} <= set(flags(criteria, phq9=ITEM9_ONLY))


def test_safety_discordant_not_when_the_cssrs_agrees(criteria):
    cssrs = {"wish_dead": True, "suicidal_thoughts": False, "behavior_lifetime": False}
    assert "safety_discordant" not in flags(criteria, phq9=ITEM9_ONLY, cssrs=cssrs)


def test_safety_discordant_not_when_item_9_is_0(criteria):
    assert "safety_discordant" not in flags(criteria, phq9=MODERATE_PHQ9)


@pytest.mark.parametrize("concern", [
    {"cssrs": {"wish_dead": True, "suicidal_thoughts": False, "behavior_lifetime": False}},
    {"phq9": ITEM9_ONLY},
    {"harm_to_others": "thoughts"},
    {"self_harm_past_month": True},
])
def test_lethal_means_with_a_firearm_and_any_safety_concern(criteria, concern):
    assert "lethal_means" in flags(criteria, firearm_access=True, **concern)
    assert "lethal_means" not in flags(criteria, firearm_access=False, **concern)
    assert "lethal_means" not in flags(criteria, **concern)  # not asked


def test_lethal_means_not_for_a_firearm_without_a_safety_concern(criteria):
    assert "lethal_means" not in flags(criteria, firearm_access=True)


@pytest.mark.parametrize("symptoms, expected", [
    ({"hallucinations": True, "paranoia": False}, True),
    ({"hallucinations": False, "paranoia": True}, True),
    (NO_SYMPTOMS, False),
])
def test_psychosis_followup(criteria, symptoms, expected):
    assert ("psychosis_followup" in flags(criteria, psychotic_symptoms=symptoms)) is expected


def test_overdose_risk_for_an_overdose_in_the_past_year(criteria):
    assert "overdose_risk" in flags(criteria, overdose_past_year=True)
    assert "overdose_risk" not in flags(criteria, overdose_past_year=False)
    assert "overdose_risk" not in flags(criteria)


def test_consider_higher_level_for_iop_with_psychotic_symptoms(criteria):
    result = screen(well(phq9=MODERATE_PHQ9, psychotic_symptoms={"hallucinations": False,
                                                                 "paranoia": True}), criteria)
    assert result.level == "iop" and "consider_higher_level" in result.flags


def test_consider_higher_level_still_for_iop_with_severe_symptoms(criteria):
    result = screen(well(phq9=SEVERE_PHQ9, support="strong"), criteria)
    assert result.level == "iop" and "consider_higher_level" in result.flags


def test_consider_higher_level_only_at_iop(criteria):
    psychotic = {"hallucinations": True, "paranoia": True}
    outpatient = screen(well(psychotic_symptoms=psychotic), criteria)
    assert outpatient.level == "outpatient"
    assert "consider_higher_level" not in outpatient.flags
    assert "psychosis_followup" in outpatient.flags
    inpatient = screen(well(phq9=SEVERE_PHQ9, support="none", psychotic_symptoms=psychotic),
                       criteria)
    assert inpatient.level == "inpatient" and "consider_higher_level" not in inpatient.flags


@pytest.mark.parametrize("answers", [
    {"firearm_access": True}, {"self_harm_past_month": True}, {"overdose_past_year": True},
    {"psychotic_symptoms": {"hallucinations": True, "paranoia": True}},
])
def test_the_new_answers_raise_flags_but_never_the_level_by_themselves(criteria, answers):
    assert screen(well(**answers), criteria).level == "outpatient"


def test_every_flag_has_its_reason_in_plain_words(criteria):
    reasons = {flag.id: flag.reason for flag in criteria.flags}
    assert "naloxone" in reasons["overdose_risk"]
    assert "firearm" in reasons["lethal_means"].lower()
    assert "disagree" in reasons["safety_discordant"]
