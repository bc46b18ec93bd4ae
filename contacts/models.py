"""How to reach a person: kept beside the intake's answers, never in them (SPEC §3, §8b).

The engine screens `Intake.answers`; who the person is and how to call them is not its
input, and must not travel with the answers into replays, exports of cases or the CLI.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class ContactDetails(models.Model):
    """One per patient: the numbers the clinic may call and what the person allows."""

    class PhoneKind(models.TextChoices):
        MOBILE = "mobile", _("Mobile")
        HOME = "home", _("Home")

    class BestTime(models.TextChoices):
        MORNING = "morning", _("Mornings (8 am to 12 pm)")
        AFTERNOON = "afternoon", _("Afternoons (12 to 5 pm)")
        EVENING = "evening", _("Evenings (5 to 8 pm)")
        WEEKEND = "weekend", _("Weekends")

    patient = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="contact_details")
    phone = PhoneNumberField()
    phone_kind = models.CharField(max_length=10, choices=PhoneKind.choices)
    may_call = models.BooleanField()
    may_text = models.BooleanField()
    may_leave_voicemail = models.BooleanField()
    best_times = models.JSONField(default=list, blank=True)  # BestTime values; empty: any time

    emergency_name = models.CharField(max_length=200, blank=True)
    emergency_relation = models.CharField(max_length=100, blank=True)
    emergency_phone = PhoneNumberField(blank=True)
    # None when no emergency contact is given.
    emergency_may_call = models.BooleanField(null=True, blank=True)

    preferred_language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)

    guardian_name = models.CharField(max_length=200, blank=True)
    guardian_phone = PhoneNumberField(blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "contact details"

    def __str__(self) -> str:
        # Never the number: str() ends up in logs and admin messages.
        return f"contact details of user {self.patient_id}"

    def best_times_display(self) -> list[str]:
        labels = dict(self.BestTime.choices)
        return [labels.get(value, value) for value in self.best_times]

    @property
    def has_emergency_contact(self) -> bool:
        return bool(self.emergency_name or self.emergency_phone)
