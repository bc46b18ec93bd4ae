"""Telling people about intakes: outbox rows, then e-mail with a link and nothing else.

No answer, name, level or flag ever goes into an e-mail: only that there is something to
look at and the link to it, behind sign-in.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import CLINICIAN
from oncall.selectors import oncall_clinicians

from .alerts import NO_RECIPIENT
from .clocks import SAFETY, intake_start_clock
from .models import Notification, UrgentAlert
from .webhook import webhook_post

logger = logging.getLogger(__name__)


class NotificationNotSent(Exception):
    """A send failed. Its text holds the notification's id and the error's type only: the
    SMTP error itself names recipients (patients' e-mail addresses), and Celery logs the
    exception at every retry and on the final failure."""


def notification_queue(*, kind: str, intake) -> Notification:
    """Save a notification with the caller's transaction and try to hand it to the broker
    once that transaction commits. Returns the (e-mail) outbox row.

    An URGENT notification also makes the intake's UrgentAlert (one per intake, whether it
    comes from a draft's acute-risk save or a submit) and, when ONCALL_WEBHOOK_URL is set,
    a second row for the pager webhook. A broker outage only delays any of them:
    `send_pending_notifications` picks them up later.
    """
    alert = None
    if kind == Notification.Kind.URGENT:
        from .alerts import alert_for_intake

        alert = alert_for_intake(intake=intake)
    notification = Notification.objects.create(kind=kind, intake=intake, alert=alert)
    rows = [notification]
    if alert is not None and settings.ONCALL_WEBHOOK_URL:
        rows.append(Notification.objects.create(kind=kind, intake=intake, alert=alert,
                                                channel=Notification.Channel.WEBHOOK))
    for row in rows:
        transaction.on_commit(lambda pk=row.pk, kind=row.kind: _enqueue(pk, kind))
    return notification


def notification_queue_escalation(*, alerts: list[UrgentAlert],
                                  recipients: list[User]) -> list[Notification]:
    """One e-mail per person about all of `alerts` (never one per intake), and one webhook
    event per alert. Written in the caller's transaction; sent once it commits."""
    rows = [Notification(kind=Notification.Kind.URGENT_ESCALATION, recipient=person,
                         alert_count=len(alerts)) for person in recipients]
    if settings.ONCALL_WEBHOOK_URL:
        rows += [Notification(kind=Notification.Kind.URGENT_ESCALATION, alert=alert,
                              intake_id=alert.intake_id, channel=Notification.Channel.WEBHOOK)
                 for alert in alerts]
    created = Notification.objects.bulk_create(rows)
    for row in created:
        transaction.on_commit(lambda pk=row.pk: _enqueue(pk, Notification.Kind.URGENT_ESCALATION))
    return created


def notify_intake_submitted(*, intake, urgent: bool, flags,
                            already_alerted: bool = False) -> None:
    """What the intake app calls at submit, in its transaction: the response clock starts
    (its tier from the flags), the on-call clinicians hear of an urgent intake (unless its
    draft raised the alert already), and every clinician of a new one. The urgent alert is
    queued first: the worker takes tasks in order, and it must not wait behind the notice."""
    intake_start_clock(intake=intake, urgent=urgent, flags=flags)
    if urgent and not already_alerted:
        notification_queue(kind=Notification.Kind.URGENT, intake=intake)
    notification_queue(kind=Notification.Kind.NEW_INTAKE, intake=intake)


def notify_acute_risk(*, intake) -> None:
    """What the intake app calls when a draft's save first shows acute risk (SPEC §8b): the
    clock starts on the urgent tier from that save, and the on-call clinicians are alerted
    now, in the save's transaction."""
    intake_start_clock(intake=intake, urgent=True, flags=())
    notification_queue(kind=Notification.Kind.URGENT, intake=intake)


def notify_rescreen_submitted(*, rescreen, urgent: bool, flags, worsening: bool,
                              already_alerted: bool = False) -> None:
    """What the care app calls when a re-screen is submitted, in its transaction (SPEC §8b):
    it goes into the queue, labelled a re-screen, with a response clock. Worsening (a step
    up or a new safety flag) is at least the 1-business-day tier and every clinician hears
    of it; urgent is the urgent tier and alerts the on-call clinicians (unless the draft's
    acute-risk save did already). Otherwise it waits on the routine tier, no mail."""
    intake_start_clock(intake=rescreen, urgent=urgent, flags=flags,
                       at_least=SAFETY if worsening else None)
    if urgent and not already_alerted:
        notification_queue(kind=Notification.Kind.URGENT, intake=rescreen)
    if worsening:
        notification_queue(kind=Notification.Kind.RESCREEN_WORSENED, intake=rescreen)


def notify_rescreen_due(*, intake, reminder: bool = False) -> Notification:
    """What the care app calls when a re-screen of the care decided on `intake` is due, or
    its reminder: a mail to the person with a link to their home page, nothing else."""
    kind = Notification.Kind.RESCREEN_REMINDER if reminder else Notification.Kind.RESCREEN_DUE
    return notification_queue(kind=kind, intake=intake)


def notify_intake_reminder(*, intake) -> None:
    """What the intake app calls when an unfinished intake is due a reminder."""
    notification_queue(kind=Notification.Kind.REMINDER, intake=intake)


def _enqueue(notification_id: int, kind: str) -> None:
    """Hand the row to the broker: an urgent alert or its escalation to the "urgent" queue
    (its own workers: never behind a replay or a mail backlog), the rest to "mail"."""
    from .tasks import send_notification, send_urgent_notification

    task = send_urgent_notification if kind in URGENT_QUEUE_KINDS else send_notification
    try:
        task.delay(notification_id)
    except Exception as error:  # the broker is down: the row stays pending, the sweep retries
        logger.warning("notification %s left pending: broker unavailable (%s)",
                       notification_id, type(error).__name__)


URGENT_KINDS = (Notification.Kind.URGENT, Notification.Kind.URGENT_REALERT)
URGENT_QUEUE_KINDS = (*URGENT_KINDS, Notification.Kind.URGENT_ESCALATION)


def _recipients(notification: Notification) -> list[str]:
    clinicians = User.objects.filter(groups__name=CLINICIAN, is_active=True)
    if notification.kind in (Notification.Kind.NEW_INTAKE, Notification.Kind.RESCREEN_WORSENED):
        return sorted(set(clinicians.values_list("email", flat=True)))
    if notification.kind in URGENT_KINDS:
        on_call = {person.email for person in oncall_clinicians()}
        return sorted(on_call | set(settings.ONCALL_EMAILS))
    if notification.kind == Notification.Kind.URGENT_ESCALATION:
        person = notification.recipient
        return [person.email] if person is not None and person.is_active else []
    if notification.kind in _TO_THE_PERSON:
        return [notification.intake.patient.email]
    if notification.kind == Notification.Kind.OUTCOME_DUE:
        assignee = notification.intake.assigned_to
        if assignee is not None and assignee.is_active and assignee.is_clinician:
            return [assignee.email]
        return sorted(set(clinicians.values_list("email", flat=True)))
    return []


_CRISIS_LINE = gettext_lazy("If you are in crisis, call or text 988 (Suicide & Crisis "
                            "Lifeline), or call 911 in an emergency.")
# The mails to the person: the page its link opens, the subject, then the paragraphs (%(link)s
# where the link goes); the crisis line closes each. Translated when sent, in their language.
_TO_THE_PERSON = {
    Notification.Kind.REMINDER: (
        "intake:home", gettext_lazy("Your intake is saved: finish it when you are ready"),
        gettext_lazy("You started an intake and your answers are saved."),
        gettext_lazy("Continue where you left off: %(link)s")),
    Notification.Kind.DECIDED: (
        "intake:status", gettext_lazy("Your intake has been reviewed"),
        gettext_lazy("A clinician has reviewed your intake. Sign in to see the care we "
                     "suggest and what happens next: %(link)s")),
    Notification.Kind.CARE_UPDATED: (
        "intake:status", gettext_lazy("There is an update about your care"),
        gettext_lazy("Something about the care arranged for you has changed. Sign in to see "
                     "the latest and what happens next: %(link)s")),
    Notification.Kind.RESCREEN_DUE: (
        "intake:home", gettext_lazy("Time for your check-in"),
        gettext_lazy("It is time for your regular check-in: a few short questions on how you "
                     "have been, so your care keeps fitting you."),
        gettext_lazy("Sign in to answer them: %(link)s")),
    Notification.Kind.RESCREEN_REMINDER: (
        "intake:home", gettext_lazy("Your check-in is still waiting"),
        gettext_lazy("Your regular check-in is still waiting for you. It takes a few minutes."),
        gettext_lazy("Sign in to answer it: %(link)s")),
}


def _message(notification: Notification) -> tuple[str, str]:
    if notification.kind in _TO_THE_PERSON:
        # Mail to the person is in their account's language (SPEC §8b); staff mail in English.
        # What was decided or changed is behind sign-in: the mail only says where to look.
        url_name, subject, *paragraphs = _TO_THE_PERSON[notification.kind]
        args = [notification.intake_id] if url_name == "intake:status" else []
        link = settings.SITE_URL + reverse(url_name, args=args)
        with translation.override(notification.intake.patient.language):
            body = "\n\n".join(str(part) for part in (*paragraphs, _CRISIS_LINE))
            return str(subject), body % {"link": link} + "\n"
    if notification.kind == Notification.Kind.OUTCOME_DUE:
        link = settings.SITE_URL + reverse("review:intake", args=[notification.intake_id])
        return ("A first session has passed with no outcome recorded",
                "A first session scheduled after a decision has passed and nothing is "
                "recorded yet: did the person start, or not come?\n\n"
                f"Open the intake: {link}\n")
    if notification.kind == Notification.Kind.URGENT_ESCALATION:
        count = notification.alert_count or 0
        link = settings.SITE_URL + reverse("review:queue")
        what = "1 urgent intake is" if count == 1 else f"{count} urgent intakes are"
        return (f"URGENT: {what} not yet acknowledged",
                f"{what[0].upper()}{what[1:]} not yet acknowledged by anyone. If you can "
                "act now, open the queue, open the intake and press \"I'm on it\".\n\n"
                f"The queue: {link}\n")
    link = settings.SITE_URL + reverse("review:intake", args=[notification.intake_id])
    if notification.kind == Notification.Kind.RESCREEN_WORSENED:
        return ("A re-screen shows worsening",
                "A re-screen of a person in care suggests more care or shows a new safety "
                f"concern. It is in the review queue.\n\nOpen it: {link}\n")
    if notification.kind == Notification.Kind.NEW_INTAKE:
        return ("A new intake is waiting for review",
                f"A new intake is waiting in the review queue.\n\nOpen it: {link}\n")
    return ("URGENT: an intake needs review now",
            "An intake was flagged urgent and needs a clinician now. Open it and press "
            "\"I'm on it\" so the others know someone has it; until someone does, the alert "
            f"goes to every clinician every {settings.URGENT_ACKNOWLEDGE_WITHIN_MINUTES} "
            f"minutes.\n\nOpen it: {link}\n")


def _deliver(notification: Notification) -> int | None:
    """Hand the notification to its channel. Returns the number of people (or gateways)
    it went to, None when there is nobody to send it to; raises what the channel raised."""
    if notification.channel == Notification.Channel.WEBHOOK:
        webhook_post(notification)
        return 1
    recipients = _recipients(notification)
    if not recipients:
        return None
    subject, body = _message(notification)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)


