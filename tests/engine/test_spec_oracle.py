"""An independent reading of SPEC v2 (§4–§6), written from the text alone, against the engine.

The engine compiles the criteria document; this module hard-codes SPEC's tables in the
plainest Python there is. Any disagreement over many random intakes is a bug in one of them:
the held-out check of the engine, in the suite.
"""

import random
from fractions import Fraction

import pytest

from screening.engine import screen

BANDS = ["none", "mild", "moderate", "moderately_severe", "severe"]
RISKS = ["none", "low", "moderate", "high"]
LEVEL_ORDER = ["outpatient", "iop", "inpatient"]
SUPPORT_WORSE = ["strong", "adequate", "limited", "none"]  # later is worse
HOUSING = ["stable", "unstable", "homeless"]
FUNCTIONING = ["independent", "some_difficulty", "unable"]
RECENT = ["none", "past_year", "past_30_days"]
CSSRS = ["wish_dead", "suicidal_thoughts", "method", "intent", "plan", "behavior_lifetime",
         "behavior_past_3_months"]


def band(score, edges):
    """`edges` as [(lowest score, band), ...] in rising order."""
    chosen = "none"
    for lowest, name in edges:
        if score >= lowest:
            chosen = name
    return chosen


def at_least(value, floor, order=BANDS):
    return order.index(value) >= order.index(floor)


