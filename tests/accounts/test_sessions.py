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


def test_the_activity_stamp_is_saved_at_most_once_a_minute(clinician_client):
    # Saving the session on every staff request cost three queries and a flush a page.
    clinician_client.get("/review/")
    _idle(clinician_client, 30)
    half_a_minute_ago = clinician_client.session[SESSION_KEY]
    assert clinician_client.get("/review/").status_code == 200
    assert clinician_client.session[SESSION_KEY] == half_a_minute_ago  # not written again
    _idle(clinician_client, 61)
    assert clinician_client.get("/review/").status_code == 200
    assert clinician_client.session[SESSION_KEY] >= int(time.time()) - 1  # written


def test_a_stamp_written_a_minute_ago_still_ends_an_idle_staff_session(clinician_client,
                                                                       settings):
    # The stamp lags by under a minute at most, so the session ends at most a minute late.
    _idle(clinician_client, settings.STAFF_IDLE_TIMEOUT + 1)
    assert clinician_client.get("/review/")["Location"] == "/login/"
