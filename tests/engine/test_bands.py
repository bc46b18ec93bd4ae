"""Each instrument's score and band on both sides of every cut-off (SPEC §4)."""

import json

import pytest

from screening.engine import screen

from .conftest import well


def items_with_sum(total: int, count: int, high: int) -> list[int]:
    items = []
    for _ in range(count):
        items.append(min(high, total - sum(items)))
    assert sum(items) == total
    return items


def scored(criteria, instrument, **answers):
    result = screen(well(**answers), criteria)
    return result.scores[instrument], result.bands.get(instrument)


@pytest.mark.parametrize("total, band", [
    (0, "none"), (4, "none"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"), (27, "severe")])
def test_phq9(criteria, total, band):
    assert scored(criteria, "phq9", phq9=items_with_sum(total, 9, 3)) == (total, band)


@pytest.mark.parametrize("total, band", [
    (0, "none"), (4, "none"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "severe"), (21, "severe")])
def test_gad7(criteria, total, band):
    assert scored(criteria, "gad7", gad7=items_with_sum(total, 7, 3)) == (total, band)


@pytest.mark.parametrize("sex", ["female", "intersex", "unknown"])
@pytest.mark.parametrize("total, band", [
    (0, "none"), (2, "none"), (3, "mild"), (4, "mild"), (5, "moderate"), (7, "moderate"),
    (8, "severe"), (12, "severe")])
def test_auditc_for_female_intersex_and_unknown(criteria, sex, total, band):
    assert scored(criteria, "auditc", sex_at_birth=sex,
                  auditc=items_with_sum(total, 3, 4)) == (total, band)


@pytest.mark.parametrize("total, band", [
    (0, "none"), (3, "none"), (4, "mild"), (5, "mild"), (6, "moderate"), (7, "moderate"),
    (8, "severe"), (12, "severe")])
def test_auditc_for_male(criteria, total, band):
    assert scored(criteria, "auditc", sex_at_birth="male",
                  auditc=items_with_sum(total, 3, 4)) == (total, band)


def dast(yes_count: int, item3_yes: bool = True) -> list[bool]:
    """DAST-10 with `yes_count` yes answers among the items other than item 3."""
    others = [True] * yes_count + [False] * (9 - yes_count)
    return others[:2] + [item3_yes] + others[2:]


@pytest.mark.parametrize("answers, score, band", [
    (dast(0), 0, "none"), (dast(1), 1, "mild"), (dast(2), 2, "mild"), (dast(3), 3, "moderate"),
    (dast(5), 5, "moderate"), (dast(6), 6, "moderately_severe"), (dast(8), 8, "moderately_severe"),
    (dast(9), 9, "severe"),
    # Item 3, "always able to stop", scores 1 for no when item 1 (uses drugs) is yes.
    (dast(1, item3_yes=False), 2, "mild"), (dast(2, item3_yes=False), 3, "moderate"),
    (dast(8, item3_yes=False), 9, "severe"), (dast(9, item3_yes=False), 10, "severe")])
def test_dast10_with_item_3_reversed(criteria, answers, score, band):
    assert scored(criteria, "dast10", dast10=answers) == (score, band)


def test_dast10_a_person_who_uses_no_drugs_scores_0_whatever_item_3_says(criteria):
    assert scored(criteria, "dast10", dast10=[False] * 10) == (0, "none")
    assert scored(criteria, "dast10", dast10=dast(0, item3_yes=False)) == (0, "none")


def test_dast10_item_3_scores_only_with_item_1_yes_not_with_another_yes(criteria):
    other_yes = [False, True, False] + [False] * 7  # item 2 yes, item 1 no, item 3 no
    assert scored(criteria, "dast10", dast10=other_yes) == (1, "mild")
    uses_drugs = [True, True, False] + [False] * 7
    assert scored(criteria, "dast10", dast10=uses_drugs) == (3, "moderate")


def test_dast10_scoring_is_the_instruments_whatever_the_criteria_version(criteria):
    from screening.engine import load_criteria

    from .conftest import ROOT
    old = load_criteria(json.loads((ROOT / "screening/criteria/default-1.json").read_text()))
    assert scored(old, "dast10", dast10=[False] * 10) == (0, "none")


@pytest.mark.parametrize("pcptsd5, score, band", [
    (None, None, "none"),
    ({"exposure": False}, 0, "none"),
    ({"exposure": False, "items": [True] * 5}, 0, "none"),
    ({"exposure": True, "items": [True, True, False, False, False]}, 2, "none"),
    ({"exposure": True, "items": [True, True, True, False, False]}, 3, "moderate"),
    ({"exposure": True, "items": [True, True, True, True, False]}, 4, "moderately_severe"),
    ({"exposure": True, "items": [True] * 5}, 5, "moderately_severe")])
def test_pcptsd5_counts_only_with_exposure(criteria, pcptsd5, score, band):
    answers = {} if pcptsd5 is None else {"pcptsd5": pcptsd5}
    assert scored(criteria, "pcptsd5", **answers) == (score, band)


def yes(count: int, length: int) -> list[bool]:
    return [True] * count + [False] * (length - count)


@pytest.mark.parametrize("count, body, band", [
    (1, None, "none"), (2, None, "moderate"), (3, None, "moderate"),
    (4, None, "moderately_severe"), (5, None, "moderately_severe"),
    # Severe needs SCOFF >= 2 and a BMI under 17.5, as measured: at 170 cm, 50.575 kg is
    # 17.5 exactly, 50.6 kg is 17.51; 50.5 kg is 17.47 (reported as 17.5, still under).
    (2, (170, 50.4), "severe"), (2, (170, 50.5), "severe"), (2, (170, 50.575), "moderate"),
    (2, (170, 50.6), "moderate"), (1, (170, 40), "none"),
    (5, (170, 50.6), "moderately_severe"), (4, (160, 44.5), "severe")])
def test_scoff_and_bmi(criteria, count, body, band):
    answers = {"scoff": yes(count, 5)}
    if body:
        answers.update(height_cm=body[0], weight_kg=body[1])
    assert scored(criteria, "scoff", **answers) == (count, band)


@pytest.mark.parametrize("height, weight, bmi", [
    (170, 50.5, 17.5), (170, 50.4, 17.4), (170, 43.35, 15.0), (160, 38.3, 15.0),
    (160, 38.2, 14.9), (180, 80, 24.7), (100, 20, 20.0), (250, 350, 56.0),
    # On a tie as written (14.95), half up; a hair below it, down (not nudged over).
    (200, 59.8, 15.0), (200, 59.799999997, 14.9), (200.0, 59.8, 15.0)])
def test_bmi_is_rounded_half_up_to_one_decimal(criteria, height, weight, bmi):
    assert scored(criteria, "bmi", height_cm=height, weight_kg=weight)[0] == bmi


@pytest.mark.parametrize("height, weight, level", [
    (170, 43.4, "outpatient"),  # 15.02
    (160, 38.4, "outpatient"),  # 15 exactly: not under 15
    (170, 43.0, "inpatient"),  # 14.88
    (200, 59.8, "inpatient"),  # 14.95, reported as 15.0: the measured value is under 15
    (170, 43.35, "outpatient")])  # 15 exactly
def test_a_bmi_under_15_as_measured_is_medical_instability(criteria, height, weight, level):
    result = screen(well(height_cm=height, weight_kg=weight), criteria)
    assert result.level == level
    assert ("IP-MEDICAL" in result.rules) == (level == "inpatient")


@pytest.mark.parametrize("count, same_period, problem, band", [
    (7, True, "moderate", "moderate"), (13, True, "serious", "moderate"),
    (6, True, "serious", "none"), (7, False, "serious", "none"),
    (7, True, "minor", "none"), (9, True, "none", "none")])
def test_mdq(criteria, count, same_period, problem, band):
    mdq = {"items": yes(count, 13), "same_period": same_period, "problem": problem}
    assert scored(criteria, "mdq", mdq=mdq) == (count, band)


@pytest.mark.parametrize("items, mean, band", [
    ([0, 0, 0], 0.0, "none"), ([4, 4, 3], 3.7, "none"), ([4, 4, 4], 4.0, "mild"),
    ([7, 7, 6], 6.7, "mild"), ([7, 7, 7], 7.0, "moderate"), ([10, 10, 10], 10.0, "moderate"),
    ([8, 7, 7], 7.3, "moderate")])
def test_peg_is_the_mean_to_one_decimal(criteria, items, mean, band):
    assert scored(criteria, "peg", peg=items) == (mean, band)


def test_an_instrument_not_given_scores_null_and_band_none(criteria):
    result = screen(well(), criteria)
    for name in ("pcptsd5", "scoff", "mdq", "peg", "bmi"):
        assert result.scores[name] is None
    for name in ("pcptsd5", "scoff", "mdq", "peg"):
        assert result.bands[name] == "none"
