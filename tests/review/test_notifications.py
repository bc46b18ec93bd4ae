"""Clinician notifications: saved with the intake, sent when the broker can take them, never
lost when it cannot, sent once, and holding a link only."""

import os
import smtplib
import socket
import time
import traceback
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from intake.models import Intake
from review.models import Notification
from review.notifications import NotificationNotSent, notification_queue, notification_send
from review.services import intake_decide, intake_move
from review.tasks import send_notification, send_pending_notifications
from tests.factories import HIGH_SUICIDE_RISK, submitted_intake
from tests.workers import celery_worker

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A local port nothing listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def broker_down(monkeypatch):
    """Point the Celery app at a port where no broker listens, as in an outage."""
    from iop.celery import app

    def reset_pools():
        # Connections made earlier in the run would keep reaching the real broker.
        app._pool = None
        app.amqp._producer_pool = None

    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{closed_port()}/0")
    reset_pools()
    yield app
    monkeypatch.undo()
    reset_pools()


def test_it_keeps_the_notification_when_the_broker_is_down_and_sends_it_later(
        patient, clinician, broker_down, django_capture_on_commit_callbacks, caplog):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
        notification = notification_queue(kind=Notification.Kind.URGENT, intake=intake)
    # The submit did not hang on the dead broker, and nothing was lost.
    assert time.monotonic() - started < 15
    notification.refresh_from_db()
    assert notification.sent_at is None and notification.attempts == 0
    assert "left pending: broker unavailable" in caplog.text
    assert mail.outbox == []

    # The broker comes back; the beat's sweep finds the row and sends it.
    Notification.objects.filter(pk=notification.pk).update(
        created_at=notification.created_at - timedelta(minutes=1))
    assert send_pending_notifications() == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [clinician.email]  # on call
    assert send_pending_notifications() == 0  # nothing left, nothing sent twice
    assert len(mail.outbox) == 1


def test_it_sends_each_notification_once(patient, clinician, other_clinician):
    intake = submitted_intake(patient)
    notification = Notification.objects.create(kind=Notification.Kind.NEW_INTAKE,
                                               intake=intake)
    assert notification_send(notification_id=notification.pk) is True
    assert notification_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == sorted([clinician.email, other_clinician.email])


def test_it_puts_a_link_and_nothing_about_the_patient_in_the_mail(patient, clinician):
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    for kind in (Notification.Kind.NEW_INTAKE, Notification.Kind.URGENT,
                 Notification.Kind.URGENT_REALERT):
        notification = Notification.objects.create(kind=kind, intake=intake)
        notification_send(notification_id=notification.pk)
    for message in mail.outbox:
        text = message.subject + message.body
        assert f"/review/intakes/{intake.pk}/" in text
        for secret in ("Pat", "pat@example.com", "inpatient", "suicid", intake.number):
            assert secret.lower() not in text.lower()


def test_it_records_a_failed_send_and_retries_it(patient, clinician, monkeypatch):
    intake = submitted_intake(patient)
    notification = Notification.objects.create(kind=Notification.Kind.NEW_INTAKE,
                                               intake=intake)

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("review.notifications.send_mail", smtp_down)
    with pytest.raises(NotificationNotSent):
        notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.sent_at is None and notification.attempts == 1
    assert notification.last_error == "ConnectionRefusedError"
    monkeypatch.undo()
    assert notification_send(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


class RecipientsRefusedBackend(BaseEmailBackend):
    """An SMTP server that refuses the recipient, naming the address in the error."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"jane@example.org": (550, b"no")})


def test_a_failed_send_raises_an_error_without_the_recipients_address(patient, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RecipientsRefusedBackend"
    intake = submitted_intake(patient)
    notification = Notification.objects.create(kind=Notification.Kind.DECIDED, intake=intake)
    with pytest.raises(Exception) as raised:
        notification_send(notification_id=notification.pk)
    error = raised.value
    # Celery logs str(), repr() and the traceback (with its causes) at each retry.
    assert str(error) == f"notification {notification.pk} not sent: SMTPRecipientsRefused"
    assert "jane@example.org" not in str(error) and "jane@example.org" not in repr(error)
    assert error.__cause__ is None and error.__suppress_context__
    assert error.__context__ is None or "jane" not in repr(error.__context__)
    assert "jane@example.org" not in "".join(traceback.format_exception(error))
    # The task still retries it, and the row still says what went wrong.
    assert isinstance(error, send_notification.autoretry_for)
    notification.refresh_from_db()
    assert notification.last_error == "SMTPRecipientsRefused" and notification.sent_at is None


class SMTPSink:
    """A local SMTP server that keeps what it receives: the worker sends real SMTP to it."""

    def __init__(self):
        import asyncore  # noqa: F401 - smtpd's loop; both ship with Python 3.11
        import smtpd

        received = self.received = []

        class Server(smtpd.SMTPServer):
            def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
                received.append((rcpttos, data))

        self.server = Server(("127.0.0.1", 0), None, decode_data=True)
        self.port = self.server.socket.getsockname()[1]

    def __enter__(self):
        import asyncore
        import threading

        self.thread = threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.1},
                                       daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.close()
        self.thread.join(timeout=5)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_real_worker_sends_the_notification_email(patient, clinician):
    from review.tasks import send_notification

    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    notification = Notification.objects.create(kind=Notification.Kind.URGENT, intake=intake)
    queue = f"test-notify-{os.getpid()}"
    with SMTPSink() as smtp:
        env = {
            # The worker reads and writes this test's database and sends SMTP to the sink.
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "EMAIL_USE_TLS": "0",
            "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "",
        }
        with celery_worker(queue, env) as result:
            task_id = send_notification.apply_async(args=[notification.pk], queue=queue).id
            assert result(task_id) is True
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.attempts == 1
    assert len(smtp.received) == 1
    recipients, message = smtp.received[0]
    assert recipients == [clinician.email]
    assert "URGENT: an intake needs review now" in message
    assert f"/review/intakes/{intake.pk}/" in message
    assert "Pat Patient" not in message and "pat@example.com" not in message


def test_the_patient_is_told_by_mail_that_their_intake_was_reviewed_and_nothing_more(
        patient, clinician, django_capture_on_commit_callbacks):
    intake = submitted_intake(patient)
    Notification.objects.all().delete()  # the clinicians' new-intake notice is not this one
    intake_move(intake=intake, to_state=Intake.Status.IN_REVIEW, actor=clinician)
    with django_capture_on_commit_callbacks(execute=False):
        intake_decide(intake=intake, actor=clinician, indicated_level="iop",
                      start_level="outpatient", reason_code="no_capacity",
                      reason_text="Evening group full until March.",
                      next_steps="Call 555-0100 to book your first session.")
    notification = Notification.objects.get(intake=intake)
    assert notification.kind == Notification.Kind.DECIDED
    assert notification_send(notification_id=notification.pk) is True
    [message] = mail.outbox
    assert message.to == [patient.email]
    text = message.subject + message.body
    assert f"/intake/{intake.pk}/" in text and "988" in text
    for secret in (patient.full_name, "outpatient", "iop", "intensive", "555-0100",
                   "March", intake.number):
        assert secret.lower() not in text.lower()
