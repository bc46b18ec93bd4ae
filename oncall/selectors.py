"""Reads of the on-call roster: who is on call at a moment, and the roster pages' lists."""

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import CLINICIAN

from .models import Shift


def shifts_current(now: datetime | None = None) -> QuerySet[Shift]:
    """The shifts running at `now` (default: now), with their people."""
    now = now or timezone.now()
    return (Shift.objects.filter(starts_at__lte=now, ends_at__gt=now,
                                 clinician__is_active=True)
            .select_related("clinician", "backup"))


def oncall_clinicians(now: datetime | None = None) -> list[User]:
    """The clinicians on call now: the first to be alerted about an urgent intake.

    A person whose account is disabled or who is no longer a clinician is not on call,
    whatever the roster says.
    """
    people = {shift.clinician for shift in shifts_current(now)}
    return sorted((person for person in people if person.is_clinician), key=lambda p: p.pk)


def oncall_backups(now: datetime | None = None) -> list[User]:
    """The backups of the shifts running now (active clinicians only)."""
    people = {shift.backup for shift in shifts_current(now) if shift.backup is not None}
    return sorted((person for person in people if person.is_active and person.is_clinician),
                  key=lambda p: p.pk)


def roster_is_empty(now: datetime | None = None) -> bool:
    """True when no active clinician is on call now: urgent alerts have nobody to go to."""
    return not shifts_current(now).filter(clinician__groups__name=CLINICIAN).exists()


def roster_for_page(now: datetime | None = None, *, past_days: int = 14) -> dict[str, list[Shift]]:
    """The roster page's three lists: now, coming, and the last `past_days` days."""
    now = now or timezone.now()
    shifts = list(Shift.objects.filter(ends_at__gt=now - timedelta(days=past_days))
                  .select_related("clinician", "backup").order_by("starts_at", "pk"))
    return {
        "current": [s for s in shifts if s.starts_at <= now < s.ends_at],
        "coming": [s for s in shifts if s.starts_at > now],
        "past": sorted((s for s in shifts if s.ends_at <= now), key=lambda s: s.ends_at,
                       reverse=True),
    }
