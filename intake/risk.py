"""Whether the answers given so far show acute risk, and for which reasons. SPEC §1: a
patient sees crisis resources at once when their answers show it, so the intake's pages show
them from the moment the safety step is saved, not only after the whole intake is submitted.

Worked out with the engine's own facts (suicide_risk, withdrawal_risk, bmi), never a second
copy of the triage.
"""

from screening.engine.facts import suicide_risk, withdrawal_risk
from screening.engine.instruments import bmi

SUICIDE, HARM_TO_OTHERS, WITHDRAWAL, MEDICAL = "suicide", "harm_to_others", "withdrawal", "medical"
# SPEC §6's safety floor: the BMI under which IP-MEDICAL holds.
MEDICAL_BMI_BELOW = 15


def shows_acute_risk(answers: dict) -> bool:
    """High suicide risk (C-SSRS intent, plan or recent behaviour) or intent to harm others:
    SPEC §8b's acute risk, which alerts the clinic before any submit."""
    cssrs = answers.get("cssrs")
    return ((cssrs is not None and suicide_risk(cssrs) == "high")
            or answers.get("harm_to_others") == "intent")


def crisis_reasons(answers: dict) -> list[str]:
    """Why the person needs help now, in SPEC §6's urgent order: SUICIDE, HARM_TO_OTHERS,
    WITHDRAWAL, MEDICAL (each once; [] when none). Reads only the parts answered so far."""
    reasons = []
    cssrs = answers.get("cssrs")
    if cssrs is not None and suicide_risk(cssrs) == "high":
        reasons.append(SUICIDE)
    if answers.get("harm_to_others") == "intent":
        reasons.append(HARM_TO_OTHERS)
    withdrawal = answers.get("withdrawal")
    if withdrawal is not None and withdrawal_risk(withdrawal) == "severe":
        reasons.append(WITHDRAWAL)
    medical = answers.get("medical") or {}
    body = (answers.get("height_cm"), answers.get("weight_kg"))
    low_bmi = None not in body and bmi(*body)[0] < MEDICAL_BMI_BELOW
    if medical.get("unstable") or low_bmi:
        reasons.append(MEDICAL)
    return reasons


def kept_answers_show_acute_risk(unfinished: dict) -> list[str]:
    """The acute-risk reasons in a half-answered safety page kept by "save and finish later"
    (a yes to intent, to a plan or to behaviour in the past 3 months; intent to harm others):
    crisis help shows even before the page is complete."""
    kept = unfinished.get("safety", {})
    reasons = []
    if any(kept.get(f"cssrs_{name}") == "yes"
           for name in ("intent", "plan", "behavior_past_3_months")):
        reasons.append(SUICIDE)
    if kept.get("harm_to_others") == "intent":
        reasons.append(HARM_TO_OTHERS)
    return reasons


def intake_crisis_reasons(intake) -> list[str]:
    """Crisis help first on the intake's pages, fitted to the reasons: from its saved answers
    and from a kept safety page, each reason once, in the urgent order."""
    found = set(crisis_reasons(intake.answers)) | set(
        kept_answers_show_acute_risk(intake.unfinished))
    return [reason for reason in (SUICIDE, HARM_TO_OTHERS, WITHDRAWAL, MEDICAL)
            if reason in found]
