from django.conf import settings
from django.db import models
from django.db.models import Q

from review.models import Decision
from screening.models import LEVEL_CHOICES

from .suggestion import CONTINUE, STEP_DOWN, STEP_UP


def unanswered() -> Q:
    """An invitation whose check-in was not begun, or begun and not submitted."""
    return Q(rescreen__isnull=True) | Q(rescreen__submitted_at__isnull=True)


class RescreenInvitation(models.Model):
    """The Nth re-screen a person in a program is invited to, every `rescreen_every_weeks` of
    the program from the day they started (SPEC §8b). One row per intake and number, so the
    sweep that makes them can run twice and invite once."""

    intake = models.ForeignKey("intake.Intake", on_delete=models.CASCADE,
                               related_name="rescreen_invitations")
    number = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Not answered RESCREEN_MISSED_AFTER_DAYS after it was due: shown to the clinician.
    missed_at = models.DateTimeField(null=True, blank=True)
    rescreen = models.OneToOneField("intake.Intake", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="invitation")

    class Meta:
        ordering = ["intake", "number"]
        constraints = [models.UniqueConstraint(fields=["intake", "number"],
                                               name="rescreen_invitation_once")]
        indexes = [models.Index(fields=["due_at"], name="rescreen_invitation_open",
                                condition=Q(missed_at__isnull=True))]

    def __str__(self) -> str:
        return f"re-screen {self.number} of intake {self.intake_id}"

    @property
    def answered(self) -> bool:
        return self.rescreen is not None and self.rescreen.submitted_at is not None


class Suggestion(models.Model):
    """What a re-screen suggests for the person's care, and the clinician's decision on it."""

    class Move(models.TextChoices):
        CONTINUE = CONTINUE, "Continue"
        STEP_UP = STEP_UP, "Step up"
        STEP_DOWN = STEP_DOWN, "Step down"

    rescreen = models.OneToOneField("intake.Intake", on_delete=models.CASCADE,
                                    related_name="suggestion")
    care_level = models.CharField(max_length=12, choices=LEVEL_CHOICES,
                                  help_text="The level of the care the person was in.")
    recommended_level = models.CharField(max_length=12, choices=LEVEL_CHOICES)
    move = models.CharField(max_length=10, choices=Move.choices)
    level = models.CharField(max_length=12, choices=LEVEL_CHOICES,
                             help_text="The level suggested.")
    rules_added = models.JSONField(default=list)
    rules_removed = models.JSONField(default=list)
    new_flags = models.JSONField(default=list)
    # {rule id: its reason in plain words}, from the criteria version each screen ran on.
    rule_words = models.JSONField(default=dict)
    new_safety_flags = models.JSONField(default=list)
    worsening = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The clinician's decision: accepted as suggested, or another level with a coded reason.
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    accepted = models.BooleanField(null=True)
    decided_level = models.CharField(max_length=12, choices=LEVEL_CHOICES, blank=True)
    reason_code = models.CharField(max_length=30, choices=Decision.OverrideReason.choices,
                                   blank=True)
    reason_text = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.move} after re-screen {self.rescreen_id}"

    def worded(self, rules: list[str]) -> list[dict]:
        return [{"id": rule, "reason": self.rule_words.get(rule, "")} for rule in rules]

    @property
    def rules_added_worded(self) -> list[dict]:
        return self.worded(self.rules_added)

    @property
    def rules_removed_worded(self) -> list[dict]:
        return self.worded(self.rules_removed)
