"""How an intake reads on the clinician's screen: answers by section, scores, flags, levels.

Short labels for staff who know the instruments; the patient-facing wording lives with the
intake questionnaire.
"""

from dataclasses import dataclass

from screening.models import LEVEL_CHOICES

LEVEL_NAMES = dict(LEVEL_CHOICES)
LEVEL_SHORT = {"outpatient": "Outpatient", "iop": "IOP", "inpatient": "Inpatient"}

INSTRUMENT_NAMES = {
    "phq9": ("PHQ-9", "depression", 27),
    "gad7": ("GAD-7", "anxiety", 21),
    "auditc": ("AUDIT-C", "alcohol", 12),
    "dast10": ("DAST-10", "drugs", 10),
    "pcptsd5": ("PC-PTSD-5", "trauma", 5),
    "scoff": ("SCOFF", "eating", 5),
    "mdq": ("MDQ", "bipolar", 13),
    "peg": ("PEG", "pain", 10),
}
BAND_NAMES = {"none": "None", "mild": "Mild", "moderate": "Moderate",
              "moderately_severe": "Moderately severe", "severe": "Severe"}

FLAG_NAMES = {
    "urgent": ("Urgent", "Needs a clinician now: a safety-floor rule matched."),
    "safety_followup": ("Safety follow-up", "Any suicidal ideation, PHQ-9 item 9, or harm "
                                            "to others: follow up on safety."),
    "consider_higher_level": ("Consider a higher level", "IOP recommended with severe "
                                                          "symptoms."),
    "withdrawal_monitoring": ("Withdrawal monitoring", "Current withdrawal symptoms, daily "
                                                       "use, or seizures/DTs in the past."),
    "prenatal_coordination": ("Prenatal coordination", "Pregnant, with alcohol or drug use."),
    "adolescent": ("Adolescent", "Under 18."),
}

PHQ9 = ["Little interest or pleasure", "Feeling down, depressed, hopeless",
        "Sleep trouble", "Tired, little energy", "Poor appetite or overeating",
        "Feeling bad about yourself", "Trouble concentrating", "Slowed down or restless",
        "Better off dead or self-harm thoughts"]
GAD7 = ["Nervous, anxious, on edge", "Cannot stop worrying", "Worrying too much",
        "Trouble relaxing", "Restless", "Easily annoyed", "Afraid something awful"]
FREQUENCY = ["Not at all", "Several days", "More than half the days", "Nearly every day"]
AUDITC = ["How often a drink", "Drinks on a typical day", "Six or more on one occasion"]
DAST10 = ["Used drugs (non-medical)", "More than one drug at a time",
          "Always able to stop (no scores 1)", "Blackouts or flashbacks",
          "Feel bad or guilty", "Family complains", "Neglected family",
          "Illegal activities to obtain", "Withdrawal symptoms", "Medical problems from use"]
PCPTSD5 = ["Nightmares or unwanted thoughts", "Avoidance", "On guard, easily startled",
           "Numb or detached", "Guilt or blame"]
SCOFF = ["Make yourself sick", "Lost control over eating", "Lost over 6 kg in 3 months",
         "Believe yourself fat when others say thin", "Food dominates your life"]
PEG = ["Average pain (0-10)", "Pain interfered with enjoyment", "Pain interfered with "
       "general activity"]
CSSRS = [("wish_dead", "Q1 Wished to be dead"), ("suicidal_thoughts", "Q2 Suicidal thoughts"),
         ("method", "Q3 Thought about how (method)"), ("intent", "Q4 Some intention of acting"),
         ("plan", "Q5 Worked out a plan, intends to carry it out"),
         ("behavior_lifetime", "Q6 Ever did, started or prepared something to end life"),
         ("behavior_past_3_months", "Q6 follow-up: in the past 3 months")]
WORDS = {
    "none": "None", "thoughts": "Thoughts", "intent": "Intent", "mild": "Mild",
    "moderate": "Moderate", "severe": "Severe", "limited": "Limited", "adequate": "Adequate",
    "strong": "Strong", "stable": "Stable", "unstable": "Unstable", "homeless": "Homeless",
    "past_year": "In the past year", "past_30_days": "In the past 30 days",
    "independent": "Independent", "some_difficulty": "Some difficulty", "unable": "Unable",
    "female": "Female", "male": "Male", "intersex": "Intersex", "unknown": "Unknown",
    "minor": "Minor", "serious": "Serious", "chronic_pain": "Chronic pain",
    "weekday_morning": "Weekday mornings", "weekday_afternoon": "Weekday afternoons",
    "weekday_evening": "Weekday evenings", "weekend": "Weekends",
}


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    concern: bool = False  # drawn with emphasis (a yes on a risk item, a high item score)


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[Row]


def _word(value) -> str:
    if value is None:
        return "Not asked"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(_word(item) for item in value) or "None"
    return WORDS.get(value, str(value).replace("_", " ").capitalize()) if isinstance(
        value, str) else str(value)


def _items(labels: list[str], values, render, concern_at=None) -> list[Row]:
    if not isinstance(values, list):
        return [Row("Not asked", "")]
    rows = []
    for index, (label, value) in enumerate(zip(labels, values, strict=False), start=1):
        concern = concern_at is not None and value is not None and concern_at(index, value)
        rows.append(Row(f"{index}. {label}", render(value), bool(concern)))
    return rows


def _frequency(value) -> str:
    if isinstance(value, int) and 0 <= value < len(FREQUENCY):
        return f"{value} - {FREQUENCY[value]}"
    return _word(value)