def spec_screen(a: dict) -> dict:
    scores, bands = {}, {}
    scores["phq9"] = sum(a["phq9"])
    bands["phq9"] = band(scores["phq9"], [(5, "mild"), (10, "moderate"),
                                          (15, "moderately_severe"), (20, "severe")])
    scores["gad7"] = sum(a["gad7"])
    bands["gad7"] = band(scores["gad7"], [(5, "mild"), (10, "moderate"), (15, "severe")])
    scores["auditc"] = sum(a["auditc"])
    if a["sex_at_birth"] == "male":
        edges = [(4, "mild"), (6, "moderate"), (8, "severe")]
    else:
        edges = [(3, "mild"), (5, "moderate"), (8, "severe")]
    bands["auditc"] = band(scores["auditc"], edges)
    d = a["dast10"]
    dast = sum(1 for i, yes in enumerate(d) if yes and i != 2)
    if d[0] and not d[2]:  # item 3 scores for "no", only for someone who uses drugs
        dast += 1
    scores["dast10"] = dast
    bands["dast10"] = band(dast, [(1, "mild"), (3, "moderate"), (6, "moderately_severe"),
                                  (9, "severe")])
    bmi = None
    if "height_cm" in a:
        bmi = Fraction(str(a["weight_kg"])) / (Fraction(str(a["height_cm"])) / 100) ** 2
    if "pcptsd5" in a:
        p = a["pcptsd5"]
        scores["pcptsd5"] = sum(p["items"]) if p["exposure"] else 0
        bands["pcptsd5"] = band(scores["pcptsd5"], [(3, "moderate"), (4, "moderately_severe")])
    else:
        scores["pcptsd5"], bands["pcptsd5"] = None, "none"
    if "scoff" in a:
        scores["scoff"] = sum(a["scoff"])
        bands["scoff"] = band(scores["scoff"], [(2, "moderate"), (4, "moderately_severe")])
        if scores["scoff"] >= 2 and bmi is not None and bmi < Fraction("17.5"):
            bands["scoff"] = "severe"
    else:
        scores["scoff"], bands["scoff"] = None, "none"
    if "mdq" in a:
        m = a["mdq"]
        scores["mdq"] = sum(m["items"])
        positive = (scores["mdq"] >= 7 and m["same_period"]
                    and m["problem"] in ("moderate", "serious"))
        bands["mdq"] = "moderate" if positive else "none"
    else:
        scores["mdq"], bands["mdq"] = None, "none"
    if "peg" in a:
        mean = Fraction(sum(a["peg"]), 3)
        bands["peg"] = "none" if mean < 4 else "mild" if mean < 7 else "moderate"
    else:
        bands["peg"] = "none"

    severity = max(bands.values(), key=BANDS.index)
    severe_count = sum(1 for value in bands.values() if value == "severe")
    c = {name: a["cssrs"].get(name, False) for name in CSSRS}
    if c["intent"] or c["plan"] or c["behavior_past_3_months"]:
        suicide = "high"
    elif c["method"] or c["behavior_lifetime"]:
        suicide = "moderate"
    elif c["wish_dead"] or c["suicidal_thoughts"]:
        suicide = "low"
    else:
        suicide = "none"
    w = a["withdrawal"]
    if w["current_symptoms"] == "severe" or (w["history_seizures_or_dts"] and w["daily_use"]):
        withdrawal = "severe"
    elif w["current_symptoms"] == "moderate" or w["daily_use"]:
        withdrawal = "moderate"
    else:
        withdrawal = "none"

    support_limited = SUPPORT_WORSE.index(a["support"]) >= SUPPORT_WORSE.index("limited")
    rules = {
        "IP-SUICIDE": suicide == "high",
        "IP-HARM-OTHERS": a["harm_to_others"] == "intent",
        "IP-WITHDRAWAL": withdrawal == "severe",
        "IP-MEDICAL": a["medical"]["unstable"] or (bmi is not None and bmi < 15),
        "IP-CANNOT-CARE": a["functioning"] == "unable" and at_least(severity, "moderate"),
        "IP-NO-SAFE-BASE": at_least(severity, "moderate") and (
            a["support"] == "none" or a["housing"] == "homeless" or not a["home_safe"]),
        "IP-SEVERE-FRAGILE": severity == "severe" and (
            support_limited or at_least(a["housing"], "unstable", HOUSING)),
        "IP-SEVERE-COOCCURRING": severe_count >= 2,
        "IOP-SYMPTOMS": at_least(severity, "moderate"),
        "IOP-SUICIDE-MODERATE": suicide == "moderate",
        "IOP-STEP-DOWN": a["recent_inpatient"] == "past_30_days",
        "IOP-FAILED-OUTPATIENT": a["failed_outpatient"] and at_least(severity, "mild"),
        "IOP-FUNCTIONING": (at_least(a["functioning"], "some_difficulty", FUNCTIONING)
                            and at_least(severity, "mild")),
        "IOP-WITHDRAWAL": withdrawal == "moderate",
    }
    matched = {rule for rule, holds in rules.items() if holds}
    level = "outpatient"
    if any(rule.startswith("IOP-") for rule in matched):
        level = "iop"
    if any(rule.startswith("IP-") for rule in matched):
        level = "inpatient"

    psychotic = a.get("psychotic_symptoms") or {}
    psychosis = bool(psychotic.get("hallucinations") or psychotic.get("paranoia"))
    safety_followup = (at_least(suicide, "low", RISKS) or a["phq9"][8] >= 1
                       or a["harm_to_others"] != "none" or a.get("self_harm_past_month", False))
    flags = {
        "urgent": bool(matched & {"IP-SUICIDE", "IP-HARM-OTHERS", "IP-WITHDRAWAL",
                                  "IP-MEDICAL"}),
        "safety_followup": safety_followup,
        "safety_discordant": a["phq9"][8] >= 1 and suicide == "none",
        "lethal_means": a.get("firearm_access", False) and safety_followup,
        "psychosis_followup": psychosis,
        "overdose_risk": a.get("overdose_past_year", False),
        "consider_higher_level": level == "iop" and (severity == "severe" or psychosis),
        "withdrawal_monitoring": (w["current_symptoms"] != "none" or w["daily_use"]
                                  or w["history_seizures_or_dts"]),
        "prenatal_coordination": a["medical"]["pregnant"] and (
            at_least(bands["auditc"], "mild") or at_least(bands["dast10"], "mild")),
        "adolescent": a["age"] < 18,
    }
    return {"level": level, "rules": matched, "flags": {f for f, holds in flags.items() if holds},
            "severity": severity, "suicide_risk": suicide, "withdrawal_risk": withdrawal,
            "scores": scores, "bands": bands}


