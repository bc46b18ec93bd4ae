"""Writes of the clinician review (SPEC §8): opening, state moves, decisions, assignment, notes.

Every write locks the intake row first: two clinicians acting on the same intake at the same
moment are serialised, and the second one sees the state the first one left.
Every write appends to the audit log with ids and codes only.
"""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from api.webhooks import webhooks_notify
from audit.models import AuditEvent
from audit.services import audit_record
from intake.models import Intake

from .models import ContactAttempt, Decision, Note, Notification, Program
from .notifications import notification_queue

Status = Intake.Status

# The only moves a person can make by hand. in_review -> decided happens only through
# intake_decide, which records the decision with it.
MOVES: dict[str, tuple[str, ...]] = {
    Status.SUBMITTED: (Status.IN_REVIEW,),
    Status.IN_REVIEW: (Status.SUBMITTED,),
    Status.DECIDED: (Status.CLOSED,),
    Status.CLOSED: (),
}
MOVE_LABELS = {
    (Status.SUBMITTED, Status.IN_REVIEW): "Start review",
    (Status.IN_REVIEW, Status.SUBMITTED): "Put back in the queue",
    (Status.DECIDED, Status.CLOSED): "Close the intake",
}


class ReviewError(Exception):
    """A review action refused: the message says why, in words a clinician can act on."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _locked(intake: Intake) -> Intake:
    """The intake's row, locked for this transaction, with its current state."""
    return Intake.objects.select_for_update().get(pk=intake.pk)


def _require_clinician(actor: User) -> None:
    if not actor.is_clinician:
        raise ReviewError("Only clinicians review intakes.")


def _audit(*, actor, action: str, intake: Intake, request: HttpRequest | None,
           detail: dict | None = None) -> None:
    audit_record(actor=actor, action=action, object_type="intake", object_id=intake.pk,
                 intake_id=intake.pk, request=request, detail=detail)


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
    """Move an intake to another state by hand (see MOVES). Returns the updated intake.

    Starting a review assigns the intake to the clinician who starts it when nobody has it.
    Raises ReviewError for a move that is not allowed from the current state.
    """
    _require_clinician(actor)
    row = _locked(intake)
    if to_state not in MOVES.get(row.status, ()):
        raise ReviewError(_refusal(row.status, to_state))
    from_state = row.status
    row.status = to_state
    fields = ["status", "updated_at"]
    if to_state == Status.IN_REVIEW and row.assigned_to_id is None:
        row.assigned_to = actor
        fields.append("assigned_to")
    row.save(update_fields=fields)
    _audit(actor=actor, action=AuditEvent.Action.STATE, intake=row, request=request,
           detail={"from": from_state, "to": to_state})
    return row


def _refusal(from_state: str, to_state: str) -> str:
    labels = dict(Status.choices)
    if to_state == Status.DECIDED:
        return "An intake is decided by recording a decision on it."
    if from_state == Status.DRAFT:
        return "This intake has not been submitted yet."
    return (f"An intake that is {labels.get(from_state, from_state).lower()} cannot move to "
            f"{labels.get(to_state, to_state).lower()}.")


def reason_subject(*, overridden: bool) -> str:
    """The start of "... needs a reason": an override, or (when the recommendation is
    accepted) a start level other than the indicated one."""
    return ("An override needs" if overridden
            else "A start level other than the indicated one needs")


def decide_refusal(intake: Intake) -> str:
    """Why `intake`, in its current state, cannot be decided; "" when it can (in review)."""
    if intake.status == Status.IN_REVIEW:
        return ""
    if intake.status == Status.SUBMITTED:
        return "Start the review before deciding: only an intake in review can be decided."
    if intake.status == Status.DRAFT:
        return "This intake has not been submitted yet."
    decision = Decision.objects.select_related("decided_by").filter(intake=intake).first()
    if decision is None:
        return "This intake has already been decided; your decision was not recorded."
    who = decision.decided_by.full_name or decision.decided_by.email
    when = timezone.localtime(decision.decided_at).strftime("%Y-%m-%d %H:%M")
    return (f"This intake has already been decided (by {who} at {when}); your decision was "
            "not recorded.")


@transaction.atomic
def intake_decide(*, intake: Intake, actor: User, indicated_level: str,
                  start_level: str | None = None, reason_code: str = "",
                  reason_text: str = "", program: Program | None = None,
                  next_steps: str = "", request: HttpRequest | None = None) -> Decision:
    """Record a clinician's decision on an intake in review and move it to decided.

    `indicated_level` is the level the clinician judges clinically indicated: the
    recommendation's level accepts it, another level overrides it. `start_level` is the level
    the patient will actually start when it differs (e.g. no capacity); it defaults to the
    indicated one. An override, or a start level other than the indicated one, needs a coded
    reason and a few words. The patient is shown the start level and the next steps (the
    program's own next steps when none are written).
    Returns the decision. Raises ReviewError (with the field at fault) when refused.
    """
    _require_clinician(actor)
    row = _locked(intake)
    refusal = decide_refusal(row)
    if refusal:
        raise ReviewError(refusal)
    recommendation = row.recommendation
    levels = {code for code, _ in Decision._meta.get_field("indicated_level").choices}
    start_level = start_level or indicated_level
    if indicated_level not in levels:
        raise ReviewError("Choose the clinically indicated level.", "indicated_level")
    if start_level not in levels:
        raise ReviewError("Choose the level the patient will start.", "start_level")
    accepted = indicated_level == recommendation.level
    needs_reason = not accepted or start_level != indicated_level
    reason_text = reason_text.strip()
    if needs_reason:
        needs = reason_subject(overridden=not accepted)
        if reason_code not in Decision.OverrideReason.values:
            raise ReviewError(f"{needs} a reason: choose one.", "reason_code")
        if not reason_text:
            raise ReviewError(f"{needs} a few words on why.", "reason_text")
    else:
        reason_code = ""  # a few words may still go with an acceptance, a code may not
    if program is not None and program.level != start_level:
        raise ReviewError("Choose a program at the level the patient will start.", "program")
    next_steps = next_steps.strip() or (program.next_steps if program else "")
    decision = Decision.objects.create(
        intake=row, recommended_level=recommendation.level, indicated_level=indicated_level,
        start_level=start_level, accepted=accepted, reason_code=reason_code,
        reason_text=reason_text, program=program, next_steps=next_steps, decided_by=actor)
    row.status = Status.DECIDED
    row.decided_level = start_level
    row.decided_at = decision.decided_at
    fields = ["status", "decided_level", "decided_at", "updated_at"]
    if row.assigned_to_id is None:
        row.assigned_to = actor
        fields.append("assigned_to")
    row.save(update_fields=fields)
    _audit(actor=actor, action=AuditEvent.Action.DECIDE, intake=row, request=request,
           detail={"accepted": accepted, "recommended": recommendation.level,
                   "indicated": indicated_level, "start": start_level,
                   "reason_code": reason_code, "program_id": program.pk if program else None})
    notification_queue(kind=Notification.Kind.DECIDED, intake=row)
    webhooks_notify(event="intake.decided", intake=row)
    return decision


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
