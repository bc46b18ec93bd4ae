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
    # Opened is not reached: an urgent alert goes again until a clinician acknowledges it.
    "escalate-unacknowledged-urgent-alerts": {
        "task": "review.tasks.escalate_unacknowledged_urgent_alerts",
        "schedule": 60.0,
    },
    # The metrics page's snapshot (review/metrics.py): the page reads it, never the history.
    # A refresh not taken within the minute (the bulk queue busy with a replay) is dropped:
    # the next one is on its way, and stacked refreshes would each add up the history.
    "refresh-clinic-metrics": {
        "task": "review.tasks.refresh_clinic_metrics",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    # The response-time report's default range (review/clocks.py): its own entry, so that a
    # metrics refresh that fails or expires does not take the report's with it.
    "refresh-response-report": {
        "task": "review.tasks.refresh_response_report",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    "remind-first-sessions-unrecorded": {
        "task": "review.tasks.remind_first_sessions_unrecorded",
        "schedule": crontab(minute="*/15"),
    },
    "send-pending-account-mail": {
        "task": "accounts.tasks.send_pending_account_mail",
        "schedule": 60.0,
    },
    "requeue-stalled-replays": {
        "task": "screening.tasks.requeue_stalled_replays",
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
    # Measurement-based care: re-screen invitations, their reminder, the missed ones.
    "sweep-rescreens": {
        "task": "care.tasks.sweep_rescreens",
        "schedule": crontab(minute=5),
    },
    "purge-unconfirmed-accounts": {
        "task": "accounts.tasks.purge_unconfirmed_accounts",
        "schedule": crontab(hour=3, minute=30),
    },
    # The audit log's monthly partitions, made months ahead (PostgreSQL; docs/scaling.md).
    "create-audit-partitions": {
        "task": "audit.tasks.create_audit_partitions",
        "schedule": crontab(hour=2, minute=45),
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
