"""The facts a rule can test (SPEC §5): answers, scores, bands and derived risks.

FACTS is the catalogue the criteria are checked against and the editor offers: each fact
has a kind and, for the named scales, its values from least to most worrying, so `gte`
means "at least this bad". A fact with no value (an instrument not given, no height and
weight) matches no condition at all.
"""

from . import answers as A
from . import catalogue as C
from .instruments import band_of, bmi, dast10_score, mdq_score, pcptsd5_score, peg_score
from .levels import BAND_RANK, BANDS, INSTRUMENTS, LEVELS

SUICIDE_RISK = ("none", "low", "moderate", "high")
WITHDRAWAL_RISK = ("none", "moderate", "severe")
MDQ_PROBLEM_FOR_MODERATE = ("moderate", "serious")
SEVERE = BAND_RANK["severe"]
_NOT_ASKED = dict.fromkeys(A.PSYCHOTIC_SYMPTOMS)  # psychotic_symptoms not given


def _scale(values, text):
    return {"kind": "scale", "values": tuple(values), "text": text}


def _yes_no(text):
    return {"kind": "boolean", "values": (False, True), "text": text}


def _number(text, whole: tuple | None = None):
    """A number fact; `whole` = (lowest, highest) when it only ever holds whole numbers in
    that range, which lets every test of it become one set lookup (criteria.py)."""
    spec: dict = {"kind": "number", "text": text}
    if whole is not None:
        spec["whole"] = (int(whole[0]), int(whole[1]))
    return spec


FACTS: dict[str, dict] = {
    "severity": _scale(BANDS, "highest band over all instruments"),
    "severe_count": _number("how many instruments are at band severe", (0, len(INSTRUMENTS))),
    "suicide_risk": _scale(SUICIDE_RISK, "C-SSRS triage"),
    "withdrawal_risk": _scale(WITHDRAWAL_RISK, "withdrawal risk"),
    "harm_to_others": _scale(A.HARM_TO_OTHERS, "thoughts or intent to harm others"),
    # Support is worse when there is less of it: the scale runs from strong down to none.
    "support": _scale(A.SUPPORT, "support from family or friends"),
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
    "age": _number("age in years", A.AGE),
    "sex_at_birth": {"kind": "choice", "values": A.SEX_AT_BIRTH, "text": "sex at birth"},
    "concerns": {"kind": "list", "values": A.CONCERNS, "text": "concerns chosen"},
    "availability": {"kind": "list", "values": A.AVAILABILITY, "text": "times available"},
    "hours_available_per_week": _number("hours available a week", A.HOURS),
    "bmi": _number("body mass index, kg/m², as measured (reported to one decimal)"),
    "phq9.item9": _number("PHQ-9 item 9 (thoughts of being better off dead or self-harm)",
                          (0, A.PHQ9[1])),
    "pcptsd5.exposure": _yes_no("exposure to a traumatic event"),
    "mdq.same_period": _yes_no("MDQ: several at the same time"),
    "mdq.problem": _scale(A.MDQ_PROBLEM, "MDQ: how much of a problem"),
    # SPEC v2's optional answers: not asked is no value, so no condition matches it.
    "firearm_access": _yes_no("a firearm in the home or easily within reach"),
    "psychotic_symptoms.hallucinations": _yes_no(
        "past month: heard or saw things other people could not"),
    "psychotic_symptoms.paranoia": _yes_no(
        "past month: felt others were plotting against them, or could read or control "
        "their thoughts"),
    "self_harm_past_month": _yes_no("hurt themselves on purpose in the past month without "
                                    "wanting to die"),
    "overdose_past_year": _yes_no("an overdose in the past year"),
}
for _name in A.CSSRS_FIELDS:
    FACTS[f"cssrs.{_name}"] = _yes_no(f"C-SSRS: {_name.replace('_', ' ')}")
for _instrument in INSTRUMENTS:
    FACTS[f"score.{_instrument}"] = _number(
        f"{_instrument} score",
        None if _instrument == "peg" else C.INSTRUMENTS[_instrument].score_range)
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


