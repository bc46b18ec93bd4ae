"""Telling other systems that an intake was submitted or decided: signed webhooks.

Each event becomes one outbox row per subscribed hook, in the transaction that made the
event, so a broker outage loses nothing: Celery sends it once the transaction commits, with
retries and back-off, and a periodic sweep picks up what the broker could not take.
The body holds ids and links only; the receiver reads the rest through the API.
"""

import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import Webhook, WebhookDelivery
from .signing import signed_headers

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


class WebhookNotDelivered(Exception):
    """A delivery failed; its text holds the delivery id and the status or error type only."""


def webhooks_notify(*, event: str, intake) -> list[WebhookDelivery]:
    """Queue `event` ("intake.submitted", "intake.decided") about `intake` for every active
    hook subscribed to it, with the caller's transaction. Returns the outbox rows."""
    deliveries = []
    for hook in Webhook.objects.filter(active=True):
        if event not in hook.events:
            continue
        payload = {
            "event": event,
            "intake_id": intake.pk,
            # A re-screen during care reaches the same hooks as a first intake: say which.
            "kind": intake.kind,
            "occurred_at": timezone.now().isoformat(),
            "links": {
                "api": settings.SITE_URL + reverse("api:intake", args=[intake.pk]),
                "review": settings.SITE_URL + reverse("review:intake", args=[intake.pk]),
            },
        }
        deliveries.append(WebhookDelivery.objects.create(
            webhook=hook, event=event, intake_id=intake.pk, payload=payload))
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))
    return deliveries


def _enqueue(delivery_id: int) -> None:
    from .tasks import deliver_webhook

    if settings.CELERY_TASK_ALWAYS_EAGER:
        # No worker (the embedded demo): one try now; eager retries would run back to back
        # inside the person's request. A failure stays pending for the sweep.
        try:
            webhook_deliver(delivery_id=delivery_id)
        except WebhookNotDelivered as error:
            logger.warning("%s; left for the sweep", error)
        return
    try:
        deliver_webhook.delay(delivery_id)
    except Exception as error:  # the broker is down: the row stays pending, the sweep retries
        logger.warning("webhook delivery %s left pending: broker unavailable (%s)",
                       delivery_id, type(error).__name__)


def backoff_seconds(attempts: int) -> int:
    """How long to wait after `attempts` failed tries: 30 s, 1 min, 2 min ... at most 1 hour."""
    return min(30 * 2 ** max(attempts - 1, 0), 3600)


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    # The URL was typed by an admin, http(s) only (webhook_create checks the scheme, and so
    # does this: never file: or a custom scheme).
    if not url.startswith(("https://", "http://")):
        raise ValueError("a webhook URL must be an http(s) address")
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json", "User-Agent": "iop-intake-webhook/1", **headers})
    try:
        with urllib.request.urlopen(  # noqa: S310  # nosec B310: scheme checked above
                request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def webhook_deliver(*, delivery_id: int) -> bool:
    """Send one pending delivery. Returns False when there is nothing to send (delivered,
    given up, or being sent by another worker right now).

    Raises WebhookNotDelivered after recording the failed attempt, for Celery to retry.
    """
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True)
                    .select_related("webhook")
                    .filter(pk=delivery_id, delivered_at__isnull=True,
                            attempts__lt=WebhookDelivery.MAX_ATTEMPTS).first())
        if delivery is None:
            return False
        body = json.dumps({**delivery.payload, "delivery_id": delivery.pk},
                          separators=(",", ":")).encode()
        headers = {"X-IOP-Event": delivery.event, "X-IOP-Delivery": str(delivery.pk),
                   **signed_headers(secret=delivery.webhook.secret,
                                    timestamp=int(time.time()), body=body)}
        delivery.attempts += 1
        status, error = None, ""
        try:
            status = _post(delivery.webhook.url, body, headers)
        except Exception as failure:  # refused, timed out, bad address: recorded below
            error = type(failure).__name__
        now = timezone.now()
        delivery.last_status = status
        if status is not None and 200 <= status < 300:
            delivery.delivered_at, delivery.last_error = now, ""
        else:
            delivery.last_error = error or f"HTTP {status}"
            delivery.next_attempt_at = now + timezone.timedelta(
                seconds=backoff_seconds(delivery.attempts))
        delivery.save(update_fields=["attempts", "last_status", "last_error", "delivered_at",
                                     "next_attempt_at"])
    if delivery.delivered_at is None:
        raise WebhookNotDelivered(f"webhook delivery {delivery.pk} failed: "
                                  f"{delivery.last_error}")
    logger.info("webhook delivery %s (%s) delivered", delivery.pk, delivery.event)
    return True


def deliveries_due_ids(*, limit: int = 500) -> list[int]:
    """Ids of deliveries not yet sent whose next try is due (their enqueue or retry lapsed)."""
    return list(WebhookDelivery.objects.filter(
        delivered_at__isnull=True, attempts__lt=WebhookDelivery.MAX_ATTEMPTS,
        next_attempt_at__lte=timezone.now()).order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit])
