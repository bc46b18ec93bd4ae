"""Forms of the review dashboard: queue filters, the decision, assignment, notes."""

from django import forms

from audit.forms import FilterDateField
from intake.models import Intake
from iop.widgets import PlainSelect
from screening.models import LEVEL_CHOICES

from .decisions import decision_problems
from .models import ContactAttempt, Decision, Program
from .selectors import (
    INTAKE_NUMBER,
    OUTCOME_FILTERS,
    SEARCH_MIN_CHARS,
    QueueFilters,
    clinicians_active,
)

STATE_CHOICES = [("open", "Open (submitted or in review)"), ("all", "All states")] + [
    choice for choice in Intake.Status.choices if choice[0] != Intake.Status.DRAFT]


# The classes crispy-forms' Bootstrap 5 pack gave each kind of input, kept for the same look.
WIDGET_CLASSES = {"text": "textinput form-control", "date": "dateinput form-control",
                  "checkbox": "checkboxinput form-check-input", "select": "select form-select"}


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string. Bad values are reported and ignored."""

    q = forms.CharField(label="Search", required=False, max_length=100,
                        help_text="Intake number, or part of a patient's name or e-mail")
    state = forms.ChoiceField(label="State", choices=STATE_CHOICES, required=False,
                              widget=PlainSelect)
    level = forms.ChoiceField(label="Recommended level",
                              choices=[("", "Any level")] + LEVEL_CHOICES, required=False,
                              widget=PlainSelect)
    # The flags of the published criteria (see __init__): a flag an admin adds is offered.
    flag = forms.ChoiceField(label="Flag", choices=[("", "Any flag")], required=False,
                             widget=PlainSelect)
    submitted_from = FilterDateField(label="Submitted from")
    submitted_to = FilterDateField(label="Submitted to")
    assignee = forms.ChoiceField(label="Assigned to", required=False, widget=PlainSelect)
    overdue = forms.BooleanField(label="Only overdue for first contact", required=False)
    outcome = forms.ChoiceField(label="After the decision", required=False,
                                choices=[("", "Any outcome")] + OUTCOME_FILTERS,
                                widget=PlainSelect)

    def __init__(self, *args, clinicians=None, flags: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flag"].choices = [("", "Any flag"), *flags]
        people = list(clinicians if clinicians is not None else clinicians_active())
        self.fields["assignee"].choices = (
            [("", "Anyone or nobody"), ("me", "Me"), ("none", "Nobody yet")]
            + [(str(person.pk), person.full_name or person.email) for person in people])
        for field in self.fields.values():
            field.widget.attrs["class"] = WIDGET_CLASSES[field.widget.input_type]

    def full_clean(self) -> None:
        # Bootstrap shows a field's message only beside a field marked is-invalid. The queue
        # renders these fields itself (review/_filter_field.html), not through crispy-forms,
        # which cost 6-7 ms of every queue page.
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def clean_q(self) -> str:
        q = " ".join(self.cleaned_data["q"].split())
        if q and not INTAKE_NUMBER.match(q) and len(q) < SEARCH_MIN_CHARS:
            raise forms.ValidationError(
                f"Type at least {SEARCH_MIN_CHARS} characters of a name or e-mail, "
                "or an intake number such as IN-000042.")
        return q

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("submitted_from"), cleaned.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", "The end date is before the start date.")
        return cleaned

    def filters(self) -> QueueFilters:
        """The valid filters (a field with an error counts as not set)."""
        self.is_valid()
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items()
                if name not in self.errors}
        return QueueFilters(
            state=data.get("state") or "open",
            level=data.get("level") or "",
            flag=data.get("flag") or "",
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            assignee=data.get("assignee") or "",
            q=data.get("q") or "",
            overdue=bool(data.get("overdue")),
            outcome=data.get("outcome") or "",
        )


class DecideForm(forms.Form):
    """Accept the recommendation or override it; optionally a different level to start."""

    outcome = forms.ChoiceField(label="Decision", widget=forms.RadioSelect)
    indicated_level = forms.ChoiceField(
        label="Clinically indicated level", required=False,
        choices=[("", "Choose a level")] + LEVEL_CHOICES,
        help_text="Needed when you override the recommendation.")
    start_level = forms.ChoiceField(
        label="Level the patient will start", required=False,
        choices=[("", "The indicated level")] + LEVEL_CHOICES,
        help_text="Only when it differs from the indicated level (e.g. no capacity there).")
    reason_code = forms.ChoiceField(
        label="Reason", required=False,
        choices=[("", "Choose a reason")] + Decision.OverrideReason.choices,
        help_text="Needed for an override or a different start level.")
    reason_text = forms.CharField(
        label="Why, in a few words", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}))
    program = forms.ModelChoiceField(
        label="Program", required=False, queryset=Program.objects.none(),
        empty_label="No program yet")
    next_steps = forms.CharField(
        label="Next steps for the patient", required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the patient with the decided level. Leave empty to use the "
                  "program's own next steps.")

    def __init__(self, *args, recommended_level: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommended_level = recommended_level
        shown = dict(LEVEL_CHOICES).get(recommended_level, recommended_level)
        self.fields["outcome"].choices = [
            ("accept", f"Accept the recommendation: {shown}"),
            ("override", "Override: another level is clinically indicated"),
        ]
        self.fields["program"].queryset = Program.objects.filter(active=True)

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == "accept":
            cleaned["indicated_level"] = self.recommended_level
        elif outcome == "override":
            level = cleaned.get("indicated_level")
            if not level:
                self.add_error("indicated_level", "Choose the level you judge indicated.")
            elif level == self.recommended_level:
                self.add_error("indicated_level", "That is the recommended level: accept it, "
                                                  "or choose another level.")
        indicated = cleaned.get("indicated_level")
        if indicated and "indicated_level" not in self.errors:
            # The rules are the service's: the form only puts each problem by its field.
            for problem in decision_problems(
                    recommended_level=self.recommended_level, indicated_level=indicated,
                    start_level=cleaned.get("start_level") or indicated,
                    reason_code=cleaned.get("reason_code") or "",
                    reason_text=cleaned.get("reason_text") or "",
                    program=cleaned.get("program")):
                if problem.field not in self.errors:
                    self.add_error(problem.field, problem.message)
        return cleaned


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label="Assign to", required=False)

    def __init__(self, *args, user, clinicians=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = list(clinicians if clinicians is not None else clinicians_active())
        self.people = {str(person.pk): person for person in people}
        self.fields["assignee"].choices = [("", "Nobody")] + [
            (str(person.pk), f"{person.full_name or person.email}"
                             + (" (me)" if person.pk == user.pk else "")) for person in people]


class NoteForm(forms.Form):
    text = forms.CharField(label="New note", max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class MoveForm(forms.Form):
    to_state = forms.ChoiceField(choices=Intake.Status.choices)


class ContactAttemptForm(forms.Form):
    """One attempt to reach the person. The rule on the next try is the service's too."""

    channel = forms.ChoiceField(label="How", choices=[("", "Choose how")]
                                + ContactAttempt.Channel.choices,
                                error_messages={"required": "Choose how you tried to reach them."})
    outcome = forms.ChoiceField(label="Outcome", choices=[("", "Choose the outcome")]
                                + ContactAttempt.Outcome.choices,
                                error_messages={"required": "Choose what came of it."})
    note = forms.CharField(label="Note", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    next_try_at = forms.DateTimeField(
        label="Next try", required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="When someone should try again, if they should.",
        error_messages={"invalid": "Enter the next try as a date and time."})

    def clean_next_try_at(self):
        from django.utils import timezone

        value = self.cleaned_data.get("next_try_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError("The next try must be in the future.")
        return value


class ResponseReportForm(forms.Form):
    """The response-time report's date range (when the clocks started)."""

    start = FilterDateField(label="Clock started from")
    end = FilterDateField(label="to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date is before the start date.")
        return cleaned


class AcuteRiskCloseForm(forms.Form):
    """Closing the alert of a draft at acute risk: what was done, in a few words."""

    reason = forms.CharField(
        label="Why close this alert?", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: reached by phone, safe, safety plan agreed; or sent to the "
                  "emergency room.",
        error_messages={"required": "Say in a few words what was done before closing it."})
