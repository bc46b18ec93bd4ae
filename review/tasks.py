from celery import shared_task

from .alerts import alerts_escalate
from .clocks import response_report_refresh
from .metrics import clinic_metrics_refresh
from .notifications import notification_send, notifications_pending_ids
from .outcomes import first_sessions_unrecorded_remind


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_kwargs={"max_retries": 5},
             acks_late=True)
def send_notification(notification_id: int) -> bool:
    """One outbox row: retried with backoff (a webhook that timed out or answered 500, an
    SMTP outage); what still fails after that is left to the pending sweep."""
    return notification_send(notification_id=notification_id)


# The same work as send_notification under its own name, so CELERY_TASK_ROUTES sends it to
# the "urgent" queue (its own workers) and the rest of the mail to "mail".
@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_kwargs={"max_retries": 5},
             acks_late=True)
def send_urgent_notification(notification_id: int) -> bool:
    """One urgent alert (mail or pager webhook) or escalation: as send_notification."""
    return notification_send(notification_id=notification_id)


@shared_task
def send_pending_notifications() -> int:
    """Sweep: send what the broker could not take when it was written."""
    ids = notifications_pending_ids()
    for notification_id in ids:
        try:
            notification_send(notification_id=notification_id)
        except Exception:  # noqa: S112 - attempts and the error are recorded on the row
            continue
    return len(ids)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_kwargs={"max_retries": 3})
def escalate_unacknowledged_urgent_alerts() -> int:
    """Beat, every minute: urgent alerts nobody acknowledged in time go again to the backups
    and every clinician, one message per person per sweep."""
    return len(alerts_escalate())


@shared_task
def remind_first_sessions_unrecorded() -> int:
    """Beat: a first session that passed with no outcome recorded reminds its clinician."""
    return len(first_sessions_unrecorded_remind())


@shared_task
def refresh_clinic_metrics() -> str:
    """Beat, every minute, on the "bulk" queue: work out the clinic metrics page's snapshot
    (the whole history: seconds at 100,000 intakes). Returns when it was worked out."""
    return clinic_metrics_refresh().computed_at.isoformat()


@shared_task
def refresh_response_report() -> str:
    """Beat, every minute, on the "bulk" queue: work out the response-time report's default
    range (the last 30 days) for its page. Returns when it was worked out."""
    return response_report_refresh().computed_at.isoformat()
