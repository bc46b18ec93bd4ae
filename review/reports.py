"""Reports on what came of the decisions (SPEC §8b): time to decision and to first session,
the service gap (indicated against started level), no-shows and declines by program, and
override rates by criteria version with a breakdown by age band and sex at birth.

Each report is a fixed number of aggregate queries however many intakes there are (asserted
in tests/review/test_reports.py): grouping and percentiles run in PostgreSQL. The embedded
SQLite demo has no percentile aggregate: there the times are read (one query) and the
percentiles computed in Python over its few rows.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncMonth

from iop.db_router import replica_alias
from screening.models import LEVEL_CHOICES

from .models import Decision
from .state import Outcome

LEVELS = dict(LEVEL_CHOICES)
REASONS = dict(Decision.OverrideReason.choices)
AGE_BANDS = (("under 18", None, 17), ("18\u201325", 18, 25), ("26\u201334", 26, 34),
             ("35\u201349", 35, 49), ("50\u201364", 50, 64), ("65 and over", 65, None))


class _PercentileDisc(Aggregate):
    """The nearest-rank percentile (as review/clocks.py computes it): one measured value."""

    function = "percentile_disc"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=fraction, **extra)


class _Hours(Func):
    """Hours between two moments, as a number (PostgreSQL)."""

    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)"
    output_field = FloatField()


def _nearest_rank(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


# A period of submits: (from, before). None: every decision ever made.
Period = tuple[datetime, datetime] | None


def _decisions(period: Period):
    """The decisions on intakes submitted in `period`, by the submit time copied onto each
    decision (and its index): no intake row is read unless a report needs its answers.
    Read from the replica when there is one (iop/db_router.py)."""
    decisions = Decision.objects.using(replica_alias()).filter(submitted_at__isnull=False)
    if period is not None:
        decisions = decisions.filter(submitted_at__gte=period[0], submitted_at__lt=period[1])
    return decisions


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class TimingRow:
    month: str  # YYYY-MM of submit
    level: str  # the level started
    decided: int
    decision_median_h: float | None
    decision_p90_h: float | None
    started: int
    session_median_h: float | None
    session_p90_h: float | None


def _timings(queryset, end: str, in_database: bool) -> dict[
        tuple[str, str], tuple[int, float | None, float | None]]:
    """(month, level) -> (count, median, 90th percentile) of hours from submit to `end`."""
    grouped = queryset.annotate(month=TruncMonth("submitted_at")).values(
        "month", "start_level")
    if in_database:
        hours = _Hours(F(end) - F("submitted_at"))
        rows = grouped.annotate(n=Count("pk"), p50=_PercentileDisc(hours, 0.5),
                                p90=_PercentileDisc(hours, 0.9)).order_by()
        return {(row["month"].strftime("%Y-%m"), row["start_level"]):
                (row["n"], row["p50"], row["p90"]) for row in rows}
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    for row in grouped.annotate(at=F(end), submitted=F("submitted_at")).order_by():
        values[(row["month"].strftime("%Y-%m"), row["start_level"])].append(
            (row["at"] - row["submitted"]).total_seconds() / 3600)
    return {key: (len(hours), _nearest_rank(hours, 0.5), _nearest_rank(hours, 0.9))
            for key, hours in values.items()}


def time_to_decision_and_first_session(period: Period = None, *,
                                       in_database: bool | None = None) -> list[TimingRow]:
    """By month of submit and level started: hours from submit to the (first) decision, and
    to the first session of those who started. Two queries (`in_database`: percentiles in
    PostgreSQL; by default when the database is PostgreSQL)."""
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    decided = _timings(_decisions(period), "decided_at", in_database)
    started = _timings(_decisions(period).filter(outcome=Outcome.STARTED,
                                                 first_session_at__isnull=False),
                       "first_session_at", in_database)
    rows = []
    for month, level in sorted(decided.keys() | started.keys(), reverse=True):
        n, p50, p90 = decided.get((month, level), (0, None, None))
        s_n, s_p50, s_p90 = started.get((month, level), (0, None, None))
        rows.append(TimingRow(month, level, n, _round(p50), _round(p90), s_n, _round(s_p50),
                              _round(s_p90)))
    return rows


def _round(hours: float | None) -> float | None:
    return None if hours is None else round(hours, 1)


def service_gap(period: Period = None) -> dict[str, list[dict]]:
    """Indicated against started level, by reason and by program: where the clinic places
    people below (or above) what they need, and why. Two queries."""
    by_reason = (_decisions(period).values("indicated_level", "start_level", "reason_code")
                 .annotate(n=Count("pk")).order_by("indicated_level", "start_level",
                                                   "reason_code"))
    by_program = (_decisions(period).values("indicated_level", "start_level", "program__name")
                  .annotate(n=Count("pk")).order_by("indicated_level", "start_level",
                                                    "program__name"))
    return {
        "by_reason": [{"indicated": row["indicated_level"], "started": row["start_level"],
                       "gap": row["indicated_level"] != row["start_level"],
                       "reason": REASONS.get(row["reason_code"], "None given"),
                       "n": row["n"]} for row in by_reason],
        "by_program": [{"indicated": row["indicated_level"], "started": row["start_level"],
                        "gap": row["indicated_level"] != row["start_level"],
                        "program": row["program__name"] or "No program", "n": row["n"]}
                       for row in by_program],
    }


def no_show_and_decline_by_program(period: Period = None) -> list[dict]:
    """Per program: people scheduled, how many missed a first session, how many declined
    (ever, from the outcome history), and the rates. One query."""
    rows = (_decisions(period).values("program__name")
            .annotate(scheduled=Count("pk", distinct=True,
                                      filter=Q(outcomes__outcome=Outcome.SCHEDULED)),
                      no_show=Count("pk", distinct=True,
                                    filter=Q(outcomes__outcome=Outcome.NO_SHOW)),
                      declined=Count("pk", distinct=True,
                                     filter=Q(outcomes__outcome=Outcome.DECLINED)),
                      started=Count("pk", distinct=True,
                                    filter=Q(outcomes__outcome=Outcome.STARTED)))
            .filter(scheduled__gt=0).order_by("program__name"))
    return [{"program": row["program__name"] or "No program", "scheduled": row["scheduled"],
             "started": row["started"], "no_show": row["no_show"],
             "no_show_pct": _rate(row["no_show"], row["scheduled"]),
             "declined": row["declined"], "decline_pct": _rate(row["declined"],
                                                               row["scheduled"])}
            for row in rows]


def _age_band():
    age = Cast(KeyTextTransform("age", "intake__answers"), IntegerField())
    whens = []
    for label, low, high in AGE_BANDS:
        condition = Q()
        if low is not None:
            condition &= Q(age_years__gte=low)
        if high is not None:
            condition &= Q(age_years__lte=high)
        whens.append(When(condition, then=Value(label)))
    return age, Case(*whens, default=Value("not given"), output_field=CharField())


def overrides_by_version_and_group(period: Period = None) -> list[dict]:
    """Per criteria version, age band and sex at birth: decisions, overrides and the rate, so
    a change of criteria that moves one group shows. One query."""
    age, band = _age_band()
    rows = (_decisions(period).annotate(
        age_years=age, band=band,
        sex=KeyTextTransform("sex_at_birth", "intake__answers"),
        criteria=F("intake__recommendation__criteria_version__version"))
        .values("criteria", "band", "sex")
        .annotate(n=Count("pk"), overridden=Count("pk", filter=Q(accepted=False)))
        .order_by("criteria", "band", "sex"))
    order = [label for label, _, _ in AGE_BANDS] + ["not given"]
    result = [{"version": row["criteria"], "band": row["band"], "sex": row["sex"] or "not given",
               "n": row["n"], "overridden": row["overridden"],
               "override_pct": _rate(row["overridden"], row["n"])} for row in rows]
    result.sort(key=lambda r: (r["version"] or "", order.index(r["band"]), r["sex"]))
    return result


# --- CSV -----------------------------------------------------------------------------------

CSV_REPORTS = {
    "timing": ("Time to decision and first session",
               ["month", "level", "decided", "decision_median_h", "decision_p90_h", "started",
                "session_median_h", "session_p90_h"]),
    "gap-reason": ("Service gap by reason", ["indicated", "started", "gap", "reason", "n"]),
    "gap-program": ("Service gap by program", ["indicated", "started", "gap", "program", "n"]),
    "no-shows": ("No-shows and declines by program",
                 ["program", "scheduled", "started", "no_show", "no_show_pct", "declined",
                  "decline_pct"]),
    "overrides": ("Overrides by criteria version, age band and sex at birth",
                  ["version", "band", "sex", "n", "overridden", "override_pct"]),
}


def report_rows(name: str, period: Period = None) -> list[dict]:
    """The rows of one report for its CSV, as dicts keyed by CSV_REPORTS[name]'s columns."""
    if name == "timing":
        return [row.__dict__ for row in time_to_decision_and_first_session(period)]
    if name == "gap-reason":
        return service_gap(period)["by_reason"]
    if name == "gap-program":
        return service_gap(period)["by_program"]
    if name == "no-shows":
        return no_show_and_decline_by_program(period)
    if name == "overrides":
        return overrides_by_version_and_group(period)
    raise KeyError(name)
