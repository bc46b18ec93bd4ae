"""Scheduled work of measurement-based care (Celery beat, see iop/celery.py)."""

from celery import shared_task

from .invitations import rescreen_sweep


@shared_task
def sweep_rescreens() -> dict:
    """Invite to the re-screens due, remind, mark missed. Returns the three counts."""
    count = rescreen_sweep()
    return {"invited": count.invited, "reminded": count.reminded, "missed": count.missed}
