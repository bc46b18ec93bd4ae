"""Stored answers as people read them: each step's questions with the answer given, in words.

The one place answers are turned into text: the patient's review and answers pages, the
clinician's intake page, its print view and the export all read these rows, so everyone
reads the answer under the question the person was asked, in the wording of the
questionnaire version the intake was answered on, with the option's own words ("5 or 6",
not the 2 points it scores). Staff also get the catalogue's short label and the points of
scored items. Wording and labels are the catalogue's (screening/engine/catalogue.py).
"""

from dataclasses import dataclass

from django import forms
from django.utils import translation

from screening.engine import catalogue as C

from .forms import spec
from .steps import STEPS, Step, steps_for

NOT_ASKED = "Not asked"

# Section titles for staff: the instrument and its time frame beside the step's name.
STAFF_TITLES = {
    "safety": "Safety (C-SSRS screener, past month)", "mood": "Mood (PHQ-9, past 2 weeks)",
    "anxiety": "Anxiety (GAD-7, past 2 weeks)", "alcohol": "Alcohol (AUDIT-C, past year)",
    "drugs": "Drugs (DAST-10, past 12 months)", "trauma": "Trauma (PC-PTSD-5)",
    "eating": "Eating (SCOFF, height and weight)", "mood-swings": "Mood swings (MDQ)",
    "pain": "Pain (PEG, past week)",
}

# The items whose points count towards a score: staff read the points beside the words.
_SCORED = ("phq9[", "gad7[", "auditc[", "peg[")


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


def _concern(path: str, value) -> bool:
    """Whether a clinician's eye should go to this answer (the stored value), from the
    catalogue's order of its options, least to most worrying: a scored item at two thirds
    of its top points or more (PHQ-9 item 9 at any point), any other ordered answer in the
    more worrying half of its options. Unordered answers (sex at birth, concerns) never."""
    question = spec(path)
    if value is None or not question.options or not question.ordered:
        return False
    points = [option.points for option in question.options]
    if isinstance(value, int) and not isinstance(value, bool) and None not in points:
        return value >= max(points) * 2 / 3 or (path == "phq9[8]" and value >= 1)
    values = list(question.values)
    if value not in values:
        return False
    return values.index(value) >= len(values) // 2


def _value(field: forms.Field, value):
    """A form's value as the catalogue stores it: "yes" is True, "2" on a scored item is 2."""
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.TypedChoiceField) \
            and value in ("yes", "no"):
        return value == "yes"
    if isinstance(field, forms.TypedChoiceField) and field.coerce is int and value is not None:
        return int(value)
    return value


def _words(path: str, field: forms.Field, value, *, version: str, for_staff: bool) -> str:
    if value in (None, ""):
        return NOT_ASKED
    if path in ("height_cm", "weight_kg"):
        return str(value)  # as the form shows it back: "167.6 cm"
    stored = _value(field, value)
    if isinstance(stored, list):
        return ", ".join(_option_words(path, item, version, for_staff) for item in stored) \
            or "None"
    text = _option_words(path, stored, version, for_staff)
    if for_staff and path.startswith(_SCORED) and isinstance(stored, int):
        return f"{text} ({stored} point{'' if stored == 1 else 's'})"
    return text


def _option_words(path: str, value, version: str, for_staff: bool) -> str:
    if for_staff:
        return C.staff_label(path, value)
    return C.option_label(path, value, version, translation.get_language() or C.ENGLISH) \
        or str(value)


def _label(path: str) -> str:
    """The staff's short name of a question; an instrument's item with its number."""
    question = spec(path)
    if "[" in path:
        instrument = C.INSTRUMENTS[path.split("[")[0].split(".")[0]]
        number = int(path.split("[")[1].rstrip("]")) + 1
        return f"{instrument.name} item {number}: {question.staff}"
    return question.staff


def _rows(step: Step, answers: dict, *, version: str, for_staff: bool) -> list[Row]:
    # Staff read every answer under the English wording, whatever language it was answered
    # in (and whatever the API client's Accept-Language); the person reads their own.
    with translation.override(C.ENGLISH if for_staff else translation.get_language()):
        form = step.form(answers=answers, version=version, **step.form_kwargs(answers))
    rows = []
    for name, field in form.fields.items():
        path = form.paths.get(name)
        if path is None:
            continue  # how a question was put (the units chosen), not an answer
        value = form.initial.get(name)
        if value in (None, "") and not for_staff:
            continue  # the person reads what they answered
        rows.append(Row(label=_label(path), question=str(field.label),
                        answer=_words(path, field, value, version=version,
                                      for_staff=for_staff),
                        concern=_concern(path, _value(field, value))))
    if for_staff and step.slug == "health" and not form.asks_pregnancy:
        # Not asked after "male" at birth (the engine got false): staff see that it wasn't.
        rows.append(Row(label=_label("medical.pregnant"),
                        question=C.question("medical.pregnant", version) or "",
                        answer=f"{NOT_ASKED} (male at birth)"))
    return rows


def answer_sections(answers: dict, *, version: str = C.CURRENT_QUESTIONNAIRE,
                    for_staff: bool = False) -> list[Section]:
    """The answers grouped by the step that asked them, in the questionnaire's order.

    For the person: the steps they answered. For staff: every step that applies, a question
    that was never asked (a follow-up after a no, a step not reached) saying "Not asked",
    and the points of scored items. Each question reads as `version` (the questionnaire the
    intake was answered on) worded it.
    """
    answers = answers or {}
    sections = []
    for step in steps_for(answers) if for_staff else STEPS:
        if not for_staff and not any(name in answers for name in step.form.owns):
            continue
        title = STAFF_TITLES.get(step.slug, step.title) if for_staff else step.title
        sections.append(Section(step.slug, title,
                                _rows(step, answers, version=version, for_staff=for_staff)))
    return sections


def answers_text(answers: dict, *, version: str = C.CURRENT_QUESTIONNAIRE) -> list[dict]:
    """The staff's reading as plain data, for the export: section, label, question, answer."""
    return [{"section": section.title, "label": row.label, "question": row.question,
             "answer": row.answer}
            for section in answer_sections(answers, version=version, for_staff=True)
            for row in section.rows]
