"""The re-screen invitations (SPEC §8b): every `rescreen_every_weeks` of the program, the
first that long after the person started, each next that long after the one before; a mail
with a link only; a reminder RESCREEN_REMIND_AFTER_DAYS later; missed when not answered
RESCREEN_MISSED_AFTER_DAYS after it was due.

Run by Celery beat (care.tasks.rescreen_sweep) in batches. Each step is idempotent: an
invitation is one row per intake and number (a unique constraint), a reminder and a missed
mark are set once under a row lock, so a sweep run twice, or two at once, mails once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from intake.models import Intake
from review.models import Decision, OutcomeEvent
from review.notifications import notify_rescreen_due
from review.state import Outcome

from .models import RescreenInvitation, unanswered

BATCH = 500


@dataclass(frozen=True)
class SweepCount:
    invited: int
    reminded: int
    missed: int


def _started_at():
    """When the person started: the latest "started" step recorded on the decision."""
    return Subquery(OutcomeEvent.objects.filter(decision=OuterRef("pk"), outcome=Outcome.STARTED)
                    .order_by("-recorded_at").values("recorded_at")[:1])


def _last_invitation(field: str):
    """The care's latest invitation's `field` (number or due_at), None before the first."""
    return Subquery(RescreenInvitation.objects.filter(intake_id=OuterRef("intake_id"))
                    .order_by("-number").values(field)[:1])


def _acute_risk_open():
    """Whether a check-in of this care is a draft whose acute-risk alert is open: as for a
    draft intake (intake.services.LEFT_ALONE), the person is the clinic's to call, not to
    mail "time for your check-in"."""
    return Exists(Intake.objects.filter(follows=OuterRef("intake_id"),
                                        status=Intake.Status.DRAFT, acute_risk_at__isnull=False,
                                        acute_risk_closed_at__isnull=True))


def invitations_make(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Invite each person who started a program to the re-screen now due, if not yet
    invited. Reads the started decisions in batches by id. Returns how many were invited."""
    now = now or timezone.now()
    invited, after = 0, 0
    while True:
        rows = list(Decision.objects.filter(outcome=Outcome.STARTED, pk__gt=after,
                                            intake__kind=Intake.Kind.INTAKE)
                    .annotate(started_at=_started_at(), left_alone=_acute_risk_open(),
                              last_number=_last_invitation("number"),
                              last_due_at=_last_invitation("due_at"))
                    .values_list("pk", "intake_id", "started_at",
                                 "program__rescreen_every_weeks", "left_alone", "last_number",
                                 "last_due_at")
                    .order_by("pk")[:batch])
        if not rows:
            return invited
        for _pk, intake_id, started_at, weeks, left_alone, last_number, last_due_at in rows:
            if left_alone:
                continue  # invited once the clinic has closed the alert (a later sweep)
            invited += _invite(intake_id=intake_id, started_at=started_at,
                               weeks=max(weeks or 2, 1), now=now,
                               last=(last_number or 0, last_due_at))
        after = rows[-1][0]


def _invite(*, intake_id: int, started_at: datetime | None, weeks: int, now: datetime,
            last: tuple[int, datetime | None] = (0, None)) -> int:
    """Invite when one interval has passed since the last invitation (or the start, or a
    later start). Counted from the last one, not from the start: a program whose interval
    changes in the middle of someone's care then invites them on the new interval, where a
    number worked out from the start would fall on one already sent and skip weeks."""
    if started_at is None:
        return 0
    last_number, last_due_at = last
    since = max(started_at, last_due_at) if last_due_at else started_at
    every = timedelta(weeks=weeks)
    periods = int((now - since) / every)
    if periods < 1:
        return 0
    # After a pause (the beat stopped, an alert left open) the one due now, not a backlog.
    number, due_at = last_number + 1, since + periods * every
    try:
        with transaction.atomic():
            RescreenInvitation.objects.create(intake_id=intake_id, number=number, due_at=due_at)
            # The one before, if still open, is missed now: a new one replaces it.
            RescreenInvitation.objects.filter(
                unanswered(), intake_id=intake_id, number__lt=number,
                missed_at__isnull=True).update(missed_at=now)
            notify_rescreen_due(intake=Intake(pk=intake_id))
    except IntegrityError:  # invited already (this sweep ran before, or runs twice)
        return 0
    return 1


@transaction.atomic
def invitations_remind(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Remind, once, each person whose invitation is RESCREEN_REMIND_AFTER_DAYS old and not
    answered (not while the check-in's acute-risk alert is open). Returns how many."""
    now = now or timezone.now()
    due = list(RescreenInvitation.objects.select_for_update(skip_locked=True, of=("self",))
               .filter(unanswered(), reminded_at__isnull=True, missed_at__isnull=True,
                       created_at__lte=now - timedelta(days=settings.RESCREEN_REMIND_AFTER_DAYS))
               # As a draft intake (intake.services.LEFT_ALONE): a check-in whose answers
               # showed acute risk is the clinic's to act on, not the person's to finish.
               .exclude(rescreen__acute_risk_at__isnull=False,
                        rescreen__acute_risk_closed_at__isnull=True)
               .order_by("pk")[:batch])
    for invitation in due:
        notify_rescreen_due(intake=Intake(pk=invitation.intake_id), reminder=True)
    RescreenInvitation.objects.filter(pk__in=[i.pk for i in due]).update(reminded_at=now)
    return len(due)


@transaction.atomic
def invitations_mark_missed(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Mark missed each invitation not answered RESCREEN_MISSED_AFTER_DAYS after it was due
    (its clinician sees it on the intake page). Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RESCREEN_MISSED_AFTER_DAYS)
    ids = list(RescreenInvitation.objects.select_for_update(skip_locked=True, of=("self",))
               .filter(unanswered(), missed_at__isnull=True, due_at__lte=cutoff)
               .order_by("pk").values_list("pk", flat=True)[:batch])
    return RescreenInvitation.objects.filter(pk__in=ids).update(missed_at=now)


def rescreen_sweep(*, now: datetime | None = None) -> SweepCount:
    """One run of the beat task: invite, remind, mark missed."""
    now = now or timezone.now()
    return SweepCount(invited=invitations_make(now=now), reminded=invitations_remind(now=now),
                      missed=invitations_mark_missed(now=now))


