"""Stored answers as people read them: each step's questions with the answer given, in words.

The one place answers are turned into text: the patient's review and answers pages, the
clinician's intake page, its print view and the export all read these rows, so everyone
reads the answer under the question the person was asked, with the option's own words
("5 or 6", not the 2 points it scores). Staff also get a short label and the points of
scored items.
"""

from dataclasses import dataclass

from django import forms

from .steps import STEPS, Step, steps_for

NOT_ASKED = "Not asked"

# How staff who know the instruments name each question (the patient reads the question).
STAFF_LABELS = {
    "age": "Age", "sex_at_birth": "Sex at birth", "concerns": "Concerns",
    "cssrs_wish_dead": "C-SSRS Q1 Wished to be dead",
    "cssrs_suicidal_thoughts": "C-SSRS Q2 Suicidal thoughts",
    "cssrs_method": "C-SSRS Q3 Thought about how (method)",
    "cssrs_intent": "C-SSRS Q4 Some intention of acting",
    "cssrs_plan": "C-SSRS Q5 Worked out a plan, intends to carry it out",
    "cssrs_behavior_lifetime": "C-SSRS Q6 Ever did, started or prepared something to end life",
    "cssrs_behavior_past_3_months": "C-SSRS Q6 follow-up: in the past 3 months",
    "harm_to_others": "Thoughts of harming others",
    **{f"phq9_{n}": f"PHQ-9 item {n}: {label}" for n, label in enumerate([
        "Little interest or pleasure", "Feeling down, depressed, hopeless", "Sleep trouble",
        "Tired, little energy", "Poor appetite or overeating", "Feeling bad about yourself",
        "Trouble concentrating", "Slowed down or restless",
        "Better off dead or self-harm thoughts"], start=1)},
    **{f"gad7_{n}": f"GAD-7 item {n}: {label}" for n, label in enumerate([
        "Nervous, anxious, on edge", "Cannot stop worrying", "Worrying too much",
        "Trouble relaxing", "Restless", "Easily annoyed", "Afraid something awful"], start=1)},
    **{f"auditc_{n}": f"AUDIT-C item {n}: {label}" for n, label in enumerate([
        "How often a drink", "Drinks on a typical day", "Six or more on one occasion"],
        start=1)},
    **{f"dast10_{n}": f"DAST-10 item {n}: {label}" for n, label in enumerate([
        "Used drugs (non-medical)", "More than one drug at a time",
        "Always able to stop (no scores 1)", "Blackouts or flashbacks", "Feel bad or guilty",
        "Family complains", "Neglected family", "Illegal activities to obtain",
        "Withdrawal symptoms", "Medical problems from use"], start=1)},
    "pcptsd5_exposure": "PC-PTSD-5: exposure to a traumatic event",
    **{f"pcptsd5_{n}": f"PC-PTSD-5 item {n}: {label}" for n, label in enumerate([
        "Nightmares or unwanted thoughts", "Avoidance", "On guard, easily startled",
        "Numb or detached", "Guilt or blame"], start=1)},
    **{f"scoff_{n}": f"SCOFF item {n}: {label}" for n, label in enumerate([
        "Make yourself sick", "Lost control over eating", "Lost over 6 kg in 3 months",
        "Believe yourself fat when others say thin", "Food dominates your life"], start=1)},
    "height": "Height", "weight": "Weight",
    **{f"mdq_{n}": f"MDQ item {n}" for n in range(1, 14)},
    "mdq_same_period": "MDQ: several at the same time", "mdq_problem": "MDQ: how much of a problem",
    **{f"peg_{n}": f"PEG item {n}: {label}" for n, label in enumerate([
        "Average pain (0-10)", "Pain interfered with enjoyment",
        "Pain interfered with general activity"], start=1)},
    "current_symptoms": "Current withdrawal symptoms",
    "history_seizures_or_dts": "History of seizures or DTs",
    "daily_use": "Daily heavy use (alcohol, benzodiazepines, opioids)",
    "unstable": "Unstable condition needing 24-hour care", "pregnant": "Pregnant",
    "support": "Support", "housing": "Housing", "home_safe": "Home is safe",
    "recent_inpatient": "Recent inpatient, residential or detox",
    "failed_outpatient": "Outpatient care in the past year without enough improvement",
    "functioning": "Managing work, school, family, self-care",
    "availability": "When", "hours_available_per_week": "Hours a week",
}

