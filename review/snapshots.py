"""Figures worked out in the background and read by a page: a snapshot of kind K, computed
by a function F, kept as one row of review_snapshot (review.models.Snapshot).

A page whose figures cost more than a request should wait for (the clinic metrics add up the
whole history; the response-time report's default range reads a month of clocks) shows the
snapshot the beat refreshes every minute on the "bulk" queue, and says when it was worked
out. With none yet (a fresh install), or none from the beat for two minutes, the page asks
for a refresh itself; one older than SNAPSHOT_STALE_SECONDS is still shown, with a note.

The value is stored as JSON: a kind whose figures hold dates, durations or Decimals encodes
them itself (as review/clocks.py does), and its page decodes them back.
"""

import contextlib
import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from iop.db_router import replica_alias

from .models import Snapshot

logger = logging.getLogger(__name__)

# A refresh asked by a page is asked at most this often per process and kind, so a page
# reloaded while the workers are down does not fill the bulk queue; the beat's own refreshes
# expire after as long (iop/celery.py). The beat refreshes every minute: a snapshot two
# minutes old means it missed one.
ASK_EVERY_SECONDS = 60
_DUE_AFTER = timedelta(seconds=2 * ASK_EVERY_SECONDS)


@contextlib.contextmanager
def _on_one_core(alias: str) -> Iterator[None]:
    """The refresh's reads without parallel workers or JIT, on PostgreSQL.

    Left to itself PostgreSQL ran the metrics' sums over a million intakes with two parallel
    workers each and JIT-compiled them: 6 s on every core at once, each minute, and every
    page's 95th percentile waited behind it. Serial, the refresh takes longer (8 s) on one
    core and leaves the others to the pages; it is background work with a minute to finish.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET max_parallel_workers_per_gather")
            cursor.execute("RESET jit")


def snapshot_refresh(*, kind: str, compute: Callable[[datetime], Any]) -> Snapshot:
    """Store compute(now) as the snapshot of `kind`; returns the stored row.

    `now` is when the refresh began and becomes computed_at: the figures are as of that
    moment. A refresh that began before the stored one (two workers, one slower) leaves the
    newer one in place and returns it."""
    started = timezone.now()
    with _on_one_core(replica_alias()):
        value = compute(started)
    updated = (Snapshot.objects.filter(kind=kind, computed_at__lt=started)
               .update(value=value, computed_at=started))
    if not updated:
        Snapshot.objects.get_or_create(kind=kind,
                                       defaults={"value": value, "computed_at": started})
    return Snapshot.objects.get(kind=kind)


def snapshot_refresh_ask(*, kind: str, task) -> bool:
    """Hand `task` (the Celery task refreshing `kind`) to the broker, at most once a minute
    per process. Returns False when it was asked already or the broker is unavailable.
    Tasks run eagerly (the demo), it runs here, before this returns."""
    if not cache.add(f"review:snapshot-refresh-asked:{kind}", True, ASK_EVERY_SECONDS):
        return False
    try:
        task.apply_async(expires=ASK_EVERY_SECONDS)
    except Exception as error:  # the broker is down: the page says what it has
        logger.warning("%s refresh not asked: broker unavailable (%s)", kind,
                       type(error).__name__)
        return False
    return True


def snapshot_stored(*, kind: str, task,
                    current: Callable[[Any], bool] = lambda value: True) -> dict:
    """What a page shows of `kind`: {"value": the stored value or None before the first
    refresh, "at": when it was worked out or None, "stale": True when older than
    SNAPSHOT_STALE_SECONDS (the workers or the beat are down)}.

    Reads one row and nothing else. With no snapshot yet, none from the beat for two
    minutes, or one that `current(value)` says is no longer what the page wants (a report of
    yesterday's range after midnight), `task` is asked for (snapshot_refresh_ask); run eagerly
    it has worked out the snapshot before the page is shown."""
    snapshot = Snapshot.objects.filter(kind=kind).first()
    due = (snapshot is None or snapshot.computed_at < timezone.now() - _DUE_AFTER
           or not current(snapshot.value))
    if due and snapshot_refresh_ask(kind=kind, task=task):
        snapshot = Snapshot.objects.filter(kind=kind).first() or snapshot
    if snapshot is None:
        return {"value": None, "at": None, "stale": False}
    stale_before = timezone.now() - timedelta(seconds=settings.SNAPSHOT_STALE_SECONDS)
    return {"value": snapshot.value, "at": snapshot.computed_at,
            "stale": snapshot.computed_at < stale_before}
