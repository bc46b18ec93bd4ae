"""Conditions and changes of criteria in plain words (screening.engine.words), on fixed
conditions with the sentences an admin reads."""

import copy
import json
from pathlib import Path

from screening.engine.words import condition_words, criteria_changes_in_words

DEFAULT = json.loads((Path(__file__).resolve().parents[2] / "screening" / "criteria"
                      / "default-2.json").read_text())


def _rule(document: dict, rule_id: str) -> dict:
    return next(rule for rule in document["rules"] if rule["id"] == rule_id)


def test_a_scale_whose_values_are_not_degrees_says_its_direction_and_what_it_covers():
    assert condition_words({"fact": "support", "op": "gte", "value": "limited"}) == (
        "support is at least as worrying as limited (limited or none)")
    assert condition_words({"fact": "housing", "op": "lt", "value": "homeless"}) == (
        "housing is less worrying than homeless (stable or unstable)")


def test_a_scale_of_degrees_reads_plainly_and_its_top_reads_as_the_value():
    assert condition_words({"fact": "suicide_risk", "op": "gte", "value": "moderate"}) == (
        "suicide risk is at least moderate")
    assert condition_words({"fact": "suicide_risk", "op": "gte", "value": "high"}) == (
        "suicide risk is high")


def test_nested_groups_are_bracketed_with_staff_labels_and_yes_or_no():
    assert condition_words(_rule(DEFAULT, "IP-NO-SAFE-BASE")["when"]) == (
        "the highest severity is at least moderate and "
        "(support is none or housing is homeless or home is safe: no)")
    assert condition_words({"fact": "score.phq9", "op": "gte", "value": 10}) == (
        "PHQ-9 score is at least 10")
    assert condition_words({"fact": "rules", "op": "contains", "value": "IP-SUICIDE"}) == (
        "rule IP-SUICIDE matched")


def test_a_changed_condition_reads_as_one_sentence_per_rule():
    new = copy.deepcopy(DEFAULT)
    _rule(new, "IP-SUICIDE")["when"] = {"fact": "suicide_risk", "op": "gte",
                                        "value": "moderate"}
    assert criteria_changes_in_words(DEFAULT, new) == [
        "IP-SUICIDE: level stays inpatient; condition changed from 'suicide risk is high' "
        "to 'suicide risk is at least moderate'"]


def test_added_removed_relevelled_reordered_and_cut_offs():
    new = copy.deepcopy(DEFAULT)
    new["bands"]["phq9"]["moderate"] = 9
    _rule(new, "IOP-SUICIDE-MODERATE")["level"] = "inpatient"
    new["rules"] = [rule for rule in new["rules"] if rule["id"] != "IOP-WITHDRAWAL"]
    new["rules"].insert(0, new["rules"].pop(1))
    new["flags"].append({"id": "housing_followup", "reason": "Housing help.",
                         "when": {"fact": "housing", "op": "eq", "value": "unstable"}})
    order = ", ".join(rule["id"] for rule in new["rules"])
    assert criteria_changes_in_words(DEFAULT, new) == [
        "PHQ-9: 'moderate' starts at 9 (was 10)",
        "IOP-WITHDRAWAL removed (it recommended IOP when withdrawal risk is moderate)",
        "IOP-SUICIDE-MODERATE: level changed from IOP to inpatient",
        f"Rules in a new order: {order}",
        "flag housing_followup added: raised when housing is unstable",
    ]
    assert criteria_changes_in_words(DEFAULT, copy.deepcopy(DEFAULT)) == []
