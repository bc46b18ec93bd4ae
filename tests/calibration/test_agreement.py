"""Cohen's and Fleiss' kappa against published worked examples, degenerate cases, and
properties that hold for any ratings."""

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calibration.agreement import (
    ONE_LEVEL,
    AgreementError,
    cohen_kappa,
    fleiss_kappa,
    fleiss_table,
    landis_koch,
)

LEVELS = ("outpatient", "iop", "inpatient")


def _from_table(table: list[list[int]]) -> tuple[list[int], list[int]]:
    """Two raters' ratings from a contingency table (rows: first rater, columns: second)."""
    first, second = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            first += [i] * count
            second += [j] * count
    return first, second


# --- Cohen -------------------------------------------------------------------------------

def test_it_gives_the_textbook_two_by_two_kappa():
    # Wikipedia, "Cohen's kappa", worked example: 50 grant proposals, yes/yes 20, yes/no 5,
    # no/yes 10, no/no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    result = cohen_kappa(*_from_table([[20, 5], [10, 15]]))
    assert result.cases == 50
    assert result.observed == pytest.approx(0.7)
    assert result.chance == pytest.approx(0.5)
    assert result.kappa == pytest.approx(0.4)
    assert result.percent == pytest.approx(70.0)


@pytest.mark.parametrize("table, chance, kappa", [
    # Wikipedia's "same agreement, different kappa" pair: both 60 % raw agreement.
    ([[45, 15], [25, 15]], 0.54, 0.1304),
    ([[25, 35], [5, 35]], 0.46, 0.2593),
])
def test_the_same_raw_agreement_gives_different_kappas_by_the_margins(table, chance, kappa):
    result = cohen_kappa(*_from_table(table))
    assert result.observed == pytest.approx(0.6)
    assert result.chance == pytest.approx(chance)
    assert result.kappa == pytest.approx(kappa, abs=5e-5)


def test_it_gives_a_three_level_kappa_worked_by_hand():
    # Margins: first 12, 13, 5; second 13, 11, 6; diagonal 22 of 30.
    # p_e = (12*13 + 13*11 + 5*6) / 900 = 329/900; kappa = (660 - 329) / (900 - 329) = 331/571.
    table = [[10, 2, 0], [3, 8, 2], [0, 1, 4]]
    first, second = _from_table(table)
    result = cohen_kappa([LEVELS[i] for i in first], [LEVELS[j] for j in second], LEVELS)
    assert result.observed == pytest.approx(22 / 30)
    assert result.chance == pytest.approx(329 / 900)
    assert result.kappa == pytest.approx(float(Fraction(331, 571)))
    assert result.words == "moderate"


def test_opposite_ratings_give_minus_one():
    result = cohen_kappa(["iop", "inpatient"] * 5, ["inpatient", "iop"] * 5)
    assert result.kappa == pytest.approx(-1.0)
    assert result.words == "poor"


def test_every_rating_in_one_level_is_undefined_not_a_division_by_zero():
    result = cohen_kappa(["iop"] * 6, ["iop"] * 6)
    assert result.kappa is None and result.undefined == ONE_LEVEL
    assert result.observed == 1.0 and result.words == ""


def test_two_raters_each_using_one_different_level_agree_at_chance_zero():
    result = cohen_kappa(["iop"] * 4, ["inpatient"] * 4)
    assert result.observed == 0 and result.chance == 0 and result.kappa == 0


def test_no_case_is_undefined():
    result = cohen_kappa([], [])
    assert result.kappa is None and result.observed is None and result.undefined


def test_bad_input_is_refused_with_what_is_wrong():
    with pytest.raises(AgreementError, match="3 and 2 cases"):
        cohen_kappa(["iop"] * 3, ["iop"] * 2)
    with pytest.raises(AgreementError, match="'residential' is not one of the levels"):
        cohen_kappa(["residential"], ["iop"], LEVELS)


# --- Fleiss ------------------------------------------------------------------------------

# Fleiss (1971), as worked in Wikipedia's "Fleiss' kappa" article: 10 cases, 14 raters,
# 5 categories. Pbar = 0.378, Pe = 0.213, kappa = 0.210.
FLEISS_EXAMPLE = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]


