from celery import shared_task

from .webhooks import WebhookNotDelivered, deliveries_due_ids, webhook_deliver


@shared_task(autoretry_for=(WebhookNotDelivered,), retry_backoff=2, retry_backoff_max=600,
             retry_kwargs={"max_retries": 6}, acks_late=True)
def deliver_webhook(delivery_id: int) -> bool:
    return webhook_deliver(delivery_id=delivery_id)


@shared_task
def send_due_webhooks() -> int:
    """Sweep: deliveries the broker could not take, or whose retries ran out meanwhile."""
    ids = deliveries_due_ids()
    for delivery_id in ids:
        try:
            webhook_deliver(delivery_id=delivery_id)
        except WebhookNotDelivered:
            continue
    return len(ids)
