"""Response-time clocks and the report: tiers and targets from settings, business days in
the clinic's time zone, and the report's numbers on seeded data with known answers."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import Intake
from review.clocks import ROUTINE, SAFETY, URGENT, add_business_days, deadline, response_report
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
