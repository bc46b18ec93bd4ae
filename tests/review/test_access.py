"""Who reaches each dashboard URL: anonymous people sign in, patients get 403, clinicians do
everything, admins read (queue, intake, print, metrics) but never decide or change."""

import pytest
from django.urls import reverse

from intake.models import Intake
from review.models import Decision, Note
from tests.conftest import signed_in
from tests.factories import MODERATE_DEPRESSION, submitted_intake


@pytest.fixture
def intake(patient):
    return submitted_intake(patient, **MODERATE_DEPRESSION)


def read_urls(intake) -> list[str]:
    return [
        reverse("review:queue"),
        reverse("review:metrics"),
        reverse("review:intake", args=[intake.pk]),
        reverse("review:print", args=[intake.pk]),
        reverse("review:export", args=[intake.pk]),
    ]


def write_urls(intake) -> list[tuple[str, dict]]:
    return [
        (reverse("review:move", args=[intake.pk]), {"to_state": "in_review"}),
        (reverse("review:decide", args=[intake.pk]), {"outcome": "accept"}),
        (reverse("review:assign", args=[intake.pk]), {"assignee": ""}),
        (reverse("review:note", args=[intake.pk]), {"text": "Called, left a message."}),
    ]


def test_it_sends_anonymous_people_to_sign_in_everywhere(anon_client, intake):
    for url in read_urls(intake) + [url for url, _ in write_urls(intake)]:
        response = anon_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    for url, data in write_urls(intake):
        assert anon_client.post(url, data)["Location"].startswith(reverse("login")), url


def test_it_refuses_patients_everywhere(patient_client, other_patient_client, intake):
    for client in (patient_client, other_patient_client):
        for url in read_urls(intake):
            assert client.get(url).status_code == 403, url
        for url, data in write_urls(intake):
            assert client.post(url, data).status_code == 403, url
    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED and intake.assigned_to is None
    assert not Note.objects.exists()


def test_it_opens_every_page_for_a_clinician(clinician_client, intake):
    for url in read_urls(intake):
        assert clinician_client.get(url).status_code == 200, url


def test_it_lets_admins_read_but_not_decide(admin_client_, intake):
    for url in read_urls(intake):
        assert admin_client_.get(url).status_code == 200, url
    for url, data in write_urls(intake):
        assert admin_client_.post(url, data).status_code == 403, url
    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.first_opened_at is None  # an admin reading does not stop the urgent clock
    assert not Decision.objects.exists() and not Note.objects.exists()


def test_it_sends_staff_without_the_second_factor_to_it(clinician, intake):
    client = signed_in(clinician, verified=False)
    for url in read_urls(intake):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/account/2fa/" in response["Location"], url


def test_it_answers_404_for_an_unknown_intake_or_a_draft(clinician_client, patient):
    draft = Intake.objects.create(patient=patient)
    for pk in (draft.pk, 999999):
        assert clinician_client.get(reverse("review:intake", args=[pk])).status_code == 404
        assert clinician_client.get(reverse("review:print", args=[pk])).status_code == 404
        response = clinician_client.post(reverse("review:move", args=[pk]),
                                         {"to_state": "in_review"})
        assert response.status_code == 404


def test_it_refuses_other_methods(clinician_client, intake):
    assert clinician_client.post(reverse("review:metrics")).status_code == 405
    assert clinician_client.get(reverse("review:decide", args=[intake.pk])).status_code == 405


def test_it_signs_out_idle_staff_after_fifteen_minutes(clinician_client, intake):
    import time

    from accounts.middleware import SESSION_KEY

    assert clinician_client.get(reverse("review:queue")).status_code == 200
    session = clinician_client.session
    session[SESSION_KEY] = int(time.time()) - 15 * 60 - 1
    session.save()
    response = clinician_client.get(reverse("review:intake", args=[intake.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert clinician_client.get(reverse("review:queue")).status_code == 302
