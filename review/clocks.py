"""Response-time clocks (SPEC §8b): which tier an intake is in, when its first contact is
due, and the report of time to first contact per tier.

The deadline is computed once, when the clock starts, and stored (`Intake.respond_by`): the
queue sorts and filters on that indexed column instead of doing calendar arithmetic per row.

The report's default range (the last 30 days: the page opened with no range chosen, nearly
every request) is shown from a snapshot the beat works out every minute on the "bulk" queue
(response_report_refresh, review/snapshots.py); a range chosen by hand is worked out live.
"""

import math
import statistics
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DurationField,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.utils import timezone

from intake.models import Intake, IntakeFlag
from iop.db_router import replica_alias

from .models import Snapshot
from .snapshots import snapshot_refresh, snapshot_stored

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


class _Percentile(Aggregate):
    """An ordered-set percentile of durations (PostgreSQL): percentile_cont interpolates (the
    median: the mean of the middle two), percentile_disc is the nearest rank."""

    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, *, function: str, fraction: float, **extra):
        super().__init__(expression, function=function, fraction=fraction, **extra)


def _in_range(start: date, end: date):
    from audit.selectors import day_start

    zone = timezone.get_default_timezone()
    # A report: from the replica when there is one.
    # First intakes: a re-screen's clock is its own (a worsening tier the flags do not say).
    return Intake.objects.using(replica_alias()).filter(
        kind=Intake.Kind.INTAKE, clock_started_at__gte=day_start(start, zone),
        clock_started_at__lt=day_start(end, zone, days_after=1))


def response_report(*, start: date, end: date, now: datetime | None = None,
                    in_database: bool | None = None) -> list[TierReport]:
    """Per tier, for intakes whose clock started between `start` and `end` (inclusive, in the
    clinic's time zone): count, median and 90th percentile time to first contact (any
    outcome counts as contact), and how many were contacted within the target.

    On PostgreSQL (`in_database`, the default there) one grouped query over the range of
    clock starts (index intake_clock_started_at) does the counting and the percentiles, so
    the cost follows the range, not the history. The SQLite demo has no percentile
    aggregate: there the rows are read and counted in Python (_response_report_rows)."""
    now = now or timezone.now()
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    if not in_database:
        return _response_report_rows(start=start, end=end, now=now)
    # A safety flag, looked up per intake of the range by its index. As a scalar subquery
    # (LIMIT 1), not EXISTS: PostgreSQL planned EXISTS as a hash of every safety flag ever
    # raised (85,000 rows at 100,000 intakes) to serve the range's few hundred.
    safety = Subquery(IntakeFlag.objects.using(replica_alias()).filter(intake_id=OuterRef("pk"),
                                                flag__in=settings.RESPONSE_SAFETY_FLAGS)
                      .values("pk")[:1])
    tier = Case(When(urgent=True, then=Value(URGENT)),
                When(safety_flag__isnull=False, then=Value(SAFETY)),
                default=Value(ROUTINE), output_field=CharField())
    contacted = Q(first_contact_at__isnull=False)
    waited = Greatest(F("first_contact_at") - F("clock_started_at"),
                      Value(timedelta(0), output_field=DurationField()))
    rows = (_in_range(start, end).annotate(safety_flag=safety, tier=tier).values("tier")
            .annotate(count=Count("pk"), contacted=Count("pk", filter=contacted),
                      median=_Percentile(waited, function="percentile_cont", fraction=0.5,
                                         filter=contacted),
                      p90=_Percentile(waited, function="percentile_disc", fraction=0.9,
                                      filter=contacted),
                      within=Count("pk", filter=Q(first_contact_at__lte=F("respond_by"))),
                      late=Count("pk", filter=Q(first_contact_at__gt=F("respond_by"))
                                 | Q(first_contact_at__isnull=True, respond_by__lt=now)),
                      waiting=Count("pk", filter=Q(first_contact_at__isnull=True,
                                                   respond_by__gte=now)))
            .order_by())
    by_tier = {row["tier"]: row for row in rows}
    empty = {"count": 0, "contacted": 0, "median": None, "p90": None, "within": 0, "late": 0,
             "waiting": 0}
    return [TierReport(tier=tier_name, label=tier_label(tier_name),
                       **{key: by_tier.get(tier_name, empty)[key] for key in empty})
            for tier_name in TIERS]


