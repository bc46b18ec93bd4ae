"""A patient sees only their own intakes; staff and strangers are kept out."""

import pytest
from django.test import Client
from django.urls import reverse

from intake.models import Intake
from tests.conftest import signed_in
from tests.factories import submitted_intake

pytestmark = pytest.mark.django_db

INTAKE_PAGES = ["intake:status", "intake:review", "intake:sign", "intake:answers"]


def test_another_patient_cannot_submit_someone_elses_draft(drafts, other_patient):
    response = signed_in(other_patient).post(reverse("intake:submit", args=[drafts.pk]),
                                             {"consent": "on", "signature_name": "Olive"})
    assert response.status_code == 404
    drafts.refresh_from_db()
    assert drafts.status == Intake.Status.DRAFT


@pytest.fixture
def drafts(patient):
    return Intake.objects.create(patient=patient)


@pytest.mark.parametrize("name", INTAKE_PAGES)
def test_another_patient_gets_404_for_someone_elses_intake(name, patient, other_patient):
    intake = submitted_intake(patient)
    assert signed_in(other_patient).get(reverse(name, args=[intake.pk])).status_code == 404


def test_another_patient_gets_404_for_a_step_of_someone_elses_draft(drafts, other_patient):
    url = reverse("intake:step", args=[drafts.pk, "about"])
    client = signed_in(other_patient)
    assert client.get(url).status_code == 404
    assert client.post(url, {"age": "40", "sex_at_birth": "male"}).status_code == 404
    drafts.refresh_from_db()
    assert drafts.answers == {}


@pytest.mark.parametrize("role", ["clinician", "admin_user"])
def test_staff_are_refused_the_patient_pages(role, request, drafts):
    client = signed_in(request.getfixturevalue(role))
    assert client.get(reverse("intake:home")).status_code == 403
    assert client.get(reverse("intake:step", args=[drafts.pk, "about"])).status_code == 403


def test_anonymous_people_are_sent_to_sign_in(drafts):
    response = Client().get(reverse("intake:step", args=[drafts.pk, "about"]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_no_patient_data_in_urls(patient):
    client = signed_in(patient)
    client.post(reverse("intake:start"))
    intake = Intake.objects.get(patient=patient)
    response = client.post(reverse("intake:step", args=[intake.pk, "about"]),
                           {"age": "34", "sex_at_birth": "female"})
    assert response.url == reverse("intake:step", args=[intake.pk, "concerns"])
