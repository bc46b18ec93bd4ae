from celery import shared_task

from .notifications import notification_send, notifications_pending_ids
from .services import intakes_realert_unopened_urgent


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_kwargs={"max_retries": 5},
             acks_late=True)
def send_notification(notification_id: int) -> bool:
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
def realert_unopened_urgent_intakes() -> int:
    """Beat, every 2 minutes: urgent intakes nobody opened in time go to the on-call list again."""
    return len(intakes_realert_unopened_urgent())
