"""A decision's rules, its amendments and its history; reopening a closed intake (SPEC §8b).

`decision_problems` is the one place the rules of a decision's content live (a level, a
reason for an override or a different start level, a program at the start level): the
decision form calls it to put each problem beside its field, and the services call it again
under the row lock, so the rule cannot differ between what the form says and what is kept.
"""

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from api.webhooks import webhooks_notify
from audit.models import AuditEvent
from intake.models import Intake
from screening.models import LEVEL_CHOICES

from .models import (
    Decision,
    DecisionVersion,
    Notification,
    OutcomeEvent,
    Program,
    Reopening,
    WaitListEntry,
)
from .notifications import notification_queue
from .recording import audit_intake, locked, require_clinician
from .state import Move, Outcome, ReviewError, move_check

LEVELS = dict(LEVEL_CHOICES)


def reason_subject(*, overridden: bool) -> str:
    """The start of "... needs a reason": an override, or (when the recommendation is
    accepted) a start level other than the indicated one."""
    return ("An override needs" if overridden
            else "A start level other than the indicated one needs")


def decision_problems(*, recommended_level: str, indicated_level: str, start_level: str,
                      reason_code: str, reason_text: str,
                      program: Program | None) -> list[ReviewError]:
    """Everything wrong with a decision's content, each naming its field; [] when it can be
    kept. `start_level` is already defaulted to the indicated level by the caller."""
    problems = []
    if indicated_level not in LEVELS:
        problems.append(ReviewError("Choose the clinically indicated level.", "indicated_level"))
    if start_level not in LEVELS:
        problems.append(ReviewError("Choose the level the patient will start.", "start_level"))
    if problems:
        return problems
    overridden = indicated_level != recommended_level
    if overridden or start_level != indicated_level:
        needs = reason_subject(overridden=overridden)
        if reason_code not in Decision.OverrideReason.values:
            problems.append(ReviewError(f"{needs} a reason: choose one.", "reason_code"))
        if not reason_text.strip():
            problems.append(ReviewError(f"{needs} a few words on why.", "reason_text"))
    if program is not None and program.level != start_level:
        problems.append(ReviewError("Choose a program at the level the patient will start.",
                                    "program"))
    return problems


@dataclass(frozen=True)
class DecisionContent:
    """What a clinician decides, as the form gives it."""

    indicated_level: str
    start_level: str = ""
    reason_code: str = ""
    reason_text: str = ""
    program: Program | None = None
    next_steps: str = ""


def _checked(content: DecisionContent, recommended_level: str) -> dict:
    """The fields to keep, or ReviewError for the first problem."""
    start_level = content.start_level or content.indicated_level
    reason_text = content.reason_text.strip()
    problems = decision_problems(
        recommended_level=recommended_level, indicated_level=content.indicated_level,
        start_level=start_level, reason_code=content.reason_code, reason_text=reason_text,
        program=content.program)
    if problems:
        raise problems[0]
    accepted = content.indicated_level == recommended_level
    reason_code = content.reason_code
    if accepted and start_level == content.indicated_level:
        reason_code = ""  # a few words may still go with an acceptance, a code may not
    program = content.program
    return {"indicated_level": content.indicated_level, "start_level": start_level,
            "accepted": accepted, "reason_code": reason_code, "reason_text": reason_text,
            "program": program,
            "next_steps": content.next_steps.strip() or (program.next_steps if program else "")}


def _version_add(decision: Decision, *, made_by: User, amend_reason_code: str = "",
                 amend_reason_text: str = "") -> DecisionVersion:
    return DecisionVersion.objects.create(
        decision=decision, number=decision.version, indicated_level=decision.indicated_level,
        start_level=decision.start_level, accepted=decision.accepted,
        reason_code=decision.reason_code, reason_text=decision.reason_text,
        program=decision.program, next_steps=decision.next_steps,
        amend_reason_code=amend_reason_code, amend_reason_text=amend_reason_text,
        made_by=made_by)


def _wait_list(intake: Intake, decision: Decision, actor: User) -> None:
    """"No capacity at the indicated level": the person waits for a place there (once)."""
    if decision.reason_code != Decision.OverrideReason.NO_CAPACITY:
        return
    if not WaitListEntry.objects.filter(intake=intake, level=decision.indicated_level,
                                        left_at__isnull=True).exists():
        WaitListEntry.objects.create(intake=intake, level=decision.indicated_level,
                                     added_by=actor)


