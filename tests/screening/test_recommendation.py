"""A stored recommendation keeps everything needed to explain and reproduce it."""

import pytest

from intake.models import Intake
from screening.engine import load_criteria, screen
from screening.models import CriteriaVersion
from screening.services import recommendation_record
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, answers, submitted_intake

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("overrides", [{}, MODERATE_DEPRESSION, HIGH_SUICIDE_RISK])
def test_a_stored_recommendation_is_reproduced_from_its_answers_and_version(patient, overrides):
    intake = submitted_intake(patient, **overrides)
    stored = intake.recommendation
    again = screen(intake.answers, load_criteria(stored.criteria_version.document)).to_dict()
    assert stored.level == again["level"] and stored.rules == again["rules"]
    assert stored.flags == again["flags"]
    assert stored.scores == again["scores"] and stored.bands == again["bands"]
    assert stored.criteria_version.version == again["criteria_version"]
    assert [r["id"] for r in stored.reasons] == again["rules"]
    assert all(r["reason"] for r in stored.reasons)


def test_the_queue_fields_are_copied_onto_the_intake(patient):
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    assert intake.urgent and intake.recommended_level == "inpatient"
    assert set(intake.flag_rows.values_list("flag", flat=True)) == {"urgent", "safety_followup"}


def test_each_flag_is_stored_with_its_reason_from_the_pinned_criteria(patient):
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    stored = intake.recommendation
    words = {flag["id"]: flag["reason"] for flag in stored.criteria_version.document["flags"]}
    assert stored.flag_reasons == [{"id": flag, "reason": words[flag]} for flag in stored.flags]
    assert [flag["id"] for flag in stored.flag_reasons] == ["urgent", "safety_followup"]


def test_a_flag_reason_is_the_words_of_the_version_that_raised_it(patient):
    published = CriteriaVersion.objects.get(status="published")
    document = {**published.document, "version": "reworded-1"}
    document["flags"] = [
        {**flag, "reason": "Ask about safety today."} if flag["id"] == "safety_followup"
        else flag for flag in document["flags"]]
    reworded = CriteriaVersion.objects.create(version="reworded-1", document=document)
    intake = Intake.objects.create(patient=patient, status=Intake.Status.SUBMITTED,
                                   answers=answers(phq9=[0, 0, 0, 0, 0, 0, 0, 0, 1]))
    stored = recommendation_record(intake=intake, version=reworded)
    assert {"id": "safety_followup", "reason": "Ask about safety today."} in stored.flag_reasons