def _response_report_rows(*, start: date, end: date, now: datetime) -> list[TierReport]:
    """response_report counted in Python over the range's rows (SQLite)."""
    rows = list(_in_range(start, end)
                .values_list("pk", "urgent", "clock_started_at", "respond_by",
                             "first_contact_at"))
    safety = set(IntakeFlag.objects.using(replica_alias()).filter(
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


# --- the default range, from a snapshot ----------------------------------------------------

RESPONSE_REPORT_SNAPSHOT = "response-report"
DEFAULT_RANGE_DAYS = 30


def response_report_default_range(today: date) -> tuple[date, date]:
    """The range the report shows when none is chosen: the last 30 days, today included."""
    return today - timedelta(days=DEFAULT_RANGE_DAYS - 1), today


def _microseconds(duration: timedelta | None) -> int | None:
    # Whole microseconds, exactly (a float of seconds could round a percentile_cont mean).
    return None if duration is None else duration // timedelta(microseconds=1)


def _duration(microseconds: int | None) -> timedelta | None:
    return None if microseconds is None else timedelta(microseconds=microseconds)


def response_report_as_json(*, start: date, end: date, tiers: list[TierReport]) -> dict:
    """The report as JSON the snapshot keeps: dates as ISO strings, durations as whole
    microseconds (JSON has neither). response_report_from_json gives the same back."""
    return {"start": start.isoformat(), "end": end.isoformat(),
            "tiers": [{**asdict(tier), "median": _microseconds(tier.median),
                       "p90": _microseconds(tier.p90)} for tier in tiers]}


def response_report_from_json(value: dict) -> tuple[date, date, list[TierReport]]:
    """(start, end, the tiers' reports) as response_report_as_json stored them."""
    return (date.fromisoformat(value["start"]), date.fromisoformat(value["end"]),
            [TierReport(**{**tier, "median": _duration(tier["median"]),
                           "p90": _duration(tier["p90"])}) for tier in value["tiers"]])


def _default_report_as_json(now: datetime) -> dict:
    start, end = response_report_default_range(timezone.localdate(now))
    return response_report_as_json(start=start, end=end,
                                   tiers=response_report(start=start, end=end, now=now))


def response_report_refresh() -> Snapshot:
    """Work out the report of the default range as of now and store it as the snapshot the
    page reads; returns it. Run by the beat every minute on the "bulk" queue
    (review.tasks.refresh_response_report): a month of clocks is one query of ~47 ms at a
    million intakes, ten trivial requests' worth on every opening of the page."""
    return snapshot_refresh(kind=RESPONSE_REPORT_SNAPSHOT, compute=_default_report_as_json)


def response_report_stored() -> dict:
    """What the page shows with no range chosen: {"start", "end": the snapshot's range (or
    today's default before the first one), "tiers": its reports or None before the first
    refresh, "at": when it was worked out or None, "stale": older than
    SNAPSHOT_STALE_SECONDS}. Reads one row and no intake. A snapshot of another range than
    today's default (worked out before midnight) is shown and a refresh asked for."""
    from .tasks import refresh_response_report

    start, end = response_report_default_range(timezone.localdate())
    wanted = {"start": start.isoformat(), "end": end.isoformat()}
    stored = snapshot_stored(
        kind=RESPONSE_REPORT_SNAPSHOT, task=refresh_response_report,
        current=lambda value: {key: value.get(key) for key in wanted} == wanted)
    tiers = None
    if stored["value"] is not None:
        start, end, tiers = response_report_from_json(stored["value"])
    return {"start": start, "end": end, "tiers": tiers, "at": stored["at"],
            "stale": stored["stale"]}
