"""The queue, the reports and the replay read from the replica; a person who has just written
reads from the primary (iop/db_router.py, docs/scaling.md).

In the test run "replica" is a second connection to the same test database (TEST MIRROR,
tests/conftest.py): these tests are transactional so that connection sees committed rows, as
a real replica does, and they watch which connection each query ran on.
"""

import time

import pytest
from django.db import connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import Intake
from iop.db_router import PIN_COOKIE, primary_pinned, replica_alias
from review.clocks import response_report_refresh
from review.metrics import clinic_metrics_refresh
from review.services import intake_move
from screening.models import CriteriaVersion, ReplayRun
from screening.replay import replay_execute
from tests.conftest import signed_in
from tests.factories import MODERATE_DEPRESSION, submitted_intake
from tests.factories import answers as complete_answers
from tests.intake.helpers import fill_steps, sign

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = reverse("review:queue")
INTAKE_TABLE = f'"{Intake._meta.db_table}"'


def on_each_connection(client, url):
    """GET `url`; the SQL that ran on the primary and on the replica."""
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in primary], [q["sql"] for q in replica]


def reads_intakes(queries) -> bool:
    return any(sql.startswith("SELECT") and f"FROM {INTAKE_TABLE}" in sql for sql in queries)


def test_the_alias_is_the_replica_outside_a_transaction_and_the_primary_inside():
    assert replica_alias() == "replica"
    with transaction.atomic():
        assert replica_alias() == "default"  # a read after a write in the same transaction
    with primary_pinned():
        assert replica_alias() == "default"
    assert replica_alias() == "replica"


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_without_a_replica_every_read_is_from_the_primary(clinician, patient):
    submitted_intake(patient, **MODERATE_DEPRESSION)
    primary_only = {"default": connections["default"].settings_dict}
    with override_settings(DATABASES=primary_only):
        assert replica_alias() == "default"
        client = signed_in(clinician)
        response = client.post(reverse("review:queue"), {"state": "open"})
        assert PIN_COOKIE not in response.cookies  # no router effect at all
        _, primary, replica = on_each_connection(client, QUEUE)
    assert reads_intakes(primary) and replica == []


def test_the_queue_reads_from_the_replica(clinician, patient):
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)
    response, primary, replica = on_each_connection(signed_in(clinician), QUEUE)
    assert intake in response.context["page"].rows
    assert reads_intakes(replica)
    # The primary keeps the session, the sign-in and the audit row of who saw the page.
    assert not reads_intakes(primary), primary


def test_right_after_a_decision_the_queue_reads_from_the_primary(clinician, patient):
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)
    intake_move(intake=intake, to_state=Intake.Status.IN_REVIEW, actor=clinician)
    client = signed_in(clinician)
    response = client.post(reverse("review:decide", args=[intake.pk]), {"outcome": "accept"})
    assert response.status_code == 302
    assert Intake.objects.get(pk=intake.pk).status == Intake.Status.DECIDED
    cookie = response.cookies[PIN_COOKIE]
    assert 0 < int(cookie.value) - time.time() <= 10 and cookie["max-age"] == 10

    response, primary, replica = on_each_connection(client, f"{QUEUE}?state=all")
    assert replica == [] and reads_intakes(primary)
    assert [row.status for row in response.context["page"].rows] == [Intake.Status.DECIDED]

    # Once the window has passed (the browser dropped the cookie, or it was kept beyond its
    # time), the same person reads from the replica again.
    client.cookies[PIN_COOKIE] = str(int(time.time()) - 1)
    _, primary, replica = on_each_connection(client, QUEUE)
    assert reads_intakes(replica) and not reads_intakes(primary)
    # A stamp further ahead than one window was not ours: ignored.
    client.cookies[PIN_COOKIE] = str(int(time.time()) + 3600)
    _, primary, replica = on_each_connection(client, QUEUE)
    assert reads_intakes(replica)


def test_a_submit_pins_the_patient_to_the_primary_for_the_next_seconds(patient_client,
                                                                       patient):
    patient_client.post(reverse("intake:start"))
    intake_id = Intake.objects.get(patient=patient).pk
    fill_steps(patient_client, intake_id, complete_answers(**MODERATE_DEPRESSION))
    response = sign(patient_client, intake_id)
    assert response.status_code == 302
    assert Intake.objects.get(pk=intake_id).status == Intake.Status.SUBMITTED
    assert 0 < int(response.cookies[PIN_COOKIE].value) - time.time() <= 10


@pytest.mark.parametrize("refresh", [clinic_metrics_refresh, response_report_refresh],
                         ids=["metrics", "response-report"])
def test_the_snapshots_are_worked_out_from_the_replica_and_kept_on_the_primary(
        clinician, patient, refresh):
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)
    intake_move(intake=intake, to_state=Intake.Status.IN_REVIEW, actor=clinician)
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        refresh()
    assert reads_intakes([q["sql"] for q in replica])
    assert not reads_intakes([q["sql"] for q in primary])
    assert any("review_snapshot" in q["sql"] for q in primary
               if q["sql"].startswith(("UPDATE", "INSERT")))


def test_the_reports_read_from_the_replica(admin_user, clinician, patient):
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)
    intake_move(intake=intake, to_state=Intake.Status.IN_REVIEW, actor=clinician)
    client = signed_in(admin_user)
    # The metrics page, and the response times with no range chosen, read their snapshot
    # only (tests/review/test_metrics.py, tests/review/test_response_times.py).
    chosen = "?start=2026-11-01&end=2026-12-31"
    for url in (reverse("review:outcome-reports"), reverse("review:response-times") + chosen):
        _, primary, replica = on_each_connection(client, url)
        assert replica, url
        assert not any("review_decision" in sql or INTAKE_TABLE in sql for sql in primary
                       if sql.startswith("SELECT")), (url, primary)


def test_the_replay_reads_the_intakes_from_the_replica_and_writes_its_progress_to_the_primary(
        admin_user, patient):
    for _ in range(3):
        submitted_intake(patient, **MODERATE_DEPRESSION)
    published = CriteriaVersion.objects.get(status="published")
    run = ReplayRun.objects.create(version=published, baseline=published)
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        run = replay_execute(replay_id=run.pk)
    assert run.status == ReplayRun.Status.DONE and run.processed == 3
    assert reads_intakes([q["sql"] for q in replica])
    assert not reads_intakes([q["sql"] for q in primary])
    assert any(q["sql"].startswith("UPDATE") for q in primary)


def test_an_object_read_from_the_replica_is_saved_to_the_primary(patient):
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)
    copy = Intake.objects.using(replica_alias()).get(pk=intake.pk)
    assert copy._state.db == "replica"
    copy.signature_name = "Pat P."
    with CaptureQueriesContext(connections["replica"]) as replica, \
            CaptureQueriesContext(connections["default"]) as primary:
        copy.save(update_fields=["signature_name"])
    assert replica.captured_queries == [] and len(primary.captured_queries) == 1
