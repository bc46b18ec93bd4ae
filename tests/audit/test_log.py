"""The audit log: admins read and filter it; nobody changes or removes a row."""

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import AuditFilters, audit_page
from audit.services import audit_record
from tests.factories import submitted_intake

LOG = reverse("audit:log")


@pytest.fixture
def event(clinician):
    return audit_record(actor=clinician, action="view", object_type="intake", object_id=7,
                        intake_id=7)


def listed(response) -> list[int]:
    return [event.pk for event in response.context["events"]]


def test_it_is_for_admins_only(anon_client, patient_client, clinician_client, admin_client_):
    response = anon_client.get(LOG)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert patient_client.get(LOG).status_code == 403
    assert clinician_client.get(LOG).status_code == 403
    assert admin_client_.get(LOG).status_code == 200


def test_it_shows_who_did_what_when_and_from_where(admin_client_, clinician_client, patient):
    intake = submitted_intake(patient)
    clinician_client.get(reverse("review:intake", args=[intake.pk]))
    html = admin_client_.get(LOG).content.decode()
    assert "Casey Clinician" in html and "(clinician)" in html and "Viewed" in html
    assert f"intake {intake.pk}" in html and "127.0.0.1" in html


def test_it_filters_by_actor_action_intake_role_and_date(admin_client_, clinician,
                                                         other_clinician, event):
    other = audit_record(actor=other_clinician, action="decide", object_type="intake",
                         object_id=8, intake_id=8)
    published = audit_record(actor=None, action="publish", object_type="criteria_version",
                             object_id=3)
    assert listed(admin_client_.get(LOG, {"actor": clinician.pk})) == [event.pk]
    assert listed(admin_client_.get(LOG, {"action": "decide"})) == [other.pk]
    assert listed(admin_client_.get(LOG, {"intake": "IN-000008"})) == [other.pk]
    assert listed(admin_client_.get(LOG, {"intake": "7"})) == [event.pk]
    assert listed(admin_client_.get(LOG, {"object_type": "criteria_version"})) == [
        published.pk]
    assert set(listed(admin_client_.get(LOG, {"actor_role": "clinician"}))) == {
        event.pk, other.pk}
    today = timezone.localdate()
    assert len(listed(admin_client_.get(LOG, {"since": today.isoformat()}))) == 3
    assert listed(admin_client_.get(LOG, {"until": (today - timedelta(days=1)).isoformat()})
                  ) == []


def test_it_reports_bad_filters_next_to_the_field(admin_client_, event):
    response = admin_client_.get(LOG, {"intake": "Pat", "since": "tomorrow"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "intake" in form.errors and "since" in form.errors
    assert listed(response) == [event.pk]


@pytest.mark.parametrize("name", ["since", "until"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2101-01-01", "1999-12-31"])
def test_it_refuses_a_date_out_of_range_next_to_the_field(admin_client_, event, name, day):
    response = admin_client_.get(LOG, {name: day})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[name] == ["Choose a date between 2000-01-01 and 2100-12-31."]
    assert "Choose a date between 2000-01-01 and 2100-12-31." in response.content.decode()
    assert listed(response) == [event.pk]  # the bad filter is ignored


def test_its_selector_never_overflows_on_the_last_or_first_date(event):
    assert audit_page(AuditFilters(until=date.max))[0] == [event]
    assert audit_page(AuditFilters(since=date.max))[0] == []
    assert audit_page(AuditFilters(since=date.min, until=date.max))[0] == [event]
    assert audit_page(AuditFilters(until=date.min))[0] == []


def test_it_pages_through_a_long_history_newest_first(clinician):
    events = [audit_record(actor=clinician, action="view", object_type="intake",
                           intake_id=i) for i in range(7)]
    seen, after = [], None
    while True:
        page, after = audit_page(AuditFilters(), after=after, per_page=3)
        seen += [e.pk for e in page]
        if after is None:
            break
    assert seen == [e.pk for e in reversed(events)]
    assert audit_page(AuditFilters(), after="garbage", per_page=3)[0][0].pk == events[-1].pk


def test_it_refuses_changing_or_removing_a_row_through_the_app(event):
    event.action = "decide"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="decide")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "view"


def test_it_refuses_changing_or_removing_a_row_in_the_database(event):
    assert connection.vendor == "postgresql"
    for sql in ("UPDATE audit_auditevent SET action = 'decide' WHERE id = %s",
                "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "view"
