"""What would change the level (screening/engine/counterfactual.py).

Fixed cases: public vignettes whose smallest changes were worked out by hand from SPEC §6
(written out above each test). Properties: every way returned, made real as answers and
screened by `screen`, gives the level it claims; when no single fact moves the level, no
single answer does either; when single facts do, every single answer that moves it is among
them; each fact goes to its nearest value that moves the level.
"""

import copy
import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings

from screening.engine import LEVELS, load_criteria, screen
from screening.engine import catalogue as C
from screening.engine.answers import validate_answers
from screening.engine.counterfactual import (
    MAX_FACTS,
    SAFETY_FACTS,
    applied,
    band_ranges,
    level_changes,
    level_changes_of_facts,
    level_with,
)
from screening.engine.facts import facts_of
from screening.engine.instruments import dast10_score, peg_score
from screening.engine.levels import INSTRUMENTS
from screening.engine.properties import generate_cases

from .conftest import default_document, public_cases, well
from .test_properties import answers as made_up_answers

DEFAULT = load_criteria(default_document())
RANK = {level: rank for rank, level in enumerate(LEVELS)}


def case(case_id: str) -> dict:
    return next(c for c in public_cases() if c["id"] == case_id)["answers"]


def ways(direction) -> list[tuple]:
    """Each way as (level, ((fact, new value), ...)) for comparing with the hand-worked set."""
    return [(way.level, tuple((change.fact, change.now) for change in way.changes))
            for way in direction.ways]


def changed_facts(direction) -> set:
    return {(way.level, tuple(sorted(change.fact for change in way.changes)))
            for way in direction.ways}


# --- fixed cases, worked by hand -------------------------------------------------------------


def test_v16_severe_with_limited_support_is_iop_with_adequate_support_or_a_lower_phq9():
    # Inpatient by IP-SEVERE-FRAGILE alone: PHQ-9 20 (severe) with limited support. Down:
    # support adequate ends "support <= limited"; PHQ-9 in 15-19 ends "severity is severe";
    # either leaves IOP-SYMPTOMS (at least moderate). Nothing moves housing or safety.
    result = level_changes(case("v16-severe-limited-support"), DEFAULT)
    assert result.level == "inpatient" and result.up is None
    assert result.down.size == 1
    assert ways(result.down) == [("iop", (("score.phq9", 19),)),
                                 ("iop", (("support", "adequate"),))]
    phq9, support = (way.changes[0] for way in result.down.ways)
    assert (phq9.band_was, phq9.band_now, phq9.band_range) == (
        "severe", "moderately_severe", (15, 19))
    assert result.down.ways[1].words == "IOP if support were adequate (now limited)"
    assert result.down.ways[0].words == ("IOP if the depression score (PHQ-9) were in the "
                                         "moderately severe band (15\u201319; now 20, severe)")
    assert not any(way.safety for way in result.down.ways)


def test_v12_no_support_is_iop_with_limited_support_and_outpatient_with_mild_depression():
    # Inpatient by IP-NO-SAFE-BASE: PHQ-9 12 (moderate), no support. Support limited ends
    # it and severity moderate is not severe, so IP-SEVERE-FRAGILE stays off: IOP. PHQ-9 in
    # 5-9 ends it too, and IOP-SYMPTOMS with it; no other IOP rule holds: outpatient.
    result = level_changes(case("v12-no-support"), DEFAULT)
    assert ways(result.down) == [("iop", (("support", "limited"),)),
                                 ("outpatient", (("score.phq9", 9),))]


def test_v07_high_suicide_risk_is_iop_only_if_the_risk_were_moderate_marked_as_safety():
    # Inpatient by IP-SUICIDE only (PHQ-9 18 gives IOP-SYMPTOMS): moderate suicide risk is
    # the nearest value that ends it; the safety floor holds at high whatever else changes.
    result = level_changes(case("v07-high-suicide-risk"), DEFAULT)
    assert ways(result.down) == [("iop", (("suicide_risk", "moderate"),))]
    way = result.down.ways[0]
    assert way.safety and way.changes[0].safety
    assert way.words == "IOP if suicide risk were moderate (now high)"
    assert way.changes[0].answer == "the C-SSRS answers"


