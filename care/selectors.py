"""Reads of measurement-based care: the screens of one person's care, their care level, the
invitations due, for the person and for the clinician."""

from django.db.models import Q

from intake.models import Intake
from screening.models import Recommendation

from .models import RescreenInvitation, Suggestion, unanswered


def rescreens_of(first: Intake):
    """The submitted re-screens continuing the care decided on `first`, oldest first."""
    return (Intake.objects.filter(follows=first, submitted_at__isnull=False)
            .select_related("recommendation", "suggestion__decided_by")
            .order_by("submitted_at", "pk"))


def screens_of(first: Intake, *, up_to: Intake | None = None) -> list[Recommendation]:
    """The results of the intake and of its submitted re-screens, oldest first (up to and
    including `up_to`)."""
    rows = Recommendation.objects.filter(Q(intake=first) | Q(intake__follows=first,
                                                             intake__submitted_at__isnull=False))
    if up_to is not None:
        rows = rows.filter(Q(intake=first) | Q(intake__submitted_at__lte=up_to.submitted_at))
    return list(rows.order_by("created_at", "pk"))


def last_screen_of(first: Intake) -> Intake:
    """The person's latest submitted screen of this care: the last re-screen, or the intake."""
    return (Intake.objects.filter(follows=first, submitted_at__isnull=False)
            .order_by("-submitted_at", "-pk").first() or first)


def care_level_of(first: Intake) -> str:
    """The level of care the person is in: whichever a clinician said last, the level
    decided on a re-screen or the start level of the decision on the intake (an amendment
    of that decision after a re-screen places the person anew)."""
    latest = (Suggestion.objects.filter(rescreen__follows=first, decided_at__isnull=False)
              .order_by("-decided_at").values_list("decided_level", "decided_at").first())
    decision = getattr(first, "decision", None)
    if latest and not (decision and decision.amended_at and decision.amended_at > latest[1]):
        return latest[0]
    return decision.start_level if decision else first.recommended_level


def invitation_open_for(patient) -> RescreenInvitation | None:
    """The person's latest invitation not answered yet (not missed): what their home page
    offers."""
    return (RescreenInvitation.objects
            .filter(unanswered(), intake__patient=patient, missed_at__isnull=True)
            .select_related("rescreen").order_by("-due_at").first())


def invitations_missed_of(first: Intake) -> list[RescreenInvitation]:
    return list(first.rescreen_invitations.filter(missed_at__isnull=False)
                .order_by("number"))
