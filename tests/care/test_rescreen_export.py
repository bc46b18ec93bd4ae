"""Each re-screen exports like an intake (SPEC §8b, issue 15): its own QuestionnaireResponse
pinned to the questionnaire version it was answered on, its RiskAssessment pinned to the
criteria version that screened it, its scores as Observations; all valid FHIR R4."""

import pytest

from api.fhir.questionnaire import questionnaire_url
from tests.api.test_fhir import items_by_link, valid
from tests.factories import MODERATE_DEPRESSION, submitted_intake, submitted_rescreen

pytestmark = pytest.mark.django_db


def test_a_re_screen_reads_as_valid_resources_of_its_own(reader, patient):
    first = submitted_intake(patient, **MODERATE_DEPRESSION)
    rescreen = submitted_rescreen(first, phq9=[1] * 9)
    response = valid(reader.get(f"/api/v1/fhir/QuestionnaireResponse/{rescreen.pk}").json())
    assert response["id"] == str(rescreen.pk) and response["identifier"]["value"] == \
        rescreen.number
    assert response["questionnaire"] == questionnaire_url(rescreen.questionnaire_version)
    assert response["subject"]["reference"] == f"Patient/{patient.pk}"
    assert items_by_link(response["item"])["phq9[0]"]["answer"][0]["valueCoding"]["code"] == "1"
    risk = valid(reader.get(f"/api/v1/fhir/RiskAssessment/{rescreen.pk}").json())
    assert risk["method"]["coding"][0]["code"] == \
        rescreen.recommendation.criteria_version.version
    phq9 = valid(reader.get(f"/api/v1/fhir/Observation/{rescreen.pk}-phq9").json())
    assert phq9["valueInteger"] == 9
    # The intake's own resources are untouched by it.
    intake_phq9 = reader.get(f"/api/v1/fhir/Observation/{first.pk}-phq9").json()
    assert intake_phq9["valueInteger"] == first.recommendation.scores["phq9"] != 9


def test_the_rest_api_says_a_re_screen_and_the_intake_it_follows(reader, patient):
    first = submitted_intake(patient, **MODERATE_DEPRESSION)
    rescreen = submitted_rescreen(first, phq9=[1] * 9)
    body = reader.get(f"/api/v1/intakes/{rescreen.pk}/").json()
    assert (body["kind"], body["follows"]) == ("rescreen", first.pk)
    listed = {row["id"]: row for row in reader.get("/api/v1/intakes/").json()["results"]}
    assert (listed[first.pk]["kind"], listed[first.pk]["follows"]) == ("intake", None)