def test_v08_moderate_suicide_risk_is_outpatient_if_the_risk_were_low():
    # IOP by IOP-SUICIDE-MODERATE alone (PHQ-9 7, mild; independent; no failed care): low
    # risk ends it. Up: high risk, intent to harm, severe withdrawal or unstable medically.
    result = level_changes(case("v08-moderate-suicide-risk"), DEFAULT)
    assert ways(result.down) == [("outpatient", (("suicide_risk", "low"),))]
    assert changed_facts(result.up) == {
        ("inpatient", ("suicide_risk",)), ("inpatient", ("harm_to_others",)),
        ("inpatient", ("withdrawal_risk",)), ("inpatient", ("medical.unstable",))}


def test_v03_moderate_depression_down_and_up():
    # IOP by IOP-SYMPTOMS: PHQ-9 12, GAD-7 6 (mild). Down: PHQ-9 in 5-9 leaves severity
    # mild, and no rule needing mild holds (independent, no failed care): outpatient. Up:
    # each inpatient rule one fact away: the four acute risks, unable to manage (with
    # moderate symptoms), no support, homeless, an unsafe home. A severe PHQ-9 is not
    # enough with adequate support and a stable home.
    result = level_changes(case("v03-moderate-depression"), DEFAULT)
    assert ways(result.down) == [("outpatient", (("score.phq9", 9),))]
    assert ways(result.up) == [
        ("inpatient", (("medical.unstable", True),)),
        ("inpatient", (("home_safe", False),)),
        ("inpatient", (("harm_to_others", "intent"),)),
        ("inpatient", (("withdrawal_risk", "severe"),)),
        ("inpatient", (("functioning", "unable"),)),
        ("inpatient", (("support", "none"),)),
        ("inpatient", (("housing", "homeless"),)),
        ("inpatient", (("suicide_risk", "high"),)),
    ]


def test_v11_daily_use_needs_two_changes_to_be_outpatient():
    # IOP twice over: AUDIT-C 6 (moderate for a man) and daily use (moderate withdrawal
    # risk). Neither alone ends both IOP rules; together they do. The search says two.
    result = level_changes(case("v11-daily-use-no-history"), DEFAULT)
    assert result.down.size == 2
    assert ways(result.down) == [("outpatient", (("withdrawal_risk", "none"),
                                                 ("score.auditc", 5)))]
    assert result.down.ways[0].changes[1].band_range == (4, 5)  # mild, for a man


def test_v25_intent_to_harm_is_outpatient_if_thoughts_only_two_steps_down():
    # Inpatient by IP-HARM-OTHERS; nothing else matches (PHQ-9 3). Thoughts without intent
    # match no rule: the way names outpatient, two levels down.
    result = level_changes(case("v25-harm-others"), DEFAULT)
    assert ways(result.down) == [("outpatient", (("harm_to_others", "thoughts"),))]
    assert result.down.ways[0].safety


def test_v18_low_bmi_is_iop_at_a_bmi_of_15():
    # Inpatient by IP-MEDICAL (BMI 14.2 < 15); SCOFF stays severe below 17.5, but with
    # adequate support and a stable home severe alone is IOP.
    result = level_changes(case("v18-anorexia-low-bmi"), DEFAULT)
    assert ways(result.down) == [("iop", (("bmi", 15.0),))]
    assert result.down.ways[0].words == "IOP if BMI were 15.0 (now 14.2)"


def test_v01_well_goes_up_through_each_iop_rule_reachable_in_one_fact():
    # Severity none: only the IOP rules needing no symptoms (moderate suicide or withdrawal
    # risk, stepping down) and a moderate band on a given instrument; harm intent and an
    # unstable condition go straight to inpatient. PC-PTSD-5, SCOFF, MDQ, PEG not given.
    result = level_changes(case("v01-well"), DEFAULT)
    assert result.down is None
    assert changed_facts(result.up) == {
        ("iop", ("withdrawal_risk",)), ("iop", ("suicide_risk",)),
        ("iop", ("score.phq9",)), ("iop", ("score.gad7",)), ("iop", ("score.auditc",)),
        ("iop", ("score.dast10",)), ("iop", ("recent_inpatient",)),
        ("inpatient", ("medical.unstable",)), ("inpatient", ("harm_to_others",))}
    levels = [way.level for way in result.up.ways]
    assert levels == sorted(levels, key=RANK.get)  # the next level first


