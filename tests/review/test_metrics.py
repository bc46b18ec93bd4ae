"""Clinic metrics: counts by state and level, time to first review, agreement by version and
by rule (computed in PostgreSQL; the SQLite demo's Python path gives the same numbers)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.models import Intake
from review.metrics import (
    METRICS_CACHE_KEY,
    agreement_by_rule,
    clinic_metrics,
    time_to_first_review,
)
from review.services import intake_decide, intake_move
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, submitted_intake


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


def test_it_shows_the_page_to_staff(clinic, clinician_client, admin_client_):
    for client in (clinician_client, admin_client_):
        html = client.get(reverse("review:metrics")).content.decode()
        assert "Clinic metrics" in html and "IOP-SYMPTOMS" in html and "default-2" in html


def test_it_shows_an_empty_clinic(clinician_client):
    html = clinician_client.get(reverse("review:metrics")).content.decode()
    assert "No decisions yet." in html


def test_the_page_adds_up_the_history_at_most_once_a_minute(clinic, clinician_client,
                                                             patient):
    url = reverse("review:metrics")
    clinician_client.get(url)  # worked out and kept
    with CaptureQueriesContext(connection) as queries:
        html = clinician_client.get(url).content.decode()
    assert not any("review_decision" in q["sql"] or "intake_intake" in q["sql"]
                   for q in queries.captured_queries)
    assert "Worked out at" in html and "at most 60 seconds old" in html
    total = clinician_client.get(url).context["metrics"]["total"]
    submitted_intake(patient)
    assert clinician_client.get(url).context["metrics"]["total"] == total  # kept a minute
    cache.delete(METRICS_CACHE_KEY)  # as when the minute is over
    assert clinician_client.get(url).context["metrics"]["total"] == total + 1