def notification_send(*, notification_id: int) -> bool:
    """Send one pending notification. Returns False when it was already sent (idempotent),
    or when it has nobody to go to: an urgent alert with no recipient stays pending with
    NO_RECIPIENT as its error (the sweep tries again; the staff banner and /healthz say so);
    any other notification with no recipient is done. Raises NotificationNotSent when the
    channel failed (the task retries it with backoff).

    The row is locked while sending so two workers never send the same one twice.
    """
    failure: Exception | None = None
    with transaction.atomic():
        notification = (Notification.objects.select_for_update(skip_locked=True, of=("self",))
                        .select_related("intake__patient", "intake__assigned_to", "recipient",
                                        "alert")
                        .filter(pk=notification_id, sent_at__isnull=True).first())
        if notification is None:
            return False
        notification.attempts += 1
        try:
            delivered = _deliver(notification)
        except Exception as error:
            # Recorded, then raised once the block has committed: raising inside it would
            # roll the attempt count back, and the sweep would retry it forever.
            failure = error
            notification.last_error = type(error).__name__
            notification.save(update_fields=["attempts", "last_error"])
        else:
            if delivered is None and notification.kind in URGENT_KINDS:
                # Never counted as sent: nobody has been told.
                notification.last_error = NO_RECIPIENT
                notification.save(update_fields=["attempts", "last_error"])
                logger.error("urgent notification %s has no recipient: nobody is on call",
                             notification.pk)
                return False
            notification.sent_at = timezone.now()
            # An escalation is one person's copy: if they left meanwhile, the alert itself
            # still escalates to everyone else each period, so this copy is closed, and says so.
            notification.last_error = "" if delivered is not None else "recipient left"
            notification.save(update_fields=["attempts", "sent_at", "last_error"])
    if failure is not None:
        # `from None`, and raised outside the `except` block: neither __cause__ nor
        # __context__ carries the original error (and its addresses) into a traceback.
        error_type, failure = type(failure).__name__, None
        raise NotificationNotSent(
            f"notification {notification_id} not sent: {error_type}") from None
    logger.info("notification %s (%s, %s) sent to %d recipients", notification.pk,
                notification.kind, notification.channel, delivered or 0)
    return True


def notifications_pending_ids(*, older_than_seconds: int = 30, limit: int = 500) -> list[int]:
    """Ids of notifications still unsent after a while (their enqueue may have failed, or an
    urgent alert had nobody to go to: those are tried on every sweep, without a cap, until
    someone is on call)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(Notification.objects.filter(sent_at__isnull=True, created_at__lte=cutoff)
                .filter(Q(attempts__lt=10) | Q(last_error=NO_RECIPIENT))
                .order_by("created_at").values_list("pk", flat=True)[:limit])
