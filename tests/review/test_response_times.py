"""Response-time clocks and the report: tiers and targets from settings, business days in
the clinic's time zone, the report's numbers on seeded data with known answers, and its
default range shown as the beat last worked it out (a stored snapshot)."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.models import Intake
from review.clocks import (
    RESPONSE_REPORT_SNAPSHOT,
    ROUTINE,
    SAFETY,
    URGENT,
    add_business_days,
    deadline,
    response_report,
    response_report_as_json,
    response_report_default_range,
    response_report_from_json,
    response_report_refresh,
    response_report_stored,
)
from review.metrics import METRICS_SNAPSHOT, clinic_metrics_refresh
from review.models import Snapshot
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, submitted_intake

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, clinic time (the 27th is a Friday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=NY)


@pytest.mark.parametrize("start, days, due", [
    (at(25, 10), 1, at(26, 10)),  # Wednesday -> Thursday
    (at(27, 17), 1, at(30, 17)),  # Friday -> Monday
    (at(28, 10), 1, datetime(2026, 12, 1, 0, 0, tzinfo=NY)),  # Saturday: from Monday 00:00
    (at(25, 10), 10, datetime(2026, 12, 9, 10, tzinfo=NY)),  # two weeks of weekdays
])
def test_business_days_skip_weekends_in_the_clinics_time_zone(start, days, due):
    assert add_business_days(start, days) == due


def test_the_targets_come_from_settings(settings):
    settings.RESPONSE_URGENT_HOURS = 2
    settings.RESPONSE_SAFETY_BUSINESS_DAYS = 2
    assert deadline(at(25, 10), URGENT) == at(25, 12)
    assert deadline(at(25, 10), SAFETY) == at(27, 10)
    assert deadline(at(25, 10), ROUTINE) == datetime(2026, 12, 9, 10, tzinfo=NY)


def test_submit_sets_the_deadline_of_each_tier(patient):
    urgent = submitted_intake(patient, submitted_at=at(25, 10), **HIGH_SUICIDE_RISK)
    safety = submitted_intake(patient, submitted_at=at(25, 10), **MODERATE_DEPRESSION)
    routine = submitted_intake(patient, submitted_at=at(25, 10))
    assert [Intake.objects.get(pk=i.pk).respond_by for i in (urgent, safety, routine)] == [
        at(25, 11), at(26, 10), datetime(2026, 12, 9, 10, tzinfo=NY)]


def contacted(intake, minutes: float | None) -> None:
    if minutes is not None:
        Intake.objects.filter(pk=intake.pk).update(
            first_contact_at=intake.clock_started_at + timedelta(minutes=minutes))


def seed(patient) -> None:
    # Urgent, due within 60 minutes: contacted after 10, 20, 30, 50 and 90 minutes.
    for minutes in (10, 20, 30, 50, 90):
        contacted(submitted_intake(patient, submitted_at=at(25, 9), **HIGH_SUICIDE_RISK),
                  minutes)
    # Safety follow-up, due Thursday 09:00: after 2 h, 20 h, 30 h, and one never contacted.
    for minutes in (120, 1200, 1800, None):
        contacted(submitted_intake(patient, submitted_at=at(25, 9), **MODERATE_DEPRESSION),
                  minutes)
    # Routine: one contacted after a day; one outside the date range.
    contacted(submitted_intake(patient, submitted_at=at(25, 9)), 24 * 60)
    submitted_intake(patient, submitted_at=at(20, 9))


def test_the_report_gives_count_median_p90_and_share_within_target(patient):
    seed(patient)
    now = datetime(2026, 12, 20, tzinfo=NY)
    urgent, safety, routine = response_report(start=date(2026, 11, 23),
                                              end=date(2026, 11, 29), now=now)
    assert (urgent.tier, urgent.count, urgent.contacted) == (URGENT, 5, 5)
    assert urgent.median == timedelta(minutes=30)
    assert urgent.p90 == timedelta(minutes=90)  # nearest rank: the 5th of 5
    assert (urgent.within, urgent.late, urgent.share_within) == (4, 1, 0.8)
    assert (safety.count, safety.contacted) == (4, 3)
    assert safety.median == timedelta(minutes=1200)
    assert safety.p90 == timedelta(minutes=1800)
    # 2 h and 20 h were in time, 30 h late, the one never contacted is past its deadline.
    assert (safety.within, safety.late, safety.share_within) == (2, 2, 0.5)
    assert (routine.count, routine.median, routine.share_within) == (1, timedelta(days=1), 1.0)


def test_the_report_counts_in_the_database_as_it_does_in_python(patient):
    seed(patient)
    # A sixth urgent contact: the median of an even number is the mean of the middle two.
    contacted(submitted_intake(patient, submitted_at=at(26, 9), **HIGH_SUICIDE_RISK), 45)
    # Contacted before its clock started (a data fix): counted as no wait at all.
    contacted(submitted_intake(patient, submitted_at=at(26, 9)), -30)
    # Not contacted, the deadline still ahead at `now`: waiting.
    submitted_intake(patient, submitted_at=at(27, 9), **MODERATE_DEPRESSION)
    now = at(27, 12)
    window = {"start": date(2026, 11, 23), "end": date(2026, 11, 29), "now": now}
    with CaptureQueriesContext(connection) as queries:
        in_sql = response_report(**window, in_database=True)
    in_python = response_report(**window, in_database=False)
    assert in_sql == in_python
    urgent, safety, routine = in_sql
    assert urgent.median == timedelta(minutes=(30 + 45) / 2)
    assert (safety.waiting, routine.count, routine.median) == (1, 2, timedelta(minutes=720))
    # One grouped query over the range (the tiers' flags looked up inside it).
    assert len(queries) == 1 and "GROUP BY" in queries[0]["sql"]


def test_the_report_is_one_query_however_many_intakes(patient, django_assert_num_queries):
    window = {"start": date(2026, 11, 23), "end": date(2026, 11, 29)}
    with django_assert_num_queries(1):
        response_report(**window)
    seed(patient)
    with django_assert_num_queries(1):
        assert sum(tier.count for tier in response_report(**window)) == 10


def test_the_report_page_shows_the_numbers(clinician_client, admin_client_, patient):
    seed(patient)
    url = reverse("review:response-times")
    response = admin_client_.get(url, {"start": "2026-11-23", "end": "2026-11-29"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The first attempt of any outcome counts as first contact" in html
    assert "80% (4 of 5)" in html and "50% (2 of 4)" in html
    assert "30 min" in html and "1 h 30 min" in html
    assert "Pat Patient" not in html
    assert clinician_client.get(url).status_code == 200


def test_a_backwards_range_is_refused_by_the_field(clinician_client):
    response = clinician_client.get(reverse("review:response-times"),
                                    {"start": "2026-11-29", "end": "2026-11-23"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


# --- the default range, from a snapshot ----------------------------------------------------

REFRESH = "review.tasks.refresh_response_report"
URL = reverse("review:response-times")


def seed_recent(patient) -> None:
    """Clocks started in the last 30 days (the default range), and one before it. The two
    urgent waits end in microseconds: their median (the mean of the two, 150.000004 s) is
    kept exactly or not at all."""
    now = timezone.now()
    for wait in (timedelta(seconds=100, microseconds=3), timedelta(seconds=200, microseconds=5)):
        intake = submitted_intake(patient, submitted_at=now - timedelta(days=2),
                                  **HIGH_SUICIDE_RISK)
        Intake.objects.filter(pk=intake.pk).update(
            first_contact_at=intake.clock_started_at + wait)
    submitted_intake(patient, submitted_at=now - timedelta(hours=3), **MODERATE_DEPRESSION)
    contacted(submitted_intake(patient, submitted_at=now - timedelta(days=5)), 3 * 24 * 60)
    submitted_intake(patient, submitted_at=now - timedelta(days=40))  # before the range


def reads_intakes(queries) -> bool:
    return any("intake_intake" in q["sql"] for q in queries.captured_queries)


def counts(response) -> list[int]:
    return [row["report"].count for row in response.context["tiers"]]


def test_the_stored_report_is_the_live_one_for_the_same_moment(patient):
    seed_recent(patient)
    snapshot = response_report_refresh()
    start, end = response_report_default_range(timezone.localdate(snapshot.computed_at))
    live = response_report(start=start, end=end, now=snapshot.computed_at)
    assert live[0].median == timedelta(seconds=150, microseconds=4)
    assert [tier.count for tier in live] == [2, 1, 1] and live[1].waiting == 1
    stored = response_report_stored()  # read back from the row
    assert (stored["start"], stored["end"], stored["tiers"]) == (start, end, live)
    # Plain JSON (no encoder of Django's): durations and dates go as numbers and strings.
    value = response_report_as_json(start=start, end=end, tiers=live)
    assert response_report_from_json(json.loads(json.dumps(value))) == (start, end, live)
    assert snapshot.value == value


def test_each_snapshot_keeps_its_own_row(patient):
    seed_recent(patient)
    response_report_refresh()
    clinic_metrics_refresh()
    assert set(Snapshot.objects.values_list("kind", flat=True)) == {RESPONSE_REPORT_SNAPSHOT,
                                                                    METRICS_SNAPSHOT}
    assert response_report_stored()["tiers"][0].count == 2


def test_the_default_page_reads_the_snapshot_and_no_intake(clinician_client, patient,
                                                           bulk_queue):
    seed_recent(patient)
    response_report_refresh()
    with CaptureQueriesContext(connection) as queries:
        response = clinician_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and not reads_intakes(queries)
    assert "Worked out at" in html and "in the background every minute" in html
    assert "out of date" not in html and "being worked out" not in html
    assert counts(response) == [2, 1, 1] and '<td class="count">2</td>' in html
    start, end = response_report_default_range(timezone.localdate())
    assert f"from {start:%Y-%m-%d} to {end:%Y-%m-%d}" in html
    submitted_intake(patient, **HIGH_SUICIDE_RISK)
    assert counts(clinician_client.get(URL)) == [2, 1, 1]  # until the refresh
    response_report_refresh()
    assert counts(clinician_client.get(URL)) == [3, 1, 1]
    # The form sent with no date is no range chosen either.
    with CaptureQueriesContext(connection) as queries:
        assert counts(clinician_client.get(URL, {"start": "", "end": ""})) == [3, 1, 1]
    assert not reads_intakes(queries)
    assert bulk_queue() == []  # a fresh snapshot: the page asked for nothing


def test_a_chosen_range_is_worked_out_now(clinician_client, patient, bulk_queue):
    seed(patient)  # November 2026
    response_report_refresh()
    with CaptureQueriesContext(connection) as queries:
        response = clinician_client.get(URL, {"start": "2026-11-23", "end": "2026-11-29"})
    html = response.content.decode()
    assert reads_intakes(queries)
    assert "80% (4 of 5)" in html and "Worked out at" not in html
    assert sum(counts(response)) == 10
    submitted_intake(patient, submitted_at=at(26, 9))
    response = clinician_client.get(URL, {"start": "2026-11-23", "end": "2026-11-29"})
    assert sum(counts(response)) == 11  # no snapshot in between
    # Half a range chosen: the other end is the default's, worked out now as well.
    response = clinician_client.get(URL, {"start": "2026-11-23"})
    assert response.context["end"] == timezone.localdate() and sum(counts(response)) == 11
    assert bulk_queue() == []


def test_a_fresh_install_says_the_report_is_being_worked_out_and_asks_for_it_once(
        clinician_client, patient, bulk_queue):
    from review.tasks import refresh_response_report

    seed_recent(patient)
    with CaptureQueriesContext(connection) as queries:
        response = clinician_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and not reads_intakes(queries)
    assert "The report of the last 30 days is being worked out" in html
    assert 'class="count"' not in html and "Worked out at" not in html
    assert bulk_queue() == [REFRESH]  # asked of the bulk workers, by the routes
    clinician_client.get(URL)
    assert bulk_queue() == [REFRESH]  # once a minute, not once a reload
    refresh_response_report()  # as the worker does
    response = clinician_client.get(URL)
    html = response.content.decode()
    assert "being worked out" not in html and "Worked out at" in html
    assert counts(response) == [2, 1, 1]


def test_with_tasks_run_in_process_the_demo_shows_it_at_once(clinician_client, patient):
    from iop.celery import app

    seed_recent(patient)
    app.conf.task_always_eager = True
    try:
        response = clinician_client.get(URL)
    finally:
        app.conf.task_always_eager = False
    assert "being worked out" not in response.content.decode()
    assert counts(response) == [2, 1, 1]


def test_a_snapshot_the_beat_left_behind_is_shown_and_asked_again(clinician_client, patient,
                                                                   bulk_queue):
    seed_recent(patient)
    response_report_refresh()
    Snapshot.objects.update(computed_at=timezone.now() - timedelta(minutes=3))
    response = clinician_client.get(URL)
    assert counts(response) == [2, 1, 1] and "out of date" not in response.content.decode()
    assert bulk_queue() == [REFRESH]  # two beats missed: asked from the page too


def test_a_stale_snapshot_is_shown_with_a_note(clinician_client, patient, bulk_queue):
    seed_recent(patient)
    response_report_refresh()
    old = timezone.now() - timedelta(seconds=settings.SNAPSHOT_STALE_SECONDS + 60)
    Snapshot.objects.update(computed_at=old)
    with CaptureQueriesContext(connection) as queries:
        response = clinician_client.get(URL)
    html = response.content.decode()
    assert not reads_intakes(queries)
    assert "This report is out of date" in html and "11\xa0minutes ago" in html
    assert counts(response) == [2, 1, 1] and "Worked out at" not in html  # still shown
    assert bulk_queue() == [REFRESH]


def test_a_snapshot_of_yesterdays_range_is_shown_as_such_and_asked_again(clinician_client,
                                                                         patient, bulk_queue):
    """Worked out before midnight: its range is yesterday's last 30 days, and says so."""
    seed_recent(patient)
    value = response_report_refresh().value
    yesterday = timezone.localdate() - timedelta(days=1)
    start, end = response_report_default_range(yesterday)
    Snapshot.objects.update(value={**value, "start": start.isoformat(),
                                   "end": end.isoformat()})
    response = clinician_client.get(URL)
    assert (response.context["start"], response.context["end"]) == (start, end)
    assert f"from {start:%Y-%m-%d} to {end:%Y-%m-%d}" in response.content.decode()
    assert bulk_queue() == [REFRESH]


def test_a_refused_range_shows_the_default_from_the_snapshot(clinician_client, patient,
                                                             bulk_queue):
    seed_recent(patient)
    response_report_refresh()
    with CaptureQueriesContext(connection) as queries:
        response = clinician_client.get(URL, {"start": "2026-11-29", "end": "2026-11-23"})
    assert response.status_code == 400 and not reads_intakes(queries)
    assert counts(response) == [2, 1, 1]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_the_bulk_queue_works_it_out(clinician_client, patient):
    from review.tasks import refresh_response_report
    from tests.workers import celery_worker

    seed_recent(patient)
    assert "being worked out" in clinician_client.get(URL).content.decode()
    with celery_worker("bulk", purge_first=True) as result:
        worked_out_at = result(refresh_response_report.delay().id)
    snapshot = Snapshot.objects.get(kind=RESPONSE_REPORT_SNAPSHOT)
    assert snapshot.computed_at.isoformat() == worked_out_at
    start, end, tiers = response_report_from_json(snapshot.value)
    assert tiers == response_report(start=start, end=end, now=snapshot.computed_at)
    response = clinician_client.get(URL)
    assert counts(response) == [2, 1, 1]
    assert "being worked out" not in response.content.decode()