class Facts(dict):
    """The facts of one intake. Top-level answers are facts under their own names; those
    and the derived facts the default criteria test are worked out at once, the rest only
    when a rule asks (most criteria test a handful of the facts in FACTS)."""

    __slots__ = ("answers",)
    answers: dict

    def __missing__(self, name):
        value = _LATER[name](self.answers, self)
        self[name] = value
        return value


def _nested(outer: str, inner: str, default=None):
    def fact(answers, facts):
        part = answers.get(outer)
        return part.get(inner, default) if part is not None else None
    return fact


_LATER = {
    "sex_at_birth": lambda answers, facts: answers["sex_at_birth"],
    "concerns": lambda answers, facts: answers.get("concerns", ()),
    "availability": lambda answers, facts: answers.get("availability", ()),
    "hours_available_per_week": lambda answers, facts: answers.get("hours_available_per_week"),
    "pcptsd5.exposure": _nested("pcptsd5", "exposure"),
    "mdq.same_period": _nested("mdq", "same_period"),
    "mdq.problem": _nested("mdq", "problem"),
}
for _name in A.CSSRS_FIELDS:
    # Absent C-SSRS follow-ups mean no (SPEC §3).
    _LATER[f"cssrs.{_name}"] = _nested("cssrs", _name, False)
for _instrument in INSTRUMENTS:
    _LATER[f"score.{_instrument}"] = (
        lambda key: lambda answers, facts: facts["scores"][key])(_instrument)
    _LATER[f"band.{_instrument}"] = (
        lambda key: lambda answers, facts: facts["bands"][key])(_instrument)


def facts_of(answers: dict, bands: "BandTables") -> Facts:
    """The facts of one valid answers object, with `scores` and `bands` (SPEC §7)."""
    get = answers.get
    pcptsd5, scoff, mdq, peg = get("pcptsd5"), get("scoff"), get("mdq"), get("peg")
    height = get("height_cm")
    body_mass, bmi_reported = (bmi(height, answers["weight_kg"]) if height is not None
                               else (None, None))
    s_phq9, s_gad7, s_auditc = sum(answers["phq9"]), sum(answers["gad7"]), sum(answers["auditc"])
    s_dast10 = dast10_score(answers["dast10"])
    s_pcptsd5 = pcptsd5_score(pcptsd5) if pcptsd5 is not None else None
    s_scoff = sum(scoff) if scoff is not None else None
    s_mdq = mdq_score(mdq) if mdq is not None else None
    s_peg = peg_score(peg) if peg is not None else None
    b_phq9 = bands.phq9[s_phq9]
    b_gad7 = bands.gad7[s_gad7]
    b_auditc = bands.auditc[answers["sex_at_birth"]][s_auditc]
    b_dast10 = bands.dast10[s_dast10]
    b_pcptsd5 = bands.pcptsd5[s_pcptsd5] if s_pcptsd5 is not None else "none"
    b_scoff = bands.scoff_band(s_scoff, body_mass) if s_scoff is not None else "none"
    b_mdq = bands.mdq_band(s_mdq, mdq) if s_mdq is not None else "none"
    b_peg = band_of(s_peg, bands.peg) if s_peg is not None else "none"
    ranks = (BAND_RANK[b_phq9], BAND_RANK[b_gad7], BAND_RANK[b_auditc], BAND_RANK[b_dast10],
             BAND_RANK[b_pcptsd5], BAND_RANK[b_scoff], BAND_RANK[b_mdq], BAND_RANK[b_peg])
    severity, severe_count = BANDS[max(ranks)], ranks.count(SEVERE)  # as severity_of does
    withdrawal, medical = answers["withdrawal"], answers["medical"]
    psychotic = get("psychotic_symptoms") or _NOT_ASKED
    # Made at once: the facts every result reports and those the default rules and flags
    # test for every case; the rest when a rule asks (_LATER). Not the whole answers
    # object: most of it is lists and objects no rule tests, and a dict that size would be
    # copied and grown for every case. Optional answers not asked are None.
    facts = Facts({
        "age": answers["age"],
        "harm_to_others": answers["harm_to_others"],
        "support": answers["support"],
        "housing": answers["housing"],
        "home_safe": answers["home_safe"],
        "recent_inpatient": answers["recent_inpatient"],
        "failed_outpatient": answers["failed_outpatient"],
        "functioning": answers["functioning"],
        "withdrawal.current_symptoms": withdrawal["current_symptoms"],
        "withdrawal.history_seizures_or_dts": withdrawal["history_seizures_or_dts"],
        "withdrawal.daily_use": withdrawal["daily_use"],
        "medical.unstable": medical["unstable"],
        "medical.pregnant": medical["pregnant"],
        "phq9.item9": answers["phq9"][8],
        "firearm_access": get("firearm_access"),
        "self_harm_past_month": get("self_harm_past_month"),
        "overdose_past_year": get("overdose_past_year"),
        "psychotic_symptoms.hallucinations": psychotic["hallucinations"],
        "psychotic_symptoms.paranoia": psychotic["paranoia"],
        "scores": {"phq9": s_phq9, "gad7": s_gad7, "auditc": s_auditc, "dast10": s_dast10,
                   "pcptsd5": s_pcptsd5, "scoff": s_scoff, "mdq": s_mdq, "peg": s_peg,
                   "bmi": bmi_reported},
        "bands": {"phq9": b_phq9, "gad7": b_gad7, "auditc": b_auditc, "dast10": b_dast10,
                  "pcptsd5": b_pcptsd5, "scoff": b_scoff, "mdq": b_mdq, "peg": b_peg},
        "severity": severity,
        "severe_count": severe_count,
        "suicide_risk": suicide_risk(answers["cssrs"]),
        "withdrawal_risk": withdrawal_risk(withdrawal),
        "bmi": body_mass,
    })
    facts.answers = answers
    return facts


