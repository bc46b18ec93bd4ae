"""The outcome reports on seeded data with known answers, a fixed number of queries whatever
the size, the page with its SVG charts and the CSV downloads."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import Intake
from review.models import Decision, OutcomeEvent, Program
from review.reports import (
    no_show_and_decline_by_program,
    overrides_by_version_and_group,
    service_gap,
    time_to_decision_and_first_session,
)
from tests.factories import submitted_intake

UTC = ZoneInfo("UTC")
SUBMITTED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EVERYTHING = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


@pytest.fixture
def evening(db):
    return Program.objects.create(name="Evening IOP", level="iop")


def seed(patient, clinician, *, hours_to_decision: float, indicated="iop", start="iop",
         accepted=True, reason="", program=None, outcomes=(), session_after_hours=None,
         age=34, sex="female"):
    intake = submitted_intake(patient, submitted_at=SUBMITTED, age=age, sex_at_birth=sex)
    Intake.objects.filter(pk=intake.pk).update(status="decided")
    decision = Decision.objects.create(
        intake=intake, recommended_level=intake.recommendation.level, indicated_level=indicated,
        start_level=start, accepted=accepted, reason_code=reason, program=program,
        decided_by=clinician, submitted_at=SUBMITTED,
        outcome=outcomes[-1] if outcomes else "awaiting",
        first_session_at=(SUBMITTED + timedelta(hours=session_after_hours)
                          if session_after_hours is not None else None))
    Decision.objects.filter(pk=decision.pk).update(
        decided_at=SUBMITTED + timedelta(hours=hours_to_decision))
    for outcome in outcomes:
        OutcomeEvent.objects.create(decision=decision, move="x", outcome=outcome,
                                    recorded_by=clinician)
    return decision


def seed_clinic(patient, clinician, program, n: int):
    """n groups of five decisions with known times, gaps, no-shows and overrides."""
    for _ in range(n):
        seed(patient, clinician, hours_to_decision=2, program=program,
             outcomes=("scheduled", "started"), session_after_hours=50)
        seed(patient, clinician, hours_to_decision=4, program=program,
             outcomes=("scheduled", "no_show"), session_after_hours=70)
        seed(patient, clinician, hours_to_decision=6, program=program,
             outcomes=("scheduled", "no_show", "scheduled", "started"),
             session_after_hours=200)
        seed(patient, clinician, hours_to_decision=8, start="outpatient",
             reason="no_capacity", outcomes=("declined",), age=17, sex="male")
        seed(patient, clinician, hours_to_decision=30, indicated="inpatient",
             start="inpatient", accepted=False, reason="clinical_judgement", age=70)


def test_the_reports_give_the_known_answers(patient, clinician, evening):
    seed_clinic(patient, clinician, evening, 1)
    timing = {row.level: row for row in time_to_decision_and_first_session()}
    iop = timing["iop"]
    assert (iop.month, iop.decided, iop.decision_median_h, iop.decision_p90_h) == (
        "2026-03", 3, 4.0, 6.0)
    assert (iop.started, iop.session_median_h, iop.session_p90_h) == (2, 50.0, 200.0)
    assert timing["outpatient"].started == 0 and timing["outpatient"].session_median_h is None

    gap = service_gap()
    assert {"indicated": "iop", "started": "outpatient", "gap": True,
            "reason": "No capacity at the indicated level", "n": 1} in gap["by_reason"]
    assert {"indicated": "iop", "started": "iop", "gap": False, "program": "Evening IOP",
            "n": 3} in gap["by_program"]

    (evening_row,) = [row for row in no_show_and_decline_by_program()
                      if row["program"] == "Evening IOP"]
    # Three scheduled; two missed a first session (one came later); none declined.
    assert (evening_row["scheduled"], evening_row["no_show"], evening_row["started"]) == (3, 2, 2)
    assert evening_row["no_show_pct"] == 66.7 and evening_row["decline_pct"] == 0.0

    groups = {(row["band"], row["sex"]): row for row in overrides_by_version_and_group()}
    assert groups[("65 and over", "female")]["override_pct"] == 100.0
    assert groups[("26–34", "female")]["overridden"] == 0
    assert groups[("under 18", "male")]["n"] == 1


@pytest.mark.parametrize(("report", "queries"), [
    (time_to_decision_and_first_session, 2), (service_gap, 2),
    (no_show_and_decline_by_program, 1), (overrides_by_version_and_group, 1)])
def test_each_report_is_a_fixed_number_of_queries_whatever_the_size(
        patient, clinician, evening, report, queries, django_assert_num_queries):
    seed_clinic(patient, clinician, evening, 1)
    with django_assert_num_queries(queries):
        small = report()
    seed_clinic(patient, clinician, evening, 3)
    with django_assert_num_queries(queries):
        large = report()
    assert large != small  # the same queries counted more rows


def test_the_page_draws_its_charts_and_each_table_downloads(patient, clinician, evening,
                                                            clinician_client):
    seed_clinic(patient, clinician, evening, 1)
    html = clinician_client.get(reverse("review:outcome-reports"),
                                {"start": "2026-03-01", "end": "2026-03-31"}).content.decode()
    assert '<svg role="img" aria-label="No-show rate by program"' in html
    assert "No capacity at the indicated level" in html and "Evening IOP" in html
    assert "Pat" not in html and patient.email not in html
    response = clinician_client.get(reverse("review:outcome-report-csv", args=["no-shows"]),
                                    {"start": "2026-03-01", "end": "2026-03-31"})
    assert response["Content-Disposition"] == 'attachment; filename="no-shows.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {"program": "Evening IOP", "scheduled": "3", "started": "2", "no_show": "2",
            "no_show_pct": "66.7", "declined": "0", "decline_pct": "0.0"} in rows
    timing = list(csv.DictReader(io.StringIO(clinician_client.get(
        reverse("review:outcome-report-csv", args=["timing"]),
        {"start": "2026-03-02", "end": "2026-03-02"}).content.decode())))
    assert any(row["level"] == "iop" and row["decision_median_h"] == "4.0" for row in timing)
    assert clinician_client.get(reverse("review:outcome-report-csv",
                                        args=["nonsense"])).status_code == 404


def test_the_demo_s_python_percentiles_agree_with_the_database_s(patient, clinician, evening):
    seed_clinic(patient, clinician, evening, 2)
    assert (time_to_decision_and_first_session(in_database=False)
            == time_to_decision_and_first_session(in_database=True))


def test_the_reports_cover_the_period_asked_for(patient, clinician, evening, clinician_client):
    seed_clinic(patient, clinician, evening, 1)
    march = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
    april = (datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))
    assert sum(row["n"] for row in service_gap(march)["by_reason"]) == 5
    assert service_gap(april)["by_reason"] == [] and time_to_decision_and_first_session(
        april) == []
    assert service_gap(EVERYTHING) == service_gap(None)
    # By default the page covers the last half year, today included.
    default = clinician_client.get(reverse("review:outcome-reports")).context
    assert default["end"] == timezone.localdate()
    assert (default["end"] - default["start"]).days == 181
    response = clinician_client.get(reverse("review:outcome-reports"),
                                    {"start": "2026-04-02", "end": "2026-04-01"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()
