"""The facts a rule can test (SPEC §5): answers, scores, bands and derived risks.

FACTS is the catalogue the criteria are checked against and the editor offers: each fact
has a kind and, for the named scales, its values from least to most worrying, so `gte`
means "at least this bad". A fact with no value (an instrument not given, no height and
weight) matches no condition at all.
"""

from . import answers as A
from .instruments import band_of, bmi, dast10_score, mdq_score, pcptsd5_score, peg_score
from .levels import BAND_RANK, BANDS, INSTRUMENTS, LEVELS

SUICIDE_RISK = ("none", "low", "moderate", "high")
WITHDRAWAL_RISK = ("none", "moderate", "severe")
MDQ_PROBLEM_FOR_MODERATE = ("moderate", "serious")


def _scale(values, text):
    return {"kind": "scale", "values": tuple(values), "text": text}


def _yes_no(text):
    return {"kind": "boolean", "values": (False, True), "text": text}


def _number(text):
    return {"kind": "number", "text": text}


FACTS: dict[str, dict] = {
    "severity": _scale(BANDS, "highest band over all instruments"),
    "severe_count": _number("how many instruments are at band severe"),
    "suicide_risk": _scale(SUICIDE_RISK, "C-SSRS triage"),
    "withdrawal_risk": _scale(WITHDRAWAL_RISK, "withdrawal risk"),
    "harm_to_others": _scale(A.HARM_TO_OTHERS, "thoughts or intent to harm others"),
    # Support is worse when there is less of it: the scale runs from strong down to none.
    "support": _scale(reversed(A.SUPPORT), "support from family or friends"),
    "housing": _scale(A.HOUSING, "housing"),
    "home_safe": _yes_no("the home is safe"),
    "functioning": _scale(A.FUNCTIONING, "managing work, school, family, self-care"),
    "recent_inpatient": _scale(A.RECENT_INPATIENT, "discharge from inpatient care"),
    "failed_outpatient": _yes_no("outpatient care in the past year did not help enough"),
    "withdrawal.current_symptoms": _scale(A.WITHDRAWAL_SYMPTOMS, "current withdrawal symptoms"),
    "withdrawal.history_seizures_or_dts": _yes_no("history of withdrawal seizures or DTs"),
    "withdrawal.daily_use": _yes_no("daily heavy use of alcohol, benzodiazepines or opioids"),
    "medical.unstable": _yes_no("a condition needing 24-hour medical care now"),
    "medical.pregnant": _yes_no("pregnant"),
    "age": _number("age in years"),
    "sex_at_birth": {"kind": "choice", "values": A.SEX_AT_BIRTH, "text": "sex at birth"},
    "concerns": {"kind": "list", "values": A.CONCERNS, "text": "concerns chosen"},
    "availability": {"kind": "list", "values": A.AVAILABILITY, "text": "times available"},
    "hours_available_per_week": _number("hours available a week"),
    "bmi": _number("body mass index, kg/m², one decimal"),
    "phq9.item9": _number("PHQ-9 item 9 (thoughts of being better off dead or self-harm)"),
    "pcptsd5.exposure": _yes_no("exposure to a traumatic event"),
    "mdq.same_period": _yes_no("MDQ: several at the same time"),
    "mdq.problem": _scale(A.MDQ_PROBLEM, "MDQ: how much of a problem"),
}
for _name in A.CSSRS_FIELDS:
    FACTS[f"cssrs.{_name}"] = _yes_no(f"C-SSRS: {_name.replace('_', ' ')}")
for _instrument in INSTRUMENTS:
    FACTS[f"score.{_instrument}"] = _number(f"{_instrument} score")
    FACTS[f"band.{_instrument}"] = _scale(BANDS, f"{_instrument} band")
# Known only once the rules have run: flags may test them, rules may not.
FLAG_FACTS: dict[str, dict] = {
    "level": _scale(LEVELS, "the recommended level"),
    "rules": {"kind": "list", "values": None, "text": "ids of the rules that matched"},
}


def suicide_risk(cssrs: dict) -> str:
    """C-SSRS triage. Absent follow-ups mean no; a yes always counts (SPEC §3)."""
    get = cssrs.get
    if get("intent") or get("plan") or get("behavior_past_3_months"):
        return "high"
    if get("method") or cssrs["behavior_lifetime"]:
        return "moderate"
    if cssrs["wish_dead"] or cssrs["suicidal_thoughts"]:
        return "low"
    return "none"


def withdrawal_risk(withdrawal: dict) -> str:
    symptoms = withdrawal["current_symptoms"]
    daily = withdrawal["daily_use"]
    if symptoms == "severe" or (withdrawal["history_seizures_or_dts"] and daily):
        return "severe"
    if symptoms == "moderate" or daily:
        return "moderate"
    return "none"


