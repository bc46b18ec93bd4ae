"""Writes of measurement-based care (SPEC §8b): starting a re-screen from its invitation, the
suggestion a submitted re-screen makes, and the clinician's decision on it."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from intake.models import Intake
from intake.services import rescreen_mark_decided, rescreen_start
from intake.steps import rescreen_asks
from review.models import Decision, Notification
from review.notifications import notification_queue, notify_rescreen_submitted
from review.state import ReviewError
from screening.engine.catalogue import INSTRUMENTS
from screening.models import LEVEL_CHOICES, Recommendation

from . import suggestion as S
from .models import RescreenInvitation, Suggestion
from .selectors import care_level_of, last_screen_of, screens_of

LEVELS = dict(LEVEL_CHOICES)


def positive_steps(recommendation: Recommendation | None) -> list[str]:
    """The steps of the instruments that screened positive (any band above none)."""
    if recommendation is None:
        return []
    return [INSTRUMENTS[key].step for key, band in (recommendation.bands or {}).items()
            if key in INSTRUMENTS and band not in (None, "", "none")]


@transaction.atomic
def rescreen_begin(*, invitation: RescreenInvitation, request=None) -> Intake:
    """Start (or resume) the re-screen an invitation asks for: PHQ-9, GAD-7, each instrument
    positive at intake, the safety questions, then the other answers of the last screen to
    confirm. Returns the re-screen. Raises intake.services.RescreenNotStarted when an
    unfinished first intake is in the way."""
    locked = RescreenInvitation.objects.select_for_update(of=("self",)).select_related(
        "intake__recommendation", "intake__decision", "rescreen")
    invitation = locked.get(pk=invitation.pk)
    if invitation.rescreen is not None:
        return invitation.rescreen
    # An old page's button for an invitation a newer one replaced starts the newer one:
    # the check-in answers the invitation now open, not one already shown as missed.
    newest = locked.filter(intake_id=invitation.intake_id).order_by("-number").first()
    if newest is not None and newest.pk != invitation.pk and invitation.missed_at is not None:
        invitation = newest
        if invitation.rescreen is not None:
            return invitation.rescreen
    first = invitation.intake
    rescreen = rescreen_start(
        follows=first, carried_from=last_screen_of(first),
        asks=rescreen_asks(positive_steps(getattr(first, "recommendation", None))),
        request=request)
    # A check-in begun on an earlier invitation, left, and missed since (the next one
    # replaced it) is the one continued: it moves to this invitation, answers kept, the
    # earlier one stays missed (a re-screen answers one invitation).
    RescreenInvitation.objects.filter(rescreen=rescreen).exclude(pk=invitation.pk).update(
        rescreen=None)
    invitation.rescreen = rescreen
    invitation.save(update_fields=["rescreen"])
    return rescreen


def suggestion_make_on_submit(sender, *, intake: Intake, recommendation: Recommendation,
                              **kwargs) -> None:
    """The receiver of intake.signals.rescreen_submitted."""
    suggestion_make(rescreen=intake, recommendation=recommendation)


def suggestion_make(*, rescreen: Intake, recommendation: Recommendation) -> Suggestion:
    """Store what a submitted re-screen suggests, against the care level the person is in
    and the screens before it, and tell review: it is queued on its tier, a worsening one
    alerts. Runs in the submit's transaction. Returns the suggestion."""
    first = rescreen.follows
    care_level = care_level_of(first)
    recommendations = screens_of(first, up_to=rescreen)
    screens = [S.Screen(level=r.level, rules=tuple(r.rules), flags=tuple(r.flags))
               for r in recommendations]
    # The words of a rule that stopped firing are the screen before's; of one that fired
    # now, this one's (each pinned to its own criteria version).
    words = {reason["id"]: reason["reason"] for r in recommendations[-2:]
             for reason in r.reasons}
    result = S.suggest(care_level=care_level, screens=screens,
                       safety_flags={"urgent", *settings.RESPONSE_SAFETY_FLAGS},
                       step_down_after=settings.RESCREEN_STEP_DOWN_AFTER)
    suggestion = Suggestion.objects.create(
        rescreen=rescreen, care_level=care_level, recommended_level=recommendation.level,
        move=result.move, level=result.level, rules_added=list(result.rules_added),
        rules_removed=list(result.rules_removed), new_flags=list(result.new_flags),
        new_safety_flags=list(result.new_safety_flags), worsening=result.worsening,
        rule_words={rule: words.get(rule, "")
                    for rule in (*result.rules_added, *result.rules_removed)})
    notify_rescreen_submitted(rescreen=rescreen, urgent=rescreen.urgent,
                              flags=recommendation.flags, worsening=result.worsening,
                              already_alerted=rescreen.acute_risk_at is not None)
    return suggestion


@dataclass(frozen=True)
class SuggestionDecision:
    accept: bool
    level: str = ""  # when overriding: the level decided
    reason_code: str = ""
    reason_text: str = ""


def suggestion_problems(*, suggestion: Suggestion,
                        content: SuggestionDecision) -> list[ReviewError]:
    """Everything wrong with a decision on a suggestion, each naming its field."""
    if content.accept:
        return []
    problems = []
    if content.level not in LEVELS:
        problems.append(ReviewError("Choose the level of care decided.", "level"))
    if content.reason_code not in Decision.OverrideReason.values:
        problems.append(ReviewError("An override needs a reason: choose one.", "reason_code"))
    if not content.reason_text.strip():
        problems.append(ReviewError("An override needs a few words on why.", "reason_text"))
    return problems


@transaction.atomic
def suggestion_decide(*, suggestion: Suggestion, actor: User, content: SuggestionDecision,
                      request=None) -> Suggestion:
    """A clinician accepts the suggestion or overrides it with a level and a coded reason.
    The re-screen leaves the queue, decided; the level decided is the person's care level
    from now on; when it changed, the person is told (by a link only). Returns it.

    Raises ReviewError when it was decided already, the actor is not a clinician, or the
    override lacks what it needs (the first problem, naming its field).
    """
    if not actor.is_clinician:
        raise ReviewError("Only clinicians decide on a re-screen.")
    row = Suggestion.objects.select_for_update().select_related("rescreen").get(pk=suggestion.pk)
    if row.decided_at is not None:
        raise ReviewError("Someone decided on this re-screen already: the page shows it now.")
    problems = suggestion_problems(suggestion=row, content=content)
    if problems:
        raise problems[0]
    now = timezone.now()
    row.decided_at, row.decided_by, row.accepted = now, actor, content.accept
    row.decided_level = row.level if content.accept else content.level
    row.reason_code = "" if content.accept else content.reason_code
    row.reason_text = content.reason_text.strip()
    row.save(update_fields=["decided_at", "decided_by", "accepted", "decided_level",
                            "reason_code", "reason_text"])
    rescreen_mark_decided(rescreen=row.rescreen, level=row.decided_level, at=now)
    audit_record(actor=actor, action=AuditEvent.Action.STATE, object_type="intake",
                 object_id=row.rescreen_id, intake_id=row.rescreen_id, request=request,
                 detail={"rescreen_suggestion": row.move, "accepted": row.accepted,
                         "decided_level": row.decided_level, "reason_code": row.reason_code})
    if row.decided_level != row.care_level:
        notification_queue(kind=Notification.Kind.CARE_UPDATED, intake=row.rescreen.follows)
    return row
