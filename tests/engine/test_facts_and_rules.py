"""Derived facts (SPEC §5), each default rule and each flag (SPEC §6)."""

import pytest

from screening.engine import screen

from .conftest import well

MODERATE_PHQ9 = [2, 2, 2, 2, 2, 0, 0, 0, 0]  # 10
SEVERE_PHQ9 = [3, 3, 3, 3, 3, 3, 2, 0, 0]  # 20
MILD_GAD7 = [1, 1, 1, 1, 1, 0, 0]  # 5


def cssrs(**yes) -> dict:
    answers = {"wish_dead": False, "suicidal_thoughts": False, "behavior_lifetime": False}
    answers.update(yes)
    return answers


@pytest.mark.parametrize("answers, risk", [
    (cssrs(), "none"),
    (cssrs(wish_dead=True), "low"),
    (cssrs(suicidal_thoughts=True), "low"),
    (cssrs(suicidal_thoughts=True, method=True), "moderate"),
    (cssrs(behavior_lifetime=True), "moderate"),
    (cssrs(behavior_lifetime=True, behavior_past_3_months=False), "moderate"),
    (cssrs(suicidal_thoughts=True, intent=True), "high"),
    (cssrs(suicidal_thoughts=True, plan=True), "high"),
    (cssrs(behavior_lifetime=True, behavior_past_3_months=True), "high"),
    # A yes is never discarded, even where Q2 was no (SPEC §3).
    (cssrs(intent=True), "high"),
    (cssrs(method=True), "moderate"),
    (cssrs(behavior_past_3_months=True), "high"),
    (cssrs(suicidal_thoughts=True, method=False, intent=False, plan=False), "low"),
])
def test_suicide_risk(criteria, answers, risk):
    assert screen(well(cssrs=answers), criteria).suicide_risk == risk


def withdrawal(symptoms="none", history=False, daily=False) -> dict:
    return {"current_symptoms": symptoms, "history_seizures_or_dts": history,
            "daily_use": daily}


@pytest.mark.parametrize("answers, risk", [
    (withdrawal(), "none"), (withdrawal("mild"), "none"), (withdrawal(history=True), "none"),
    (withdrawal("moderate"), "moderate"), (withdrawal(daily=True), "moderate"),
    (withdrawal("severe"), "severe"), (withdrawal(history=True, daily=True), "severe"),
    (withdrawal("mild", history=True, daily=True), "severe")])
def test_withdrawal_risk(criteria, answers, risk):
    assert screen(well(withdrawal=answers), criteria).withdrawal_risk == risk


def test_severity_is_the_highest_band_and_severe_count_counts_severe_bands(criteria):
    result = screen(well(phq9=SEVERE_PHQ9, gad7=MILD_GAD7), criteria)
    assert result.severity == "severe"
    two = screen(well(phq9=SEVERE_PHQ9, auditc=[4, 4, 0]), criteria)
    assert two.rules == ["IP-SEVERE-COOCCURRING", "IOP-SYMPTOMS"]


@pytest.mark.parametrize("answers, rules", [
    ({"harm_to_others": "intent"}, ["IP-HARM-OTHERS"]),
    ({"harm_to_others": "thoughts"}, []),
    ({"medical": {"unstable": True, "pregnant": False}}, ["IP-MEDICAL"]),
    ({"functioning": "unable", "phq9": MODERATE_PHQ9},
     ["IP-CANNOT-CARE", "IOP-SYMPTOMS", "IOP-FUNCTIONING"]),
    ({"functioning": "unable", "gad7": MILD_GAD7}, ["IOP-FUNCTIONING"]),
    ({"support": "none", "phq9": MODERATE_PHQ9}, ["IP-NO-SAFE-BASE", "IOP-SYMPTOMS"]),
    ({"support": "none", "gad7": MILD_GAD7}, []),
    ({"housing": "homeless", "phq9": MODERATE_PHQ9}, ["IP-NO-SAFE-BASE", "IOP-SYMPTOMS"]),
    ({"home_safe": False, "phq9": MODERATE_PHQ9}, ["IP-NO-SAFE-BASE", "IOP-SYMPTOMS"]),
    ({"support": "limited", "phq9": SEVERE_PHQ9}, ["IP-SEVERE-FRAGILE", "IOP-SYMPTOMS"]),
    ({"housing": "unstable", "phq9": SEVERE_PHQ9}, ["IP-SEVERE-FRAGILE", "IOP-SYMPTOMS"]),
    ({"support": "strong", "phq9": SEVERE_PHQ9}, ["IOP-SYMPTOMS"]),
    ({"cssrs": cssrs(method=True)}, ["IOP-SUICIDE-MODERATE"]),
    ({"recent_inpatient": "past_30_days"}, ["IOP-STEP-DOWN"]),
    ({"recent_inpatient": "past_year"}, []),
    ({"failed_outpatient": True, "gad7": MILD_GAD7}, ["IOP-FAILED-OUTPATIENT"]),
    ({"failed_outpatient": True}, []),
    ({"functioning": "some_difficulty", "gad7": MILD_GAD7}, ["IOP-FUNCTIONING"]),
    ({"functioning": "some_difficulty"}, []),
    ({"withdrawal": withdrawal("moderate")}, ["IOP-WITHDRAWAL"]),
])
def test_each_rule_matches_as_spec_says(criteria, answers, rules):
    assert screen(well(**answers), criteria).rules == rules


