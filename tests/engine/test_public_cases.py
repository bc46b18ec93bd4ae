"""Every public test case (SPEC §9) gives exactly its expected level, rules and flags."""

import filecmp
from pathlib import Path

import pytest

from screening.engine import screen

from .conftest import CASES_DIR, ROOT, public_cases

SHARED = ROOT.parent / "shared" / "vignettes"


@pytest.mark.parametrize("case", public_cases(), ids=lambda case: case["id"])
def test_it_reproduces_the_public_case(case, criteria):
    result = screen(case["answers"], criteria, case["id"]).to_dict()
    expect = case["expect"]
    assert result["level"] == expect["level"]
    assert set(result["rules"]) == set(expect["rules"])
    assert set(result["flags"]) == set(expect["flags"])
    for instrument, score in expect.get("scores", {}).items():
        assert result["scores"][instrument] == score


def test_it_ships_all_thirty_six_public_cases():
    assert len(public_cases()) == 36


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared folder is not beside the project")
def test_its_shipped_copy_matches_the_shared_cases():
    names = sorted(path.name for path in SHARED.glob("*.json"))
    assert names == sorted(path.name for path in Path(CASES_DIR).glob("*.json"))
    _, mismatch, errors = filecmp.cmpfiles(SHARED, CASES_DIR, names, shallow=False)
    assert mismatch == [] and errors == []


def test_it_reports_rules_highest_level_first_then_in_criteria_order(criteria):
    case = next(c for c in public_cases() if c["id"] == "v24-cannot-care")
    assert screen(case["answers"], criteria).rules == [
        "IP-CANNOT-CARE", "IOP-SYMPTOMS", "IOP-FUNCTIONING"]


def test_it_gives_the_output_of_spec_section_7_in_its_order(criteria):
    case = public_cases()[0]
    result = screen(case["answers"], criteria, case["id"]).to_dict()
    assert list(result) == ["id", "level", "criteria_version", "rules", "flags", "severity",
                            "suicide_risk", "withdrawal_risk", "scores", "bands"]
    assert list(result["scores"]) == ["phq9", "gad7", "auditc", "dast10", "pcptsd5", "scoff",
                                      "mdq", "peg", "bmi"]
    assert list(result["bands"]) == ["phq9", "gad7", "auditc", "dast10", "pcptsd5", "scoff",
                                     "mdq", "peg"]
    assert result["criteria_version"] == "default-2"
    assert result["scores"]["pcptsd5"] is None and result["bands"]["pcptsd5"] == "none"