def decide_refusal(intake: Intake) -> str:
    """Why `intake`, in its current state, cannot be decided; "" when it can. The rule is the
    state table's; this adds who decided it already, when someone did."""
    if intake.kind == Intake.Kind.RESCREEN:
        return ("A re-screen is decided on its suggestion (accept or override), not with an "
                "intake decision.")
    try:
        move_check(Move.DECIDE, intake.status)
    except ReviewError as error:
        if intake.status not in (Intake.Status.DECIDED, Intake.Status.CLOSED):
            return error.message
    else:
        return ""
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
    indicated one. The patient is shown the start level and the next steps (the program's own
    next steps when none are written). The decision is its own version 1.
    Returns the decision. Raises ReviewError (with the field at fault) when refused.
    """
    require_clinician(actor)
    row = locked(intake)
    refusal = decide_refusal(row)
    if refusal:
        raise ReviewError(refusal)
    recommendation = row.recommendation
    fields = _checked(DecisionContent(
        indicated_level=indicated_level, start_level=start_level or "",
        reason_code=reason_code, reason_text=reason_text, program=program,
        next_steps=next_steps), recommendation.level)
    decision = Decision.objects.create(intake=row, recommended_level=recommendation.level,
                                       decided_by=actor, submitted_at=row.submitted_at,
                                       **fields)
    _version_add(decision, made_by=actor)
    _wait_list(row, decision, actor)
    row.status, _ = move_check(Move.DECIDE, row.status)
    row.decided_level = decision.start_level
    row.decided_at = decision.decided_at
    changed = ["status", "decided_level", "decided_at", "updated_at"]
    if row.assigned_to_id is None:
        row.assigned_to = actor
        changed.append("assigned_to")
    row.save(update_fields=changed)
    audit_intake(actor=actor, action=AuditEvent.Action.DECIDE, intake=row, request=request,
                 detail={"move": Move.DECIDE, "accepted": decision.accepted,
                         "recommended": recommendation.level,
                         "indicated": decision.indicated_level, "start": decision.start_level,
                         "reason_code": decision.reason_code,
                         "program_id": program.pk if program else None})
    notification_queue(kind=Notification.Kind.DECIDED, intake=row)
    webhooks_notify(event="intake.decided", intake=row)
    return decision


# The fields of a decision a version keeps, with the words its history uses for them.
VERSIONED = {
    "indicated_level": "Clinically indicated level",
    "start_level": "Level the patient starts",
    "program": "Program",
    "reason_code": "Reason",
    "reason_text": "Reason in words",
    "next_steps": "Next steps",
}
# What the person sees on their status page: a change to any of these is told to them.
SEEN_BY_THE_PERSON = ("indicated_level", "start_level", "program", "next_steps")


def _changes(before: dict, after: dict) -> list[str]:
    return [name for name in VERSIONED if before.get(name) != after.get(name)]


@transaction.atomic
def decision_amend(*, intake: Intake, actor: User, content: DecisionContent,
                   amend_reason_code: str, amend_reason_text: str,
                   request: HttpRequest | None = None) -> Decision:
    """Amend the decision on a decided intake: the decision takes the new content, the old
    one stays as a version, with the coded reason and words for the change.

    A change of the start level or the program sends a scheduled (or missed) first session
    back to "not arranged yet": it was for the old placement. The person is told, by a
    link, when anything they see has changed.
    Raises ReviewError (with the field at fault) when refused, including an amendment that
    changes nothing.
    """
    require_clinician(actor)
    row = locked(intake)
    move_check(Move.AMEND, row.status)
    decision = Decision.objects.select_for_update().get(intake=row)
    if amend_reason_code not in DecisionVersion.AmendReason.values:
        raise ReviewError("An amendment needs a reason: choose one.", "amend_reason_code")
    amend_reason_text = amend_reason_text.strip()
    if not amend_reason_text:
        raise ReviewError("An amendment needs a few words on what changed and why.",
                          "amend_reason_text")
    fields = _checked(content, decision.recommended_level)
    before = {name: getattr(decision, name) for name in VERSIONED}
    changed = _changes(before, fields)
    if not changed:
        raise ReviewError("Nothing in the decision was changed: change what needs amending, "
                          "or leave it as it is.")
    for name, value in fields.items():
        setattr(decision, name, value)
    now = timezone.now()
    decision.version += 1
    decision.amended_at = now
    replaced = {"start_level", "program"} & set(changed)
    if replaced and decision.outcome in (Outcome.SCHEDULED, Outcome.NO_SHOW):
        decision.outcome, decision.outcome_at = Outcome.AWAITING, now
        decision.first_session_at = None
        decision.outcome_reminded_at = None
        OutcomeEvent.objects.create(decision=decision, move=Move.AMEND,
                                    outcome=Outcome.AWAITING, recorded_by=actor)
    decision.save()
    _version_add(decision, made_by=actor, amend_reason_code=amend_reason_code,
                 amend_reason_text=amend_reason_text)
    _wait_list(row, decision, actor)
    row.decided_level = decision.start_level
    row.save(update_fields=["decided_level", "updated_at"])
    audit_intake(actor=actor, action=AuditEvent.Action.DECIDE, intake=row, request=request,
                 detail={"move": Move.AMEND, "version": decision.version, "changed": changed,
                         "amend_reason_code": amend_reason_code,
                         "indicated": decision.indicated_level, "start": decision.start_level,
                         "program_id": decision.program_id})
    if set(changed) & set(SEEN_BY_THE_PERSON):
        notification_queue(kind=Notification.Kind.CARE_UPDATED, intake=row)
    return decision


@dataclass(frozen=True)
class VersionRow:
    """One version of a decision in its history, with what it changed from the one before."""

    version: DecisionVersion
    changes: list[tuple[str, str, str]]  # (what, before, after), in words


def _words(version: DecisionVersion, name: str) -> str:
    if name == "program":
        return version.program.name if version.program else "No program"
    if name in ("indicated_level", "start_level"):
        return LEVELS.get(getattr(version, name), getattr(version, name))
    if name == "reason_code":
        return version.get_reason_code_display() or "None"
    return getattr(version, name) or "(empty)"


def decision_history(decision: Decision | None) -> list[VersionRow]:
    """Every version of the decision, newest first, each with what it changed (one query)."""
    if decision is None:
        return []
    versions = list(decision.versions.select_related("made_by", "program"))
    rows = []
    # A decision may have no version row (made before versions were kept, or seeded by
    # seed_intakes): no history then, rather than a zip of unequal lengths (a 500).
    for newer, older in zip(versions, [*versions[1:], None][:len(versions)], strict=True):
        changes = [] if older is None else [
            (label, _words(older, name), _words(newer, name))
            for name, label in VERSIONED.items()
            if getattr(older, name if name != "program" else "program_id")
            != getattr(newer, name if name != "program" else "program_id")]
        rows.append(VersionRow(version=newer, changes=changes))
    return rows


@transaction.atomic
def intake_reopen(*, intake: Intake, actor: User, reason_code: str, reason_text: str,
                  request: HttpRequest | None = None) -> Intake:
    """Reopen a closed intake: it is decided again, with its decision and outcome as they
    were, so the decision can be amended and the outcome followed. Needs a coded reason and
    a few words. Raises ReviewError otherwise, or for an intake that is not closed."""
    require_clinician(actor)
    row = locked(intake)
    to_state, _ = move_check(Move.REOPEN, row.status)
    if not Decision.objects.filter(intake=row).exists():
        raise ReviewError("This intake was closed without a decision: it cannot be reopened "
                          "here.")
    if reason_code not in Reopening.Reason.values:
        raise ReviewError("Reopening needs a reason: choose one.", "reason_code")
    reason_text = reason_text.strip()
    if not reason_text:
        raise ReviewError("Reopening needs a few words on why.", "reason_text")
    reopening = Reopening.objects.create(intake=row, reason_code=reason_code,
                                         reason_text=reason_text, reopened_by=actor)
    from_state, row.status = row.status, to_state
    row.save(update_fields=["status", "updated_at"])
    audit_intake(actor=actor, action=AuditEvent.Action.STATE, intake=row, request=request,
                 detail={"from": from_state, "to": to_state, "move": Move.REOPEN,
                         "reason_code": reason_code, "reopening_id": reopening.pk})
    return row

