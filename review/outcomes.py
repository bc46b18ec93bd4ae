"""What came of a decision (SPEC §8b "After the decision"): the first session scheduled, the
person started, did not come and was contacted again, declined, went elsewhere, or could not
be reached; and the reminder when a first session passes with nothing recorded.

Which step may follow which is review/state.py's table; what each step needs is here.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from intake.models import Intake
from screening.models import LEVEL_CHOICES

from .models import ContactAttempt, Decision, Notification, OutcomeEvent, Program
from .notifications import notification_queue
from .recording import audit_intake, locked, require_clinician
from .state import Move, Outcome, ReviewError, move_check

# The steps the person is told about: their status page changes with each of them.
TOLD_TO_THE_PERSON = (Move.SCHEDULE, Move.RECONTACT, Move.DECLINE, Move.REFER)


@dataclass(frozen=True)
class OutcomeDetails:
    """What a clinician records with a step; each step reads the fields it needs."""

    program: Program | None = None
    first_session_at: datetime | None = None
    channel: str = ""  # how the person was re-contacted after a no-show
    decline_reason: str = ""
    referred_to: str = ""
    referred_level: str = ""
    note: str = ""


def _check_details(move: Move, details: OutcomeDetails, decision: Decision,
                   now: datetime) -> None:
    if move in (Move.SCHEDULE, Move.RECONTACT):
        if move == Move.RECONTACT and details.channel not in ContactAttempt.Channel.values:
            raise ReviewError("Say how you reached the person again.", "channel")
        if details.program is None:
            raise ReviewError("Choose the program of the first session.", "program")
        if details.program.level != decision.start_level or not details.program.active:
            raise ReviewError("Choose an open program at the level the person starts.",
                              "program")
        if details.first_session_at is None:
            raise ReviewError("Enter the date and time of the first session.",
                              "first_session_at")
        if details.first_session_at < now - timedelta(days=30):
            raise ReviewError("That first session is more than 30 days ago: check the date.",
                              "first_session_at")
    elif move == Move.NO_SHOW:
        if decision.first_session_at and decision.first_session_at > now:
            raise ReviewError("The first session has not happened yet: record a no-show "
                              "after it.")
    elif move == Move.DECLINE:
        if details.decline_reason not in OutcomeEvent.DeclineReason.values:
            raise ReviewError("Choose why the person declined.", "decline_reason")
    elif move == Move.REFER:
        if not details.referred_to.strip():
            raise ReviewError("Say where the person was referred.", "referred_to")
        if details.referred_level not in dict(LEVEL_CHOICES):
            raise ReviewError("Choose the level of care they were referred to.",
                              "referred_level")
    elif (move == Move.COULD_NOT_REACH
          and not ContactAttempt.objects.filter(intake_id=decision.intake_id).exists()):
        raise ReviewError("Log the attempts to reach the person first (contact log): "
                          "\u201ccould not reach\u201d follows tries that failed.")


@transaction.atomic
def outcome_record(*, intake: Intake, actor: User, move: str, details: OutcomeDetails,
                   request: HttpRequest | None = None) -> OutcomeEvent:
    """Record one step of what came of the decision on `intake`. Returns the step.

    A re-contact after a no-show is logged in the contact log too (the person was reached)
    and schedules a new first session. The person is told, by a link only, when their status
    page has something new to show. Raises ReviewError (naming the field when there is one)
    for a step the state table does not allow now, or one missing what it needs.
    """
    require_clinician(actor)
    row = locked(intake)
    decision = Decision.objects.select_for_update().filter(intake=row).first()
    status, to_outcome = move_check(move, row.status, decision.outcome if decision else "")
    assert decision is not None  # move_check refuses an outcome before any decision
    move = Move(move)
    now = timezone.now()
    _check_details(move, details, decision, now)
    if move == Move.RECONTACT:
        attempt = ContactAttempt.objects.create(
            intake=row, clinician=actor, channel=details.channel,
            outcome=ContactAttempt.Outcome.REACHED, note="")
        if row.first_contact_at is None:
            row.first_contact_at = attempt.at
            row.save(update_fields=["first_contact_at"])
    event = OutcomeEvent.objects.create(
        decision=decision, move=move, outcome=to_outcome, program=details.program,
        first_session_at=details.first_session_at, decline_reason=details.decline_reason,
        referred_to=details.referred_to.strip(), referred_level=details.referred_level,
        note=details.note.strip(), recorded_by=actor)
    from_outcome = decision.outcome
    decision.outcome, decision.outcome_at = to_outcome, now
    if move in (Move.SCHEDULE, Move.RECONTACT):
        decision.first_session_at = details.first_session_at
        decision.outcome_reminded_at = None
        if details.program != decision.program:
            # Where the person actually goes is the program of the decision from now on.
            decision.program = details.program
    decision.save(update_fields=["outcome", "outcome_at", "first_session_at",
                                 "outcome_reminded_at", "program"])
    audit_intake(actor=actor, action=AuditEvent.Action.STATE, intake=row, request=request,
                 detail={"move": move, "from_outcome": from_outcome, "to_outcome": to_outcome,
                         "outcome_event_id": event.pk, "status": status,
                         "program_id": details.program.pk if details.program else None})
    if move in TOLD_TO_THE_PERSON:
        notification_queue(kind=Notification.Kind.CARE_UPDATED, intake=row)
    return event


def outcome_history(decision: Decision | None) -> list[OutcomeEvent]:
    if decision is None:
        return []
    return list(decision.outcomes.select_related("recorded_by", "program"))


@transaction.atomic
def first_sessions_unrecorded_remind(*, now: datetime | None = None) -> list[Notification]:
    """Remind the assigned clinician (all clinicians when nobody is assigned) of each first
    session that passed FIRST_SESSION_OUTCOME_AFTER_HOURS ago with no outcome recorded. Each
    first session is reminded once; a new one (re-scheduled) can be reminded again."""
    now = now or timezone.now()
    due = now - timedelta(hours=settings.FIRST_SESSION_OUTCOME_AFTER_HOURS)
    decisions = list(Decision.objects.select_for_update(skip_locked=True, of=("self",))
                     .select_related("intake")
                     .filter(outcome=Outcome.SCHEDULED, outcome_reminded_at__isnull=True,
                             first_session_at__lte=due)
                     .order_by("first_session_at")[:500])
    rows = [notification_queue(kind=Notification.Kind.OUTCOME_DUE, intake=decision.intake)
            for decision in decisions]
    Decision.objects.filter(pk__in=[d.pk for d in decisions]).update(outcome_reminded_at=now)
    return rows