def answers_sections(answers: dict) -> list[Section]:
    """The intake's answers grouped as the questionnaire asks them, ready to show."""
    a = answers or {}
    cssrs = a.get("cssrs") or {}
    withdrawal = a.get("withdrawal") or {}
    medical = a.get("medical") or {}
    sections = [
        Section("About the person", [
            Row("Age", _word(a.get("age"))),
            Row("Sex at birth", _word(a.get("sex_at_birth"))),
            Row("Concerns", _word(a.get("concerns", []))),
        ]),
        Section("Safety (C-SSRS screener, past month)", [
            Row(label, _word(cssrs.get(key, False if key in ("method", "intent", "plan",
                                                             "behavior_past_3_months")
                                       else None)), cssrs.get(key) is True)
            for key, label in CSSRS
        ] + [Row("Thoughts of harming others", _word(a.get("harm_to_others")),
                 a.get("harm_to_others") not in (None, "none"))]),
        Section("Mood (PHQ-9, past 2 weeks)",
                _items(PHQ9, a.get("phq9"), _frequency,
                       lambda i, v: v >= 2 or (i == 9 and v >= 1))),
        Section("Anxiety (GAD-7, past 2 weeks)",
                _items(GAD7, a.get("gad7"), _frequency, lambda i, v: v >= 2)),
        Section("Alcohol (AUDIT-C)", _items(AUDITC, a.get("auditc"), str,
                                            lambda i, v: v >= 3)),
        Section("Drugs (DAST-10, past 12 months)",
                _items(DAST10, a.get("dast10"), _word,
                       lambda i, v: (not v) if i == 3 else v)),
        Section("Withdrawal and medical", [
            Row("Current withdrawal symptoms", _word(withdrawal.get("current_symptoms")),
                withdrawal.get("current_symptoms") in ("moderate", "severe")),
            Row("History of seizures or DTs", _word(withdrawal.get("history_seizures_or_dts")),
                withdrawal.get("history_seizures_or_dts") is True),
            Row("Daily heavy use (alcohol, benzodiazepines, opioids)",
                _word(withdrawal.get("daily_use")), withdrawal.get("daily_use") is True),
            Row("Unstable condition needing 24-hour care", _word(medical.get("unstable")),
                medical.get("unstable") is True),
            Row("Pregnant", _word(medical.get("pregnant"))),
        ]),
    ]
    pcptsd5 = a.get("pcptsd5")
    if pcptsd5 is not None:
        rows = [Row("Exposure to a traumatic event", _word(pcptsd5.get("exposure")))]
        if pcptsd5.get("exposure"):
            rows += _items(PCPTSD5, pcptsd5.get("items"), _word, lambda i, v: v)
        sections.append(Section("Trauma (PC-PTSD-5)", rows))
    if a.get("scoff") is not None or a.get("height_cm") is not None:
        rows = _items(SCOFF, a.get("scoff"), _word, lambda i, v: v) if a.get(
            "scoff") is not None else []
        if a.get("height_cm") is not None:
            rows += [Row("Height", f"{a['height_cm']} cm"),
                     Row("Weight", f"{a.get('weight_kg')} kg")]
        sections.append(Section("Eating (SCOFF, height and weight)", rows))
    mdq = a.get("mdq")
    if mdq is not None:
        items = mdq.get("items") or []
        sections.append(Section("Mood swings (MDQ)", [
            Row("Items answered yes", f"{sum(1 for item in items if item)} of {len(items)}"),
            Row("Several at the same time", _word(mdq.get("same_period"))),
            Row("How much of a problem", _word(mdq.get("problem"))),
        ]))
    if a.get("peg") is not None:
        sections.append(Section("Pain (PEG)", _items(PEG, a.get("peg"), str,
                                                    lambda i, v: v >= 7)))
    sections.append(Section("Support, home and history", [
        Row("Support", _word(a.get("support")), a.get("support") in ("none", "limited")),
        Row("Housing", _word(a.get("housing")), a.get("housing") in ("unstable", "homeless")),
        Row("Home is safe", _word(a.get("home_safe")), a.get("home_safe") is False),
        Row("Recent inpatient, residential or detox", _word(a.get("recent_inpatient"))),
        Row("Outpatient care in the past year without enough improvement",
            _word(a.get("failed_outpatient"))),
        Row("Managing work, school, family, self-care", _word(a.get("functioning")),
            a.get("functioning") == "unable"),
    ]))
    if a.get("availability") is not None or a.get("hours_available_per_week") is not None:
        sections.append(Section("Availability", [
            Row("When", _word(a.get("availability", []))),
            Row("Hours a week", _word(a.get("hours_available_per_week"))),
        ]))
    return sections


def instrument_rows(scores: dict, bands: dict) -> list[dict]:
    """Each instrument's score and band, in the SPEC's order; BMI last when measured."""
    rows = []
    for key, (name, topic, top) in INSTRUMENT_NAMES.items():
        score = (scores or {}).get(key)
        band = (bands or {}).get(key, "none")
        rows.append({"key": key, "name": name, "topic": topic, "score": score, "top": top,
                     "band": band, "band_name": BAND_NAMES.get(band, band),
                     "given": score is not None})
    if (scores or {}).get("bmi") is not None:
        rows.append({"key": "bmi", "name": "BMI", "topic": "body mass index",
                     "score": scores["bmi"], "top": None, "band": "", "band_name": "",
                     "given": True})
    return rows


def flag_rows(flags: list[str]) -> list[dict]:
    return [{"id": flag, "name": FLAG_NAMES.get(flag, (flag, ""))[0],
             "about": FLAG_NAMES.get(flag, (flag, ""))[1]} for flag in flags or []]


def duration_words(delta) -> str:
    """A wait in the largest sensible units: '12 min', '3 h 05 min', '2 d 4 h'."""
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"
