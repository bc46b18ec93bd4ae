"""Urgent alerts from the outbox to a person (SPEC §8b "On call, acknowledged, escalated").

An urgent intake gets one UrgentAlert. It goes at once to the clinicians on call (and
ONCALL_EMAILS, and the webhook); a clinician acknowledges it in one click; unacknowledged
after URGENT_ACKNOWLEDGE_WITHIN_MINUTES, the sweep sends it again to the backups and every
active clinician, one message per person per sweep however many intakes wait.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from accounts.roles import CLINICIAN
from audit.models import AuditEvent
from audit.services import audit_record
from intake.models import Intake
from oncall.selectors import oncall_backups, shifts_current

from .models import Notification, UrgentAlert

# The intake states in which an unacknowledged alert still escalates: once an intake is
# decided or closed, someone has dealt with the person.
ESCALATING_STATES = (Intake.Status.DRAFT, Intake.Status.SUBMITTED, Intake.Status.IN_REVIEW)
NO_RECIPIENT = "no recipient: nobody is on call and ONCALL_EMAILS is empty"
ROSTER_EMPTY_MESSAGE = ("No one is on call: urgent alerts cannot be delivered. "
                        "Set the on-call roster.")


class AlertError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def alert_for_intake(*, intake: Intake) -> UrgentAlert:
    """The intake's urgent alert, made the first time (a draft's acute-risk save and the
    later submit share one). Also starts the urgent response clock if none is running."""
    from .clocks import intake_start_clock

    alert, _ = UrgentAlert.objects.get_or_create(intake=intake,
                                                 defaults={"last_alerted_at": timezone.now()})
    intake_start_clock(intake=intake, urgent=True, flags=())
    return alert


@transaction.atomic
def alert_acknowledge(*, intake: Intake, actor: User,
                      request: HttpRequest | None = None) -> UrgentAlert:
    """A clinician says "I'm on it": recorded once (who, when), audited, escalation stops.

    Returns the alert; when someone acknowledged it first, theirs stands and is returned.
    Raises AlertError for a non-clinician or an intake with no urgent alert.
    """
    if not actor.is_clinician:
        raise AlertError("Only clinicians acknowledge urgent alerts.")
    alert = UrgentAlert.objects.select_for_update().filter(intake=intake).first()
    if alert is None:
        raise AlertError("This intake has no urgent alert to acknowledge.")
    if alert.acknowledged_at is not None:
        return alert
    alert.acknowledged_at, alert.acknowledged_by = timezone.now(), actor
    alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(actor=actor, action=AuditEvent.Action.CHANGE, object_type="urgent_alert",
                 object_id=alert.pk, intake_id=intake.pk, request=request,
                 detail={"acknowledged": True, "escalations": alert.escalations})
    return alert


def _escalation_due_before():
    return timezone.now() - timedelta(minutes=settings.URGENT_ACKNOWLEDGE_WITHIN_MINUTES)


def escalation_recipients() -> list[User]:
    """The backups on the roster now and every active clinician, once each."""
    people = {user.pk: user for user in User.objects.filter(groups__name=CLINICIAN,
                                                            is_active=True)}
    for backup in oncall_backups():
        people.setdefault(backup.pk, backup)
    return [people[pk] for pk in sorted(people)]


@transaction.atomic
def alerts_escalate(*, limit: int = 500) -> list[int]:
    """The sweep: every alert unacknowledged for a period goes again, batched into one
    message per person ("N urgent intakes are not yet acknowledged", a link to the queue)
    plus one webhook event per alert. Returns the ids of the alerts escalated.

    Rows are locked with SKIP LOCKED and `last_alerted_at` moves in the same transaction
    as the outbox rows, so two sweeps running at once never send a period twice.
    """
    from .notifications import notification_queue_escalation

    due = list(UrgentAlert.objects.select_for_update(skip_locked=True, of=("self",))
               .filter(acknowledged_at__isnull=True, last_alerted_at__lte=_escalation_due_before(),
                       intake__status__in=ESCALATING_STATES)
               .order_by("last_alerted_at")[:limit])
    if not due:
        return []
    now = timezone.now()
    for alert in due:
        alert.last_alerted_at, alert.escalations = now, alert.escalations + 1
        alert.save(update_fields=["last_alerted_at", "escalations"])
    notification_queue_escalation(alerts=due, recipients=escalation_recipients())
    return [alert.pk for alert in due]


def _delivery_state() -> tuple[bool, int]:
    """(someone is on call, undelivered urgent alerts) in one query: the staff banner asks
    both on every staff page, and a query costs about 0.6 ms of CPU in Django alone."""
    on_call = (shifts_current().filter(clinician__groups__name=CLINICIAN)
               .order_by().values("pk")[:1])
    undelivered = (Notification.objects.filter(
        sent_at__isnull=True, kind__in=(Notification.Kind.URGENT,
                                        Notification.Kind.URGENT_ESCALATION))
        .exclude(last_error="").order_by().values("pk"))
    on_call_sql, on_call_params = on_call.query.sql_with_params()
    undelivered_sql, undelivered_params = undelivered.query.sql_with_params()
    # Both parts are the ORM's own SQL, their values passed as parameters.
    sql = (f"SELECT EXISTS ({on_call_sql}), "  # noqa: S608  # nosec B608
           f"(SELECT COUNT(*) FROM ({undelivered_sql}) AS undelivered)")
    with connection.cursor() as cursor:
        cursor.execute(sql, (*on_call_params, *undelivered_params))
        someone, count = cursor.fetchone()
    return bool(someone), count


def delivery_checks() -> list[str]:
    """The failing checks, by name, for /healthz: `oncall_roster_empty`,
    `urgent_alerts_undelivered`."""
    someone, undelivered = _delivery_state()
    failing = []
    if not someone:
        failing.append("oncall_roster_empty")
    if undelivered:
        failing.append("urgent_alerts_undelivered")
    return failing


def delivery_problems() -> list[str]:
    """What keeps urgent alerts from reaching a person now, in words for the staff banner:
    an empty roster, and alerts still undelivered because of an error."""
    problems = []
    someone, undelivered = _delivery_state()
    if not someone:
        problems.append(ROSTER_EMPTY_MESSAGE)
    if undelivered:
        problems.append(f"{undelivered} urgent alert{'s' if undelivered != 1 else ''} could "
                        "not be delivered yet: the outbox keeps retrying. See that someone is "
                        "on call and that e-mail and the pager webhook work.")
    return problems
