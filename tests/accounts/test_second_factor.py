"""Staff pass a TOTP second factor; idle staff sessions end after 15 minutes."""

import time

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import SESSION_KEY
from tests.conftest import signed_in


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_it_sends_staff_without_a_device_to_set_one_up(clinician):
    client = signed_in(clinician, verified=False)
    response = client.get("/review/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/setup/")


def test_it_turns_on_the_second_factor_with_a_correct_code(clinician):
    client = signed_in(clinician, verified=False)
    page = client.get("/account/2fa/setup/?next=/review/")
    assert "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=clinician)
    response = client.post("/account/2fa/setup/", {"token": _token(device), "next": "/review/"})
    assert response["Location"] == "/review/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/review/").status_code == 200


def test_it_refuses_a_wrong_code(clinician):
    client = signed_in(clinician, verified=False)
    TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    response = client.post("/account/2fa/verify/", {"token": "000000", "next": "/review/"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert client.get("/review/").status_code == 302


def test_it_lets_verified_staff_in_after_the_code(clinician):
    client = signed_in(clinician, verified=False)
    device = TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    assert client.get("/review/")["Location"].startswith("/account/2fa/verify/")
    client.post("/account/2fa/verify/", {"token": _token(device), "next": "/review/"})
    assert client.get("/review/").status_code == 200


def test_it_never_asks_patients_for_a_second_factor(patient_client):
    assert patient_client.get("/intake/").status_code == 200


def test_it_ends_an_idle_staff_session_after_15_minutes(clinician_client):
    assert clinician_client.get("/review/").status_code == 200
    session = clinician_client.session
    session[SESSION_KEY] = int(time.time()) - 15 * 60 - 1
    session.save()
    response = clinician_client.get("/review/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"


def test_it_keeps_an_active_staff_session(clinician_client):
    session = clinician_client.session
    session[SESSION_KEY] = int(time.time()) - 14 * 60
    session.save()
    assert clinician_client.get("/review/").status_code == 200


def test_it_rate_limits_password_guessing(db, patient):
    client = Client()
    codes = [client.post("/login/", {"username": "pat@example.com", "password": "x"}).status_code
             for _ in range(12)]
    assert codes[0] == 200 and codes[-1] == 429
