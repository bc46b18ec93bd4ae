"""The pager or text-message gateway's webhook: a signed POST of ids and a link.

The body is {"event", "alert_id", "intake_url", "created_at"}: no name, answer, level, flag,
phone number or e-mail address, ever. The gateway verifies the signature: HMAC-SHA256 under
ONCALL_WEBHOOK_SECRET of "<X-IOP-Timestamp>.<body>", hex, in X-IOP-Signature as
"sha256=<hex>"; the timestamp lets it refuse a replay of an old request.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.urls import reverse

from .models import Notification

EVENTS = {Notification.Kind.URGENT: "urgent_alert",
          Notification.Kind.URGENT_ESCALATION: "urgent_alert_escalated"}


class WebhookRefused(Exception):
    """The gateway answered with an error status. Its text is the status code only: the
    response body is the gateway's and is never logged or stored."""


def webhook_body(notification: Notification) -> bytes:
    alert = notification.alert
    payload = {
        "event": EVENTS.get(notification.kind, notification.kind),
        "alert_id": alert.pk if alert else None,
        "intake_url": settings.SITE_URL + reverse("review:intake", args=[notification.intake_id]),
        "created_at": (alert.created_at if alert else notification.created_at).isoformat(),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def webhook_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def webhook_post(notification: Notification) -> None:
    """POST the notification to ONCALL_WEBHOOK_URL within ONCALL_WEBHOOK_TIMEOUT_SECONDS.

    Returns on a 2xx answer; raises WebhookRefused on any other, and the network's own error
    (URLError, TimeoutError...) when there was no answer: the task retries either.
    """
    body = webhook_body(notification)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the URL is the clinic's own setting
        settings.ONCALL_WEBHOOK_URL, data=body, method="POST", headers={
            "Content-Type": "application/json",
            "X-IOP-Timestamp": timestamp,
            "X-IOP-Signature": webhook_signature(secret=settings.ONCALL_WEBHOOK_SECRET,
                                                 timestamp=timestamp, body=body),
        })
    try:
        # The URL is the clinic's own setting, http(s) only (checked here: never file: or a
        # custom scheme) and https in production (settings refuse to start otherwise).
        if not settings.ONCALL_WEBHOOK_URL.startswith(("https://", "http://")):
            raise ValueError("ONCALL_WEBHOOK_URL must be an http(s) address")
        with urllib.request.urlopen(  # noqa: S310  # nosec B310: scheme checked above
                request, timeout=settings.ONCALL_WEBHOOK_TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
        error.close()
    if not 200 <= status < 300:
        raise WebhookRefused(f"status {status}")
