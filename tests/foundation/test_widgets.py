"""iop/widgets.py: a select printed in Python is the HTML Django's templates print."""

import pytest
from django import forms

from iop.widgets import PlainSelect
from review.forms import AssignForm, QueueFilterForm


def _as_django(bound) -> str:
    """The same bound field through Django's own Select and its templates."""
    widget = bound.field.widget
    plain = widget.__class__
    widget.__class__ = forms.Select
    try:
        return str(bound)
    finally:
        widget.__class__ = plain


def _selects(form) -> list:
    return [form[name] for name, field in form.fields.items()
            if isinstance(field.widget, PlainSelect)]


@pytest.mark.parametrize("data", [
    None,
    {"state": "all", "level": "iop", "assignee": "me", "outcome": "accept"},
    {"state": "nonsense", "level": "<b>", "flag": "'\"&", "assignee": "-1"},
])
def test_it_prints_the_queue_filters_as_django_does(clinician, other_clinician, data):
    form = QueueFilterForm(data, clinicians=[clinician, other_clinician],
                           flags=[("urgent", "Urgent <now> & 'soon'"), ("safety", "Safety")])
    form.is_valid()
    selects = _selects(form)
    assert len(selects) == 5
    for bound in selects:
        assert str(bound) == _as_django(bound)
    if data and data["state"] == "nonsense":
        assert 'aria-invalid="true"' in str(form["state"])


def test_it_escapes_names_and_marks_the_chosen_one(clinician, other_clinician):
    other_clinician.full_name = "Drew <Doctor> & 'Sons'"
    form = AssignForm(user=clinician, clinicians=[clinician, other_clinician],
                      initial={"assignee": str(other_clinician.pk)})
    form.fields["assignee"].widget = PlainSelect(choices=form.fields["assignee"].choices)
    html = str(form["assignee"])
    assert html == _as_django(form["assignee"])
    assert "Drew &lt;Doctor&gt; &amp; &#x27;Sons&#x27;" in html
    assert f'<option value="{other_clinician.pk}" selected>' in html


def test_grouped_choices_go_through_django_templates():
    widget = PlainSelect(choices=[("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C")])
    html = widget.render("pick", "b", attrs={"id": "id_pick"})
    assert html == forms.Select(choices=widget.choices).render("pick", "b",
                                                                attrs={"id": "id_pick"})
    assert '<optgroup label="Group &lt;1&gt;">' in html
