"""Writes of the clinician review (SPEC §8): opening, state moves, decisions, assignment, notes.

Every write locks the intake row first: two clinicians acting on the same intake at the same
moment are serialised, and the second one sees the state the first one left.
Every write appends to the audit log with ids and codes only.
"""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from intake.models import Intake

from .decisions import decide_refusal, intake_decide
from .models import ContactAttempt, Note
from .recording import audit_intake, locked, require_clinician
from .state import Move, ReviewError, move_check

# Deciding moved to review/decisions.py with amending; these names stay importable here.
__all__ = ["ReviewError", "decide_refusal", "intake_decide"]

Status = Intake.Status

# The moves a clinician makes by hand with intake_move, by the state they lead to. Deciding,
# amending and reopening have services of their own (review/decisions.py), which need more
# than a button; the table of what is allowed from where is review/state.py.
HAND_MOVES: dict[str, Move] = {
    Status.IN_REVIEW: Move.START_REVIEW,
    Status.SUBMITTED: Move.PUT_BACK,
    Status.CLOSED: Move.CLOSE,
}

_locked = locked
_require_clinician = require_clinician
_audit = audit_intake


@transaction.atomic
def intake_open(*, intake: Intake, actor: User, request: HttpRequest | None = None,
                action: str = AuditEvent.Action.VIEW) -> bool:
    """Record that a staff member looked at an intake (or printed it: `action`).

    The first time a clinician opens it, `first_opened_at` is set: it stops the clock for the
    urgent re-alert and starts the time-to-first-review metric. Returns True on that first open.
    """
    _audit(actor=actor, action=action, intake=intake, request=request)
    if intake.first_opened_at is not None or not actor.is_clinician:
        return False
    now = timezone.now()
    # A conditional UPDATE rather than read-then-write: two clinicians opening at once
    # both see the row unopened, only one of them sets the time.
    first = bool(Intake.objects.filter(pk=intake.pk, first_opened_at__isnull=True)
                 .update(first_opened_at=now))
    if first:
        intake.first_opened_at = now
    return first


@transaction.atomic
def intake_move(*, intake: Intake, to_state: str, actor: User,
                request: HttpRequest | None = None) -> Intake:
    """Move an intake to another state by hand (see HAND_MOVES). Returns the updated intake.

    Starting a review assigns the intake to the clinician who starts it when nobody has it.
    Raises ReviewError for a move that is not allowed from the current state.
    """
    _require_clinician(actor)
    if to_state == Status.DECIDED:
        raise ReviewError("An intake is decided by recording a decision on it.")
    if to_state not in HAND_MOVES:
        raise ReviewError("That is not a state an intake can be moved to by hand.")
    row = _locked(intake)
    move = HAND_MOVES[to_state]
    move_check(move, row.status)
    from_state = row.status
    row.status = to_state
    fields = ["status", "updated_at"]
    if to_state == Status.IN_REVIEW and row.assigned_to_id is None:
        row.assigned_to = actor
        fields.append("assigned_to")
    row.save(update_fields=fields)
    _audit(actor=actor, action=AuditEvent.Action.STATE, intake=row, request=request,
           detail={"from": from_state, "to": to_state, "move": move})
    return row


@transaction.atomic
def intake_assign(*, intake: Intake, assignee: User | None, actor: User,
                  request: HttpRequest | None = None) -> Intake:
    """Assign an open intake to a clinician (oneself or another), or to nobody.

    Returns the updated intake. Raises ReviewError when the assignee is not an active
    clinician or the intake is closed.
    """
    _require_clinician(actor)
    if assignee is not None and not assignee.is_clinician:
        raise ReviewError("Intakes are assigned to clinicians only.", "assignee")
    row = _locked(intake)
    if row.status in (Status.DRAFT, Status.CLOSED):
        raise ReviewError("A closed intake is not assigned any more.")
    row.assigned_to = assignee
    row.save(update_fields=["assigned_to", "updated_at"])
    _audit(actor=actor, action=AuditEvent.Action.ASSIGN, intake=row, request=request,
           detail={"assignee_id": assignee.pk if assignee else None})
    return row


@transaction.atomic
def note_add(*, intake: Intake, author: User, text: str,
             request: HttpRequest | None = None) -> Note:
    """Add a clinician's note to a submitted intake. Returns the note.

    Raises ReviewError for an empty note.
    """
    _require_clinician(author)
    text = text.strip()
    if not text:
        raise ReviewError("Write the note before saving it.", "text")
    note = Note.objects.create(intake=intake, author=author, text=text)
    _audit(actor=author, action=AuditEvent.Action.NOTE, intake=intake, request=request,
           detail={"note_id": note.pk})
    return note


@transaction.atomic
def contact_attempt_add(*, intake: Intake, clinician: User, channel: str, outcome: str,
                        note: str = "", next_try_at=None,
                        request: HttpRequest | None = None) -> ContactAttempt:
    """Log one attempt to reach the person. The first attempt of any outcome is the first
    contact: it stops the intake's response-time clock. Returns the attempt.

    Raises ReviewError (naming the field) for a next try in the past, a closed intake or a
    non-clinician.
    """
    _require_clinician(clinician)
    if next_try_at is not None and next_try_at <= timezone.now():
        raise ReviewError("The next try must be in the future.", "next_try_at")
    row = _locked(intake)
    if row.status == Status.CLOSED:
        raise ReviewError("This intake is closed: reopen it before logging contact.")
    attempt = ContactAttempt.objects.create(intake=row, clinician=clinician, channel=channel,
                                            outcome=outcome, note=note.strip(),
                                            next_try_at=next_try_at)
    if row.first_contact_at is None:
        row.first_contact_at = attempt.at
        row.save(update_fields=["first_contact_at"])
        intake.first_contact_at = attempt.at
    # The note may hold what the person said: the log keeps codes only.
    _audit(actor=clinician, action=AuditEvent.Action.CREATE, intake=row, request=request,
           detail={"contact_attempt": attempt.pk, "channel": channel, "outcome": outcome})
    return attempt
