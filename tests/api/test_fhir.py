"""FHIR R4: the questionnaire versions, each submitted intake's resources, the bulk export.
Every resource is validated against the R4 (4.0.1) models of fhir.resources."""

import json

import fhir.resources
import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone
from fhir.resources.observation import Observation
from fhir.resources.patient import Patient
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse
from fhir.resources.riskassessment import RiskAssessment

from api.fhir.questionnaire import questionnaire_url
from audit.models import AuditEvent
from screening.engine import catalogue as C
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, submitted_intake

pytestmark = pytest.mark.django_db
MODELS = {"Questionnaire": Questionnaire, "QuestionnaireResponse": QuestionnaireResponse,
          "RiskAssessment": RiskAssessment, "Observation": Observation, "Patient": Patient}


def valid(resource: dict) -> dict:
    """The resource, once the R4 model of its type has accepted it."""
    MODELS[resource["resourceType"]].parse_obj(resource)
    return resource


def items_by_link(items: list[dict]) -> dict[str, dict]:
    found = {}
    for item in items:
        found[item["linkId"]] = item
        found.update(items_by_link(item.get("item", [])))
    return found


def test_the_models_are_fhir_r4():
    assert fhir.resources.__fhir_version__ == "4.0.1"


@pytest.mark.parametrize("version", C.QUESTIONNAIRE_VERSIONS)
def test_each_questionnaire_version_is_a_valid_questionnaire(reader, version):
    response = reader.get(f"/api/v1/fhir/Questionnaire/{version}")
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    questionnaire = valid(response.json())
    assert questionnaire["url"] == questionnaire_url(version)
    assert questionnaire["version"] == version
    items = items_by_link(questionnaire["item"])
    # The wording is the catalogue's, in this version.
    assert items["cssrs.behavior_lifetime"]["text"] == C.question("cssrs.behavior_lifetime",
                                                                  version)
    assert ("firearm_access" in items) == (version != "q-1")
    assert items["phq9"]["code"][0]["code"] == "44249-1"
    assert items["phq9.total"]["code"][0]["code"] == "44261-6"
    assert items["phq9.total"]["readOnly"] is True
    assert items["gad7"]["code"][0]["code"] == "69737-5"
    assert items["gad7.total"]["code"][0]["code"] == "70274-6"
    assert [option["valueCoding"]["display"] for option in items["phq9[0]"]["answerOption"]] \
        == ["Not at all", "Several days", "More than half the days", "Nearly every day"]


def test_the_conditional_questions_say_when_they_are_asked(reader):
    items = items_by_link(reader.get("/api/v1/fhir/Questionnaire/q-2").json()["item"])
    for follow_up in ("cssrs.method", "cssrs.intent", "cssrs.plan"):
        assert items[follow_up]["enableWhen"] == [
            {"question": "cssrs.suicidal_thoughts", "operator": "=", "answerBoolean": True}]
    assert items["cssrs.behavior_past_3_months"]["enableWhen"][0]["question"] == \
        "cssrs.behavior_lifetime"
    assert items["pcptsd5.items"]["enableWhen"][0]["question"] == "pcptsd5.exposure"
    for path, concern in (("mdq", "bipolar"), ("peg", "chronic_pain"),
                          ("height_cm", "eating")):
        condition = items[path]["enableWhen"][0]
        assert condition["question"] == "concerns"
        assert condition["answerCoding"]["code"] == concern
    assert "enableWhen" not in items["cssrs.wish_dead"]


