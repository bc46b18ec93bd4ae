"""A stored recommendation keeps everything needed to explain and reproduce it."""

import pytest

from screening.engine import load_criteria, screen
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, submitted_intake

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