def severity_of(ranks: tuple) -> tuple[str, int]:
    """(severity, severe_count) from the band ranks of every instrument (SPEC §5)."""
    return BANDS[max(ranks)], ranks.count(SEVERE)


def _by_score(table: tuple, highest: int) -> tuple:
    return tuple(band_of(score, table) for score in range(highest + 1))


class BandTables:
    """The cut-offs of one criteria document, compiled for fast lookups (see criteria.py)."""

    def __init__(self, tables: dict, auditc: dict, scoff_severe_below_bmi: float,
                 scoff_severe_from: int, mdq_moderate_from: int, score_max: dict):
        self.tables = tables
        # Whole-number scores: the band of every possible score, looked up by index.
        self.lookup = {name: _by_score(table, score_max[name]) for name, table in tables.items()
                       if name in score_max}
        self.auditc = {sex: _by_score(table, score_max["auditc"]) for sex, table in auditc.items()}
        # The same tables as attributes, for facts_of (one lookup fewer each, every case).
        self.phq9, self.gad7 = self.lookup["phq9"], self.lookup["gad7"]
        self.dast10, self.pcptsd5 = self.lookup["dast10"], self.lookup["pcptsd5"]
        self.peg = tables["peg"]
        self.scoff_severe_below_bmi = scoff_severe_below_bmi
        self.scoff_severe_from = scoff_severe_from
        self.mdq_moderate_from = mdq_moderate_from

    def scoff_band(self, score, body_mass) -> str:
        if (score is not None and body_mass is not None and score >= self.scoff_severe_from
                and body_mass < self.scoff_severe_below_bmi):
            return "severe"
        return band_of(score, self.tables["scoff"])

    def band(self, instrument: str, score, sex_at_birth: str, body_mass, mdq) -> str:
        """The band of one instrument's score, as facts_of works it out (which inlines
        these lookups for speed; tests/engine/test_level_changes.py checks they agree)."""
        if score is None:
            return "none"
        if instrument == "auditc":
            return self.auditc[sex_at_birth][score]
        if instrument == "scoff":
            return self.scoff_band(score, body_mass)
        if instrument == "mdq":
            return self.mdq_band(score, mdq)
        if instrument in self.lookup:
            return self.lookup[instrument][score]
        return band_of(score, self.tables[instrument])

    def mdq_band(self, score, mdq) -> str:
        if (score is not None and score >= self.mdq_moderate_from and mdq["same_period"]
                and mdq["problem"] in MDQ_PROBLEM_FOR_MODERATE):
            return "moderate"
        return "none"
