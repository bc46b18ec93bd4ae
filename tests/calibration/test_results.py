"""A round's figures on fixed cases whose answers are worked out by hand below."""

import pytest

from calibration.agreement import AgreementError
from calibration.results import NO_RULE, Case, round_results

CASES = [
    Case("c1", "inpatient", ("IP-SUICIDE", "IOP-SYMPTOMS")),
    Case("c2", "iop", ("IOP-SYMPTOMS",)),
    Case("c3", "outpatient", ()),
    Case("c4", "iop", ("IOP-FAILED-OP",)),
]
# A agrees with the engine on every case; B on c1 and c3; C rated c1 only, differently.
RATINGS = {
    "A": {"c1": "inpatient", "c2": "iop", "c3": "outpatient", "c4": "iop"},
    "B": {"c1": "inpatient", "c2": "outpatient", "c3": "outpatient", "c4": "inpatient"},
    "C": {"c1": "iop"},
}


@pytest.fixture
def figures():
    return round_results(cases=CASES, ratings=RATINGS)


def test_each_clinician_against_the_engine(figures):
    rows = {row.rater: row.agreement for row in figures.with_engine}
    assert rows["A"].kappa == pytest.approx(1.0) and rows["A"].percent == 100
    # B: agreement 2/4; B's levels inpatient 2, outpatient 2; the engine's inpatient 1,
    # iop 2, outpatient 1: p_e = (2*1 + 2*1) / 16 = 1/4, kappa = (1/2 - 1/4) / (3/4) = 1/3.
    assert rows["B"].observed == 0.5 and rows["B"].chance == 0.25
    assert rows["B"].kappa == pytest.approx(1 / 3)
    # C: one case, differing, each side one level: p_o = p_e = 0, kappa 0.
    assert (rows["C"].cases, rows["C"].kappa) == (1, 0)


def test_each_pair_over_the_cases_both_rated(figures):
    pairs = {(row.first, row.second): row.agreement for row in figures.pairs}
    assert list(pairs) == [("A", "B"), ("A", "C"), ("B", "C")]
    assert pairs["A", "B"].kappa == pytest.approx(1 / 3)  # A is the engine's answers
    assert pairs["A", "C"].cases == 1 and pairs["B", "C"].kappa == 0


def test_fleiss_is_over_the_clinicians_who_rated_every_case(figures):
    assert figures.all_raters == ["A", "B"]
    # Counts (outpatient, iop, inpatient): c1 0,0,2; c2 1,1,0; c3 2,0,0; c4 0,1,1.
    # Pbar = (1 + 0 + 1 + 0) / 4 = 1/2; p = 3/8, 2/8, 3/8; Pe = 22/64 = 11/32;
    # kappa = (16/32 - 11/32) / (21/32) = 5/21.
    assert figures.fleiss.observed == 0.5
    assert figures.fleiss.chance == pytest.approx(11 / 32)
    assert figures.fleiss.kappa == pytest.approx(5 / 21)


def test_disagreements_are_counted_on_the_rules_of_their_case(figures):
    assert [(d.case.id, d.ratings) for d in figures.disagreements] == [
        ("c1", {"C": "iop"}), ("c2", {"B": "outpatient"}), ("c4", {"B": "inpatient"})]
    assert [(row.rule, row.cases, row.ratings) for row in figures.by_rule] == [
        ("IOP-SYMPTOMS", 2, 2), ("IOP-FAILED-OP", 1, 1), ("IP-SUICIDE", 1, 1)]


def test_a_disagreement_where_no_rule_matched_is_counted_as_the_default():
    figures = round_results(cases=CASES, ratings={"A": {"c3": "iop"}, "B": {"c3": "iop"}})
    assert [(row.rule, row.cases, row.ratings) for row in figures.by_rule] == [
        (NO_RULE, 1, 2)]


def test_fleiss_needs_two_clinicians_who_rated_everything():
    figures = round_results(cases=CASES, ratings={"A": RATINGS["A"], "C": RATINGS["C"]})
    assert figures.fleiss.kappa is None
    assert figures.fleiss.undefined == "fewer than two clinicians rated every case"


def test_a_rating_of_a_case_outside_the_round_is_ignored_and_an_unknown_level_refused():
    figures = round_results(cases=CASES, ratings={"A": {**RATINGS["A"], "zz": "iop"}})
    assert figures.with_engine[0].agreement.cases == 4
    with pytest.raises(AgreementError):
        round_results(cases=CASES, ratings={"A": {"c1": "residential"}})


def test_no_rating_yet_gives_empty_tables():
    figures = round_results(cases=CASES, ratings={})
    assert figures.with_engine == [] and figures.pairs == [] and figures.by_rule == []
    assert figures.fleiss.kappa is None
