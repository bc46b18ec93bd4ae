"""Done when (issue 18): an intake goes out through the API and the FHIR export and comes
back in through the FHIR import with the same recommendation."""

import json

import pytest
from django.utils import timezone

from intake.models import Intake
from tests.factories import answers, submitted_intake

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("given", [
    answers(phq9=[2, 2, 2, 2, 2, 1, 1, 1, 1], functioning="some_difficulty"),
    answers(cssrs={"wish_dead": True, "suicidal_thoughts": True, "method": True,
                   "intent": True, "plan": False, "behavior_lifetime": True,
                   "behavior_past_3_months": True}, harm_to_others="thoughts"),
    answers(concerns=["alcohol", "eating", "chronic_pain"], auditc=[4, 3, 3],
            withdrawal={"current_symptoms": "moderate", "history_seizures_or_dts": True,
                        "daily_use": True}, height_cm=160, weight_kg=44.5,
            scoff=[True, True, True, False, False], peg=[8, 7, 9],
            overdose_past_year=True, firearm_access=False),
], ids=["iop", "urgent", "withdrawal-and-eating"])
def test_an_intake_round_trips_through_the_api_export_and_import(reader, writer, patient,
                                                                 given):
    original = submitted_intake(patient, submitted_at=timezone.now(), **given)
    expected = original.recommendation

    rest = reader.get(f"/api/v1/intakes/{original.pk}/").json()
    assert rest["answers"] == original.answers
    assert rest["recommendation"]["level"] == expected.level

    day = timezone.localdate().isoformat()
    export = reader.get(f"/api/v1/fhir/$export?_since={day}&_until={day}")
    lines = [json.loads(line) for line in
             b"".join(export.streaming_content).decode().splitlines()]
    [response] = [r for r in lines if r["resourceType"] == "QuestionnaireResponse"]
    [risk] = [r for r in lines if r["resourceType"] == "RiskAssessment"]
    assert risk["prediction"][0]["outcome"]["coding"][0]["code"] == expected.level

    response.pop("id")  # a new intake for the same person, as an EHR would send it back
    imported = writer.post("/api/v1/fhir/QuestionnaireResponse", response,
                           content_type="application/fhir+json")
    assert imported.status_code == 201, imported.content
    copy = Intake.objects.get(pk=int(imported.json()["id"]))
    assert copy.pk != original.pk and copy.patient == patient
    assert copy.answers == original.answers
    again = copy.recommendation
    assert (again.level, again.rules, again.flags, again.scores, again.bands,
            again.severity, again.suicide_risk, again.withdrawal_risk,
            again.criteria_version) == (
        expected.level, expected.rules, expected.flags, expected.scores, expected.bands,
        expected.severity, expected.suicide_risk, expected.withdrawal_risk,
        expected.criteria_version)

    via_api = reader.get(f"/api/v1/intakes/{copy.pk}/recommendation/").json()
    assert {k: v for k, v in via_api.items() if k != "created_at"} == \
        {k: v for k, v in rest["recommendation"].items() if k != "created_at"}
