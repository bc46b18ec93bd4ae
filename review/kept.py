"""What the review pages read on every request and what changes a few times a year, kept in
the process for a short while instead of a query each time (issue 19).

- The clinician group's id (review.selectors.clinicians_active): made by a migration, never
  changed by the app. Kept ten minutes.
- The published criteria's document, for the queue's flag filter and what each flag means:
  it changes when an admin publishes. Kept a minute: in the other worker processes a queue
  page may offer the previous version's flags for up to that long after a publish (display
  only; screening always reads the published version itself). In this process a save of a
  criteria version or a group forgets at once.

Tests start each with nothing kept (tests/conftest.py).
"""

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

GROUP_SECONDS = 600.0
CRITERIA_SECONDS = 60.0

_kept: dict[str, tuple[float, Any]] = {}
_lock = threading.Lock()


def kept(key: str, seconds: float, read: Callable[[], Any]) -> Any:
    """`read()`'s value, read at most once every `seconds` in this process. None is not
    kept: what is missing (no published criteria between a retire and a publish) is read
    again on the next request."""
    now = time.monotonic()
    entry = _kept.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = read()
    if value is not None:
        with _lock:
            _kept[key] = (now + seconds, value)
    return value


def forget(*keys: str) -> None:
    """Drop the kept values of `keys`, or of every key when none is given."""
    with _lock:
        if not keys:
            _kept.clear()
        for key in keys:
            _kept.pop(key, None)


@receiver(post_save, sender="auth.Group", dispatch_uid="review.kept.group_saved")
@receiver(post_delete, sender="auth.Group", dispatch_uid="review.kept.group_deleted")
def _group_changed(**kwargs) -> None:
    forget("clinician_group_id")


@receiver(post_save, sender="screening.CriteriaVersion", dispatch_uid="review.kept.criteria")
@receiver(post_delete, sender="screening.CriteriaVersion",
          dispatch_uid="review.kept.criteria_deleted")
def _criteria_changed(**kwargs) -> None:
    forget("criteria_published_document")
