"""Staff pass a TOTP second factor; idle staff sessions end after 15 minutes."""

import base64
import importlib
import re
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


def _setup_secret(html: str) -> str:
    return re.search(r"Key: <code>([A-Z2-7=]+)</code>", html).group(1)


def _code(secret: str) -> str:
    return f"{totp(base64.b32decode(secret)):06d}"


def test_it_turns_on_the_second_factor_with_a_correct_code(clinician):
    client = signed_in(clinician, verified=False, enrolling=True)
    page = client.get("/account/2fa/setup/?next=/review/")
    assert "data:image/svg+xml;base64," in page.content.decode()
    assert not TOTPDevice.objects.filter(user=clinician).exists()  # nothing saved unconfirmed
    secret = _setup_secret(page.content.decode())
    response = client.post("/account/2fa/setup/", {"token": _code(secret), "next": "/review/"})
    assert response["Location"] == "/review/"
    device = TOTPDevice.objects.get(user=clinician)
    assert device.confirmed
    assert client.get("/review/").status_code == 200


def test_a_secret_read_by_someone_else_with_the_password_never_works(clinician):
    intruder = signed_in(clinician, verified=False, enrolling=True)
    stolen = _setup_secret(intruder.get("/account/2fa/setup/").content.decode())
    owner = signed_in(clinician, verified=False, enrolling=True)
    own = _setup_secret(owner.get("/account/2fa/setup/").content.decode())
    assert own != stolen
    # The owner's own page keeps its secret on reload (the phone already scanned it).
    assert _setup_secret(owner.get("/account/2fa/setup/").content.decode()) == own
    owner.post("/account/2fa/setup/", {"token": _code(own), "next": "/review/"})
    assert owner.get("/review/").status_code == 200

    # The intruder cannot confirm theirs now, nor pass the code check with it.
    response = intruder.post("/account/2fa/setup/", {"token": _code(stolen)})
    assert response["Location"].startswith("/account/2fa/verify/")
    if _code(stolen) != _code(own):
        page = intruder.post("/account/2fa/verify/", {"token": _code(stolen)})
        assert "did not match" in page.content.decode()
    assert intruder.get("/review/").status_code == 302
    assert TOTPDevice.objects.filter(user=clinician).count() == 1


def test_a_confirmed_device_is_not_replaced_from_the_setup_page(clinician):
    client = signed_in(clinician, verified=False)
    device = TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    page = client.get("/account/2fa/setup/")
    assert page.status_code == 302 and page["Location"].startswith("/account/2fa/verify/")
    assert list(TOTPDevice.objects.filter(user=clinician)) == [device]


def test_a_code_confirms_enrolment_once(clinician):
    first, second = (signed_in(clinician, verified=False, enrolling=True) for _ in range(2))
    secrets = [_setup_secret(c.get("/account/2fa/setup/").content.decode())
               for c in (first, second)]
    first.post("/account/2fa/setup/", {"token": _code(secrets[0])})
    second.post("/account/2fa/setup/", {"token": _code(secrets[1])})
    assert TOTPDevice.objects.filter(user=clinician, confirmed=True).count() == 1


def test_unconfirmed_devices_left_by_older_code_are_discarded(clinician):
    from django.apps import apps

    migration = importlib.import_module(
        "accounts.migrations.0003_discard_unconfirmed_second_factors")
    TOTPDevice.objects.create(user=clinician, name="old", confirmed=False)
    migration.discard_unconfirmed(apps, None)
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    # And at the next enrolment too.
    TOTPDevice.objects.create(user=clinician, name="old", confirmed=False)
    client = signed_in(clinician, verified=False, enrolling=True)
    secret = _setup_secret(client.get("/account/2fa/setup/").content.decode())
    client.post("/account/2fa/setup/", {"token": _code(secret)})
    assert list(TOTPDevice.objects.filter(user=clinician).values_list("confirmed", flat=True)
                ) == [True]


def test_an_admin_resets_a_lost_second_factor(admin_user, clinician):
    from audit.models import AuditEvent

    TOTPDevice.objects.create(user=clinician, name="lost phone", confirmed=True)
    response = signed_in(admin_user).post("/admin/accounts/user/", {
        "action": "reset_second_factor", "_selected_action": [clinician.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    assert AuditEvent.objects.filter(object_type="second_factor",
                                     object_id=str(clinician.pk), actor=admin_user).exists()
    client = signed_in(clinician, verified=False)
    assert client.get("/review/")["Location"].startswith("/account/2fa/setup/")


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
