"""SPEC §6's two invariants on the default criteria, over answers hypothesis makes up; and
the publish checks catching criteria that break them."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.engine import LEVELS, load_criteria, screen
from screening.engine import answers as A
from screening.engine.properties import (
    check_monotone,
    check_safety_floor,
    generate_cases,
    safety_floor_variants,
    worsenings,
)

from .conftest import default_document, public_cases

booleans = st.booleans()


def scores(count, high):
    return st.lists(st.integers(0, high), min_size=count, max_size=count)


def yes_no(count):
    return st.lists(booleans, min_size=count, max_size=count)


@st.composite
def answers(draw):
    cssrs = {"wish_dead": draw(booleans), "suicidal_thoughts": draw(booleans),
             "behavior_lifetime": draw(booleans)}
    for name in ("method", "intent", "plan", "behavior_past_3_months"):
        if draw(st.integers(0, 3)) == 0:
            cssrs[name] = draw(booleans)
    result = {
        "age": draw(st.integers(12, 120)),
        "sex_at_birth": draw(st.sampled_from(A.SEX_AT_BIRTH)),
        "cssrs": cssrs,
        "harm_to_others": draw(st.sampled_from(A.HARM_TO_OTHERS)),
        "phq9": draw(scores(9, 3)), "gad7": draw(scores(7, 3)),
        "auditc": draw(scores(3, 4)), "dast10": draw(yes_no(10)),
        "withdrawal": {"current_symptoms": draw(st.sampled_from(A.WITHDRAWAL_SYMPTOMS)),
                       "history_seizures_or_dts": draw(booleans),
                       "daily_use": draw(booleans)},
        "medical": {"unstable": draw(booleans), "pregnant": draw(booleans)},
        "support": draw(st.sampled_from(A.SUPPORT)),
        "housing": draw(st.sampled_from(A.HOUSING)),
        "home_safe": draw(booleans),
        "recent_inpatient": draw(st.sampled_from(A.RECENT_INPATIENT)),
        "failed_outpatient": draw(booleans),
        "functioning": draw(st.sampled_from(A.FUNCTIONING)),
    }
    if draw(booleans):
        result["pcptsd5"] = {"exposure": draw(booleans), "items": draw(yes_no(5))}
    if draw(booleans):
        result["scoff"] = draw(yes_no(5))
        result["height_cm"] = draw(st.floats(100, 250))
        result["weight_kg"] = draw(st.floats(20, 350))
    if draw(booleans):
        result["mdq"] = {"items": draw(yes_no(13)), "same_period": draw(booleans),
                         "problem": draw(st.sampled_from(A.MDQ_PROBLEM))}
    if draw(booleans):
        result["peg"] = draw(scores(3, 10))
    for name in A.OPTIONAL_YES_NO:
        if draw(booleans):
            result[name] = draw(booleans)
    if draw(booleans):
        result["psychotic_symptoms"] = {name: draw(booleans) for name in A.PSYCHOTIC_SYMPTOMS}
    return result


DEFAULT = load_criteria(default_document())
RANK = {level: rank for rank, level in enumerate(LEVELS)}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_safety_floor_acute_risk_always_gives_inpatient_and_urgent(case):
    for _, risky in safety_floor_variants(case):
        result = screen(risky, DEFAULT)
        assert result.level == "inpatient" and "urgent" in result.flags


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_monotone_a_worse_answer_never_lowers_the_level(case):
    level = RANK[screen(case, DEFAULT).level]
    for what, worse in worsenings(case):
        assert RANK[screen(worse, DEFAULT).level] >= level, what


def test_the_default_criteria_pass_the_publish_checks():
    cases = [c["answers"] for c in public_cases()] + generate_cases(300, seed=7)
    assert check_safety_floor(DEFAULT, cases) == []
    assert check_monotone(DEFAULT, cases) == []


def test_the_checks_catch_a_rule_that_lowers_the_level_for_high_suicide_risk():
    document = default_document()
    document["rules"][0]["level"] = "iop"  # IP-SUICIDE
    violations = check_safety_floor(load_criteria(document), generate_cases(50, seed=1))
    assert violations and "suicide risk high" in violations[0].message


def test_the_checks_catch_a_rule_rewarding_a_better_answer():
    document = default_document()
    document["rules"].append({"id": "IOP-STRONG-SUPPORT", "level": "iop", "reason": "x",
                              "when": {"fact": "support", "op": "eq", "value": "strong"}})
    violations = check_monotone(load_criteria(document), generate_cases(300, seed=1))
    assert violations and "support adequate instead of strong" in violations[0].message


def test_a_yes_on_each_new_risk_answer_is_a_worsening_the_checks_try():
    case = public_cases()[0]["answers"]
    tried = [what for what, _ in worsenings(case)]
    for name in ("firearm_access", "self_harm_past_month", "overdose_past_year",
                 "psychotic_symptoms.hallucinations", "psychotic_symptoms.paranoia"):
        assert f"{name} answered yes" in tried


def test_the_checks_catch_a_rule_rewarding_a_no_on_a_new_risk_answer():
    document = default_document()
    document["rules"].append({"id": "IOP-NO-FIREARM", "level": "iop", "reason": "x",
                              "when": {"fact": "firearm_access", "op": "eq", "value": False}})
    violations = check_monotone(load_criteria(document), generate_cases(300, seed=1))
    assert violations and "firearm_access answered yes" in violations[0].message


def test_generated_cases_are_valid_repeatable_and_reach_every_level():
    cases = generate_cases(300, seed=3)
    assert cases == generate_cases(300, seed=3)
    levels = {screen(case, DEFAULT).level for case in cases}
    assert levels == set(LEVELS)
    json.dumps(cases)
