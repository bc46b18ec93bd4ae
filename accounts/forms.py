from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.template import loader
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .addresses import email_normalise
from .mail import account_mail_queue
from .models import AccountMail, User


class EmailAuthenticationForm(AuthenticationForm):
    # Django's own message names the field by the model's (English) verbose name.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Please enter a correct e-mail address and password. Note that "
                           "both fields may be case-sensitive."),
    }
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True,
                                                                   "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        return email_normalise(self.cleaned_data["username"])

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if user.email_confirmed_at is None:
            # Only someone with the right password reads this: it tells them nothing new.
            raise forms.ValidationError(
                _("Confirm your e-mail address first: open the link we sent you. If it is lost, "
                  "create the account again with the same address for a new link."),
                code="unconfirmed")


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=200,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-mail address"),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("At least 10 characters; not a common password."))
    language = forms.ChoiceField(label=_("Language for your pages and e-mails"),
                                 choices=settings.LANGUAGES, widget=forms.RadioSelect,
                                 required=False)

    def clean_language(self) -> str:
        # Left unticked: the language the person is reading this page in.
        return self.cleaned_data["language"] or translation.get_supported_language_variant(
            translation.get_language())

    def clean_email(self) -> str:
        # Never "already exists": that would tell anyone that this person sought care here.
        return email_normalise(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LanguageForm(forms.Form):
    """The language switch on every page: a plain form, no script needed."""

    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="6-digit code from your authenticator app", max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9]*", "autofocus": True}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("Enter the 6 digits shown in your authenticator app.")
        return token


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, its mail put in the outbox instead of sent inside the request."""

    def clean_email(self) -> str:
        return email_normalise(self.cleaned_data["email"])

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        account_mail_queue(kind=AccountMail.Kind.PASSWORD_RESET, to=to_email, subject=subject,
                           body=body)


class ConfirmingSetPasswordForm(SetPasswordForm):
    """The new password from a reset link. The link came to the address, so an account whose
    sign-up link was lost is confirmed by it too (else it could never sign in)."""

    def save(self, commit=True):
        if self.user.email_confirmed_at is None:
            self.user.email_confirmed_at = timezone.now()
        return super().save(commit)


_STAFF_ROLE_CHOICES = [("clinician", "Clinician"), ("admin", "Admin")]


class StaffInviteForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200,
                                error_messages={"required": "Enter the person's full name."})
    email = forms.EmailField(label="E-mail address", error_messages={
        "required": "Enter the address the invitation goes to.",
        "invalid": "Enter an e-mail address, like name@clinic.org."})
    role = forms.ChoiceField(label="Role", choices=_STAFF_ROLE_CHOICES,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Choose clinician or admin."})

    def clean_email(self) -> str:
        return email_normalise(self.cleaned_data["email"])


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=_STAFF_ROLE_CHOICES, widget=forms.RadioSelect,
                             error_messages={"required": "Choose clinician or admin.",
                                             "invalid_choice": "Choose clinician or admin."})
