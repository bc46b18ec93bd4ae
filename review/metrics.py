"""Clinic metrics (/review/metrics/): volumes, time to first review, agreement with the criteria.

Agreement is counted per criteria version and per rule, so admins see which rules clinicians
override most and which criteria to revisit. A decision agrees when the clinically indicated
level is the recommended one; a different start level (no capacity, payer) is logistics, not
disagreement, and is counted apart.

The page reads them from a snapshot the beat refreshes every minute (clinic_metrics_refresh),
never from the history itself.

On PostgreSQL the medians and the per-rule counts are computed in the database; the embedded
SQLite demo computes them in Python over its few rows.
"""

from collections import Counter, defaultdict
from statistics import median

from django.db import connection, connections
from django.db.models import Count, F, Q

from intake.models import Intake
from iop.db_router import replica_alias
from screening.engine.levels import LEVEL_RANK, LEVELS
from screening.models import Recommendation

from .models import Decision, Snapshot
from .snapshots import snapshot_refresh, snapshot_stored

Status = Intake.Status


def _read(model):
    """Every read of the metrics from the replica when there is one (iop/db_router.py)."""
    return model._default_manager.using(replica_alias())


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def counts_by_state_and_level() -> dict:
    """Submitted intakes by state, and by level (recommended, indicated, started)."""
    # First intakes only: re-screens are counted on their own (care/), not as new intakes.
    first = _read(Intake).filter(kind=Intake.Kind.INTAKE)
    states = dict(first.exclude(status=Status.DRAFT).values_list("status")
                  .annotate(n=Count("pk")).order_by())
    recommended = dict(first.exclude(status=Status.DRAFT).exclude(recommended_level="")
                       .values_list("recommended_level").annotate(n=Count("pk")).order_by())
    indicated = dict(_read(Decision).values_list("indicated_level").annotate(n=Count("pk"))
                     .order_by())
    started = dict(_read(Decision).values_list("start_level").annotate(n=Count("pk"))
                   .order_by())
    return {
        "states": [(code, label, states.get(code, 0)) for code, label in Status.choices
                   if code != Status.DRAFT],
        "levels": [(level, recommended.get(level, 0), indicated.get(level, 0),
                    started.get(level, 0)) for level in reversed(LEVELS)],
        "total": sum(states.values()),
    }


# The clock starts when the clinic was first told: at submit, or earlier for a draft whose
# answers raised the urgent alert before it was submitted (which clinicians may open first).
def _medians_sql() -> dict[bool, tuple[float | None, int]]:
    table = Intake._meta.db_table
    with connections[replica_alias()].cursor() as cursor:
        cursor.execute(
            f"SELECT urgent, percentile_cont(0.5) WITHIN GROUP (ORDER BY "  # noqa: S608  # nosec B608
            f"EXTRACT(EPOCH FROM first_opened_at - COALESCE(acute_risk_at, submitted_at))), "
            f"count(*) FROM {table} "
            "WHERE first_opened_at IS NOT NULL AND submitted_at IS NOT NULL AND kind = 'intake' "
            "GROUP BY urgent")
        return {urgent: (seconds, n) for urgent, seconds, n in cursor.fetchall()}


def _medians_python() -> dict[bool, tuple[float | None, int]]:
    waits: dict[bool, list[float]] = defaultdict(list)
    for urgent, submitted, alerted, opened in (_read(Intake).filter(
            first_opened_at__isnull=False, submitted_at__isnull=False, kind=Intake.Kind.INTAKE)
            .values_list("urgent", "submitted_at", "acute_risk_at", "first_opened_at")):
        waits[urgent].append((opened - (alerted or submitted)).total_seconds())
    return {urgent: (median(values), len(values)) for urgent, values in waits.items()}


def time_to_first_review(*, in_database: bool | None = None) -> list[dict]:
    """Median minutes from submit to a clinician first opening the intake, urgent and not."""
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    medians = _medians_sql() if in_database else _medians_python()
    rows = []
    for urgent, label in ((True, "Urgent"), (False, "Not urgent")):
        seconds, n = medians.get(urgent, (None, 0))
        rows.append({"label": label, "urgent": urgent, "opened": n,
                     "median_minutes": None if seconds is None else round(seconds / 60, 1)})
    return rows


def agreement_by_version() -> list[dict]:
    """Per criteria version: decisions, how many agreed with the recommendation, overrides up
    (a higher level indicated) and down, and different start levels."""
    rows = (_read(Decision).values("intake__recommendation__criteria_version__version")
            .annotate(total=Count("pk"), agreed=Count("pk", filter=Q(accepted=True)),
                      start_differs=Count("pk", filter=~Q(start_level=F("indicated_level"))))
            .order_by("intake__recommendation__criteria_version__version"))
    directions = _override_directions()
    result = []
    for row in rows:
        version = row["intake__recommendation__criteria_version__version"]
        up, down = directions.get(version, (0, 0))
        result.append({"version": version, "total": row["total"], "agreed": row["agreed"],
                       "agreed_pct": _rate(row["agreed"], row["total"]),
                       "overridden": row["total"] - row["agreed"], "up": up, "down": down,
                       "start_differs": row["start_differs"]})
    return result


