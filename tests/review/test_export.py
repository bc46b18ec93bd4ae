"""Exporting an intake for the chart: the same data the page shows, audited, not cached."""

import json

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import HIGH_SUICIDE_RISK, submitted_intake

pytestmark = pytest.mark.django_db


def test_it_exports_answers_recommendation_and_version_as_a_json_download(clinician_client,
                                                                         patient):
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    response = clinician_client.get(reverse("review:export", args=[intake.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="intake-{intake.number}.json"')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["intake"] == intake.number and data["answers"] == intake.answers
    assert data["recommendation"]["level"] == "inpatient"
    assert data["recommendation"]["criteria_version"] == "default-2"
    assert data["recommendation"]["reasons"][0]["id"] == "IP-SUICIDE"
    assert data["decision"] is None


def test_an_export_is_written_to_the_audit_log(clinician_client, clinician, patient):
    intake = submitted_intake(patient)
    clinician_client.get(reverse("review:export", args=[intake.pk]))
    row = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert row.actor == clinician and row.intake_id == intake.pk
