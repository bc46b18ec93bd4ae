"""Forms for after the decision: amend, reopen, and each step of the outcome.

They only shape what was typed; the rules (which step follows which, what each needs) are
the services' (review/decisions.py, review/outcomes.py), whose refusals go beside the field.
"""

from django import forms

from screening.models import LEVEL_CHOICES

from .forms import DecideForm
from .models import ContactAttempt, Decision, DecisionVersion, OutcomeEvent, Program, Reopening
from .state import Move

_SESSION_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"},
                                      format="%Y-%m-%dT%H:%M")


class AmendForm(DecideForm):
    """The decision form again, filled with the decision as it stands, and why it changes."""

    amend_reason_code = forms.ChoiceField(
        label="Why amend", choices=[("", "Choose a reason")]
        + DecisionVersion.AmendReason.choices,
        error_messages={"required": "An amendment needs a reason: choose one."})
    amend_reason_text = forms.CharField(
        label="What changed and why", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "An amendment needs a few words on what changed and why."})

    @staticmethod
    def initial_for(decision: Decision) -> dict:
        return {"outcome": "accept" if decision.accepted else "override",
                "indicated_level": decision.indicated_level,
                "start_level": (decision.start_level
                                if decision.start_level != decision.indicated_level else ""),
                "reason_code": decision.reason_code, "reason_text": decision.reason_text,
                "program": decision.program_id, "next_steps": decision.next_steps}


class ReopenForm(forms.Form):
    reason_code = forms.ChoiceField(
        label="Why reopen", choices=[("", "Choose a reason")] + Reopening.Reason.choices,
        error_messages={"required": "Reopening needs a reason: choose one."})
    reason_text = forms.CharField(
        label="In a few words", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Reopening needs a few words on why."})


class _OutcomeForm(forms.Form):
    note = forms.CharField(label="Note", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class _SessionForm(_OutcomeForm):
    program = forms.ModelChoiceField(label="Program", queryset=Program.objects.none(),
                                     required=False, empty_label="Choose the program")
    first_session_at = forms.DateTimeField(
        label="First session", required=False, widget=_SESSION_WIDGET,
        error_messages={"invalid": "Enter the first session as a date and time."})

    def __init__(self, *args, start_level: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        programs = Program.objects.filter(active=True)
        if start_level:
            programs = programs.filter(level=start_level)
        self.fields["program"].queryset = programs
        self.order_fields(["channel", "program", "first_session_at", "note"])


class ScheduleForm(_SessionForm):
    pass


class RecontactForm(_SessionForm):
    channel = forms.ChoiceField(label="Reached again by", required=False,
                                choices=[("", "Choose how")] + ContactAttempt.Channel.choices)


class DeclineForm(_OutcomeForm):
    decline_reason = forms.ChoiceField(label="Why they declined", required=False,
                                       choices=[("", "Choose a reason")]
                                       + OutcomeEvent.DeclineReason.choices)
    field_order = ["decline_reason", "note"]


class ReferForm(_OutcomeForm):
    referred_to = forms.CharField(label="Referred to", required=False, max_length=200,
                                  help_text="The service or clinic, not a person's details.")
    referred_level = forms.ChoiceField(label="Level of care there", required=False,
                                       choices=[("", "Choose a level")] + LEVEL_CHOICES)
    field_order = ["referred_to", "referred_level", "note"]


OUTCOME_FORMS: dict[Move, type[_OutcomeForm]] = {
    Move.SCHEDULE: ScheduleForm,
    Move.START: _OutcomeForm,
    Move.NO_SHOW: _OutcomeForm,
    Move.RECONTACT: RecontactForm,
    Move.DECLINE: DeclineForm,
    Move.REFER: ReferForm,
    Move.COULD_NOT_REACH: _OutcomeForm,
}


def outcome_form(move: Move, *args, start_level: str = "", **kwargs) -> _OutcomeForm:
    form_class = OUTCOME_FORMS[move]
    if issubclass(form_class, _SessionForm):
        return form_class(*args, start_level=start_level, prefix=str(move), **kwargs)
    return form_class(*args, prefix=str(move), **kwargs)
