"""A queue per kind of work (CELERY_TASK_ROUTES): an urgent alert is delivered by the urgent
worker while the bulk worker is busy with a long replay (docs/deploy.md, docs/scaling.md)."""

import time

import pytest
from django.conf import settings

from intake.models import Intake
from intake.services import intake_submit
from intake.steps import steps_for
from review.models import Notification
from screening.models import ReplayRun
from screening.replay import replay_start
from screening.versions import criteria_draft_create, criteria_draft_update
from tests.criteria.helpers import phq9_with_sum, with_phq9_moderate_from
from tests.criteria.test_replay import bulk_intakes
from tests.factories import HIGH_SUICIDE_RISK, answers

ROUTES = settings.CELERY_TASK_ROUTES


def queue_of(task: str) -> str:
    return ROUTES.get(task, {}).get("queue", settings.CELERY_TASK_DEFAULT_QUEUE)


def test_each_kind_of_work_has_its_queue():
    assert queue_of("review.tasks.send_urgent_notification") == "urgent"
    assert queue_of("review.tasks.escalate_unacknowledged_urgent_alerts") == "urgent"
    assert queue_of("review.tasks.send_notification") == "mail"
    assert queue_of("accounts.tasks.send_account_mail") == "mail"
    assert queue_of("api.tasks.deliver_webhook") == "mail"
    assert queue_of("screening.tasks.replay_run") == "bulk"
    assert queue_of("audit.tasks.create_audit_partitions") == "bulk"
    assert queue_of("review.tasks.remind_first_sessions_unrecorded") == "default"
    # Every routed task exists: a typo in a route would send nothing anywhere.
    from iop.celery import app

    app.loader.import_default_modules()
    assert set(ROUTES) <= set(app.tasks)


def waiting_tasks(queue: str) -> list[str]:
    """The names of the tasks waiting in `queue` on the test broker (Redis keeps a queue as a
    list of messages)."""
    import json

    import redis

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return [json.loads(message)["headers"]["task"] for message in broker.lrange(queue, 0, -1)]


@pytest.mark.django_db(transaction=True)
def test_an_urgent_alert_waits_in_the_urgent_queue_and_a_notice_in_the_mail_one(patient,
                                                                                clinician):
    from iop.celery import app

    with app.connection_for_write() as broker:
        for queue in ("urgent", "mail"):
            broker.default_channel.queue_purge(queue)
    given = answers(**HIGH_SUICIDE_RISK)
    intake = Intake.objects.create(patient=patient, answers=given,
                                   steps_done=[step.slug for step in steps_for(given)])
    intake_submit(intake=intake, signature_name=patient.full_name)
    try:
        assert waiting_tasks("urgent") == ["review.tasks.send_urgent_notification"]
        assert waiting_tasks("mail") == ["review.tasks.send_notification"]
    finally:
        with app.connection_for_write() as broker:
            for queue in ("urgent", "mail"):
                broker.default_channel.queue_purge(queue)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_an_urgent_alert_is_delivered_while_a_long_replay_runs(patient, clinician, admin_user):
    from iop.celery import app
    from tests.review.test_notifications import SMTPSink
    from tests.workers import celery_worker

    # A replay over many intakes, saved in small chunks so that it runs for a while.
    bulk_intakes(patient, 3000, phq9=phq9_with_sum(10))
    draft = criteria_draft_create(actor=admin_user)
    criteria_draft_update(version=draft, document=with_phq9_moderate_from(draft.document, 12),
                          actor=admin_user)
    with SMTPSink() as smtp, \
            celery_worker("bulk", {"REPLAY_CHUNK_SIZE": "5"},
                          purge_first=True) as bulk, \
            celery_worker("urgent", {"EMAIL_HOST": "127.0.0.1",
                                     "EMAIL_PORT": str(smtp.port), "EMAIL_USE_TLS": "0",
                                     "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": ""},
                          purge_first=True) as urgent:
        # Both workers are up (each answers on its own queue).
        assert urgent(app.send_task("iop.ping", queue="urgent").id) == "pong"
        assert bulk(app.send_task("iop.ping", queue="bulk").id) == "pong"

        # The replay goes to "bulk" by the app's routes, as from the criteria page.
        run = replay_start(version=draft, actor=admin_user)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status == ReplayRun.Status.RUNNING and run.processed > 0:
                break
            time.sleep(0.05)
        assert run.status == ReplayRun.Status.RUNNING, (run.status, run.message)

        # A patient at high risk submits: the alert goes to "urgent" by the routes.
        given = answers(**HIGH_SUICIDE_RISK)
        intake = Intake.objects.create(patient=patient, answers=given,
                                       steps_done=[step.slug for step in steps_for(given)])
        intake_submit(intake=intake, signature_name=patient.full_name)
        alert = Notification.objects.get(intake=intake, kind=Notification.Kind.URGENT)
        deadline = time.monotonic() + 60
        while alert.sent_at is None and time.monotonic() < deadline:
            alert.refresh_from_db()
            time.sleep(0.05)
        assert alert.sent_at is not None, alert.last_error
        run.refresh_from_db()
        assert run.status == ReplayRun.Status.RUNNING  # the replay still runs
        assert run.processed < 3000, run.processed
        processed_at_alert = run.processed

        # And the replay goes on to the end on its own worker.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status != ReplayRun.Status.RUNNING:
                break
            time.sleep(0.2)
    assert run.status == ReplayRun.Status.DONE, (run.status, run.message)
    # Every intake, the urgent one submitted during the run too (it came last, by id).
    assert run.processed == 3001 > processed_at_alert
    assert alert.sent_at < run.finished_at
    assert [to for to, _ in smtp.received] == [[clinician.email]]
    # The notice of the new intake went to "mail", which no worker here takes: nothing of it
    # reached the urgent worker's mail server. Emptied for the next tests.
    assert Notification.objects.get(intake=intake, kind=Notification.Kind.NEW_INTAKE
                                    ).sent_at is None
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge("mail")
