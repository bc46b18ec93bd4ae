"""The query shapes issue 19's profile found costly, held: what a page reads, and how often.

Timings live in bench/load.py; these tests fix the shape (columns, joins, counts) that made
the time, and the number of queries, the same for a few rows as for many.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_create_with_role
from audit.services import audit_record
from intake.models import Intake
from review.selectors import QUEUE_ROW_DEFERRED, QueueFilters, intake_history, queue_page
from tests.factories import HIGH_SUICIDE_RISK, submitted_intake

STEP_ANSWERS = {
    "about": {"age": "40", "sex_at_birth": "male"},
}


def test_queue_rows_leave_the_answers_in_the_database(clinician, patient):
    # 50 rows with their full answers were most of a queue page's cost, for nothing shown.
    submitted_intake(patient)
    submitted_intake(patient, **HIGH_SUICIDE_RISK)
    with CaptureQueriesContext(connection) as queries:
        page = queue_page(user=clinician, filters=QueueFilters())
    assert len(page.rows) == 2
    for row in page.rows:
        assert set(QUEUE_ROW_DEFERRED) <= row.get_deferred_fields()
    rows_query = next(q["sql"] for q in queries.captured_queries
                      if q["sql"].startswith('SELECT "intake_intake"."id", "intake_intake"."patient_id"'))
    assert '"intake_intake"."answers"' not in rows_query


def test_the_history_reads_people_by_key_not_by_a_join(clinician, patient):
    intake = submitted_intake(patient)
    for person in (patient, clinician):
        audit_record(actor=person, action="view", object_type="intake", object_id=intake.pk,
                     intake_id=intake.pk)
    with CaptureQueriesContext(connection) as queries:
        history = intake_history(intake)
    assert {event.actor for event in history} == {patient, clinician}
    events, people = (q["sql"] for q in queries.captured_queries)
    assert "JOIN" not in events
    assert 'FROM "accounts_user" WHERE ("accounts_user"."id") IN' in people


def test_the_history_reads_only_the_audit_months_since_the_intake(clinician, patient):
    # By the intake alone PostgreSQL planned and probed every month's partition of the audit
    # log (65 at a million intakes); the months before the intake existed are left out.
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_partition_ensure('2024-01-01')")
    intake = submitted_intake(patient)
    audit_record(actor=clinician, action="view", object_type="intake", object_id=intake.pk,
                 intake_id=intake.pk)
    with CaptureQueriesContext(connection) as queries:
        assert [event.action for event in intake_history(intake)][0] == "view"
    events = queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + events)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_auditevent_y2024m01" not in plan
    this_month = timezone.now().strftime("y%Ym%m")
    assert f"audit_auditevent_{this_month}" in plan


@pytest.mark.parametrize("steps_before", [0, 1])
def test_a_step_save_reads_the_person_and_their_roles_once(patient_client, patient,
                                                           django_assert_num_queries,
                                                           steps_before):
    # Session, user, roles (3); the intake (1); savepoint, the row locked, its update, the
    # audit row, release (5). The person and their roles are not read again inside the lock.
    patient_client.post(reverse("intake:start"))
    intake = Intake.objects.get(patient=patient)
    about = reverse("intake:step", args=[intake.pk, "about"])
    for _ in range(steps_before):
        patient_client.post(about, STEP_ANSWERS["about"])
    patient_client.get("/intake/")  # the session's activity stamp is fresh
    with django_assert_num_queries(9):
        response = patient_client.post(about, STEP_ANSWERS["about"])
    assert response.status_code == 302
    assert Intake.objects.get(pk=intake.pk).answers == {"age": 40, "sex_at_birth": "male"}


def _counts_accounts(sql: str) -> bool:
    """A count of the accounts list; not the staff banner's query, which counts undelivered
    alerts beside a join of the on-call shifts to their accounts."""
    return sql.upper().startswith("SELECT COUNT(") and "accounts_user" in sql


@pytest.mark.parametrize("accounts", [2, 30])
def test_the_admin_user_list_counts_once(admin_client_, accounts, django_assert_num_queries):
    for n in range(accounts):
        user_create_with_role(email=f"person{n}@example.com", full_name=f"Person {n}",
                              password="x" * 12, role="patient")
    admin_client_.get("/admin/accounts/user/")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client_.get("/admin/accounts/user/")
    assert response.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if _counts_accounts(q["sql"])]
    assert len(counts) == 1  # Django's default counts the same list twice
    with django_assert_num_queries(len(queries.captured_queries)):
        admin_client_.get("/admin/accounts/user/")


def test_a_big_unfiltered_user_list_is_counted_from_the_statistics(admin_client_, monkeypatch):
    for n in range(5):
        user_create_with_role(email=f"person{n}@example.com", full_name=f"Person {n}",
                              password="x" * 12, role="patient")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_user")
    monkeypatch.setattr("accounts.admin.EstimatedCountPaginator.ESTIMATE_ABOVE", 0)
    with CaptureQueriesContext(connection) as queries:
        response = admin_client_.get("/admin/accounts/user/")
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if _counts_accounts(q["sql"])]
    assert "6 users" in response.content.decode()
    # A search is counted exactly.
    with CaptureQueriesContext(connection) as queries:
        searched = admin_client_.get("/admin/accounts/user/", {"q": "person1"})
    assert "1 user" in searched.content.decode()
    assert [q for q in queries.captured_queries if _counts_accounts(q["sql"])]


@pytest.mark.parametrize("assignee", ["", "me"])
def test_a_level_filter_is_an_index_condition_not_a_row_filter(clinician, patient, assignee):
    # Urgent intakes are nearly all inpatient: walking the deadline index for "IOP" and
    # filtering row by row read every urgent intake to discard it (issue 19).
    for urgent in (True, False):
        submitted_intake(patient, **(HIGH_SUICIDE_RISK if urgent else {}))
    with CaptureQueriesContext(connection) as queries:
        queue_page(user=clinician, filters=QueueFilters(level="iop", assignee=assignee,
                                                        state="all"))
    keys = next(q["sql"] for q in queries.captured_queries if "UNION ALL" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: as at scale
        cursor.execute("EXPLAIN " + keys)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # The level and the urgency bound an index range together: no urgent intake is read to
    # be thrown away. (Which of the two level indexes a tiny table gets is the planner's.)
    filters = [line for line in plan.splitlines() if "Filter:" in line]
    assert not [line for line in filters if "recommended_level" in line or "urgent" in line], plan
    assert plan.count("Index Cond: ") >= 8 and "recommended_level" in plan, plan


def test_the_api_list_reads_only_what_a_summary_shows(admin_user, patient, other_patient):
    # Fifty intakes' answers and other JSON decoded for nothing were a third of the list's CPU.
    from tests.api.helpers import api_client, make_token

    submitted_intake(patient, **HIGH_SUICIDE_RISK)
    submitted_intake(other_patient)
    reader = api_client(make_token(admin_user))
    with CaptureQueriesContext(connection) as queries:
        response = reader.get("/api/v1/intakes/")
    assert response.status_code == 200
    assert [row["flags"] for row in response.json()["results"]][0] != []
    intakes = next(q["sql"] for q in queries.captured_queries
                   if q["sql"].startswith('SELECT "intake_intake"."id"'))
    for column in ("answers", "unfinished", "steps_done", "asks", "signature_name"):
        assert f'"intake_intake"."{column}"' not in intakes