@pytest.mark.parametrize("answers, flag, expected", [
    ({"cssrs": cssrs(wish_dead=True)}, "safety_followup", True),
    ({"phq9": [0, 0, 0, 0, 0, 0, 0, 0, 1]}, "safety_followup", True),
    ({"harm_to_others": "thoughts"}, "safety_followup", True),
    ({}, "safety_followup", False),
    ({"phq9": SEVERE_PHQ9, "support": "strong"}, "consider_higher_level", True),
    ({"phq9": SEVERE_PHQ9, "support": "none"}, "consider_higher_level", False),
    ({"withdrawal": withdrawal("mild")}, "withdrawal_monitoring", True),
    ({"withdrawal": withdrawal(history=True)}, "withdrawal_monitoring", True),
    ({"withdrawal": withdrawal(daily=True)}, "withdrawal_monitoring", True),
    ({"medical": {"unstable": False, "pregnant": True}, "auditc": [3, 0, 0]},
     "prenatal_coordination", True),
    ({"medical": {"unstable": False, "pregnant": True}, "auditc": [2, 0, 0]},
     "prenatal_coordination", False),
    ({"medical": {"unstable": False, "pregnant": True},
      "dast10": [True, False, True] + [False] * 7}, "prenatal_coordination", True),
    ({"age": 17}, "adolescent", True),
    ({"age": 18}, "adolescent", False),
    ({"harm_to_others": "intent"}, "urgent", True),
    ({"withdrawal": withdrawal("severe")}, "urgent", True),
    ({"height_cm": 170, "weight_kg": 40}, "urgent", True),
    ({"phq9": SEVERE_PHQ9, "support": "none"}, "urgent", False),
])
def test_each_flag_holds_as_spec_says(criteria, answers, flag, expected):
    assert (flag in screen(well(**answers), criteria).flags) is expected


def test_reasons_carry_each_rules_level_and_plain_words(criteria):
    result = screen(well(cssrs=cssrs(intent=True)), criteria)
    reason = result.reasons[0]
    assert (reason.id, reason.level) == ("IP-SUICIDE", "inpatient")
    assert "suicide" in reason.reason.lower()


@pytest.mark.parametrize("answers", [
    well(),
    well(concerns=["drugs"], availability=["weekend"], hours_available_per_week=9,
         pcptsd5={"exposure": True, "items": [True] * 5}, scoff=[True] * 5, height_cm=170,
         weight_kg=50, mdq={"items": [True] * 13, "same_period": True, "problem": "serious"},
         peg=[5, 5, 5], firearm_access=True, self_harm_past_month=False,
         overdose_past_year=True, psychotic_symptoms={"hallucinations": True,
                                                      "paranoia": False})])
def test_every_fact_a_rule_may_test_has_its_answers_value(criteria, answers):
    from screening.engine import FACTS
    from screening.engine.facts import facts_of

    facts = facts_of(answers, criteria.bands)
    for name in FACTS:
        value = facts[name]
        if "." not in name and name in answers:
            assert value == answers[name], name
    assert facts["concerns"] == answers.get("concerns", ())
    assert facts["psychotic_symptoms.hallucinations"] is (
        True if "psychotic_symptoms" in answers else None)
