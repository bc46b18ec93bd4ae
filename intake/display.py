"""Stored answers as people read them: each step's questions with the answer given.

Used by the patient's review and print pages and by the clinician's intake page, so
everyone reads the same wording the patient answered.
"""

from django import forms

from .steps import STEPS


def _text(field: forms.Field, value) -> str:
    if value in (None, "", []):
        return ""
    choices = dict(getattr(field, "choices", ()) or ())
    if isinstance(value, list):
        return ", ".join(str(choices.get(item, item)) for item in value) or "none"
    return str(choices.get(value, value))


def answers_by_section(answers: dict) -> list[dict]:
    """[{"slug", "title", "rows": [(question, answer)]}] for the steps that were answered."""
    sections = []
    for step in STEPS:
        if not any(name in answers for name in step.form.owns):
            continue
        form = step.form(answers=answers, **step.form_kwargs(answers))
        rows = []
        for name, field in form.fields.items():
            text = _text(field, form.initial.get(name))
            if text:
                rows.append((str(field.label), text))
        sections.append({"slug": step.slug, "title": step.title, "rows": rows})
    return sections
