"""The contact details form: asked as a step of the intake and again on the account page.

Plain fields checked here, numbers by libphonenumber (django-phonenumber-field): what is
stored is E.164, whatever way the person typed it.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from .models import ContactDetails

REQUIRED = _("Please answer this question.")
BAD_PHONE = _("Enter a phone number we can call, e.g. (202) 555-0143 or +44 20 7946 0958")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# Under this age a parent or guardian is asked for, and reached with the person.
ADULT_AGE = 18
# The booleans asked as Yes / No radios: a person must choose, never a box left unticked.
YES_NO_FIELDS = ("may_call", "may_text", "may_leave_voicemail", "emergency_may_call",
                 "interpreter_needed")
STORED = ("phone", "phone_kind", "may_call", "may_text", "may_leave_voicemail", "best_times",
          "emergency_name", "emergency_relation", "emergency_phone", "emergency_may_call",
          "preferred_language", "interpreter_needed", "guardian_name", "guardian_phone")


def _phone(label: str, *, required: bool, help_text: str = "",
           message: str = BAD_PHONE) -> PhoneNumberField:
    return PhoneNumberField(label=label, required=required, help_text=help_text,
                            error_messages={"invalid": message, "required": REQUIRED},
                            widget=forms.TextInput(attrs={"autocomplete": "tel",
                                                          "inputmode": "tel"}))


def _yes_no(label: str, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect,
                                  coerce=lambda value: value == "yes", empty_value=None,
                                  required=required, error_messages={"required": REQUIRED})


class ContactDetailsForm(forms.Form):
    """How to reach the person. `age` (from the intake's answers) decides whether a parent
    or guardian is required."""

    phone = _phone(_("Your phone number"), required=True,
                   help_text=_("A mobile or home phone the clinic can call you on. Outside "
                               "the US, start with + and the country code."))
    phone_kind = forms.ChoiceField(label=_("Is this a mobile or a home phone?"),
                                   choices=ContactDetails.PhoneKind.choices,
                                   widget=forms.RadioSelect,
                                   error_messages={"required": REQUIRED})
    may_call = _yes_no(_("May the clinic call you on this number?"))
    may_text = _yes_no(_("May the clinic send you text messages?"))
    may_leave_voicemail = _yes_no(
        _("May the clinic leave a voicemail that says it is the clinic?"))
    best_times = forms.MultipleChoiceField(
        label=_("When is it best to call you?"), choices=ContactDetails.BestTime.choices,
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Leave all unticked if any time is fine."))

    emergency_name = forms.CharField(label=_("Emergency contact: name"), max_length=200,
                                     required=False,
                                     widget=forms.TextInput(attrs={"autocomplete": "off"}))
    emergency_relation = forms.CharField(label=_("How are they related to you?"), max_length=100,
                                         required=False,
                                         help_text=_("For example: partner, parent, friend."))
    emergency_phone = _phone(_("Emergency contact: phone number"), required=False,
                             message=_("Enter your emergency contact's phone number, e.g. "
                                       "(202) 555-0143 or +44 20 7946 0958"))
    emergency_may_call = _yes_no(_("May the clinic call them if it cannot reach you in an "
                                   "emergency?"), required=False)

    preferred_language = forms.CharField(label=_("Which language do you prefer to speak?"),
                                         max_length=60, initial="English",
                                         error_messages={"required": REQUIRED})
    interpreter_needed = _yes_no(_("Would you like an interpreter?"))

    guardian_name = forms.CharField(label=_("Parent or guardian: name"), max_length=200,
                                    required=False)
    guardian_phone = _phone(_("Parent or guardian: phone number"), required=False,
                            message=_("Enter your parent's or guardian's phone number, e.g. "
                                      "(202) 555-0143 or +44 20 7946 0958"))

    def __init__(self, *args, details: ContactDetails | None = None, age: int | None = None,
                 **kwargs):
        if details is not None and not args and "data" not in kwargs:
            kwargs.setdefault("initial", self.initial_of(details))
        super().__init__(*args, **kwargs)
        self.minor = isinstance(age, int) and age < ADULT_AGE
        if self.minor:
            for name in ("guardian_name", "guardian_phone"):
                self.fields[name].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        guardian = [Fieldset(_("Your parent or guardian"),
                             HTML(format_html("<p>{}</p>", _("You are under 18, so the clinic will "
                                                            "also talk with a parent or "
                                                            "guardian."))),
                             "guardian_name", "guardian_phone")] if self.minor else []
        self.helper.layout = Layout(
            Fieldset(_("Your phone"), "phone", "phone_kind", "may_call", "may_text",
                     "may_leave_voicemail", "best_times"),
            *guardian,
            Fieldset(_("Someone to call in an emergency (optional)"),
                     "emergency_name", "emergency_relation", "emergency_phone",
                     "emergency_may_call"),
            Fieldset(_("Language"), "preferred_language", "interpreter_needed"),
        )
        if not self.minor:
            del self.fields["guardian_name"], self.fields["guardian_phone"]

    @staticmethod
    def initial_of(details: ContactDetails) -> dict:
        initial = {name: getattr(details, name) for name in STORED}
        for name in YES_NO_FIELDS:
            value = initial[name]
            initial[name] = None if value is None else ("yes" if value else "no")
        return initial

    def clean(self):
        cleaned = super().clean()
        given = [name for name in ("emergency_name", "emergency_relation", "emergency_phone")
                 if cleaned.get(name)]
        if given or cleaned.get("emergency_may_call") is not None:
            # Half an emergency contact is one nobody can call: ask for the rest.
            if not cleaned.get("emergency_name") and "emergency_name" not in self.errors:
                self.add_error("emergency_name", _("Add their name, or leave the emergency "
                                                   "contact empty."))
            if not cleaned.get("emergency_phone") and "emergency_phone" not in self.errors:
                self.add_error("emergency_phone", _("Add their phone number, or leave the "
                                                    "emergency contact empty."))
            if cleaned.get("emergency_may_call") is None:
                self.add_error("emergency_may_call", REQUIRED)
        return cleaned

    def contact_details(self) -> dict:
        """The cleaned data in the model's fields (guardian empty for an adult)."""
        data = {name: self.cleaned_data.get(name) for name in STORED}
        for name in ("emergency_name", "emergency_relation", "guardian_name",
                     "preferred_language"):
            data[name] = (data[name] or "").strip()
        for name in ("emergency_phone", "guardian_phone"):
            data[name] = data[name] or ""
        data["best_times"] = list(data["best_times"] or [])
        if not (data["emergency_name"] or data["emergency_phone"]):
            data["emergency_may_call"] = None
        return data


class ContactStepForm(ContactDetailsForm):
    """The same form as a step of the intake (the step interface of intake/forms.StepForm):
    it owns no answer field, so nothing of it goes into `answers`; the intake saves its
    `contact_details()` beside them."""

    owns: tuple[str, ...] = ()
    lead = ""

    def __init__(self, *args, answers: dict | None = None, unfinished: dict | None = None,
                 version: str | None = None, **kwargs):
        # The age comes from the step's form_kwargs; the answers themselves are not read, and
        # how to reach someone is not part of the versioned questionnaire. What was kept of a
        # half-answered page ("save and finish later") wins over the stored details.
        details = kwargs.pop("details", None)
        if not args and "data" not in kwargs:
            initial = self.initial_of(details) if details is not None else {}
            kwargs["initial"] = {**initial, **(unfinished or {})}
        super().__init__(*args, **kwargs)
        self.paths: dict[str, str] = {}  # no answer of the questionnaire is asked here

    def valid_part(self) -> dict:
        """Each field answered and valid on its own, as typed: what "save and finish later"
        keeps of a half-answered page (kept with the draft, never in its answers)."""
        self.is_valid()
        return {name: self[name].data for name in self.fields
                if name not in self.errors and name in self.cleaned_data
                and self[name].data not in (None, "", [])}

    @classmethod
    def initial_from(cls, answers: dict) -> dict:
        return {}

    def answers(self) -> dict:
        return {}
