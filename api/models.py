"""Integrations: API tokens, webhooks and their deliveries (issue 18, SPEC §8b)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """One integration's key to the API (an EHR, a reporting job).

    Only a SHA-256 of the token is kept: the token itself is shown once, when it is made.
    A token is random (32 bytes), so a fast hash is enough; a slow password hash would only
    make every API call slower. `prefix` is the token's first characters, to tell tokens
    apart on the admin page without revealing them.
    """

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        READ_WRITE = "read_write", "Read and write (FHIR import)"

    name = models.CharField(max_length=100, help_text="Which integration uses it, e.g. 'EHR'.")
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE


class Webhook(models.Model):
    """A URL told when an intake is submitted or decided: ids and a link, never patient data.

    The secret signs each delivery (HMAC-SHA256); it is kept as is because signing needs it,
    and shown to the admin once, when the hook is made.
    """

    class Event(models.TextChoices):
        SUBMITTED = "intake.submitted", "An intake is submitted"
        DECIDED = "intake.decided", "An intake is decided"

    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """An outbox row: one event for one hook, written in the transaction that made the event.

    Sent by Celery with retries and back-off; a broker outage leaves it pending for the sweep.
    `payload` holds ids and a link only.
    """

    MAX_ATTEMPTS = 8

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30, choices=Webhook.Event.choices)
    # A plain number, like the audit log: the row outlives nothing it should not.
    intake_id = models.BigIntegerField()
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)  # HTTP status
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["delivered_at", "next_attempt_at"],
                                name="webhook_delivery_pending")]

    def __str__(self) -> str:
        return f"{self.event} for intake {self.intake_id} to hook {self.webhook_id}"

    @property
    def gave_up(self) -> bool:
        return self.delivered_at is None and self.attempts >= self.MAX_ATTEMPTS
