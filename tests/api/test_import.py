"""A QuestionnaireResponse posted by an integration is screened like a web intake; a bad
one is a 400 OperationOutcome naming the item, never a 500, and nothing is stored."""

import copy

import pytest

from accounts.models import User
from api.fhir.questionnaire import questionnaire_url, response_items
from audit.models import AuditEvent
from intake.models import Intake
from screening.engine import catalogue as C
from tests.factories import HIGH_SUICIDE_RISK, answers

pytestmark = pytest.mark.django_db
URL = "/api/v1/fhir/QuestionnaireResponse"


def response_for(given: dict, *, email: str = "river@example.com") -> dict:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire_url(C.CURRENT_QUESTIONNAIRE),
        "status": "completed",
        "contained": [{"resourceType": "Patient", "id": "p", "name": [{"text": "River Stone"}],
                       "telecom": [{"system": "email", "value": email}]}],
        "subject": {"reference": "#p"},
        "item": response_items(given, C.CURRENT_QUESTIONNAIRE),
    }


def post(client, body):
    return client.post(URL, body, content_type="application/fhir+json")


def find(items, link_id):
    for item in items:
        if item["linkId"] == link_id:
            return item
        found = find(item.get("item", []), link_id)
        if found:
            return found
    return None


def test_a_response_is_screened_like_a_web_intake(writer):
    response = post(writer, response_for(answers(**HIGH_SUICIDE_RISK)))
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/fhir+json"
    intake = Intake.objects.get(pk=int(response.json()["id"]))
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.answers == answers(**HIGH_SUICIDE_RISK)
    assert intake.recommendation.level == "inpatient" and intake.urgent
    assert intake.patient.email == "river@example.com" and intake.patient.is_patient
    assert not intake.patient.has_usable_password()
    # The same services as the web: each step saved, then submitted, then the clinicians told.
    actions = list(AuditEvent.objects.filter(intake_id=intake.pk).order_by("id")
                   .values_list("action", flat=True))
    assert actions[0] == "create" and "submit" in actions and actions[-1] == "create"
    assert intake.notifications.filter(kind="urgent").exists()


@pytest.mark.parametrize("by", ["identifier", "reference"])
def test_the_person_is_found_by_the_clinics_own_patient_id(writer, patient, by):
    body = response_for(answers())
    body.pop("contained")
    body["subject"] = (
        {"identifier": {"system": "http://127.0.0.1:8000/api/v1/fhir/patient-id",
                        "value": str(patient.pk)}} if by == "identifier"
        else {"reference": f"Patient/{patient.pk}"})
    response = post(writer, body)
    assert response.status_code == 201, response.content
    assert Intake.objects.get(pk=int(response.json()["id"])).patient == patient


def _outcome(response, status=400):
    assert response.status_code == status, response.content
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    return outcome["issue"][0]


def _broken(change) -> dict:
    body = response_for(answers())
    change(body)
    return body


def _set(link_id, answer):
    return lambda body: find(body["item"], link_id).__setitem__("answer", answer)


@pytest.mark.parametrize("change, item", [
    (_set("phq9[3]", [{"valueCoding": {"code": "7"}}]), "phq9[3]"),
    (_set("age", [{"valueInteger": 9}]), "age"),
    (_set("age", [{"valueString": "34"}]), "age"),
    (_set("support", [{"valueCoding": {"code": "plenty"}}]), "support"),
    (_set("home_safe", [{"valueBoolean": True}, {"valueBoolean": False}]), "home_safe"),
    (lambda body: body["item"].append({"linkId": "favourite_colour",
                                       "answer": [{"valueString": "blue"}]}),
     "favourite_colour"),
    (lambda body: body.__setitem__("item", [i for i in body["item"]
                                            if i["linkId"] != "housing"]), "housing"),
    (lambda body: find(body["item"], "dast10")["item"].pop(4), "dast10[4]"),
    (lambda body: body["item"].append({"linkId": "peg", "item": [
        {"linkId": f"peg[{n}]", "answer": [{"valueCoding": {"code": "3"}}]}
        for n in range(3)]}), "peg"),
    (lambda body: body.__setitem__("questionnaire", questionnaire_url("q-1")),
     "questionnaire"),
    (lambda body: body.__setitem__("status", "in-progress"), "status"),
    (lambda body: body.__setitem__("resourceType", "Patient"), "resourceType"),
    (lambda body: body.__setitem__("authored", "yesterday"), "authored"),
    (lambda body: body.__setitem__("subject", {"reference": "#nobody"}), "subject"),
    (lambda body: body.__setitem__("subject", {"reference": "Patient/999999"}), "subject"),
    (lambda body: body["contained"][0]["telecom"][0].__setitem__("value", "river@"),
     "contained.Patient.telecom"),
    (lambda body: body["contained"][0].__setitem__("name", [{"given": [" "]}]),
     "contained.Patient.name"),
])
def test_a_bad_response_is_refused_naming_the_item(writer, change, item):
    before = (Intake.objects.count(), User.objects.count())
    issue = _outcome(post(writer, _broken(change)))
    assert issue["diagnostics"].startswith(item), issue
    assert issue["expression"] == [item]
    assert (Intake.objects.count(), User.objects.count()) == before


def test_a_body_that_is_not_json_is_a_400(writer):
    response = writer.post(URL, "{not json", content_type="application/fhir+json")
    assert _outcome(response)["code"] == "invalid"


def test_a_person_with_an_unfinished_web_intake_is_not_overwritten(writer, patient):
    draft = Intake.objects.create(patient=patient, answers={"age": 40})
    body = response_for(answers(), email=patient.email)
    issue = _outcome(post(writer, body), status=409)
    assert issue["expression"] == ["subject"]
    draft.refresh_from_db()
    assert draft.answers == {"age": 40} and draft.status == Intake.Status.DRAFT


def test_a_staff_address_is_not_made_a_patient(writer, clinician):
    body = response_for(answers(), email=clinician.email)
    _outcome(post(writer, body))
    assert not clinician.intakes.exists()


def test_conditional_answers_come_back_where_they_were_asked(writer):
    given = answers(concerns=["eating", "bipolar", "chronic_pain"], height_cm=165.5,
                    weight_kg=48, scoff=[True, True, False, False, True],
                    mdq={"items": [True] * 8 + [False] * 5, "same_period": True,
                         "problem": "serious"},
                    peg=[7, 6, 8],
                    pcptsd5={"exposure": True, "items": [True, True, True, False, False]},
                    firearm_access=True, self_harm_past_month=False)
    response = post(writer, response_for(copy.deepcopy(given)))
    assert response.status_code == 201, response.content
    assert Intake.objects.get(pk=int(response.json()["id"])).answers == given
