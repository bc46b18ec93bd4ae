"""The audit log's monthly partitions on PostgreSQL (audit migration 0003, docs/scaling.md).

Each month's partition is made ahead of time; a row for a month without one lands in the
default partition, so an insert never fails. SQLite (the demo) has one plain table.
"""

import logging
from datetime import date

from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)

MONTHS_AHEAD = 3


def _month_add(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def audit_partitions_ensure(*, months_ahead: int = MONTHS_AHEAD,
                            today: date | None = None) -> dict[str, str]:
    """Make this month's partition and the next `months_ahead` ones where missing.

    Idempotent. Returns {"YYYY-MM": "created" | "exists" | "in default"}: "in default" is a
    month whose rows already went to the default partition (no partition was made ahead for
    it); they stay there and are read like any other. Nothing on SQLite ({}).
    """
    if connection.vendor != "postgresql":
        return {}
    first = (today or timezone.now().date()).replace(day=1)
    results = {}
    with connection.cursor() as cursor:
        for n in range(months_ahead + 1):
            month = _month_add(first, n)
            cursor.execute("SELECT audit_partition_ensure(%s)", [month])
            results[f"{month:%Y-%m}"] = cursor.fetchone()[0]
    for month, outcome in results.items():
        if outcome == "in default":
            logger.warning("audit month %s has no partition: its rows are in the default one",
                           month)
    return results


def audit_partition_of(event_id: int) -> str | None:
    """The partition (table) holding audit row `event_id`, or None (SQLite, or no such row)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s",
                       [event_id])
        row = cursor.fetchone()
    return row[0] if row else None
