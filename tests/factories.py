"""Test data: complete valid answers, and submitted intakes with their recommendation."""

import copy

from django.utils import timezone

from intake.models import Intake
from intake.services import intake_recommendation_record
from review.clocks import intake_start_clock

WELL_ANSWERS = {
    "age": 34,
    "sex_at_birth": "female",
    "concerns": ["depression"],
    "cssrs": {"wish_dead": False, "suicidal_thoughts": False, "behavior_lifetime": False},
    "harm_to_others": "none",
    "phq9": [0, 0, 0, 0, 0, 0, 0, 0, 0],
    "gad7": [0, 0, 0, 0, 0, 0, 0],
    "auditc": [1, 0, 0],
    "dast10": [False, False, True, False, False, False, False, False, False, False],
    "withdrawal": {"current_symptoms": "none", "history_seizures_or_dts": False,
                   "daily_use": False},
    "medical": {"unstable": False, "pregnant": False},
    "support": "adequate",
    "housing": "stable",
    "home_safe": True,
    "recent_inpatient": "none",
    "failed_outpatient": False,
    "functioning": "independent",
}

# PHQ-9 of 14 (moderate): recommends IOP.
MODERATE_DEPRESSION = {"phq9": [2, 2, 2, 2, 2, 1, 1, 1, 1], "functioning": "some_difficulty"}
# Intent and plan in the past month: inpatient, urgent.
HIGH_SUICIDE_RISK = {"cssrs": {"wish_dead": True, "suicidal_thoughts": True, "method": True,
                               "intent": True, "plan": True, "behavior_lifetime": False}}


def answers(**overrides) -> dict:
    """A complete, valid answers object (SPEC §3); keyword arguments replace top-level fields."""
    result = copy.deepcopy(WELL_ANSWERS)
    result.update(copy.deepcopy(overrides))
    return result


def submitted_intake(patient, *, submitted_at=None, **overrides) -> Intake:
    """A submitted intake of `patient` with its recommendation from the published criteria."""
    intake = Intake.objects.create(
        patient=patient, status=Intake.Status.SUBMITTED, answers=answers(**overrides),
        signature_name=patient.full_name, consented_at=timezone.now(),
        submitted_at=submitted_at or timezone.now(),
    )
    recommendation = intake_recommendation_record(intake=intake)
    intake_start_clock(intake=intake, urgent="urgent" in recommendation.flags,
                       flags=recommendation.flags)
    return intake


def submitted_rescreen(first: Intake, **overrides) -> Intake:
    """A submitted re-screen continuing the care decided on `first`, with its
    recommendation, its suggestion (continue at IOP) and the invitation it answered."""
    from care.models import RescreenInvitation, Suggestion

    rescreen = Intake.objects.create(
        patient=first.patient, kind=Intake.Kind.RESCREEN, follows=first,
        asks=["mood", "anxiety", "safety", "confirm"], status=Intake.Status.SUBMITTED,
        answers=answers(**overrides), signature_name=first.patient.full_name,
        consented_at=timezone.now(), submitted_at=timezone.now())
    recommendation = intake_recommendation_record(intake=rescreen)
    Suggestion.objects.create(rescreen=rescreen, care_level="iop",
                              recommended_level=recommendation.level, move="continue",
                              level="iop")
    RescreenInvitation.objects.create(intake=first, number=1, due_at=timezone.now(),
                                      rescreen=rescreen)
    return rescreen