def test_nothing_within_two_facts_is_said_in_words():
    # Inpatient four times over: high suicide risk, intent to harm, severe withdrawal and an
    # unstable condition: two changes leave two rules of the safety floor.
    answers = well(harm_to_others="intent")
    answers["cssrs"].update(suicidal_thoughts=True, intent=True)
    answers["withdrawal"]["current_symptoms"] = "severe"
    answers["medical"]["unstable"] = True
    result = level_changes(answers, DEFAULT)
    assert result.down.size == 0 and result.down.ways == ()
    assert f"up to {MAX_FACTS} answers" in result.down.words


def test_safety_facts_are_the_acute_risk_and_safety_answers():
    assert {"suicide_risk", "harm_to_others", "withdrawal_risk", "medical.unstable",
            "cssrs.intent"} <= SAFETY_FACTS
    assert not {"support", "housing", "home_safe", "functioning"} & SAFETY_FACTS


def test_band_ranges_follow_the_criteria_cutoffs_and_the_persons_sex():
    facts = facts_of(case("v26-auditc-male-boundary"), DEFAULT.bands)
    assert band_ranges(facts, DEFAULT, "auditc") == {
        "none": (0, 3), "mild": (4, 5), "moderate": (6, 7), "severe": (8, 12)}
    facts = facts_of(case("v27-auditc-female-boundary"), DEFAULT.bands)
    assert band_ranges(facts, DEFAULT, "auditc")["none"] == (0, 2)
    assert band_ranges(facts, DEFAULT, "phq9")["moderately_severe"] == (15, 19)


def test_edited_criteria_are_searched_over_their_own_facts():
    # A rule on a fact the default does not test (age): the search finds it by itself.
    document = copy.deepcopy(default_document())
    document["version"] = "test-age"
    document["rules"].append({"id": "IOP-YOUNG", "level": "iop", "reason": "Under 16.",
                              "when": {"fact": "age", "op": "lt", "value": 16}})
    result = level_changes(case("v01-well"), load_criteria(document))
    assert ("iop", (("age", 15),)) in ways(result.up)
    way = result.up.ways[ways(result.up).index(("iop", (("age", 15),)))]
    assert way.words == "IOP if age were 15 (now 34)"


def test_it_refuses_bad_answers_as_screen_does():
    from screening.engine import AnswersError
    with pytest.raises(AnswersError):
        level_changes({"age": "old"}, DEFAULT)


# --- the answers a way stands for, screened by the real engine -------------------------------

CANONICAL_CSSRS = {
    "none": {},
    "low": {"wish_dead": True},
    "moderate": {"behavior_lifetime": True},
    "high": {"suicidal_thoughts": True, "intent": True},
}
CANONICAL_WITHDRAWAL = {"none": {"current_symptoms": "none", "daily_use": False},
                        "moderate": {"current_symptoms": "moderate", "daily_use": False},
                        "severe": {"current_symptoms": "severe"}}


def _sum_items(count: int, high: int, score: int, last_first=()) -> list[int]:
    items, left = [0] * count, score
    order = [i for i in range(count) if i not in last_first] + list(last_first)
    for index in order:
        items[index] = min(high, left)
        left -= items[index]
    assert left == 0
    return items


