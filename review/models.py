from django.conf import settings
from django.db import models

from screening.models import LEVEL_CHOICES

from .state import Outcome


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
    # Who it is for, and how many it takes (SPEC §8b): the decision form ranks on these.
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    languages = models.JSONField(default=list, blank=True,
                                 help_text="Language codes it is taught in, e.g. [\"en\", \"es\"].")
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)
    census = models.PositiveSmallIntegerField(default=0, help_text="People in it now.")
    # Measurement-based care (SPEC §8b): people who started are invited to re-screen this often.
    rescreen_every_weeks = models.PositiveSmallIntegerField(
        default=2, help_text="Weeks between re-screens of the people who started.")

    class Meta:
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"


class ProgramSession(models.Model):
    """One weekly session of a program: a weekday, a start and an end."""

    class Weekday(models.IntegerChoices):
        MON = 0, "Mon"
        TUE = 1, "Tue"
        WED = 2, "Wed"
        THU = 3, "Thu"
        FRI = 4, "Fri"
        SAT = 5, "Sat"
        SUN = 6, "Sun"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="program_session_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class WaitListEntry(models.Model):
    """A person waiting for a place at a level the clinic had no room at when deciding."""

    intake = models.ForeignKey("intake.Intake", on_delete=models.CASCADE,
                               related_name="wait_list_entries")
    level = models.CharField(max_length=12, choices=LEVEL_CHOICES)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at"]
        indexes = [models.Index(fields=["level", "added_at"], name="wait_list_waiting",
                                condition=models.Q(left_at__isnull=True))]

    def __str__(self) -> str:
        return f"wait list {self.level} for intake {self.intake_id}"


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
    # When the intake was submitted, copied here at the decision: the outcome reports select
    # and group decisions by it without reading the (wide) intake rows.
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The decision as it stands now is the latest of its versions (DecisionVersion): an
    # amendment rewrites the fields above and keeps the old ones as a version.
    version = models.PositiveSmallIntegerField(default=1)
    amended_at = models.DateTimeField(null=True, blank=True)
    # What came of it (review/state.py), with the first session when one is scheduled.
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.AWAITING)
    outcome_at = models.DateTimeField(null=True, blank=True)
    first_session_at = models.DateTimeField(null=True, blank=True)
    # Set when the clinician was reminded that the first session passed with no outcome;
    # cleared by each new first session.
    outcome_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["outcome", "intake"], name="decision_outcome"),
            models.Index(fields=["submitted_at"], name="decision_submitted_at"),
            models.Index(fields=["first_session_at"], name="decision_session_unrecorded",
                         condition=models.Q(outcome="scheduled",
                                            outcome_reminded_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"decision on intake {self.intake_id}: {self.indicated_level}"


class DecisionVersion(models.Model):
    """One version of a decision, as it was made: the first decision, then each amendment.

    Rows are only ever added: the history of a decision is read from them (who, when, what
    changed and why).
    """

    class AmendReason(models.TextChoices):
        WRONG_PROGRAM = "wrong_program", "Wrong program or level recorded"
        NEW_INFORMATION = "new_information", "New clinical information"
        CHANGE_IN_CONDITION = "change_in_condition", "Change in the person's condition"
        PATIENT_PREFERENCE = "patient_preference", "The person's preference"
        CAPACITY = "capacity", "Capacity changed"
        PAYER_DECISION = "payer_decision", "Payer decision"
        OTHER = "other", "Other"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    indicated_level = models.CharField(max_length=12, choices=LEVEL_CHOICES)
    start_level = models.CharField(max_length=12, choices=LEVEL_CHOICES)
    accepted = models.BooleanField()
    reason_code = models.CharField(max_length=30, choices=Decision.OverrideReason.choices,
                                   blank=True)
    reason_text = models.TextField(blank=True)
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    next_steps = models.TextField(blank=True)
    # Why this version replaced the one before (empty on the first).
    amend_reason_code = models.CharField(max_length=30, choices=AmendReason.choices,
                                         blank=True)
    amend_reason_text = models.TextField(blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["decision", "number"],
                                               name="decision_version_once")]

    def __str__(self) -> str:
        return f"version {self.number} of decision {self.decision_id}"


class OutcomeEvent(models.Model):
    """One step of what came of a decision (scheduled, started, no-show, ...), kept in order.

    The decision holds the latest outcome for the queue; these rows are its history.
    """

    class DeclineReason(models.TextChoices):
        NOT_READY = "not_ready", "Not ready for treatment"
        SCHEDULE = "schedule", "The schedule does not fit"
        COST = "cost", "Cost or insurance"
        TRANSPORT = "transport", "Transport"
        PREFERS_OTHER = "prefers_other", "Prefers other care"
        OTHER = "other", "Other"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="outcomes")
    move = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    first_session_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    referred_to = models.CharField(max_length=200, blank=True)
    referred_level = models.CharField(max_length=12, choices=LEVEL_CHOICES, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.outcome} for decision {self.decision_id}"