# Section titles for staff: the instrument and its time frame beside the step's name.
STAFF_TITLES = {
    "safety": "Safety (C-SSRS screener, past month)", "mood": "Mood (PHQ-9, past 2 weeks)",
    "anxiety": "Anxiety (GAD-7, past 2 weeks)", "alcohol": "Alcohol (AUDIT-C, past year)",
    "drugs": "Drugs (DAST-10, past 12 months)", "trauma": "Trauma (PC-PTSD-5)",
    "eating": "Eating (SCOFF, height and weight)", "mood-swings": "Mood swings (MDQ)",
    "pain": "Pain (PEG, past week)",
}

# Form fields that are how a question was put, not an answer the clinic reads.
_NOT_SHOWN = {"body_units"}
# The items whose points count towards a score: staff read the points beside the words.
_SCORED = ("phq9_", "gad7_", "auditc_", "peg_")


@dataclass(frozen=True)
class Row:
    label: str  # the short name staff read
    question: str  # the question as the person was asked it
    answer: str  # the answer in words, or NOT_ASKED
    concern: bool = False  # drawn with emphasis (a yes on a risk item, a high item score)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    rows: list[Row]


def _concern(name: str, value) -> bool:
    """Whether a clinician's eye should go to this answer (value as the form holds it)."""
    if value in (None, "", []):
        return False
    if name.startswith(("phq9_", "gad7_")):
        return int(value) >= 2 or (name == "phq9_9" and int(value) >= 1)
    if name.startswith("auditc_"):
        return int(value) >= 3
    if name.startswith("peg_"):
        return int(value) >= 7
    if name == "dast10_3":
        return value == "no"
    if name.startswith(("cssrs_", "dast10_", "pcptsd5_", "scoff_", "mdq_")) or name in (
            "history_seizures_or_dts", "daily_use", "unstable"):
        return value == "yes" and name != "pcptsd5_exposure"
    return {"harm_to_others": value != "none",
            "current_symptoms": value in ("moderate", "severe"),
            "support": value in ("none", "limited"),
            "housing": value in ("unstable", "homeless"), "home_safe": value == "no",
            "functioning": value == "unable"}.get(name, False)


def _words(field: forms.Field, value, *, points: bool) -> str:
    if value in (None, ""):
        return NOT_ASKED
    choices = {str(key): text for key, text in getattr(field, "choices", ()) or ()}
    if isinstance(value, list):
        return ", ".join(str(choices.get(str(item), item)) for item in value) or "None"
    text = str(choices.get(str(value), value))
    if points and choices and str(value).isdigit():
        return f"{text} ({value} point{'s' if str(value) != '1' else ''})"
    return text


def _rows(step: Step, answers: dict, *, for_staff: bool) -> list[Row]:
    form = step.form(answers=answers, **step.form_kwargs(answers))
    rows = []
    for name, field in form.fields.items():
        if name in _NOT_SHOWN:
            continue
        value = form.initial.get(name)
        if value in (None, "") and not for_staff:
            continue  # the person reads what they answered
        rows.append(Row(label=STAFF_LABELS.get(name, str(field.label)),
                        question=str(field.label),
                        answer=_words(field, value,
                                       points=for_staff and name.startswith(_SCORED)),
                        concern=_concern(name, value)))
    return rows


def answer_sections(answers: dict, *, for_staff: bool = False) -> list[Section]:
    """The answers grouped by the step that asked them, in the questionnaire's order.

    For the person: the steps they answered. For staff: every step that applies, a question
    that was never asked (a follow-up after a no, a step not reached) saying "Not asked",
    and the points of scored items.
    """
    answers = answers or {}
    sections = []
    for step in steps_for(answers) if for_staff else STEPS:
        if not for_staff and not any(name in answers for name in step.form.owns):
            continue
        title = STAFF_TITLES.get(step.slug, step.title) if for_staff else step.title
        sections.append(Section(step.slug, title,
                                _rows(step, answers, for_staff=for_staff)))
    return sections


def answers_text(answers: dict) -> list[dict]:
    """The staff's reading as plain data, for the export: section, label, question, answer."""
    return [{"section": section.title, "label": row.label, "question": row.question,
             "answer": row.answer}
            for section in answer_sections(answers, for_staff=True) for row in section.rows]
