"""Criteria are data: a bad document is refused naming the bad part; compiled once."""

import copy
import json

import pytest

from screening.engine import CriteriaError, load_criteria, screen
from screening.engine.criteria import _CACHE

from .conftest import ROOT, default_document, well


def refused(document) -> CriteriaError:
    with pytest.raises(CriteriaError) as caught:
        load_criteria(document)
    return caught.value


def rule(document, rule_id):
    return next(r for r in document["rules"] if r["id"] == rule_id)


def test_it_loads_the_shipped_default():
    criteria = load_criteria(default_document())
    assert criteria.version == "default-2"
    assert [r.id for r in criteria.rules][:2] == ["IP-SUICIDE", "IP-HARM-OTHERS"]
    assert [f.id for f in criteria.flags] == [
        "urgent", "safety_followup", "safety_discordant", "lethal_means", "psychosis_followup",
        "overdose_risk", "consider_higher_level", "withdrawal_monitoring",
        "prenatal_coordination", "adolescent"]
    assert all(flag.reason.strip() for flag in criteria.flags)


def test_default_2_keeps_the_bands_and_rules_of_default_1():
    old = json.loads((ROOT / "screening" / "criteria" / "default-1.json").read_text())
    new = default_document()
    assert new["bands"] == old["bands"] and new["rules"] == old["rules"]
    assert len(load_criteria(old).flags) == 6


def test_it_compiles_a_document_once_whatever_its_key_order():
    document = default_document()
    first = load_criteria(document)
    reordered = dict(reversed(list(copy.deepcopy(document).items())))
    assert load_criteria(reordered) is first
    assert any(compiled is first for compiled in _CACHE.values())


@pytest.mark.parametrize("change, where", [
    (lambda d: rule(d, "IP-SEVERE-COOCCURRING")["when"].update(value="several"),
     "rules[7] (IP-SEVERE-COOCCURRING).when.value"),
    (lambda d: rule(d, "IP-SUICIDE")["when"].update(fact="suicide_rsik"),
     "rules[0] (IP-SUICIDE).when.fact"),
    (lambda d: rule(d, "IP-SUICIDE")["when"].update(value="extreme"),
     "rules[0] (IP-SUICIDE).when.value"),
    (lambda d: rule(d, "IP-SUICIDE")["when"].update(op="~="), "rules[0] (IP-SUICIDE).when.op"),
    (lambda d: rule(d, "IP-SUICIDE").update(level="sometimes"),
     "rules[0] (IP-SUICIDE).level"),
    (lambda d: rule(d, "IP-SUICIDE").update(reason=""), "rules[0] (IP-SUICIDE).reason"),
    (lambda d: rule(d, "IOP-SYMPTOMS").update(id="IP-SUICIDE"), "rules[8] (IP-SUICIDE).id"),
    (lambda d: rule(d, "IP-MEDICAL").update(when={"any": []}),
     "rules[3] (IP-MEDICAL).when.any"),
    (lambda d: rule(d, "IP-MEDICAL").update(when={"not": {}}),
     "rules[3] (IP-MEDICAL).when.not"),
    (lambda d: rule(d, "IOP-SYMPTOMS").update(when={"fact": "level", "op": "eq",
                                                    "value": "iop"}),
     "rules[8] (IOP-SYMPTOMS).when.fact"),
    (lambda d: rule(d, "IOP-SYMPTOMS").update(when={"fact": "home_safe", "op": "gte",
                                                    "value": True}),
     "rules[8] (IOP-SYMPTOMS).when.op"),
    (lambda d: d["bands"]["phq9"].update(moderate=16), "bands.phq9.moderately_severe"),
    (lambda d: d["bands"]["phq9"].update(severe=28), "bands.phq9.severe"),
    (lambda d: d["bands"]["phq9"].update(moderate=9.5), "bands.phq9.moderate"),
    (lambda d: d["bands"]["gad7"].update(huge=20), "bands.gad7.huge"),
    (lambda d: d["bands"]["auditc"].pop("male"), "bands.auditc.male"),
    (lambda d: d["bands"].pop("peg"), "bands.peg"),
    (lambda d: d["bands"]["scoff"]["with_low_weight"].update(bmi_below="low"),
     "bands.scoff.with_low_weight.bmi_below"),
    (lambda d: d.update(version=""), "version"),
    (lambda d: d.update(extra=1), "extra"),
])
def test_it_refuses_a_bad_document_naming_the_bad_part(change, where):
    document = default_document()
    change(document)
    error = refused(document)
    assert error.field == where, str(error)


def test_a_moved_cut_off_moves_the_band():
    document = default_document()
    document["bands"]["phq9"]["moderate"] = 13
    answers = well(phq9=[2, 2, 2, 2, 2, 2, 0, 0, 0])  # 12
    assert screen(answers, load_criteria(document)).bands["phq9"] == "mild"
    assert screen(answers, load_criteria(default_document())).bands["phq9"] == "moderate"


def test_a_condition_on_a_fact_with_no_value_never_matches():
    document = default_document()
    document["rules"].append({"id": "IOP-PAIN", "level": "iop", "reason": "pain",
                              "when": {"fact": "score.peg", "op": "ne", "value": 0}})
    result = screen(well(), load_criteria(document))
    assert "IOP-PAIN" not in result.rules
