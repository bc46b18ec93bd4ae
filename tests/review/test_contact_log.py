"""The contact log on the intake page: each attempt to reach the person, newest first,
audited; the first attempt of any outcome stops the response clock."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from intake.models import Intake
from review.models import ContactAttempt
from tests.factories import HIGH_SUICIDE_RISK, submitted_intake

pytestmark = pytest.mark.django_db


def soon(hours: float) -> str:
    return timezone.localtime(timezone.now() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_a_clinician_logs_attempts_listed_newest_first(clinician_client, clinician, patient):
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    url = reverse("review:contact", args=[intake.pk])
    clinician_client.post(url, {"channel": "call", "outcome": "no_answer",
                                "next_try_at": soon(1)})
    clinician_client.post(url, {"channel": "voicemail", "outcome": "left_message",
                                "note": "Asked them to call the clinic back."})
    assert ContactAttempt.objects.count() == 2
    html = clinician_client.get(reverse("review:intake", args=[intake.pk])).content.decode()
    assert html.index("Voicemail") < html.index("Phone call")  # newest first
    assert "Asked them to call the clinic back." in html
    events = AuditEvent.objects.filter(intake_id=intake.pk, action=AuditEvent.Action.CREATE)
    assert [e.detail["outcome"] for e in events.order_by("at")] == ["no_answer", "left_message"]
    assert all("note" not in e.detail for e in events)


def test_the_first_attempt_of_any_outcome_stops_the_clock(clinician_client, patient):
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    clinician_client.post(reverse("review:contact", args=[intake.pk]),
                          {"channel": "call", "outcome": "no_answer"})
    first = Intake.objects.get(pk=intake.pk).first_contact_at
    assert first is not None
    clinician_client.post(reverse("review:contact", args=[intake.pk]),
                          {"channel": "call", "outcome": "reached"})
    assert Intake.objects.get(pk=intake.pk).first_contact_at == first


@pytest.mark.parametrize("data, message", [
    ({"channel": "call", "outcome": "no_answer", "next_try_at": "2020-01-01T09:00"},
     "The next try must be in the future."),
    ({"channel": "", "outcome": "reached"}, "Choose how you tried to reach them."),
    ({"channel": "call", "outcome": ""}, "Choose what came of it."),
    ({"channel": "fax", "outcome": "reached"}, "Select a valid choice."),
])
def test_a_bad_attempt_is_refused_with_what_was_typed_kept(clinician_client, patient, data,
                                                           message):
    intake = submitted_intake(patient)
    data = {**data, "note": "Tried the mobile."}
    response = clinician_client.post(reverse("review:contact", args=[intake.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Tried the mobile." in html
    assert not ContactAttempt.objects.exists()


def test_admins_read_the_log_but_do_not_write_it(admin_client_, patient):
    intake = submitted_intake(patient)
    html = admin_client_.get(reverse("review:intake", args=[intake.pk])).content.decode()
    assert "Contact log" in html and "Log the attempt" not in html
    response = admin_client_.post(reverse("review:contact", args=[intake.pk]),
                                  {"channel": "call", "outcome": "reached"})
    assert response.status_code == 403 and not ContactAttempt.objects.exists()


def test_the_print_view_carries_the_log(clinician_client, clinician, patient):
    intake = submitted_intake(patient)
    clinician_client.post(reverse("review:contact", args=[intake.pk]),
                          {"channel": "text", "outcome": "reached", "note": "Booked Monday."})
    html = clinician_client.get(reverse("review:print", args=[intake.pk])).content.decode()
    assert "Text message, reached the person. Booked Monday." in html
    assert "Log the attempt" not in html
