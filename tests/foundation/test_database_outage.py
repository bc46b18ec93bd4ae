"""A database that is down or hangs: pages answer a plain 503 with Retry-After, never a
500 or a hang, and the connection and statement timeouts come from the settings (issue 13)."""

import socket
import threading

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import PASSWORD, signed_in
from tests.foundation.test_settings import run_manage


class SilentServer:
    """Accepts TCP connections and never answers: a hung database server."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]

    def close(self):
        self.listener.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_at():
    """Point the app's connection at another port for the test, then back."""
    saved = dict(connection.settings_dict)

    def point(port: int, **options):
        connection.close()
        connection.settings_dict["PORT"] = port
        connection.settings_dict["OPTIONS"] = {**saved.get("OPTIONS", {}), **options}

    yield point
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


def _sign_in(results: list) -> None:
    results.append(Client(raise_request_exception=False).post(
        "/login/", {"username": "pat@example.com", "password": PASSWORD}))


@pytest.mark.django_db(transaction=True)
def test_a_stopped_database_answers_a_plain_503_with_retry_after(database_at, patient,
                                                                  clinician):
    patient_client, clinician_client = signed_in(patient), signed_in(clinician)
    for client in (patient_client, clinician_client):
        client.raise_request_exception = False
    database_at(_closed_port())
    anon = Client(raise_request_exception=False)
    responses = [anon.post("/login/", {"username": "pat@example.com", "password": PASSWORD}),
                 anon.post("/account/signup/", {"full_name": "A B", "email": "a@example.org",
                                                "password": PASSWORD}),
                 patient_client.get("/intake/"), clinician_client.get("/review/"),
                 patient_client.post("/intake/", {"start": "1"})]
    for response in responses:
        assert response.status_code == 503, response.status_code
        assert response["Retry-After"] == "30"
        html = response.content.decode()
        assert "back in a moment" in html and "988" in html and "Traceback" not in html
    assert Client().get("/healthz").status_code == 503


@pytest.mark.django_db(transaction=True)
def test_a_hung_database_gives_up_after_the_connect_timeout(database_at):
    server = SilentServer()
    try:
        assert "connect_timeout" in connection.settings_dict["OPTIONS"]
        database_at(server.port, connect_timeout=1)
        results: list = []
        worker = threading.Thread(target=_sign_in, args=(results,), daemon=True)
        worker.start()
        worker.join(timeout=20)  # without a connect timeout this waits for ever
        assert not worker.is_alive(), "the page hung on a database that never answers"
        assert results[0].status_code == 503
    finally:
        server.close()


def test_every_connection_has_a_statement_timeout(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"


def test_the_timeouts_come_from_the_environment():
    code = ("from django.conf import settings as s; o = s.DATABASES['default']['OPTIONS']; "
            "print(o['connect_timeout'], o['options'])")
    env = {"DATABASE_URL": "postgres://u@127.0.0.1:5432/x", "DB_CONNECT_TIMEOUT": "3",
           "DB_STATEMENT_TIMEOUT_MS": "5000"}
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.split() == ["3", "-c", "statement_timeout=5000"], result.stderr
