"""How an intake reads on the clinician's screen: scores, bands, flags, levels, waits.

The answers themselves are shown by intake.display, the one module that turns stored
answers into words for the person and for staff alike.
"""

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


def severity_words(severity: str) -> str:
    """A recommendation's overall severity in words: "moderately severe", not the id."""
    return BAND_NAMES.get(severity, severity.replace("_", " ").capitalize()).lower()


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
