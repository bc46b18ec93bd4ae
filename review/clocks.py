"""Response-time clocks (SPEC §8b): which tier an intake is in, when its first contact is
due, and the report of time to first contact per tier.

The deadline is computed once, when the clock starts, and stored (`Intake.respond_by`): the
queue sorts and filters on that indexed column instead of doing calendar arithmetic per row.
"""

import math
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from intake.models import Intake, IntakeFlag

URGENT, SAFETY, ROUTINE = "urgent", "safety", "routine"
TIERS = (URGENT, SAFETY, ROUTINE)


def tier_label(tier: str) -> str:
    return {
        URGENT: f"Urgent: first contact within {_hours_words(settings.RESPONSE_URGENT_HOURS)}",
        SAFETY: "Safety follow-up: within "
                f"{_days_words(settings.RESPONSE_SAFETY_BUSINESS_DAYS)}",
        ROUTINE: f"Everyone else: within {_days_words(settings.RESPONSE_ROUTINE_BUSINESS_DAYS)}",
    }[tier]


def _hours_words(hours: float) -> str:
    if hours < 1:
        return f"{round(hours * 60)} minutes"
    return "1 hour" if hours == 1 else f"{hours:g} hours"


def _days_words(days: int) -> str:
    return "1 business day" if days == 1 else f"{days} business days"


def tier_of(*, urgent: bool, flags) -> str:
    """The response tier of an intake from its urgency and its recommendation's flags."""
    if urgent:
        return URGENT
    if set(flags) & set(settings.RESPONSE_SAFETY_FLAGS):
        return SAFETY
    return ROUTINE


def add_business_days(start: datetime, days: int) -> datetime:
    """`start` plus `days` business days (Mon-Fri in the clinic's time zone), same time of day.

    A start on a weekend counts from the Monday after it at midnight: a Saturday intake with
    one business day is due by the end of Monday.
    """
    zone = timezone.get_default_timezone()
    local = timezone.localtime(start, zone)
    day, clock = local.date(), local.timetz().replace(tzinfo=None)
    if day.weekday() >= 5:
        day, clock = day + timedelta(days=7 - day.weekday()), time(0, 0)
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    # Built from the wall-clock time, so a daylight-saving change in between keeps the hour.
    return timezone.make_aware(datetime.combine(day, clock), zone)


def deadline(start: datetime, tier: str) -> datetime:
    """When the first contact of an intake in `tier` whose clock started at `start` is due."""
    if tier == URGENT:
        return start + timedelta(hours=settings.RESPONSE_URGENT_HOURS)
    if tier == SAFETY:
        return add_business_days(start, settings.RESPONSE_SAFETY_BUSINESS_DAYS)
    return add_business_days(start, settings.RESPONSE_ROUTINE_BUSINESS_DAYS)


def clock_start_of(intake: Intake) -> datetime:
    """The moment the clock starts: the save that first showed acute risk in a draft
    (`acute_risk_at`, where the intake records it), else the submit."""
    return (getattr(intake, "acute_risk_at", None) or intake.submitted_at or timezone.now())


def intake_start_clock(*, intake: Intake, urgent: bool, flags,
                       at_least: str | None = None) -> bool:
    """Start the intake's response clock, once: a clock started at an acute-risk save is not
    restarted by the submit (it can only move the deadline nearer, to the urgent tier).
    `at_least` lifts a routine tier (a worsening re-screen is SAFETY at least). Saves the
    fields itself. Returns True when the deadline was set or moved."""
    start = intake.clock_started_at or clock_start_of(intake)
    tier = tier_of(urgent=urgent, flags=flags)
    if at_least is not None and TIERS.index(at_least) < TIERS.index(tier):
        tier = at_least
    due = deadline(start, tier)
    if intake.respond_by is not None and intake.respond_by <= due:
        return False
    intake.clock_started_at, intake.respond_by = start, due
    Intake.objects.filter(pk=intake.pk).update(clock_started_at=start, respond_by=due)
    return True


@dataclass(frozen=True)
class ClockState:
    """What the queue and the intake page say about an intake's clock."""

    contacted: bool
    overdue: bool
    left: timedelta | None  # time left (not overdue) or how overdue (overdue)


def clock_state(intake: Intake, now: datetime | None = None) -> ClockState | None:
    if intake.respond_by is None:
        return None
    if intake.first_contact_at is not None:
        return ClockState(contacted=True, overdue=intake.first_contact_at > intake.respond_by,
                          left=None)
    now = now or timezone.now()
    return ClockState(contacted=False, overdue=now > intake.respond_by,
                      left=abs(intake.respond_by - now))


# --- the report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TierReport:
    tier: str
    label: str
    count: int  # intakes whose clock started in the range
    contacted: int
    median: timedelta | None  # time to first contact, of those contacted (mean of the middle
    # two when their number is even)
    p90: timedelta | None
    within: int  # first contact by the deadline
    late: int  # contacted late, or not contacted and past the deadline
    waiting: int  # not contacted, deadline still ahead

    @property
    def share_within(self) -> float | None:
        judged = self.within + self.late
        return self.within / judged if judged else None


def percentile(values: list[timedelta], fraction: float) -> timedelta | None:
    """The nearest-rank percentile (the smallest value with at least `fraction` of the values
    at or below it): always one of the measured times, never an interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def response_report(*, start: date, end: date, now: datetime | None = None) -> list[TierReport]:
    """Per tier, for intakes whose clock started between `start` and `end` (inclusive, in the
    clinic's time zone): count, median and 90th percentile time to first contact (any
    outcome counts as contact), and how many were contacted within the target."""
    from audit.selectors import day_start

    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    # First intakes: a re-screen's clock is its own (a worsening tier the flags do not say).
    rows = list(Intake.objects.filter(kind=Intake.Kind.INTAKE,
                                      clock_started_at__gte=day_start(start, zone),
                                      clock_started_at__lt=day_start(end, zone, days_after=1))
                .values_list("pk", "urgent", "clock_started_at", "respond_by",
                             "first_contact_at"))
    safety = set(IntakeFlag.objects.filter(
        Q(flag__in=settings.RESPONSE_SAFETY_FLAGS), intake_id__in=[row[0] for row in rows])
        .values_list("intake_id", flat=True)) if rows else set()
    grouped: dict[str, list[tuple]] = {tier: [] for tier in TIERS}
    for row in rows:
        pk, urgent = row[0], row[1]
        grouped[tier_of(urgent=urgent, flags=settings.RESPONSE_SAFETY_FLAGS
                        if pk in safety else ())].append(row)
    reports = []
    for tier in TIERS:
        times, within, late, waiting = [], 0, 0, 0
        for _, _, started, due, contact in grouped[tier]:
            if contact is not None:
                times.append(max(contact - started, timedelta(0)))
                if contact <= due:
                    within += 1
                else:
                    late += 1
            elif now > due:
                late += 1
            else:
                waiting += 1
        median = statistics.median(times) if times else None
        reports.append(TierReport(tier=tier, label=tier_label(tier), count=len(grouped[tier]),
                                  contacted=len(times), median=median,
                                  p90=percentile(times, 0.9), within=within, late=late,
                                  waiting=waiting))
    return reports
