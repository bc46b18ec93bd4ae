"""Telling people about intakes: outbox rows, then e-mail with a link and nothing else.

No answer, name, level or flag ever goes into an e-mail: only that there is something to
look at and the link to it, behind sign-in.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import CLINICIAN

from .models import Notification

logger = logging.getLogger(__name__)


class NotificationNotSent(Exception):
    """A send failed. Its text holds the notification's id and the error's type only: the
    SMTP error itself names recipients (patients' e-mail addresses), and Celery logs the
    exception at every retry and on the final failure."""


def notification_queue(*, kind: str, intake) -> Notification:
    """Save a notification with the caller's transaction and try to hand it to the broker
    once that transaction commits. Returns the outbox row.

    A broker outage only delays it: `send_pending_notifications` picks it up later.
    """
    notification = Notification.objects.create(kind=kind, intake=intake)
    transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def notify_intake_submitted(*, intake, urgent: bool) -> None:
    """What the intake app calls at submit, in its transaction: the clinicians hear of a
    new intake, and the on-call ones of an urgent one."""
    notification_queue(kind=Notification.Kind.NEW_INTAKE, intake=intake)
    if urgent:
        notification_queue(kind=Notification.Kind.URGENT, intake=intake)


def notify_intake_reminder(*, intake) -> None:
    """What the intake app calls when an unfinished intake is due a reminder."""
    notification_queue(kind=Notification.Kind.REMINDER, intake=intake)


def _enqueue(notification_id: int) -> None:
    from .tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception as error:  # the broker is down: the row stays pending, the sweep retries
        logger.warning("notification %s left pending: broker unavailable (%s)",
                       notification_id, type(error).__name__)


def _recipients(notification: Notification) -> list[str]:
    clinicians = User.objects.filter(groups__name=CLINICIAN, is_active=True)
    if notification.kind == Notification.Kind.NEW_INTAKE:
        return sorted(set(clinicians.values_list("email", flat=True)))
    if notification.kind in (Notification.Kind.URGENT, Notification.Kind.URGENT_REALERT):
        on_call = set(clinicians.filter(on_call=True).values_list("email", flat=True))
        return sorted(on_call | set(settings.ONCALL_EMAILS))
    if notification.kind in (Notification.Kind.REMINDER, Notification.Kind.DECIDED):
        return [notification.intake.patient.email]
    return []


def _message(notification: Notification) -> tuple[str, str]:
    if notification.kind == Notification.Kind.REMINDER:
        link = settings.SITE_URL + reverse("intake:home")
        return ("Your intake is saved: finish it when you are ready",
                "You started an intake and your answers are saved.\n\n"
                f"Continue where you left off: {link}\n\n"
                "If you are in crisis, call or text 988 (Suicide & Crisis Lifeline), "
                "or call 911 in an emergency.\n")
    if notification.kind == Notification.Kind.DECIDED:
        # The level and next steps are behind sign-in; the mail only says where to look.
        link = settings.SITE_URL + reverse("intake:status", args=[notification.intake_id])
        return ("Your intake has been reviewed",
                "A clinician has reviewed your intake. Sign in to see the care we suggest "
                f"and what happens next: {link}\n\n"
                "If you are in crisis, call or text 988 (Suicide & Crisis Lifeline), "
                "or call 911 in an emergency.\n")
    link = settings.SITE_URL + reverse("review:intake", args=[notification.intake_id])
    if notification.kind == Notification.Kind.NEW_INTAKE:
        return ("A new intake is waiting for review",
                f"A new intake is waiting in the review queue.\n\nOpen it: {link}\n")
    return ("URGENT: an intake needs review now",
            "An intake was flagged urgent and needs a clinician now.\n\n"
            f"Open it: {link}\n")


def notification_send(*, notification_id: int) -> bool:
    """Send one pending notification. Returns False when it was already sent (idempotent).

    The row is locked while sending so two workers never send the same one twice.
    """
    failure: Exception | None = None
    with transaction.atomic():
        notification = (Notification.objects.select_for_update(skip_locked=True)
                        .select_related("intake__patient")
                        .filter(pk=notification_id, sent_at__isnull=True).first())
        if notification is None:
            return False
        notification.attempts += 1
        recipients = _recipients(notification)
        subject, body = _message(notification)
        try:
            if recipients:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception as error:
            # Recorded, then raised once the block has committed: raising inside it would
            # roll the attempt count back, and the sweep would retry it forever.
            failure = error
            notification.last_error = type(error).__name__
            notification.save(update_fields=["attempts", "last_error"])
        else:
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.save(update_fields=["attempts", "sent_at", "last_error"])
    if failure is not None:
        # `from None`, and raised outside the `except` block: neither __cause__ nor
        # __context__ carries the original error (and its addresses) into a traceback.
        error_type, failure = type(failure).__name__, None
        raise NotificationNotSent(
            f"notification {notification_id} not sent: {error_type}") from None
    logger.info("notification %s (%s) sent to %d recipients", notification.pk,
                notification.kind, len(recipients))
    return True


def notifications_pending_ids(*, older_than_seconds: int = 30, limit: int = 500) -> list[int]:
    """Ids of notifications still unsent after a while (their enqueue may have failed)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(Notification.objects.filter(sent_at__isnull=True, created_at__lte=cutoff,
                                            attempts__lt=10)
                .order_by("created_at").values_list("pk", flat=True)[:limit])
