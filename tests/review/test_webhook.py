"""The pager webhook, against a real HTTP server on 127.0.0.1 started in the test: signed,
no patient data, a 500 and a timeout retried by the task, failures recorded by type only."""

import hashlib
import hmac
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from review.models import Notification, UrgentAlert
from review.notifications import NotificationNotSent, notification_queue, notification_send
from review.tasks import send_notification
from tests.factories import HIGH_SUICIDE_RISK, submitted_intake
from tests.workers import celery_worker

pytestmark = pytest.mark.django_db
SECRET = "gateway-shared-secret-of-32-or-more-characters"


class Gateway:
    """A pager gateway: answers each request with the next of `answers` ("ok", "500",
    "slow"), and keeps what it received."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.received: list[tuple[dict, bytes]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server interface
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append(({k.lower(): v for k, v in self.headers.items()},
                                         body))
                answer = gateway.answers.pop(0) if gateway.answers else "ok"
                if answer == "slow":
                    time.sleep(1.5)
                status = 500 if answer == "500" else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"patient Pat Patient pat@example.com" if status == 500
                                 else b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/page"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook(settings):
    def start(*answers):
        gateway = Gateway(answers)
        settings.ONCALL_WEBHOOK_URL = gateway.url
        settings.ONCALL_WEBHOOK_SECRET = SECRET
        settings.ONCALL_WEBHOOK_TIMEOUT_SECONDS = 0.5
        return gateway
    return start


def webhook_row(patient) -> Notification:
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    notification_queue(kind=Notification.Kind.URGENT, intake=intake)
    return Notification.objects.get(intake=intake, channel=Notification.Channel.WEBHOOK)


def test_it_posts_a_signed_event_with_ids_and_a_link_only(webhook, patient, clinician):
    with webhook("ok") as gateway:
        row = webhook_row(patient)
        assert notification_send(notification_id=row.pk) is True
    headers, body = gateway.received[0]
    signature = hmac.new(SECRET.encode(), headers["x-iop-timestamp"].encode() + b"." + body,
                         hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-iop-signature"], f"sha256={signature}")
    assert abs(int(headers["x-iop-timestamp"]) - time.time()) < 60
    payload = json.loads(body)
    alert = UrgentAlert.objects.get(intake=row.intake)
    assert payload == {"event": "urgent_alert", "alert_id": alert.pk,
                       "intake_url": f"http://127.0.0.1:8000/review/intakes/{row.intake_id}/",
                       "created_at": alert.created_at.isoformat()}
    for secret in ("Pat", "pat@example.com", "inpatient", "urgent\":", "cssrs"):
        assert secret.encode() not in body
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1


def test_a_wrong_secret_does_not_verify(webhook, patient, clinician):
    with webhook("ok") as gateway:
        notification_send(notification_id=webhook_row(patient).pk)
    headers, body = gateway.received[0]
    forged = hmac.new(b"another", headers["x-iop-timestamp"].encode() + b"." + body,
                      hashlib.sha256).hexdigest()
    assert headers["x-iop-signature"] != f"sha256={forged}"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("failure", ["500", "slow"])
def test_a_real_worker_retries_a_500_or_a_timeout(webhook, patient, clinician, failure):
    with webhook(failure, "ok") as gateway:
        row = webhook_row(patient)
        queue = f"test-webhook-{os.getpid()}"
        env = {"ONCALL_WEBHOOK_URL": gateway.url, "ONCALL_WEBHOOK_SECRET": SECRET,
               "ONCALL_WEBHOOK_TIMEOUT_SECONDS": "0.5"}
        with celery_worker(queue, env) as result:
            task_id = send_notification.apply_async(args=[row.pk], queue=queue).id
            assert result(task_id) is True
    assert len(gateway.received) == 2  # the first failed, Celery's retry went through
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error == ""


@pytest.mark.parametrize("failure, error", [("500", "WebhookRefused"), ("slow", "TimeoutError")])
def test_a_failure_is_kept_on_the_row_by_its_type_never_the_answer(webhook, patient,
                                                                    clinician, failure, error,
                                                                    caplog):
    with webhook(failure):
        row = webhook_row(patient)
        with pytest.raises(NotificationNotSent) as raised:
            notification_send(notification_id=row.pk)
    assert str(raised.value) == f"notification {row.pk} not sent: {error}"
    row.refresh_from_db()
    assert row.sent_at is None and row.last_error == error and row.attempts == 1
    assert "Pat" not in caplog.text and "pat@example.com" not in caplog.text


def test_no_webhook_row_when_no_url_is_set(settings, patient, clinician):
    settings.ONCALL_WEBHOOK_URL = ""
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    notification_queue(kind=Notification.Kind.URGENT, intake=intake)
    assert not Notification.objects.filter(channel=Notification.Channel.WEBHOOK).exists()


def test_each_escalated_alert_is_one_webhook_event(webhook, patient, clinician):
    from datetime import timedelta

    from django.utils import timezone

    from review.alerts import alerts_escalate

    with webhook("ok", "ok", "ok", "ok") as gateway:
        intakes = [submitted_intake(patient, **HIGH_SUICIDE_RISK) for _ in range(2)]
        for intake in intakes:
            notification_queue(kind=Notification.Kind.URGENT, intake=intake)
        UrgentAlert.objects.update(last_alerted_at=timezone.now() - timedelta(minutes=20))
        Notification.objects.update(sent_at=timezone.now())  # the first alerts went out
        alerts_escalate()
        rows = Notification.objects.filter(kind=Notification.Kind.URGENT_ESCALATION,
                                           channel=Notification.Channel.WEBHOOK)
        assert rows.count() == 2
        for row in rows:
            notification_send(notification_id=row.pk)
    events = [json.loads(body) for _, body in gateway.received]
    assert [event["event"] for event in events] == ["urgent_alert_escalated"] * 2
    assert sorted(event["alert_id"] for event in events) == sorted(
        UrgentAlert.objects.values_list("pk", flat=True))