def _with_score(answers: dict, instrument: str, score) -> dict:
    """`answers` with the instrument's items answered to give `score`."""
    answers = copy.deepcopy(answers)
    if instrument == "phq9":
        answers["phq9"] = _sum_items(9, 3, score, last_first=(8,))
    elif instrument == "gad7":
        answers["gad7"] = _sum_items(7, 3, score)
    elif instrument == "auditc":
        answers["auditc"] = _sum_items(3, 4, score)
    elif instrument == "dast10":
        answers["dast10"] = next(list(items) for items in itertools.product(
            (False, True), repeat=10) if dast10_score(list(items)) == score)
    elif instrument == "pcptsd5":
        answers["pcptsd5"] = {"exposure": True, "items": [i < score for i in range(5)]}
    elif instrument == "scoff":
        answers["scoff"] = [i < score for i in range(5)]
    elif instrument == "mdq":
        answers["mdq"]["items"] = [i < score for i in range(13)]
    elif instrument == "peg":
        answers["peg"] = next(items for total in range(31) for items in (
            [min(total, 10), min(max(total - 10, 0), 10), max(total - 20, 0)],)
            if peg_score(items) == score)
    return answers


def realised(answers: dict, changes) -> dict:
    """Answers that give the changed facts: the answer itself, or answers that give the
    derived fact (C-SSRS for suicide risk, the withdrawal answers, an instrument's items,
    height and weight for BMI)."""
    answers = copy.deepcopy(answers)
    for change in changes:
        fact, value = change.fact, change.now
        if fact.startswith("score."):
            answers = _with_score(answers, fact.partition(".")[2], value)
        elif fact == "suicide_risk":
            answers["cssrs"] = {"wish_dead": False, "suicidal_thoughts": False,
                                "behavior_lifetime": False, **CANONICAL_CSSRS[value]}
        elif fact == "withdrawal_risk":
            answers["withdrawal"].update(CANONICAL_WITHDRAWAL[value])
        elif fact == "bmi":
            answers["height_cm"], answers["weight_kg"] = 200, round(value * 4, 1)
        else:
            assert fact in C.ANSWERS, fact
            *parents, last = fact.split(".")
            node = answers
            for part in parents:
                node = node[part]
            node[last] = value
    validate_answers(answers)
    return answers


def single_answer_changes(answers: dict):
    """(fact, changed answers) for every change of one answer to the facts the default
    criteria test, made as a person could answer."""
    for path in ("support", "housing", "home_safe", "functioning", "recent_inpatient",
                 "failed_outpatient", "harm_to_others", "medical.unstable"):
        for value in C.values(path):
            yield path, realised(answers, [_Fake(path, value)])
    for name in C.ANSWERS["cssrs"].parts:
        changed = copy.deepcopy(answers)
        changed["cssrs"][name] = not changed["cssrs"].get(name, False)
        yield "suicide_risk", changed
    for name in C.ANSWERS["withdrawal"].parts:
        for value in C.values(f"withdrawal.{name}"):
            changed = copy.deepcopy(answers)
            changed["withdrawal"][name] = value
            yield "withdrawal_risk", changed
    for instrument in INSTRUMENTS:
        facts = facts_of(answers, DEFAULT.bands)
        if facts["scores"][instrument] is None:
            continue
        for low, high in band_ranges(facts, DEFAULT, instrument).values():
            for score in {low, high}:
                yield f"score.{instrument}", _with_score(answers, instrument, score)
    if answers.get("height_cm") is not None:
        # Every tenth near the default's cut-offs (IP-MEDICAL's 15, SCOFF's 17.5), whole
        # numbers elsewhere.
        for bmi in sorted({*range(10, 41), *(x / 10 for x in range(140, 160)),
                           *(x / 10 for x in range(165, 185))}):
            yield "bmi", realised(answers, [_Fake("bmi", bmi)])


class _Fake:
    def __init__(self, fact, now):
        self.fact, self.now = fact, now


def check(answers: dict) -> None:
    result = level_changes(answers, DEFAULT)
    base = screen(answers, DEFAULT).level
    assert result.level == base
    facts = facts_of(answers, DEFAULT.bands)
    for direction, up in ((result.up, True), (result.down, False)):
        if direction is None:
            assert base == (LEVELS[-1] if up else LEVELS[0])
            continue
        for way in direction.ways:
            assert len(way.changes) == direction.size <= MAX_FACTS
            assert RANK[way.level] > RANK[base] if up else RANK[way.level] < RANK[base]
            # The engine on the changed facts, and on answers that give them.
            assert level_with(facts, DEFAULT, way.changes) == way.level
            assert screen(realised(answers, way.changes), DEFAULT).level == way.level, way
            if direction.size == 1:
                _check_nearest(facts, way, up, base)
        moving = {fact for fact, changed in single_answer_changes(answers)
                  if (RANK[screen(changed, DEFAULT).level] > RANK[base]) == up
                  and screen(changed, DEFAULT).level != base}
        if direction.size != 1:
            assert moving == set(), f"one answer moves it ({moving}), none was returned"
        else:
            assert moving <= {way.changes[0].fact for way in direction.ways}