def facts_of(answers: dict, bands: "BandTables") -> dict:
    """Every fact of FACTS for one valid answers object, plus `scores` and `bands` (SPEC §7)."""
    get = answers.get
    phq9 = answers["phq9"]
    pcptsd5, scoff, mdq, peg = get("pcptsd5"), get("scoff"), get("mdq"), get("peg")
    height = get("height_cm")
    body_mass = bmi(height, answers["weight_kg"]) if height is not None else None
    auditc = sum(answers["auditc"])
    scores = {
        "phq9": sum(phq9),
        "gad7": sum(answers["gad7"]),
        "auditc": auditc,
        "dast10": dast10_score(answers["dast10"]),
        "pcptsd5": pcptsd5_score(pcptsd5) if pcptsd5 is not None else None,
        "scoff": sum(scoff) if scoff is not None else None,
        "mdq": mdq_score(mdq) if mdq is not None else None,
        "peg": peg_score(peg) if peg is not None else None,
        "bmi": body_mass,
    }
    table = bands.tables
    band = {
        "phq9": band_of(scores["phq9"], table["phq9"]),
        "gad7": band_of(scores["gad7"], table["gad7"]),
        "auditc": band_of(auditc, bands.auditc[answers["sex_at_birth"]]),
        "dast10": band_of(scores["dast10"], table["dast10"]),
        "pcptsd5": band_of(scores["pcptsd5"], table["pcptsd5"]),
        "scoff": bands.scoff_band(scores["scoff"], body_mass),
        "mdq": bands.mdq_band(scores["mdq"], mdq),
        "peg": band_of(scores["peg"], table["peg"]),
    }
    ranks = [BAND_RANK[b] for b in band.values()]
    cssrs, withdrawal, medical = answers["cssrs"], answers["withdrawal"], answers["medical"]
    facts = {
        "scores": scores,
        "bands": band,
        "severity": BANDS[max(ranks)],
        "severe_count": ranks.count(BAND_RANK["severe"]),
        "suicide_risk": suicide_risk(cssrs),
        "withdrawal_risk": withdrawal_risk(withdrawal),
        "harm_to_others": answers["harm_to_others"],
        "support": answers["support"],
        "housing": answers["housing"],
        "home_safe": answers["home_safe"],
        "functioning": answers["functioning"],
        "recent_inpatient": answers["recent_inpatient"],
        "failed_outpatient": answers["failed_outpatient"],
        "withdrawal.current_symptoms": withdrawal["current_symptoms"],
        "withdrawal.history_seizures_or_dts": withdrawal["history_seizures_or_dts"],
        "withdrawal.daily_use": withdrawal["daily_use"],
        "medical.unstable": medical["unstable"],
        "medical.pregnant": medical["pregnant"],
        "age": answers["age"],
        "sex_at_birth": answers["sex_at_birth"],
        "concerns": get("concerns", ()),
        "availability": get("availability", ()),
        "hours_available_per_week": get("hours_available_per_week"),
        "bmi": body_mass,
        "phq9.item9": phq9[8],
        "pcptsd5.exposure": pcptsd5["exposure"] if pcptsd5 is not None else None,
        "mdq.same_period": mdq["same_period"] if mdq is not None else None,
        "mdq.problem": mdq["problem"] if mdq is not None else None,
    }
    for name in A.CSSRS_FIELDS:
        facts["cssrs." + name] = cssrs.get(name, False)
    for instrument in INSTRUMENTS:
        facts["score." + instrument] = scores[instrument]
        facts["band." + instrument] = band[instrument]
    return facts


class BandTables:
    """The cut-offs of one criteria document, compiled for fast lookups (see criteria.py)."""

    def __init__(self, tables: dict, auditc: dict, scoff_severe_below_bmi: float,
                 scoff_severe_from: int, mdq_moderate_from: int):
        self.tables = tables
        self.auditc = auditc
        self.scoff_severe_below_bmi = scoff_severe_below_bmi
        self.scoff_severe_from = scoff_severe_from
        self.mdq_moderate_from = mdq_moderate_from

    def scoff_band(self, score, body_mass) -> str:
        if (score is not None and body_mass is not None and score >= self.scoff_severe_from
                and body_mass < self.scoff_severe_below_bmi):
            return "severe"
        return band_of(score, self.tables["scoff"])

    def mdq_band(self, score, mdq) -> str:
        if (score is not None and score >= self.mdq_moderate_from and mdq["same_period"]
                and mdq["problem"] in MDQ_PROBLEM_FOR_MODERATE):
            return "moderate"
        return "none"
