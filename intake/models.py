from django.conf import settings
from django.db import models
from django.db.models import Q

from screening.engine.catalogue import CURRENT_QUESTIONNAIRE
from screening.models import LEVEL_CHOICES


def questionnaire_current() -> str:
    """The questionnaire version a new intake is asked in (a callable: read at each start)."""
    return CURRENT_QUESTIONNAIRE


class Intake(models.Model):
    """One person's intake questionnaire, from first answer to a closed decision.

    `answers` has exactly the engine's input shape (SPEC §3), so the same engine serves the
    web intake, the command line, the preview and replay. The queue fields (`urgent`,
    `recommended_level`, `flags` rows) are copied from the recommendation at submit so the
    clinician queue is one indexed query however many intakes there are.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        IN_REVIEW = "in_review", "In review"
        DECIDED = "decided", "Decided"
        CLOSED = "closed", "Closed"

    class Kind(models.TextChoices):
        INTAKE = "intake", "Intake"
        RESCREEN = "rescreen", "Re-screen"

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="intakes")
    # A re-screen (SPEC §8b, measurement-based care) is a screen of its own, answered and
    # screened like an intake, that continues the care decided on the intake it `follows`.
    # Everything that means first intakes (reports, counts, reminders, the purge) filters
    # kind=intake.
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INTAKE)
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="rescreens")
    # The step slugs a re-screen asks, in order (its instruments, safety, the confirmation of
    # what was carried over); empty for an intake, which asks every step that applies.
    asks = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    steps_done = models.JSONField(default=list, blank=True)  # slugs of the saved steps
    # "Save and finish later" on a half-answered page: {step slug: {form field: value typed}},
    # each value valid on its own. Beside `answers`, never in them: the engine only ever
    # sees whole steps.
    unfinished = models.JSONField(default=dict, blank=True)
    # The wording it is asked in, pinned at start (SPEC §8b): staff read each answer under
    # the question as it was asked, whatever the wording is today.
    questionnaire_version = models.CharField(max_length=20, default=questionnaire_current)
    # The language the person answered in (SPEC §8b): the page's language at the last saved
    # step (at submit when none recorded one), so staff read "Answered in" of this intake
    # even after the account's language changes. Blank on older intakes: the account's.
    language = models.CharField(max_length=10, blank=True)
    signature_name = models.CharField(max_length=200, blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    urgent = models.BooleanField(default=False)
    recommended_level = models.CharField(max_length=12, choices=LEVEL_CHOICES, blank=True)
    decided_level = models.CharField(max_length=12, choices=LEVEL_CHOICES, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="assigned_intakes")
    first_opened_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    last_alerted_at = models.DateTimeField(null=True, blank=True)
    # The response-time clock (review/clocks.py): it starts at submit (or when a draft first
    # shows acute risk), must stop by `respond_by`, and stops at the first contact attempt.
    clock_started_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    # SPEC §8b: the first saved step that shows acute risk alerts the clinic at once, draft
    # or not. Set once; a draft with it is in the queue (urgent, not submitted), gets no
    # reminder and is never purged until a clinician closes the alert with a reason.
    acute_risk_at = models.DateTimeField(null=True, blank=True)
    acute_risk_closed_at = models.DateTimeField(null=True, blank=True)
    acute_risk_closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    acute_risk_close_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One unfinished intake per person: two tabs can't start two drafts.
            models.UniqueConstraint(fields=["patient"], condition=Q(status="draft"),
                                    name="one_draft_intake_per_patient"),
            models.CheckConstraint(
                condition=Q(kind="intake", follows__isnull=True)
                | Q(kind="rescreen", follows__isnull=False),
                name="rescreen_follows_an_intake"),
        ]
        indexes = [
            # The queue: urgent first, then the nearest response deadline, within a state.
            models.Index(fields=["status", "-urgent", "respond_by", "id"],
                         name="intake_queue_deadline"),
            models.Index(fields=["assigned_to", "status", "-urgent", "respond_by"],
                         name="intake_assigned_deadline"),
            models.Index(fields=["recommended_level", "status", "submitted_at"],
                         name="intake_level"),
            # The queue filtered on a level, alone or with an assignee (issue 19): urgent
            # intakes are nearly all inpatient, so walking the deadline index for "IOP"
            # read every urgent intake to discard it. With the level in the index, each
            # segment of the page is one range again.
            models.Index(fields=["recommended_level", "status", "-urgent", "respond_by", "id"],
                         name="intake_level_deadline"),
            models.Index(fields=["assigned_to", "recommended_level", "status", "-urgent",
                                 "respond_by"], name="intake_assigned_level_deadline"),
            models.Index(fields=["submitted_at"], name="intake_submitted_at"),
            # The response-times report reads a range of clock starts (issue 19): without
            # it, every request read the whole history.
            models.Index(fields=["clock_started_at"], name="intake_clock_started_at"),
            models.Index(fields=["patient", "status"], name="intake_patient_status"),
            models.Index(fields=["status", "updated_at"], name="intake_status_updated"),
            # The few drafts at acute risk still open, read on every queue page.
            models.Index(fields=["acute_risk_at"], name="intake_acute_risk_drafts",
                         condition=Q(status="draft", acute_risk_at__isnull=False,
                                     acute_risk_closed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def acute_risk_open(self) -> bool:
        """A draft that showed acute risk and whose alert no clinician has closed yet."""
        return (self.status == self.Status.DRAFT and self.acute_risk_at is not None
                and self.acute_risk_closed_at is None)

    @property
    def answered_in(self) -> str:
        """The language code these answers were given in ("es")."""
        return self.language or self.patient.language or "en"

    @property
    def is_rescreen(self) -> bool:
        return self.kind == self.Kind.RESCREEN

    @property
    def number(self) -> str:
        """The intake number people read and search for, e.g. IN-000042."""
        return f"IN-{self.pk:06d}" if self.pk else "IN-(new)"


class IntakeFlag(models.Model):
    """One flag of a submitted intake's recommendation, as a row so the queue can filter on it."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="flag_rows")
    flag = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["intake", "flag"],
                                               name="intake_flag_once")]
        indexes = [models.Index(fields=["flag", "intake"], name="intake_flag_lookup")]

    def __str__(self) -> str:
        return self.flag
