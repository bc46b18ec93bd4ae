"""The roster's shift form: the rules themselves are in services.shift_problem."""

from django import forms

from accounts.models import User
from accounts.roles import CLINICIAN

from .models import Shift
from .services import shift_problem

_WHEN = {"type": "datetime-local"}


def _clinicians():
    return User.objects.filter(groups__name=CLINICIAN, is_active=True).order_by("full_name", "pk")


class ShiftForm(forms.Form):
    clinician = forms.ModelChoiceField(label="On call", queryset=User.objects.none(),
                                       empty_label="Choose a clinician",
                                       error_messages={"required": "Choose who is on call."})
    starts_at = forms.DateTimeField(
        label="From", widget=forms.DateTimeInput(attrs=_WHEN, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Enter when the shift starts.",
                        "invalid": "Enter the start as a date and time."})
    ends_at = forms.DateTimeField(
        label="To", widget=forms.DateTimeInput(attrs=_WHEN, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Enter when the shift ends.",
                        "invalid": "Enter the end as a date and time."})
    backup = forms.ModelChoiceField(
        label="Backup", queryset=User.objects.none(), required=False, empty_label="No backup",
        help_text="Alerted, with every clinician, when an urgent alert is not acknowledged "
                  "in time.")

    def __init__(self, *args, shift: Shift | None = None, **kwargs):
        if shift is not None and "initial" not in kwargs:
            kwargs["initial"] = {"clinician": shift.clinician_id, "backup": shift.backup_id,
                                 "starts_at": shift.starts_at, "ends_at": shift.ends_at}
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = _clinicians()
        self.fields["backup"].queryset = _clinicians()
        for name in ("clinician", "backup"):
            self.fields[name].label_from_instance = lambda user: user.full_name or user.email

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(name) for name in ("clinician", "starts_at", "ends_at")):
            problem = shift_problem(clinician=cleaned["clinician"],
                                    starts_at=cleaned["starts_at"],
                                    ends_at=cleaned["ends_at"], backup=cleaned.get("backup"))
            if problem:
                self.add_error(problem.field, problem.message)
        return cleaned
