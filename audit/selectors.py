"""Reads of the audit log: filtered, newest first, paged by keyset (the log only grows)."""

import base64
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent

PER_PAGE = 100


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    object_type: str = ""
    actor_id: int | None = None
    actor_role: str = ""
    intake_id: int | None = None
    since: date | None = None
    until: date | None = None


def day_start(day: date, tz, *, days_after: int = 0) -> datetime:
    """The start of `day` (plus `days_after` days) in `tz`, clamped to the dates a datetime
    can hold: a far-off date filters everything or nothing, it never overflows. The filter
    forms refuse such dates already; this keeps any other caller from a 500."""
    try:
        day = day + timedelta(days=days_after)
    except OverflowError:
        day = date.max if days_after > 0 else date.min
    # A day at either end of the calendar would overflow when moved to UTC.
    day = min(max(day, date.min + timedelta(days=1)), date.max - timedelta(days=1))
    return datetime.combine(day, datetime.min.time(), tzinfo=tz)


def _encode(event: AuditEvent) -> str:
    raw = f"{event.at.isoformat()}|{event.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str | None) -> tuple[datetime, int] | None:
    if not token or len(token) > 120:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        stamp, pk = raw.split("|")
        moment = datetime.fromisoformat(stamp)
        return (moment, int(pk)) if moment.tzinfo else None
    except (ValueError, UnicodeDecodeError):
        return None


def audit_events(filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The events matching the filters, newest first, with their actor."""
    events = AuditEvent.objects.select_related("actor")
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.actor_id:
        events = events.filter(actor_id=filters.actor_id)
    if filters.actor_role:
        events = events.filter(actor_role=filters.actor_role)
    if filters.intake_id:
        events = events.filter(intake_id=filters.intake_id)
    tz = timezone.get_current_timezone()
    if filters.since:
        events = events.filter(at__gte=day_start(filters.since, tz))
    if filters.until:
        events = events.filter(at__lt=day_start(filters.until, tz, days_after=1))
    return events.order_by("-at", "-id")


def audit_page(filters: AuditFilters, *, after: str | None = None,
               per_page: int = PER_PAGE) -> tuple[list[AuditEvent], str | None]:
    """One page of events after the cursor `after`, and the cursor of the next page (or None).

    Keyset on (at, id): a page deep in years of history costs what the first one does.
    """
    events = audit_events(filters)
    cursor = _decode(after)
    if cursor is not None:
        at, pk = cursor
        events = events.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk), at__lte=at)
    rows = list(events[:per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    return rows, (_encode(rows[-1]) if more and rows else None)
