from django.conf import settings
from django.db import models

from screening.models import LEVEL_CHOICES


class Program(models.Model):
    """A program the clinic runs at one level of care (managed by admins)."""

    name = models.CharField(max_length=120)
    level = models.CharField(max_length=12, choices=LEVEL_CHOICES)
    schedule = models.CharField(max_length=200, blank=True,
                                help_text="e.g. Mon, Wed, Thu 6-9 pm")
    hours_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    next_steps = models.TextField(blank=True, help_text="What a patient placed here does next.")
    contact = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"


class Decision(models.Model):
    """A clinician's decision on an intake: accept the recommendation or override it."""

    class OverrideReason(models.TextChoices):
        CLINICAL_JUDGEMENT = "clinical_judgement", "Clinical judgement"
        PATIENT_PREFERENCE = "patient_preference", "Patient preference"
        NO_CAPACITY = "no_capacity", "No capacity at the indicated level"
        PAYER_DECISION = "payer_decision", "Payer decision"
        OTHER = "other", "Other"

    intake = models.OneToOneField("intake.Intake", on_delete=models.CASCADE,
                                  related_name="decision")
    recommended_level = models.CharField(max_length=12, choices=LEVEL_CHOICES)
    indicated_level = models.CharField(
        max_length=12, choices=LEVEL_CHOICES,
        help_text="The level the clinician judges clinically indicated.")
    start_level = models.CharField(
        max_length=12, choices=LEVEL_CHOICES,
        help_text="The level the patient will actually start, where it differs.")
    accepted = models.BooleanField(help_text="True when the recommendation was accepted as is.")
    reason_code = models.CharField(max_length=30, choices=OverrideReason.choices, blank=True)
    reason_text = models.TextField(blank=True)
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.SET_NULL)
    next_steps = models.TextField(blank=True, help_text="Shown to the patient.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"decision on intake {self.intake_id}: {self.indicated_level}"


class Note(models.Model):
    intake = models.ForeignKey("intake.Intake", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"note on intake {self.intake_id}"


class Notification(models.Model):
    """An outbox row: work to tell someone about an intake, written in the same transaction.

    The broker may be down when a patient submits; the row is saved with the intake, and a
    periodic sweep sends whatever is still pending once the broker is back.
    """

    class Kind(models.TextChoices):
        NEW_INTAKE = "new_intake", "New intake for review"
        URGENT = "urgent", "Urgent intake"
        URGENT_REALERT = "urgent_realert", "Urgent intake not yet opened"
        REMINDER = "reminder", "Reminder to finish an intake"
        DECIDED = "decided", "Intake reviewed (to the patient)"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    intake = models.ForeignKey("intake.Intake", on_delete=models.CASCADE,
                               related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "created_at"], name="notification_pending")]

    def __str__(self) -> str:
        return f"{self.kind} for intake {self.intake_id}"
