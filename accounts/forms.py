from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader

from .addresses import email_normalise
from .mail import account_mail_queue
from .models import AccountMail, User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autofocus": True,
                                                                "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        return email_normalise(self.cleaned_data["username"])


class SignupForm(forms.Form):
    full_name = forms.CharField(label="Your full name", max_length=200,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label="E-mail address",
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label="Password", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text="At least 10 characters; not a common password.")

    def clean_email(self) -> str:
        email = email_normalise(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this e-mail address already exists. Sign in, or reset the password."
            )
        return email

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
