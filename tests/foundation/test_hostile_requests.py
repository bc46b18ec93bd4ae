"""Requests no browser sends get a plain 400, headers say no more than needed, and the
plain-HTTP development profile signs in (issue 13)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.test import Client

from intake.models import Intake
from tests.conftest import PASSWORD, signed_in
from tests.foundation.test_settings import ROOT, run_manage

NULL_URLS = ["/admin/accounts/user/%00/change/", "/admin/accounts/user/?q=%00", "/admin/%00/",
             "/admin/accounts/user/1%00/change/", "/admin/review/program/%00/change/",
             "/admin/axes/accessattempt/?q=a%00b", "/review/?q=%00", "/audit/?actor=%00",
             "/intake/%00/", "/login/?next=%00"]


@pytest.mark.parametrize("url", NULL_URLS)
def test_a_null_byte_in_an_address_is_a_plain_400(url, admin_user, clinician):
    for user in (admin_user, clinician):
        client = signed_in(user)
        client.raise_request_exception = False
        response = client.get(url)
        assert response.status_code == 400, (user, url, response.status_code)
        assert "could not be read" in response.content.decode()


def test_invalid_utf8_is_not_accepted_as_a_signature(patient):
    from tests.factories import answers

    intake = Intake.objects.create(patient=patient, answers=answers())
    client = signed_in(patient)
    body = b"signature_name=Pat+\xff\xfePatient&consent=on"
    response = client.post(f"/intake/{intake.pk}/sign/", body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    intake.refresh_from_db()
    assert intake.status == Intake.Status.DRAFT and "\ufffd" not in (intake.signature_name or "")
    # Invalid UTF-8 in the query string too.
    assert Client().get("/login/", QUERY_STRING="next=%ff%fe").status_code == 400


def test_every_page_says_which_browser_features_it_never_uses(db, patient):
    for client, url in ((Client(), "/"), (Client(), "/login/"), (signed_in(patient), "/intake/")):
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_does_not_name_itself():
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ENV"}}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "iop.wsgi:application", "--workers", "1",
         "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        assert "gunicorn" not in (response.headers.get("Server") or "").lower()
        assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_cookies_are_secure_in_production_only():
    code = ("from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)")
    development = run_manage("shell", "--no-imports", "-c", code, env={})
    assert development.stdout.split() == ["False", "False"], development.stderr
    from tests.foundation.test_settings import PRODUCTION

    production = run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert production.stdout.split() == ["True", "True"], production.stderr


def test_the_plain_http_profile_signs_in(patient):
    client = Client()
    response = client.post("/login/", {"username": "pat@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert not client.cookies["sessionid"]["secure"]
    assert client.get("/intake/").status_code == 200