def random_intake(rng: random.Random) -> dict:
    """Answers spread over the whole answer space, edges included, every optional part
    sometimes there and sometimes not."""
    def yes(p=0.5):
        return rng.random() < p

    def low_items(n, top):  # mostly low scores, as people answer, with the tail covered
        level = rng.choice([0, 0, 1, 2, top])
        return [rng.randint(0, max(0, min(top, level))) for _ in range(n)]

    cssrs = {"wish_dead": yes(0.3), "suicidal_thoughts": yes(0.25), "behavior_lifetime": yes(0.2)}
    for name in ("method", "intent", "plan"):
        if cssrs["suicidal_thoughts"] or yes(0.1):
            cssrs[name] = yes(0.15)
    if cssrs["behavior_lifetime"] or yes(0.05):
        cssrs["behavior_past_3_months"] = yes(0.3)
    sex = rng.choice(["female", "male", "intersex", "unknown"])
    a = {
        "age": rng.choice([12, 15, 17, 18, 19, 35, 64, 90, 120]),
        "sex_at_birth": sex,
        "concerns": rng.sample(["alcohol", "drugs", "depression", "anxiety", "bipolar",
                                "trauma", "eating", "chronic_pain", "other"], rng.randint(0, 4)),
        "cssrs": cssrs,
        "harm_to_others": rng.choice(["none", "none", "none", "thoughts", "intent"]),
        "phq9": low_items(9, 3),
        "gad7": low_items(7, 3),
        "auditc": low_items(3, 4),
        "dast10": [yes(0.3) for _ in range(10)],
        "withdrawal": {"current_symptoms": rng.choice(["none", "none", "mild", "moderate",
                                                       "severe"]),
                       "history_seizures_or_dts": yes(0.1), "daily_use": yes(0.2)},
        "medical": {"unstable": yes(0.05), "pregnant": sex != "male" and yes(0.1)},
        "support": rng.choice(SUPPORT_WORSE),
        "housing": rng.choice(HOUSING),
        "home_safe": yes(0.85),
        "recent_inpatient": rng.choice(RECENT),
        "failed_outpatient": yes(0.3),
        "functioning": rng.choice(FUNCTIONING),
    }
    if yes():
        exposure = yes()
        a["pcptsd5"] = {"exposure": exposure}
        if exposure or yes(0.3):
            a["pcptsd5"]["items"] = [yes() for _ in range(5)]
    if yes(0.4):
        a["scoff"] = [yes(0.4) for _ in range(5)]
    if yes(0.4):
        a["height_cm"] = rng.randint(140, 200)
        a["weight_kg"] = rng.choice([rng.randint(30, 60), rng.randint(40, 150)])
    if yes(0.3):
        a["mdq"] = {"items": [yes(0.55) for _ in range(13)], "same_period": yes(),
                    "problem": rng.choice(["none", "minor", "moderate", "serious"])}
    if yes(0.3):
        a["peg"] = [rng.randint(0, 10) for _ in range(3)]
    for name in ("firearm_access", "self_harm_past_month", "overdose_past_year"):
        if yes(0.7):
            a[name] = yes(0.25)
    if yes(0.6):
        a["psychotic_symptoms"] = {"hallucinations": yes(0.2), "paranoia": yes(0.2)}
    return a


@pytest.mark.parametrize("seed", range(8))
def test_the_engine_agrees_with_a_plain_reading_of_the_spec(criteria, seed):
    rng = random.Random(seed)
    for number in range(2500):
        answers = random_intake(rng)
        got = screen(answers, criteria).to_dict()
        want = spec_screen(answers)
        where = f"seed {seed}, intake {number}: {answers}"
        assert got["level"] == want["level"], where
        assert set(got["rules"]) == want["rules"], where
        assert set(got["flags"]) == want["flags"], where
        for name in ("severity", "suicide_risk", "withdrawal_risk", "bands"):
            assert got[name] == want[name], (name, where)
        for name in ("phq9", "gad7", "auditc", "dast10", "pcptsd5", "scoff", "mdq"):
            assert got["scores"][name] == want["scores"][name], (name, where)


def test_the_reading_itself_matches_every_public_case():
    """The oracle is held to the public cases too, so a shared misreading shows."""
    from .conftest import public_cases

    for case in public_cases():
        want = spec_screen(case["answers"])
        expect = case["expect"]
        assert want["level"] == expect["level"], case["id"]
        assert want["rules"] == set(expect["rules"]), case["id"]
        assert want["flags"] == set(expect["flags"]), case["id"]