def test_an_unknown_questionnaire_version_is_not_found(reader):
    response = reader.get("/api/v1/fhir/Questionnaire/q-9")
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_submitted_intake_reads_as_valid_resources(reader, patient):
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    response = valid(reader.get(f"/api/v1/fhir/QuestionnaireResponse/{intake.pk}").json())
    assert response["questionnaire"] == questionnaire_url(C.CURRENT_QUESTIONNAIRE)
    assert response["subject"]["identifier"]["value"] == str(patient.pk)
    items = items_by_link(response["item"])
    assert items["cssrs.plan"]["answer"] == [{"valueBoolean": True}]
    assert items["age"]["answer"] == [{"valueInteger": 34}]

    risk = valid(reader.get(f"/api/v1/fhir/RiskAssessment/{intake.pk}").json())
    recommendation = intake.recommendation
    assert risk["prediction"][0]["outcome"]["coding"][0]["code"] == recommendation.level
    assert risk["method"]["coding"][0]["code"] == recommendation.criteria_version.version
    outcomes = {p["outcome"]["coding"][0]["code"] for p in risk["prediction"]}
    assert set(recommendation.flags) <= outcomes and "urgent" in outcomes
    assert recommendation.reasons[0]["reason"] in risk["prediction"][0]["rationale"]
    urgent = [p for p in risk["prediction"] if p["outcome"]["coding"][0]["code"] == "urgent"]
    assert urgent[0]["rationale"] == next(flag["reason"] for flag in
                                          recommendation.flag_reasons if flag["id"] == "urgent")

    phq9 = valid(reader.get(f"/api/v1/fhir/Observation/{intake.pk}-phq9").json())
    assert phq9["code"]["coding"][0]["code"] == "44261-6"
    assert phq9["valueInteger"] == recommendation.scores["phq9"]
    assert phq9["interpretation"][0]["coding"][0]["code"] == recommendation.bands["phq9"]
    gad7 = valid(reader.get(f"/api/v1/fhir/Observation/{intake.pk}-gad7").json())
    assert gad7["code"]["coding"][0]["code"] == "70274-6"
    assert f"Observation/{intake.pk}-phq9" in [b["reference"] for b in risk["basis"]]
    assert reader.get(f"/api/v1/fhir/Observation/{intake.pk}-peg").status_code == 404
    body = json.dumps(response) + json.dumps(risk) + json.dumps(phq9)
    assert patient.full_name not in body and patient.email not in body
    # Who the person is and how to reach them is in the Patient alone.
    assert response["subject"]["reference"] == f"Patient/{patient.pk}"
    person = valid(reader.get(f"/api/v1/fhir/Patient/{patient.pk}").json())
    assert person["name"] == [{"text": patient.full_name}]
    assert person["telecom"][0]["value"] == patient.email


def test_only_people_who_submitted_an_intake_are_patients_here(reader, patient, clinician):
    from intake.models import Intake

    Intake.objects.create(patient=patient)  # a draft only
    assert reader.get(f"/api/v1/fhir/Patient/{patient.pk}").status_code == 404
    assert reader.get(f"/api/v1/fhir/Patient/{clinician.pk}").status_code == 404


def test_the_bulk_export_streams_the_range_as_ndjson(reader, patient, other_patient):
    day = timezone.now().replace(year=2026, month=5, day=4, hour=12)
    inside = submitted_intake(patient, submitted_at=day, **MODERATE_DEPRESSION)
    later = submitted_intake(patient, submitted_at=day + timezone.timedelta(hours=1))
    submitted_intake(other_patient, submitted_at=day + timezone.timedelta(days=3))
    response = reader.get("/api/v1/fhir/$export?_since=2026-05-01&_until=2026-05-05")
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/fhir+ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    resources = [valid(json.loads(line)) for line in lines]
    kinds = [resource["resourceType"] for resource in resources]
    assert kinds[0] == "QuestionnaireResponse" and kinds[-2:] == ["RiskAssessment", "Patient"]
    assert [resource["id"] for resource in resources
            if resource["resourceType"] == "QuestionnaireResponse"] == [str(inside.pk),
                                                                         str(later.pk)]
    # The one person of the range, once for their two intakes.
    assert [resource["id"] for resource in resources
            if resource["resourceType"] == "Patient"] == [str(patient.pk)]
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "export" and event.object_type == "fhir_export"

    only = reader.get("/api/v1/fhir/$export?_since=2026-05-01&_until=2026-05-05"
                      "&_type=RiskAssessment")
    assert [json.loads(line)["resourceType"] for line in
            b"".join(only.streaming_content).decode().splitlines()] == ["RiskAssessment"] * 2


@pytest.mark.parametrize("query, named", [
    ("", "_since"), ("_since=2026-05-01", "_until"),
    ("_since=2026-13-01&_until=2026-05-05", "_since"),
    ("_since=2026-05-01T00:00:00&_until=2026-05-05", "_since"),
    ("_since=2026-05-06&_until=2026-05-05", "_until"),
    ("_since=2026-05-01&_until=2026-05-05&_type=Encounter", "_type"),
])
def test_a_bad_export_range_is_a_400_naming_the_parameter(reader, query, named):
    response = reader.get("/api/v1/fhir/$export?" + query)
    assert response.status_code == 400
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert named in outcome["issue"][0]["diagnostics"]
