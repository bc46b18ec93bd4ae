"""Clinic metrics: counts by state and level, time to first review, agreement by version and
by rule (computed in PostgreSQL; the SQLite demo's Python path gives the same numbers), and
the page that shows them as the beat last worked them out (a stored snapshot)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.models import Intake
from review.metrics import (
    METRICS_SNAPSHOT,
    agreement_by_rule,
    clinic_metrics,
    clinic_metrics_refresh,
    time_to_first_review,
)
from review.models import Snapshot
from review.services import intake_decide, intake_move
from review.snapshots import snapshot_refresh
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, submitted_intake
from tests.review.test_queues import queue_of


def decide(intake, clinician, level, **extra):
    intake_move(intake=intake, to_state="in_review", actor=clinician)
    return intake_decide(intake=intake, actor=clinician, indicated_level=level, **extra)


@pytest.fixture
def clinic(patient, clinician):
    now = timezone.now()
    urgent = submitted_intake(patient, submitted_at=now - timedelta(minutes=30),
                              **HIGH_SUICIDE_RISK)
    Intake.objects.filter(pk=urgent.pk).update(first_opened_at=now - timedelta(minutes=20))
    iop_a = submitted_intake(patient, submitted_at=now - timedelta(hours=5),
                             **MODERATE_DEPRESSION)
    iop_b = submitted_intake(patient, submitted_at=now - timedelta(hours=4),
                             **MODERATE_DEPRESSION)
    for intake, minutes in ((iop_a, 60), (iop_b, 180)):
        Intake.objects.filter(pk=intake.pk).update(
            first_opened_at=intake.submitted_at + timedelta(minutes=minutes))
    well = submitted_intake(patient)
    decide(urgent, clinician, "inpatient")
    decide(iop_a, clinician, "inpatient", reason_code="clinical_judgement",
           reason_text="Worse on the phone.")
    decide(iop_b, clinician, "iop", start_level="outpatient", reason_code="no_capacity",
           reason_text="IOP full.")
    return {"urgent": urgent, "iop_a": iop_a, "iop_b": iop_b, "well": well}


def test_it_counts_by_state_and_level(clinic):
    metrics = clinic_metrics()
    states = {code: n for code, _, n in metrics["states"]}
    assert states == {"submitted": 1, "in_review": 0, "decided": 3, "closed": 0}
    levels = {level: (rec, ind, start) for level, rec, ind, start in metrics["levels"]}
    assert levels == {"inpatient": (1, 2, 2), "iop": (2, 1, 0), "outpatient": (1, 0, 1)}


def test_it_gives_the_median_time_to_first_review_urgent_and_not(clinic):
    rows = {row["label"]: row for row in time_to_first_review()}
    assert rows["Urgent"]["median_minutes"] == 10.0 and rows["Urgent"]["opened"] == 1
    assert rows["Not urgent"]["median_minutes"] == 120.0  # median of 60 and 180
    assert time_to_first_review(in_database=False) == time_to_first_review(in_database=True)


def test_an_urgent_draft_opened_before_its_submit_counts_from_its_alert(clinic, other_patient):
    now = timezone.now()
    alerted = submitted_intake(other_patient, submitted_at=now - timedelta(minutes=10),
                               **HIGH_SUICIDE_RISK)
    # Alerted as a draft 60 minutes ago, opened 30 minutes later, submitted after that.
    Intake.objects.filter(pk=alerted.pk).update(acute_risk_at=now - timedelta(minutes=60),
                                                first_opened_at=now - timedelta(minutes=30))
    rows = {row["label"]: row for row in time_to_first_review()}
    assert rows["Urgent"]["median_minutes"] == 20.0  # median of 10 and 30, never below 0
    assert time_to_first_review(in_database=False) == time_to_first_review(in_database=True)


def test_it_counts_agreement_per_version_and_rule(clinic):
    metrics = clinic_metrics()
    assert (metrics["decided"], metrics["agreed"], metrics["agreed_pct"]) == (3, 2, 66.7)
    [version] = metrics["by_version"]
    assert version["version"] == "default-2"
    assert (version["total"], version["agreed"], version["up"], version["down"],
            version["start_differs"]) == (3, 2, 1, 0, 1)
    rules = {row["rule"]: row for row in metrics["by_rule"]}
    assert rules["IOP-SYMPTOMS"]["total"] == 2 and rules["IOP-SYMPTOMS"]["overridden"] == 1
    assert rules["IP-SUICIDE"]["overridden"] == 0
    assert metrics["by_rule"][0]["override_pct"] == 50.0  # most overridden first
    assert agreement_by_rule(in_database=False) == agreement_by_rule(in_database=True)
    assert dict(metrics["reasons"]) == {"Clinical judgement": 1,
                                        "No capacity at the indicated level": 1}


REFRESH = "review.tasks.refresh_clinic_metrics"
URL = reverse("review:metrics")


def reads_the_history(queries) -> bool:
    return any("review_decision" in q["sql"] or "intake_intake" in q["sql"]
               for q in queries.captured_queries)


def test_it_shows_the_page_to_staff(clinic, clinician_client, admin_client_):
    clinic_metrics_refresh()
    for client in (clinician_client, admin_client_):
        html = client.get(URL).content.decode()
        assert "Clinic metrics" in html and "IOP-SYMPTOMS" in html and "default-2" in html


def test_it_shows_an_empty_clinic(clinician_client):
    clinic_metrics_refresh()
    html = clinician_client.get(URL).content.decode()
    assert "No decisions yet." in html


def test_the_page_reads_the_snapshot_and_never_the_history(clinic, clinician_client, patient,
                                                           bulk_queue):
    clinic_metrics_refresh()
    with CaptureQueriesContext(connection) as queries:
        html = clinician_client.get(URL).content.decode()
    assert not reads_the_history(queries)
    assert "Worked out at" in html and "in the background every minute" in html
    assert "out of date" not in html and "being worked out" not in html
    total = clinician_client.get(URL).context["metrics"]["total"]
    submitted_intake(patient)
    assert clinician_client.get(URL).context["metrics"]["total"] == total  # until the refresh
    clinic_metrics_refresh()
    assert clinician_client.get(URL).context["metrics"]["total"] == total + 1
    assert bulk_queue() == []  # a fresh snapshot: the page asked for nothing


def test_the_snapshot_keeps_what_the_page_shows(clinic, clinician_client):
    """Stored as JSON (tuples become lists): the page and the figures read the same."""
    clinic_metrics_refresh()
    stored = clinician_client.get(URL).context["metrics"]
    assert stored == {key: [list(row) for row in value] if key in ("states", "levels",
                                                                   "reasons") else value
                      for key, value in clinic_metrics().items()}
    assert Snapshot.objects.count() == 1


def test_a_fresh_install_says_they_are_being_worked_out_and_asks_for_them_once(
        clinic, clinician_client, bulk_queue):
    from review.tasks import refresh_clinic_metrics

    with CaptureQueriesContext(connection) as queries:
        response = clinician_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and not reads_the_history(queries)
    assert "The metrics are being worked out" in html and "IOP-SYMPTOMS" not in html
    assert bulk_queue() == [REFRESH]  # asked of the bulk workers, by the routes
    clinician_client.get(URL)
    assert bulk_queue() == [REFRESH]  # once a minute, not once a reload
    refresh_clinic_metrics()  # as the worker does
    html = clinician_client.get(URL).content.decode()
    assert "being worked out" not in html and "IOP-SYMPTOMS" in html and "Worked out at" in html


def test_with_tasks_run_in_process_the_demo_shows_them_at_once(clinic, clinician_client):
    from iop.celery import app

    app.conf.task_always_eager = True
    try:
        html = clinician_client.get(URL).content.decode()
    finally:
        app.conf.task_always_eager = False
    assert "being worked out" not in html and "IOP-SYMPTOMS" in html
    assert Snapshot.objects.filter(kind=METRICS_SNAPSHOT).exists()


def test_a_snapshot_the_beat_left_behind_is_shown_and_asked_again(clinic, clinician_client,
                                                                   bulk_queue):
    clinic_metrics_refresh()
    Snapshot.objects.update(computed_at=timezone.now() - timedelta(minutes=3))
    html = clinician_client.get(URL).content.decode()
    assert "IOP-SYMPTOMS" in html and "out of date" not in html
    assert bulk_queue() == [REFRESH]  # two beats missed: asked from the page too


def test_a_stale_snapshot_is_shown_with_a_note(clinic, clinician_client, bulk_queue):
    clinic_metrics_refresh()
    old = timezone.now() - timedelta(seconds=settings.SNAPSHOT_STALE_SECONDS + 60)
    Snapshot.objects.update(computed_at=old)
    with CaptureQueriesContext(connection) as queries:
        html = clinician_client.get(URL).content.decode()
    assert not reads_the_history(queries)
    assert "These metrics are out of date" in html and "11\xa0minutes ago" in html
    assert "IOP-SYMPTOMS" in html and "Worked out at" not in html  # still shown
    assert bulk_queue() == [REFRESH]


def test_an_older_refresh_does_not_overwrite_a_newer_one(clinic):
    later = timezone.now() + timedelta(minutes=5)
    Snapshot.objects.create(kind=METRICS_SNAPSHOT, value={"total": -1}, computed_at=later)
    assert clinic_metrics_refresh().value == {"total": -1}


@pytest.mark.django_db
def test_a_refresh_reads_on_one_core_and_leaves_the_connection_as_it_was():
    # Parallel workers and JIT made the million-intake sums take every core each minute.
    def setting(name):
        with connection.cursor() as cursor:
            cursor.execute(f"SHOW {name}")
            return cursor.fetchone()[0]

    before = (setting("max_parallel_workers_per_gather"), setting("jit"))
    seen = []
    snapshot_refresh(kind="test-one-core", compute=lambda now: seen.append(
        (setting("max_parallel_workers_per_gather"), setting("jit"))) or {})
    assert seen == [("0", "off")]
    assert (setting("max_parallel_workers_per_gather"), setting("jit")) == before


@pytest.mark.parametrize("task", [REFRESH, "review.tasks.refresh_response_report"])
def test_the_beat_refreshes_each_snapshot_every_minute_on_the_bulk_queue(task):
    from iop.celery import app

    [entry] = [entry for entry in app.conf.beat_schedule.values() if entry["task"] == task]
    assert entry["schedule"] == 60.0
    assert entry["options"]["expires"] == 60.0  # not stacked behind a long replay
    assert queue_of(task) == "bulk"
    app.loader.import_default_modules()
    assert task in app.tasks


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_the_bulk_queue_works_them_out(clinic, clinician_client):
    from review.tasks import refresh_clinic_metrics
    from tests.workers import celery_worker

    assert "being worked out" in clinician_client.get(URL).content.decode()
    with celery_worker("bulk", purge_first=True) as result:
        worked_out_at = result(refresh_clinic_metrics.delay().id)
    snapshot = Snapshot.objects.get(kind=METRICS_SNAPSHOT)
    assert snapshot.computed_at.isoformat() == worked_out_at
    assert snapshot.value["decided"] == 3 and snapshot.value["total"] == 4
    html = clinician_client.get(URL).content.decode()
    assert "IOP-SYMPTOMS" in html and "being worked out" not in html
