"""Webhooks: an outbox row per event and hook, sent signed with ids and a link only, retried
with back-off when the receiver is down, delivered once it is back (real HTTP server, real
Celery worker)."""

import json
import os
import time

import pytest
from django.utils import timezone

from api.models import Webhook, WebhookDelivery
from api.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_valid
from api.tasks import deliver_webhook, send_due_webhooks
from api.webhooks import WebhookNotDelivered, backoff_seconds, webhook_deliver
from intake.models import Intake
from intake.services import intake_submit
from intake.steps import steps_for
from review.services import intake_decide, intake_move
from tests.api.hook_server import HookServer
from tests.factories import HIGH_SUICIDE_RISK, answers
from tests.workers import celery_worker


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def hook_for(url, admin, events=("intake.submitted", "intake.decided")) -> Webhook:
    return Webhook.objects.create(url=url, events=list(events), secret="s3cret-for-tests",
                                  created_by=admin)


def submitted_by_the_service(patient, **overrides) -> Intake:
    given = answers(**overrides)
    intake = Intake.objects.create(patient=patient, answers=given,
                                   steps_done=[step.slug for step in steps_for(given)])
    return intake_submit(intake=intake, signature_name=patient.full_name)


@pytest.mark.django_db
def test_submit_and_decide_each_queue_one_signed_delivery_with_ids_only(
        patient, clinician, admin_user, django_capture_on_commit_callbacks):
    with HookServer() as receiver:
        hook = hook_for(receiver.url, admin_user)
        only_decided = hook_for(receiver.url + "/decided", admin_user, ["intake.decided"])
        with django_capture_on_commit_callbacks(execute=False):
            intake = submitted_by_the_service(patient, **HIGH_SUICIDE_RISK)
        [submitted] = WebhookDelivery.objects.all()
        assert submitted.webhook == hook and submitted.event == "intake.submitted"
        assert webhook_deliver(delivery_id=submitted.pk) is True
        assert webhook_deliver(delivery_id=submitted.pk) is False  # sent once

        with django_capture_on_commit_callbacks(execute=False):
            intake_move(intake=intake, to_state=Intake.Status.IN_REVIEW, actor=clinician)
            intake_decide(intake=intake, actor=clinician, indicated_level="inpatient")
        decided = WebhookDelivery.objects.filter(event="intake.decided")
        assert {d.webhook for d in decided} == {hook, only_decided}
        for delivery in decided:
            webhook_deliver(delivery_id=delivery.pk)

    assert len(receiver.received) == 3
    headers, raw = receiver.received[0]
    body = json.loads(raw)
    assert body["event"] == "intake.submitted" and body["intake_id"] == intake.pk
    assert body["delivery_id"] == submitted.pk
    assert body["links"]["api"].endswith(f"/api/v1/intakes/{intake.pk}/")
    assert body["links"]["review"].endswith(f"/review/intakes/{intake.pk}/")
    assert set(body) == {"event", "intake_id", "kind", "occurred_at", "links", "delivery_id"}
    assert body["kind"] == "intake"
    assert signature_valid(secret=hook.secret, timestamp=headers[TIMESTAMP_HEADER], body=raw,
                           received=headers[SIGNATURE_HEADER], now=int(time.time()))
    assert not signature_valid(secret="another", timestamp=headers[TIMESTAMP_HEADER],
                               body=raw, received=headers[SIGNATURE_HEADER],
                               now=int(time.time()))
    assert not signature_valid(secret=hook.secret, timestamp=headers[TIMESTAMP_HEADER],
                               body=raw + b" ", received=headers[SIGNATURE_HEADER],
                               now=int(time.time()))
    text = b" ".join(raw for _, raw in receiver.received).decode()
    for secret in (patient.full_name, patient.email, "inpatient", "urgent", intake.number):
        assert secret not in text


@pytest.mark.django_db
def test_a_refused_delivery_is_recorded_and_tried_again_later(patient, admin_user,
                                                               django_capture_on_commit_callbacks):
    with HookServer(status=503) as receiver:
        hook_for(receiver.url, admin_user)
        with django_capture_on_commit_callbacks(execute=False):
            submitted_by_the_service(patient)
        delivery = WebhookDelivery.objects.get()
        with pytest.raises(WebhookNotDelivered, match=f"delivery {delivery.pk} failed"):
            webhook_deliver(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.last_status, delivery.last_error) == (
            1, 503, "HTTP 503")
        assert delivery.next_attempt_at > timezone.now() and delivery.delivered_at is None
        assert send_due_webhooks() == 0  # not due yet: the back-off holds
        receiver.status = 200
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert send_due_webhooks() == 1
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 2


@pytest.mark.django_db
def test_without_a_worker_one_try_is_made_at_once_and_a_failure_waits_for_the_sweep(
        settings, patient, admin_user, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the embedded demo
    with HookServer(status=500) as receiver:
        hook_for(receiver.url, admin_user)
        with django_capture_on_commit_callbacks(execute=True):
            intake = submitted_by_the_service(patient)
    assert intake.status == Intake.Status.SUBMITTED  # the submit itself is untouched
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status) == (1, 500)
    assert len(receiver.received) == 1


def test_the_back_off_doubles_up_to_an_hour():
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(20) == 3600


@pytest.mark.django_db
def test_a_switched_off_hook_is_sent_nothing(patient, admin_user):
    hook = hook_for("http://127.0.0.1:9/", admin_user)
    hook.active = False
    hook.save()
    submitted_by_the_service(patient)
    assert not WebhookDelivery.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_real_worker_retries_a_receiver_that_is_down_until_it_is_back(patient, admin_user):
    port = closed_port()
    hook = hook_for(f"http://127.0.0.1:{port}/hooks/iop", admin_user)
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="intake.submitted", intake_id=1,
        payload={"event": "intake.submitted", "intake_id": 1, "links": {}})
    queue = f"test-webhooks-{os.getpid()}"

    def wait_for(condition, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            delivery.refresh_from_db()
            if condition(delivery):
                return True
            time.sleep(0.2)
        return False

    with celery_worker(queue):
        deliver_webhook.apply_async(args=[delivery.pk], queue=queue)
        # Down: the attempt fails on a refused connection and is recorded.
        assert wait_for(lambda d: d.attempts >= 1, 60), "the worker never tried"
        assert delivery.delivered_at is None
        assert delivery.last_error == "URLError" and delivery.last_status is None
        with HookServer(port=port) as receiver:
            # Back: a retry with back-off (2 s, 4 s, 8 s ...) gets through.
            assert wait_for(lambda d: d.delivered_at is not None, 90), delivery.last_error
    assert delivery.attempts >= 2
    assert len(receiver.received) == 1
    assert receiver.bodies()[0]["delivery_id"] == delivery.pk
