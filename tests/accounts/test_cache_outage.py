"""A Redis outage (the rate-limit cache) does not stop sign-in: a real redis-server started
here, stopped half way, and every limited page still answers (issue 13)."""

import contextlib
import logging
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import caches
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from iop import cache as fallback
from iop.cache import cache_settings
from tests.conftest import PASSWORD


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def redis_server(port: int):
    process = subprocess.Popen(["redis-server", "--port", str(port), "--save", "",
                                "--appendonly", "no", "--bind", "127.0.0.1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _stop(process) -> None:
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_cache(settings):
    port = _free_port()
    with redis_server(port) as process:
        settings.CACHES = cache_settings(f"redis://127.0.0.1:{port}/0")
        fallback._outage_since = None
        fallback._retry_at = 0.0
        yield port, process
    fallback._outage_since = None
    fallback._retry_at = 0.0


def test_sign_in_keeps_working_while_redis_is_down(redis_cache, patient, clinician, caplog):
    port, process = redis_cache
    assert Client().post("/login/", {"username": "pat@example.com", "password": PASSWORD}
                         ).status_code == 302
    assert redis.Redis(port=port).dbsize() > 0  # the counters were in Redis
    assert Client().get("/healthz").content == b"ok\n"

    _stop(process)
    caplog.set_level(logging.WARNING, logger="iop.cache")
    anon = Client()
    response = anon.post("/login/", {"username": "pat@example.com", "password": PASSWORD})
    assert response.status_code == 302 and anon.get("/intake/").status_code == 200
    assert Client().post("/account/signup/", {"full_name": "Sam New", "email": "sam@example.org",
                                              "password": PASSWORD}).status_code == 200
    assert Client().post("/account/password-reset/", {"email": "pat@example.com"}
                         ).status_code == 302

    staff = Client()
    staff.post("/login/", {"username": "casey@example.com", "password": PASSWORD})
    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    code = f"{totp(device.bin_key):06d}"
    assert staff.post("/account/2fa/verify/", {"token": code, "next": "/review/"}
                      )["Location"] == "/review/"
    assert staff.get("/review/").status_code == 200

    health = Client().get("/healthz")
    assert health.status_code == 200 and health.content.startswith(b"degraded")
    assert b"cache_unavailable_rate_limits_per_process" in health.content
    outage_lines = [r for r in caplog.records if "cache unavailable" in r.getMessage()]
    assert len(outage_lines) == 1  # logged once, naming no one
    assert "example" not in caplog.text


def test_limits_still_hold_per_process_while_redis_is_down(redis_cache, patient):
    _, process = redis_cache
    _stop(process)
    client = Client()
    codes = [client.post("/login/", {"username": "pat@example.com", "password": "x"}
                         ).status_code for _ in range(12)]
    assert codes[0] == 200 and codes[-1] == 429  # never fail open


def test_redis_back_again_is_used_again(redis_cache, patient, clinician):  # one on call
    port, process = redis_cache
    _stop(process)
    assert Client().get("/healthz").content.startswith(b"degraded")
    with redis_server(port):
        fallback._retry_at = 0.0  # skip the few seconds' pause before asking Redis again
        assert Client().get("/healthz").content == b"ok\n"
        assert fallback.cache_outage_since() is None
        caches["default"].set("probe", 1)
        assert redis.Redis(port=port).dbsize() == 1
