"""The table of an intake's moves, walked whole: every review state, every outcome and every
move; allowed ones lead where they should, every other one is refused with a ReviewError.

The allowed moves are written out below by hand, apart from review/state.py, so a change to
the table that nobody meant fails here.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from intake.models import Intake
from review.decisions import intake_decide
from review.models import ContactAttempt, Decision, OutcomeEvent, Program
from review.outcomes import OutcomeDetails, outcome_record
from review.services import intake_move
from review.state import (
    OUTCOME_MOVES,
    Move,
    Outcome,
    ReviewError,
    move_check,
    moves_allowed,
)
from tests.factories import MODERATE_DEPRESSION, submitted_intake

S = Intake.Status
O = Outcome  # noqa: E741 - one letter keeps the table below readable

STATUSES = list(S.values)
OUTCOMES = ["", *O.values]

# (move, review state) -> the review state it leads to. The outcome does not matter here.
REVIEW_ALLOWED = {
    (Move.START_REVIEW, S.SUBMITTED): S.IN_REVIEW,
    (Move.PUT_BACK, S.IN_REVIEW): S.SUBMITTED,
    (Move.DECIDE, S.IN_REVIEW): S.DECIDED,
    (Move.AMEND, S.DECIDED): S.DECIDED,
    (Move.CLOSE, S.DECIDED): S.CLOSED,
    (Move.REOPEN, S.CLOSED): S.DECIDED,
}
# (move, outcome) -> the outcome it leads to, only while the intake is decided.
OUTCOME_ALLOWED = {
    (Move.SCHEDULE, O.AWAITING): O.SCHEDULED,
    (Move.SCHEDULE, O.SCHEDULED): O.SCHEDULED,
    (Move.SCHEDULE, O.DECLINED): O.SCHEDULED,
    (Move.SCHEDULE, O.COULD_NOT_REACH): O.SCHEDULED,
    (Move.START, O.SCHEDULED): O.STARTED,
    (Move.NO_SHOW, O.SCHEDULED): O.NO_SHOW,
    (Move.RECONTACT, O.NO_SHOW): O.SCHEDULED,
    (Move.DECLINE, O.AWAITING): O.DECLINED,
    (Move.DECLINE, O.SCHEDULED): O.DECLINED,
    (Move.DECLINE, O.NO_SHOW): O.DECLINED,
    (Move.DECLINE, O.COULD_NOT_REACH): O.DECLINED,
    (Move.REFER, O.AWAITING): O.REFERRED,
    (Move.REFER, O.SCHEDULED): O.REFERRED,
    (Move.REFER, O.NO_SHOW): O.REFERRED,
    (Move.REFER, O.COULD_NOT_REACH): O.REFERRED,
    (Move.REFER, O.DECLINED): O.REFERRED,
    (Move.COULD_NOT_REACH, O.AWAITING): O.COULD_NOT_REACH,
    (Move.COULD_NOT_REACH, O.NO_SHOW): O.COULD_NOT_REACH,
}


def expected(move: Move, status: str, outcome: str) -> tuple[str, str] | None:
    if (move, status) in REVIEW_ALLOWED:
        return REVIEW_ALLOWED[(move, status)], (O.AWAITING if move == Move.DECIDE else outcome)
    if status == S.DECIDED and (move, outcome) in OUTCOME_ALLOWED:
        return status, OUTCOME_ALLOWED[(move, outcome)]
    return None


@pytest.mark.parametrize("move", list(Move))
def test_every_state_and_outcome_allows_exactly_the_moves_written_out(move):
    for status in STATUSES:
        for outcome in OUTCOMES:
            want = expected(move, status, outcome)
            if want is None:
                with pytest.raises(ReviewError) as refused:
                    move_check(move, status, outcome)
                assert refused.value.message.endswith(".")
                assert "{" not in refused.value.message and len(refused.value.message) > 20
            else:
                assert move_check(move, status, outcome) == want, (move, status, outcome)


def test_the_allowed_moves_listed_for_a_page_are_the_table_s():
    for status in STATUSES:
        for outcome in OUTCOMES:
            assert set(moves_allowed(status, outcome)) == {
                move for move in Move if expected(move, status, outcome) is not None}


def test_a_move_that_does_not_exist_is_refused_in_words():
    with pytest.raises(ReviewError, match="not something an intake can do"):
        move_check("teleport", S.DECIDED, O.AWAITING)


def test_refusals_say_what_to_do_instead():
    with pytest.raises(ReviewError, match="Start the review before deciding"):
        move_check(Move.DECIDE, S.SUBMITTED)
    with pytest.raises(ReviewError, match="closed: reopen it first"):
        move_check(Move.SCHEDULE, S.CLOSED, O.AWAITING)
    with pytest.raises(ReviewError, match="no decision yet"):
        move_check(Move.AMEND, S.IN_REVIEW)
    with pytest.raises(ReviewError, match="the outcome is “started”"):
        move_check(Move.NO_SHOW, S.DECIDED, O.STARTED)


# --- the same table through the outcome service, on real rows ----------------------------


@pytest.fixture
def decided(patient, clinician):
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)  # recommends IOP
    intake_move(intake=intake, to_state=S.IN_REVIEW, actor=clinician)
    intake_decide(intake=intake, actor=clinician, indicated_level="iop")
    return Intake.objects.get(pk=intake.pk)


@pytest.fixture
def program(db):
    return Program.objects.create(name="Evening IOP", level="iop")


def details_for(move: Move, program: Program) -> OutcomeDetails:
    """What each step needs, complete."""
    session = timezone.now() - timedelta(days=1)
    return {
        Move.SCHEDULE: OutcomeDetails(program=program, first_session_at=session),
        Move.RECONTACT: OutcomeDetails(program=program, channel="call",
                                       first_session_at=session + timedelta(days=7)),
        Move.DECLINE: OutcomeDetails(decline_reason="schedule"),
        Move.REFER: OutcomeDetails(referred_to="County IOP", referred_level="iop"),
    }.get(move, OutcomeDetails(note="ok"))


@pytest.mark.parametrize("outcome", list(O.values))
@pytest.mark.parametrize("move", list(OUTCOME_MOVES))
def test_the_outcome_service_follows_the_table(decided, clinician, program, move, outcome):
    Decision.objects.filter(intake=decided).update(
        outcome=outcome, first_session_at=timezone.now() - timedelta(hours=30))
    ContactAttempt.objects.create(intake=decided, clinician=clinician, channel="call",
                                  outcome="no_answer")
    audited = AuditEvent.objects.filter(intake_id=decided.pk, action="state").count()
    want = OUTCOME_ALLOWED.get((move, outcome))
    if want is None:
        with pytest.raises(ReviewError):
            outcome_record(intake=decided, actor=clinician, move=move,
                           details=details_for(move, program))
        assert Decision.objects.get(intake=decided).outcome == outcome
        assert not OutcomeEvent.objects.exists()
        assert AuditEvent.objects.filter(intake_id=decided.pk,
                                         action="state").count() == audited
        return
    event = outcome_record(intake=decided, actor=clinician, move=move,
                           details=details_for(move, program))
    assert event.outcome == want
    assert Decision.objects.get(intake=decided).outcome == want
    audit = AuditEvent.objects.filter(intake_id=decided.pk, action="state").latest("id")
    assert audit.detail["move"] == move and audit.detail["to_outcome"] == want
    assert audit.detail["from_outcome"] == outcome


@pytest.mark.parametrize("status", [S.SUBMITTED, S.IN_REVIEW, S.CLOSED])
def test_no_outcome_is_recorded_unless_the_intake_is_decided(decided, clinician, program,
                                                             status):
    Intake.objects.filter(pk=decided.pk).update(status=status)
    for move in OUTCOME_MOVES:
        with pytest.raises(ReviewError):
            outcome_record(intake=decided, actor=clinician, move=move,
                           details=details_for(move, program))
    assert not OutcomeEvent.objects.exists()
