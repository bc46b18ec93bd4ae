from django import forms

from accounts.models import User
from accounts.roles import ADMIN, CLINICIAN, ROLES

from .models import AuditEvent
from .selectors import AuditFilters

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
    since = forms.DateField(label="From", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

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
