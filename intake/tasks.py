"""Scheduled work on unfinished intakes (Celery beat, see iop/celery.py)."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task
def remind_unfinished_intakes() -> int:
    """Queue reminders for drafts left 1 and 3 days. Returns how many were queued."""
    return sum(services.intake_remind(intake_id=pk) for pk in services.drafts_to_remind())


@shared_task
def purge_stale_drafts() -> int:
    """Delete drafts untouched for DRAFT_PURGE_DAYS (30). Returns how many."""
    return services.drafts_purge(days=settings.DRAFT_PURGE_DAYS)