def _check_nearest(facts, way, up: bool, base: str) -> None:
    change = way.changes[0]
    spec_values = {
        "suicide_risk": ("none", "low", "moderate", "high"),
        "withdrawal_risk": ("none", "moderate", "severe"),
    }.get(change.fact) or (C.values(change.fact) if change.fact in C.ANSWERS else None)
    if spec_values is None or isinstance(change.now, bool):
        return
    was, now = spec_values.index(change.was), spec_values.index(change.now)
    for index, value in enumerate(spec_values):
        if abs(index - was) < abs(now - was) and index != was:
            level = level_with(facts, DEFAULT, [(change.fact, value)])
            assert not ((RANK[level] > RANK[base]) if up else (RANK[level] < RANK[base])), (
                f"{change.fact} {value} is nearer and moves it too")


@pytest.mark.parametrize("vignette", [c["id"] for c in public_cases()])
def test_every_public_case(vignette):
    check(case(vignette))


def test_generated_cases():
    sizes = set()
    for answers in generate_cases(150, seed=16):
        check(answers)
        result = level_changes(answers, DEFAULT)
        sizes.update(d.size for d in (result.up, result.down) if d is not None)
    assert sizes == {0, 1, 2}  # the cases reach every branch of the search


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(made_up_answers())
def test_made_up_answers(answers):
    check(answers)


def test_the_search_is_the_same_every_time_and_leaves_the_facts_alone():
    answers = case("v16-severe-limited-support")
    facts = facts_of(answers, DEFAULT.bands)
    before = json.dumps(dict(facts), sort_keys=True, default=str)
    first = level_changes_of_facts(facts, DEFAULT)
    assert level_changes_of_facts(facts, DEFAULT) == first
    assert json.dumps(dict(facts), sort_keys=True, default=str) == before
    assert applied(facts, DEFAULT, [("support", "adequate")])["support"] == "adequate"
    assert facts["support"] == "limited"


def test_the_band_of_a_score_is_the_band_facts_of_gives():
    for answers in [c["answers"] for c in public_cases()] + generate_cases(300, seed=3):
        facts = facts_of(answers, DEFAULT.bands)
        for instrument in INSTRUMENTS:
            assert DEFAULT.bands.band(instrument, facts["scores"][instrument],
                                      answers["sex_at_birth"], facts["bmi"],
                                      answers.get("mdq")) == facts["bands"][instrument]


def test_the_words_of_each_kind_of_change():
    from screening.engine import words as W
    assert W.change_words("home_safe", False, True) == "home is safe: yes (now no)"
    assert W.change_words("support", "limited", "adequate") == (
        "support were adequate (now limited)")
    assert W.change_words("bmi", 14.2148, 15.0) == "BMI were 15.0 (now 14.2)"
    assert W.change_words("bmi", 14.96, 15.0) == "BMI were 15.00 (now 14.96)"
    assert W.instrument_change_words("pcptsd5", 0, "none", "moderate", (3, 3)) == (
        "the trauma score (PC-PTSD-5) were in the moderate band (3; now 0, none)")
    assert W.instrument_change_words("peg", 7.3, "moderate", "mild", (4.0, 6.7)) == (
        "the chronic pain score (PEG) were in the mild band (4.0\u20136.7; now 7.3, "
        "moderate)")
    assert W.way_words("outpatient", ["a", "b"]) == "Outpatient if a and b"
    assert W.answer_words("score.phq9") == "the PHQ-9 answers"
    assert W.answer_words("support") == "the answer to \u201cSupport\u201d"
