"""Account mail goes through an outbox and a worker: a silent mail server holds no page, the
worker gives up after EMAIL_TIMEOUT and retries, and a broker outage only delays the mail
(issue 13)."""

import os
import socket
import threading
import time

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import AccountMail
from accounts.tasks import send_pending_account_mail
from tests.workers import celery_worker


class SilentSMTP:
    """A mail server that accepts each connection and never says a word."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()

    def _accept(self):
        self.listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(conn)  # held open, unanswered

    def __enter__(self):
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join(timeout=5)
        for conn in self.connections:
            conn.close()
        self.listener.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_silent_mail_server_holds_no_page_and_the_worker_retries(patient):
    from iop.celery import app

    queue = f"test-account-mail-{os.getpid()}"
    with SilentSMTP() as smtp, override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=smtp.port, EMAIL_USE_TLS=False, EMAIL_TIMEOUT=2):
        routes = app.conf.task_routes
        app.conf.update(task_routes={"accounts.tasks.*": {"queue": queue}})
        try:
            # The page: it writes the outbox row and answers, without touching the server
            # (sent inside the request, this was a timeout error here, or a hang for ever).
            response = Client().post("/account/password-reset/", {"email": "pat@example.com"})
            assert response.status_code == 302
            assert smtp.connections == []
            row = AccountMail.objects.get()
            assert row.kind == "password_reset" and row.sent_at is None

            env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "EMAIL_USE_TLS": "0",
                   "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "", "EMAIL_TIMEOUT": "1"}
            with celery_worker(queue, env):
                deadline = time.monotonic() + 45
                while time.monotonic() < deadline:
                    row.refresh_from_db()
                    if row.attempts >= 2:
                        break
                    time.sleep(0.2)
        finally:
            app.conf.update(task_routes=routes)
    assert row.attempts >= 2, "the worker gave up on the silent server and tried again"
    assert row.sent_at is None and row.last_error in {"SMTPServerDisconnected", "TimeoutError"}
    assert len(smtp.connections) >= 2


def test_mail_written_while_the_broker_is_down_is_sent_by_the_sweep(patient, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    from iop.celery import app

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{_closed_port()}/0")
    reset_pools()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post("/account/password-reset/", {"email": "pat@example.com"})
    finally:
        monkeypatch.undo()
        reset_pools()
    assert response.status_code == 302
    row = AccountMail.objects.get()
    assert row.sent_at is None and mail.outbox == []
    AccountMail.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=2))
    assert send_pending_account_mail() == 1
    row.refresh_from_db()
    assert row.sent_at is not None and row.body == ""  # the sent link is not kept
    [message] = mail.outbox
    assert message.to == ["pat@example.com"] and "/account/reset/" in message.body