def _override_directions() -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    overridden = (_read(Decision).filter(accepted=False)
                  .values_list("intake__recommendation__criteria_version__version",
                               "recommended_level", "indicated_level")
                  .annotate(n=Count("pk")).order_by())
    for version, recommended, indicated, n in overridden:
        up = LEVEL_RANK.get(indicated, 0) > LEVEL_RANK.get(recommended, 0)
        counts[version][0 if up else 1] += n
    return {version: (up, down) for version, (up, down) in counts.items()}


def _rules_sql() -> list[tuple[str, str, int, int]]:
    decision, recommendation = Decision._meta.db_table, Recommendation._meta.db_table
    version = Recommendation._meta.get_field("criteria_version").related_model._meta.db_table
    with connections[replica_alias()].cursor() as cursor:
        cursor.execute(
            f"SELECT v.version, rule, count(*), "  # noqa: S608  # nosec B608
            f"count(*) FILTER (WHERE NOT d.accepted) FROM {decision} d "
            f"JOIN {recommendation} r ON r.intake_id = d.intake_id "
            f"JOIN {version} v ON v.id = r.criteria_version_id "
            "CROSS JOIN LATERAL jsonb_array_elements_text(r.rules) AS rule "
            "GROUP BY v.version, rule")
        return cursor.fetchall()


def _rules_python() -> list[tuple[str, str, int, int]]:
    totals: Counter = Counter()
    overridden: Counter = Counter()
    for version, rules, accepted in _read(Decision).values_list(
            "intake__recommendation__criteria_version__version",
            "intake__recommendation__rules", "accepted"):
        for rule in rules or []:
            totals[version, rule] += 1
            overridden[version, rule] += 0 if accepted else 1
    return [(version, rule, n, overridden[version, rule]) for (version, rule), n in
            totals.items()]


def agreement_by_rule(*, in_database: bool | None = None) -> list[dict]:
    """Per criteria version and matched rule: decisions and overrides, most overridden first.

    A decision counts for every rule its recommendation matched; an intake matching no rule
    (outpatient by default) counts under "(no rule)".
    """
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    rows = _rules_sql() if in_database else _rules_python()
    none_matched = (_read(Decision).filter(intake__recommendation__rules=[])
                    .values_list("intake__recommendation__criteria_version__version")
                    .annotate(n=Count("pk"), o=Count("pk", filter=Q(accepted=False)))
                    .order_by())
    rows = list(rows) + [(version, "(no rule)", n, o) for version, n, o in none_matched]
    result = [{"version": version, "rule": rule, "total": total, "overridden": overridden,
               "override_pct": _rate(overridden, total)}
              for version, rule, total, overridden in rows]
    result.sort(key=lambda r: (-(r["override_pct"] or 0), -r["total"], r["version"], r["rule"]))
    return result


def override_reasons() -> list[tuple[str, int]]:
    labels = dict(Decision.OverrideReason.choices)
    counts = (_read(Decision).exclude(reason_code="").values_list("reason_code")
              .annotate(n=Count("pk")).order_by("-n"))
    return [(labels.get(code, code), n) for code, n in counts]


def clinic_metrics() -> dict:
    """Everything the metrics page shows."""
    counts = counts_by_state_and_level()
    decided = _read(Decision).count()
    agreed = _read(Decision).filter(accepted=True).count()
    return {
        **counts,
        "first_review": time_to_first_review(),
        "decided": decided,
        "agreed": agreed,
        "agreed_pct": _rate(agreed, decided),
        "by_version": agreement_by_version(),
        "by_rule": agreement_by_rule(),
        "reasons": override_reasons(),
    }


METRICS_SNAPSHOT = "clinic-metrics"


def clinic_metrics_refresh() -> Snapshot:
    """Work out clinic_metrics() and store them as the snapshot the page reads; returns it.

    Run by the beat every minute on the "bulk" queue (review.tasks.refresh_clinic_metrics):
    the metrics add up the whole history (2.7 s at 100,000 intakes, docs/performance.md),
    which no request should wait for. computed_at is when the reads began. A refresh that
    began before the stored one (two workers, one slower) leaves the newer one in place."""
    # Tuples become lists in JSON; the page unpacks either alike.
    return snapshot_refresh(kind=METRICS_SNAPSHOT, compute=lambda now: clinic_metrics())


def clinic_metrics_stored() -> dict:
    """What the metrics page shows: {"metrics": the stored metrics or None before the first
    refresh, "at": when they were worked out or None, "stale": True when older than
    SNAPSHOT_STALE_SECONDS (the workers or the beat are down)}.

    Reads one row and never the history. With no snapshot yet (a fresh install), or none
    from the beat for two minutes, a refresh is asked for; tasks run eagerly (the demo, which
    has no beat) it is worked out before the page is shown (review/snapshots.py)."""
    from .tasks import refresh_clinic_metrics

    stored = snapshot_stored(kind=METRICS_SNAPSHOT, task=refresh_clinic_metrics)
    return {"metrics": stored["value"], "at": stored["at"], "stale": stored["stale"]}