def test_it_gives_the_fleiss_worked_example():
    result = fleiss_kappa(FLEISS_EXAMPLE)
    assert (result.cases, result.raters) == (10, 14)
    assert result.observed == pytest.approx(0.378, abs=5e-4)
    assert result.chance == pytest.approx(0.213, abs=5e-4)
    assert result.kappa == pytest.approx(0.210, abs=5e-4)
    assert result.words == "fair"


def test_the_table_is_counted_from_each_cases_ratings():
    table = fleiss_table([["iop", "iop", "inpatient"], ["outpatient"] * 3], LEVELS)
    assert table == [[0, 2, 1], [3, 0, 0]]
    with pytest.raises(AgreementError, match="not one of the levels"):
        fleiss_table([["IOP"]], LEVELS)


def test_fleiss_all_in_one_level_is_undefined():
    result = fleiss_kappa([[0, 3, 0]] * 4)
    assert result.kappa is None and result.undefined == ONE_LEVEL


def test_fleiss_refuses_tables_it_cannot_read():
    with pytest.raises(AgreementError, match="case 2 was rated by 2 raters, the first by 3"):
        fleiss_kappa([[1, 2, 0], [1, 1, 0]])
    with pytest.raises(AgreementError, match="at least two raters"):
        fleiss_kappa([[1, 0, 0]])
    with pytest.raises(AgreementError, match="case 2 has 2 levels"):
        fleiss_kappa([[1, 1, 0], [1, 1]])
    with pytest.raises(AgreementError, match="whole number"):
        fleiss_kappa([[3, -1, 0]])
    assert fleiss_kappa([]).kappa is None


@pytest.mark.parametrize("kappa, words", [
    (-0.01, "poor"), (0.0, "slight"), (0.20, "slight"), (0.21, "fair"), (0.40, "fair"),
    (0.41, "moderate"), (0.60, "moderate"), (0.61, "substantial"), (0.80, "substantial"),
    (0.81, "almost perfect"), (1.0, "almost perfect"), (None, "")])
def test_landis_and_koch_words_on_both_sides_of_each_band(kappa, words):
    assert landis_koch(kappa) == words


# --- properties --------------------------------------------------------------------------

levels = st.sampled_from(LEVELS)
two_raters = st.integers(min_value=1, max_value=30).flatmap(
    lambda n: st.tuples(st.lists(levels, min_size=n, max_size=n),
                        st.lists(levels, min_size=n, max_size=n)))


@given(two_raters)
def test_cohen_is_symmetric_and_at_most_one(ratings):
    first, second = ratings
    forward, backward = cohen_kappa(first, second), cohen_kappa(second, first)
    assert forward == backward
    assert forward.kappa is None or -1 <= forward.kappa <= 1 + 1e-12


@given(st.lists(levels, min_size=1, max_size=30))
def test_perfect_agreement_is_one_or_undefined_for_one_level(ratings):
    result = cohen_kappa(ratings, ratings)
    if len(set(ratings)) == 1:
        assert result.kappa is None and result.undefined == ONE_LEVEL
    else:
        assert result.kappa == pytest.approx(1.0)


tables = st.tuples(st.integers(2, 8), st.integers(1, 12)).flatmap(
    lambda shape: st.lists(
        st.lists(levels, min_size=shape[0], max_size=shape[0]), min_size=shape[1],
        max_size=shape[1]))


@given(tables, st.randoms())
def test_fleiss_does_not_depend_on_the_order_of_cases_or_raters(ratings, rnd):
    result = fleiss_kappa(fleiss_table(ratings, LEVELS))
    shuffled = [rnd.sample(case, len(case)) for case in rnd.sample(ratings, len(ratings))]
    again = fleiss_kappa(fleiss_table(shuffled, LEVELS))
    assert (again.kappa is None) == (result.kappa is None)
    if result.kappa is not None:
        assert again.kappa == pytest.approx(result.kappa)
        assert result.kappa <= 1 + 1e-12


@given(st.lists(levels, min_size=1, max_size=12), st.integers(2, 6))
def test_fleiss_perfect_agreement_is_one_or_undefined(case_levels, raters):
    result = fleiss_kappa(fleiss_table([[level] * raters for level in case_levels], LEVELS))
    if len(set(case_levels)) == 1:
        assert result.kappa is None
    else:
        assert result.kappa == pytest.approx(1.0)


def test_the_statistics_load_without_django():
    code = ("import sys, calibration.agreement, calibration.results; "
            "sys.exit(1 if any(m.startswith('django') for m in sys.modules) else 0)")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
