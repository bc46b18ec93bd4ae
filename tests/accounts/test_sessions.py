"""Sessions end after a while without activity: staff soon, patients later (issue 13)."""

import time

from accounts.middleware import SESSION_KEY


def _idle(client, seconds: int) -> None:
    session = client.session
    session[SESSION_KEY] = int(time.time()) - seconds
    session.save()


def test_an_idle_patient_session_ends_after_an_hour(patient_client):
    assert patient_client.get("/intake/").status_code == 200
    _idle(patient_client, 59 * 60)
    assert patient_client.get("/intake/").status_code == 200
    _idle(patient_client, 60 * 60 + 1)
    response = patient_client.get("/intake/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert patient_client.get("/intake/")["Location"].startswith("/login/")


def test_patients_have_longer_than_staff(settings):
    assert settings.PATIENT_IDLE_TIMEOUT > settings.STAFF_IDLE_TIMEOUT
    assert settings.SESSION_COOKIE_AGE <= 24 * 60 * 60  # not Django's 14 days
