from datetime import date

from django import forms

from accounts.models import User
from accounts.roles import ADMIN, CLINICIAN, ROLES

from .models import AuditEvent
from .selectors import AuditFilters

# The dates a filter may name. A date outside them is a typo (or a probe): 9999-12-31 cannot
# even have a day added to it to make an end-of-day bound.
FILTER_DATE_MIN = date(2000, 1, 1)
FILTER_DATE_MAX = date(2100, 12, 31)


class FilterDateField(forms.DateField):
    """A date filter, refused next to the field when outside FILTER_DATE_MIN..MAX."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateInput(attrs={
            "type": "date", "min": FILTER_DATE_MIN.isoformat(),
            "max": FILTER_DATE_MAX.isoformat()}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not FILTER_DATE_MIN <= value <= FILTER_DATE_MAX:
            raise forms.ValidationError(
                f"Choose a date between {FILTER_DATE_MIN.isoformat()} and "
                f"{FILTER_DATE_MAX.isoformat()}.", code="out_of_range")


OBJECT_TYPES = [("intake", "Intake"), ("queue", "Review queue"),
                ("criteria_version", "Criteria version")]


class AuditFilterForm(forms.Form):
    """The audit log's filters, read from the query string (ids and codes only)."""

    action = forms.ChoiceField(label="Action", required=False,
                               choices=[("", "Any action")] + AuditEvent.Action.choices)
    object_type = forms.ChoiceField(label="About", required=False,
                                    choices=[("", "Anything")] + OBJECT_TYPES)
    actor = forms.ModelChoiceField(label="Who (staff)", required=False, empty_label="Anyone",
                                   queryset=User.objects.none())
    actor_role = forms.ChoiceField(label="Role", required=False,
                                   choices=[("", "Any role")] + [(r, r.capitalize())
                                                                 for r in ROLES])
    intake = forms.CharField(label="Intake number", required=False, max_length=20,
                             help_text="e.g. IN-000042")
    since = FilterDateField(label="From")
    until = FilterDateField(label="To")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = User.objects.filter(
            groups__name__in=[CLINICIAN, ADMIN]).distinct().order_by("full_name", "pk")

    def clean_intake(self) -> int | None:
        from review.selectors import INTAKE_NUMBER

        value = self.cleaned_data["intake"].strip()
        if not value:
            return None
        match = INTAKE_NUMBER.match(value)
        if not match:
            raise forms.ValidationError("Type an intake number such as IN-000042.")
        return int(match.group(1))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", "The end date is before the start date.")
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid filters; a field with an error counts as not set."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items()
                if k not in self.errors}
        actor = data.get("actor")
        return AuditFilters(action=data.get("action") or "",
                            object_type=data.get("object_type") or "",
                            actor_id=actor.pk if actor else None,
                            actor_role=data.get("actor_role") or "",
                            intake_id=data.get("intake"),
                            since=data.get("since"), until=data.get("until"))
