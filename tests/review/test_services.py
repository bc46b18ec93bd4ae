"""The review's writes: allowed and refused state moves, decisions, assignment, notes."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from intake.models import Intake
from review.models import Decision, Program
from review.services import (
    ReviewError,
    intake_assign,
    intake_decide,
    intake_move,
    intake_open,
    note_add,
)
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, submitted_intake

Status = Intake.Status


@pytest.fixture
def intake(patient):
    return submitted_intake(patient, **MODERATE_DEPRESSION)  # recommends IOP


@pytest.fixture
def in_review(intake, clinician):
    return intake_move(intake=intake, to_state=Status.IN_REVIEW, actor=clinician)


def actions(intake) -> list[str]:
    return list(AuditEvent.objects.filter(intake_id=intake.pk).order_by("id")
                .values_list("action", flat=True))


def test_it_allows_only_the_allowed_moves(intake, clinician):
    allowed = [(Status.SUBMITTED, Status.IN_REVIEW), (Status.IN_REVIEW, Status.SUBMITTED)]
    for from_state, to_state in allowed:
        Intake.objects.filter(pk=intake.pk).update(status=from_state)
        assert intake_move(intake=intake, to_state=to_state, actor=clinician).status == to_state
    Intake.objects.filter(pk=intake.pk).update(status=Status.DECIDED)
    assert intake_move(intake=intake, to_state=Status.CLOSED, actor=clinician).status == "closed"


@pytest.mark.parametrize(("from_state", "to_state"), [
    (Status.SUBMITTED, Status.DECIDED),  # only through a decision
    (Status.SUBMITTED, Status.CLOSED),
    (Status.IN_REVIEW, Status.DECIDED),  # only through a decision
    (Status.IN_REVIEW, Status.CLOSED),
    (Status.DECIDED, Status.SUBMITTED),
    (Status.DECIDED, Status.IN_REVIEW),
    (Status.CLOSED, Status.IN_REVIEW),
    (Status.CLOSED, Status.SUBMITTED),
    (Status.DRAFT, Status.IN_REVIEW),
    (Status.SUBMITTED, Status.DRAFT),
    (Status.SUBMITTED, "nonsense"),
])
def test_it_refuses_every_other_move(intake, clinician, from_state, to_state):
    Intake.objects.filter(pk=intake.pk).update(status=from_state)
    with pytest.raises(ReviewError):
        intake_move(intake=intake, to_state=to_state, actor=clinician)
    intake.refresh_from_db()
    assert intake.status == from_state
    assert AuditEvent.Action.STATE not in actions(intake)


def test_it_assigns_the_clinician_who_starts_the_review(intake, clinician):
    moved = intake_move(intake=intake, to_state=Status.IN_REVIEW, actor=clinician)
    assert moved.assigned_to == clinician
    event = AuditEvent.objects.get(intake_id=intake.pk, action="state")
    assert event.actor == clinician and event.detail == {"from": "submitted", "to": "in_review",
                                                    "move": "start_review"}


def test_it_keeps_an_existing_assignee_when_someone_else_starts(intake, clinician,
                                                                 other_clinician):
    intake_assign(intake=intake, assignee=other_clinician, actor=clinician)
    moved = intake_move(intake=intake, to_state=Status.IN_REVIEW, actor=clinician)
    assert moved.assigned_to == other_clinician


def test_it_records_an_accepted_recommendation(in_review, clinician):
    decision = intake_decide(intake=in_review, actor=clinician, indicated_level="iop",
                             next_steps="Orientation Monday 6 pm.")
    assert decision.accepted and decision.recommended_level == "iop"
    assert decision.indicated_level == decision.start_level == "iop"
    assert decision.reason_code == ""
    in_review.refresh_from_db()
    assert in_review.status == Status.DECIDED and in_review.decided_level == "iop"
    assert in_review.decided_at is not None
    event = AuditEvent.objects.get(intake_id=in_review.pk, action="decide")
    assert event.detail["accepted"] is True and event.detail["indicated"] == "iop"
    assert "Orientation" not in str(event.detail)  # the log holds codes, never free text


def test_it_records_an_override_with_its_reason(in_review, clinician):
    decision = intake_decide(intake=in_review, actor=clinician, indicated_level="inpatient",
                             reason_code="clinical_judgement",
                             reason_text="Collateral from family: escalating.")
    assert not decision.accepted
    assert decision.indicated_level == decision.start_level == "inpatient"
    assert decision.reason_code == "clinical_judgement"
    in_review.refresh_from_db()
    assert in_review.decided_level == "inpatient"


@pytest.mark.parametrize(("code", "text", "field"), [
    ("", "Collateral from family.", "reason_code"),
    ("clinical_judgement", "", "reason_text"),
    ("clinical_judgement", "   ", "reason_text"),
    ("not-a-code", "Some words.", "reason_code"),
])
def test_it_refuses_an_override_without_a_reason(in_review, clinician, code, text, field):
    with pytest.raises(ReviewError) as refused:
        intake_decide(intake=in_review, actor=clinician, indicated_level="outpatient",
                      reason_code=code, reason_text=text)
    assert refused.value.field == field
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
    assert not Decision.objects.exists()


def test_it_records_a_different_start_level_with_its_reason(in_review, clinician):
    decision = intake_decide(intake=in_review, actor=clinician, indicated_level="iop",
                             start_level="outpatient", reason_code="no_capacity",
                             reason_text="IOP full until next month; weekly sessions first.")
    assert decision.accepted  # the clinician agrees IOP is indicated
    assert decision.indicated_level == "iop" and decision.start_level == "outpatient"
    in_review.refresh_from_db()
    assert in_review.decided_level == "outpatient"  # what the patient will start


def test_it_refuses_a_different_start_level_without_a_reason(in_review, clinician):
    with pytest.raises(ReviewError) as refused:
        intake_decide(intake=in_review, actor=clinician, indicated_level="iop",
                      start_level="outpatient")
    assert refused.value.field == "reason_code"
    assert refused.value.message == (
        "A start level other than the indicated one needs a reason: choose one.")
    with pytest.raises(ReviewError) as refused:
        intake_decide(intake=in_review, actor=clinician, indicated_level="iop",
                      start_level="outpatient", reason_code="no_capacity")
    assert refused.value.message == (
        "A start level other than the indicated one needs a few words on why.")
    with pytest.raises(ReviewError) as refused:
        intake_decide(intake=in_review, actor=clinician, indicated_level="inpatient")
    assert refused.value.message == "An override needs a reason: choose one."


def test_it_refuses_to_decide_outside_review(intake, clinician):
    with pytest.raises(ReviewError, match="Start the review"):
        intake_decide(intake=intake, actor=clinician, indicated_level="iop")
    intake_move(intake=intake, to_state=Status.IN_REVIEW, actor=clinician)
    intake_decide(intake=intake, actor=clinician, indicated_level="iop")
    with pytest.raises(ReviewError, match="already been decided") as refused:
        intake_decide(intake=intake, actor=clinician, indicated_level="iop")
    assert refused.value.field is None
    decided_at = timezone.localtime(Decision.objects.get().decided_at)
    assert refused.value.message == (
        f"This intake has already been decided (by Casey Clinician at "
        f"{decided_at:%Y-%m-%d %H:%M}); your decision was not recorded.")
    assert Decision.objects.count() == 1


def test_it_refuses_a_decision_by_an_admin(in_review, admin_user):
    with pytest.raises(ReviewError, match="Only clinicians"):
        intake_decide(intake=in_review, actor=admin_user, indicated_level="iop")
    with pytest.raises(ReviewError):
        intake_move(intake=in_review, to_state=Status.SUBMITTED, actor=admin_user)


def test_it_takes_the_programs_next_steps_and_checks_its_level(in_review, clinician):
    evening = Program.objects.create(name="Evening IOP", level="iop",
                                     next_steps="Call 555-0100 to book orientation.")
    residential = Program.objects.create(name="Residential", level="inpatient")
    with pytest.raises(ReviewError) as refused:
        intake_decide(intake=in_review, actor=clinician, indicated_level="iop",
                      program=residential)
    assert refused.value.field == "program"
    decision = intake_decide(intake=in_review, actor=clinician, indicated_level="iop",
                             program=evening)
    assert decision.next_steps == "Call 555-0100 to book orientation."


def test_it_assigns_to_a_clinician_or_nobody_only(intake, clinician, other_clinician,
                                                  patient, admin_user):
    assert intake_assign(intake=intake, assignee=other_clinician,
                         actor=clinician).assigned_to == other_clinician
    assert intake_assign(intake=intake, assignee=None, actor=clinician).assigned_to is None
    for not_a_clinician in (patient, admin_user):
        with pytest.raises(ReviewError):
            intake_assign(intake=intake, assignee=not_a_clinician, actor=clinician)
    details = [e.detail for e in AuditEvent.objects.filter(intake_id=intake.pk,
                                                           action="assign").order_by("id")]
    assert details == [{"assignee_id": other_clinician.pk}, {"assignee_id": None}]


def test_it_adds_notes_and_refuses_empty_ones(intake, clinician):
    note = note_add(intake=intake, author=clinician, text="  Left a voicemail.  ")
    assert note.text == "Left a voicemail."
    with pytest.raises(ReviewError):
        note_add(intake=intake, author=clinician, text="   ")
    event = AuditEvent.objects.get(intake_id=intake.pk, action="note")
    assert event.detail == {"note_id": note.pk}


def test_it_sets_first_opened_once_and_only_for_clinicians(patient, clinician,
                                                           other_clinician, admin_user):
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    assert intake_open(intake=intake, actor=admin_user) is False
    intake.refresh_from_db()
    assert intake.first_opened_at is None
    assert intake_open(intake=intake, actor=clinician) is True
    first = Intake.objects.get(pk=intake.pk).first_opened_at
    assert first is not None and first <= timezone.now()
    stale = Intake.objects.get(pk=intake.pk)
    stale.first_opened_at = None  # a copy read before the first open
    assert intake_open(intake=stale, actor=other_clinician) is False
    assert Intake.objects.get(pk=intake.pk).first_opened_at == first
    assert actions(intake).count("view") == 3