class Reopening(models.Model):
    """A closed intake reopened by a clinician, and why."""

    class Reason(models.TextChoices):
        NEEDS_CARE = "needs_care", "The person still needs care"
        CLOSED_IN_ERROR = "closed_in_error", "Closed in error"
        NEW_INFORMATION = "new_information", "New information"
        OTHER = "other", "Other"

    intake = models.ForeignKey("intake.Intake", on_delete=models.CASCADE,
                               related_name="reopenings")
    reason_code = models.CharField(max_length=20, choices=Reason.choices)
    reason_text = models.TextField()
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reopened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reopened_at"]

    def __str__(self) -> str:
        return f"reopening of intake {self.intake_id}"


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


class UrgentAlert(models.Model):
    """The urgent alert about one intake: sent to whoever is on call, until a clinician
    acknowledges it ("I'm on it"). Unacknowledged after URGENT_ACKNOWLEDGE_WITHIN_MINUTES it
    goes again to the backups and every clinician, and again each such period (SPEC §8b).

    Opening the intake is not acknowledging it: only the button is.
    """

    intake = models.OneToOneField("intake.Intake", on_delete=models.CASCADE,
                                  related_name="urgent_alert")
    created_at = models.DateTimeField(auto_now_add=True)
    # When it last went out (first alert or escalation): the next escalation is due a period on.
    last_alerted_at = models.DateTimeField()
    escalations = models.PositiveSmallIntegerField(default=0)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["last_alerted_at"], name="urgent_alert_unacknowledged",
                                condition=models.Q(acknowledged_at__isnull=True))]

    def __str__(self) -> str:
        return f"urgent alert for intake {self.intake_id}"


class Notification(models.Model):
    """An outbox row: work to tell someone about an intake, written in the same transaction.

    The broker may be down when a patient submits; the row is saved with the intake, and a
    periodic sweep sends whatever is still pending once the broker is back. An urgent alert
    with nobody to receive it stays pending with its error: it is never counted as sent.
    """

    class Kind(models.TextChoices):
        NEW_INTAKE = "new_intake", "New intake for review"
        URGENT = "urgent", "Urgent intake"
        URGENT_REALERT = "urgent_realert", "Urgent intake not yet opened (before the roster)"
        URGENT_ESCALATION = "urgent_escalation", "Urgent intakes not yet acknowledged"
        REMINDER = "reminder", "Reminder to finish an intake"
        DECIDED = "decided", "Intake reviewed (to the patient)"
        CARE_UPDATED = "care_updated", "Care plan changed (to the patient)"
        OUTCOME_DUE = "outcome_due", "First session passed with no outcome (to the clinician)"
        RESCREEN_DUE = "rescreen_due", "A re-screen is due (to the patient)"
        RESCREEN_REMINDER = "rescreen_reminder", "Reminder of a re-screen due (to the patient)"
        RESCREEN_WORSENED = "rescreen_worsened", "A re-screen shows worsening (to clinicians)"

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        WEBHOOK = "webhook", "Webhook (pager or text-message gateway)"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    # An escalation is one message per person per sweep, about however many intakes: it has
    # a recipient and a count, and no intake.
    intake = models.ForeignKey("intake.Intake", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="notifications")
    alert = models.ForeignKey(UrgentAlert, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="notifications")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    alert_count = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "created_at"], name="notification_pending")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.channel}) for intake {self.intake_id}"


class ContactAttempt(models.Model):
    """One attempt to reach the person about their intake (SPEC §8b, contact log).

    The first attempt, of any outcome, stops the intake's response-time clock.
    """

    class Channel(models.TextChoices):
        CALL = "call", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "E-mail"
        VOICEMAIL = "voicemail", "Voicemail"
        IN_PERSON = "in_person", "In person"

    class Outcome(models.TextChoices):
        REACHED = "reached", "Reached the person"
        NO_ANSWER = "no_answer", "No answer"
        LEFT_MESSAGE = "left_message", "Left a message"
        WRONG_NUMBER = "wrong_number", "Wrong number"
        DECLINED = "declined", "Declined to talk"

    intake = models.ForeignKey("intake.Intake", on_delete=models.CASCADE,
                               related_name="contact_attempts")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    note = models.TextField(blank=True)
    next_try_at = models.DateTimeField("next try", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["intake", "-at"], name="contact_attempt_intake")]

    def __str__(self) -> str:
        return f"{self.channel} {self.outcome} for intake {self.intake_id}"


class Snapshot(models.Model):
    """A figure worked out in the background and read by a page, one row per kind (the
    clinic metrics, review/metrics.py; the response-time report's default range,
    review/clocks.py; review/snapshots.py). In the database, not the cache: every process
    reads the same row (the cache without Redis is per process) and it outlives a Redis
    outage."""

    kind = models.CharField(max_length=40, primary_key=True)
    value = models.JSONField()
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind} snapshot of {self.computed_at:%Y-%m-%d %H:%M}"
