"""The Celery app: Redis broker in tests and production, eager on the embedded default."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iop.settings")

app = Celery("iop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "send-pending-notifications": {
        "task": "review.tasks.send_pending_notifications",
        "schedule": 60.0,
    },
    "realert-unopened-urgent-intakes": {
        "task": "review.tasks.realert_unopened_urgent_intakes",
        "schedule": 120.0,
    },
    "send-due-webhooks": {
        "task": "api.tasks.send_due_webhooks",
        "schedule": 60.0,
    },
    "remind-unfinished-intakes": {
        "task": "intake.tasks.remind_unfinished_intakes",
        "schedule": crontab(minute=0),
    },
    "purge-stale-drafts": {
        "task": "intake.tasks.purge_stale_drafts",
        "schedule": crontab(hour=3, minute=15),
    },
}


@app.task(name="iop.ping")
def ping() -> str:
    """A task with no side effects: the health check for workers and the broker test."""
    return "pong"
