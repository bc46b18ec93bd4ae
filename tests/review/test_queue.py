"""The review queue: urgent first then the nearest deadline, filters, search, keyset pages,
fixed queries, the response clocks."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_create_with_role
from audit.models import AuditEvent
from intake.models import Intake
from review.selectors import Cursor, QueueFilters, queue_page
from review.services import intake_assign, intake_move
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, submitted_intake

QUEUE = reverse("review:queue")


def ago(minutes: int):
    return timezone.now() - timedelta(minutes=minutes)


def listed(response) -> list[int]:
    return [row["intake"].pk for row in response.context["rows"]]


@pytest.fixture
def people(db):
    return [user_create_with_role(email=f"p{i}@example.com", full_name=f"Person {i:02d}",
                                  password="x" * 12, role="patient") for i in range(3)]


def test_it_lists_urgent_first_then_the_nearest_deadline(clinician_client, patient,
                                                         other_patient):
    wednesday = datetime(2026, 11, 25, tzinfo=ZoneInfo("America/New_York"))
    old_well = submitted_intake(patient, submitted_at=wednesday + timedelta(hours=10))
    new_urgent = submitted_intake(other_patient, submitted_at=ago(5), **HIGH_SUICIDE_RISK)
    older_urgent = submitted_intake(patient, submitted_at=ago(60), **HIGH_SUICIDE_RISK)
    other_well = submitted_intake(patient, submitted_at=wednesday + timedelta(hours=9))
    # Submitted later, but a safety follow-up is due within 1 business day, not 10.
    safety = submitted_intake(other_patient, submitted_at=wednesday + timedelta(hours=11),
                              **MODERATE_DEPRESSION)
    assert "safety_followup" in safety.recommendation.flags
    response = clinician_client.get(QUEUE)
    assert listed(response) == [older_urgent.pk, new_urgent.pk, safety.pk, other_well.pk,
                                old_well.pk]
    html = response.content.decode()
    assert html.index(older_urgent.number) < html.index(old_well.number)
    assert "Urgent" in html and "Pat Patient" in html


def test_it_shows_open_intakes_by_default_and_every_state_on_request(clinician_client,
                                                                     patient, clinician):
    waiting = submitted_intake(patient, submitted_at=ago(30))
    closed = submitted_intake(patient, submitted_at=ago(20))
    Intake.objects.filter(pk=closed.pk).update(status=Intake.Status.CLOSED)
    reviewing = intake_move(intake=submitted_intake(patient, submitted_at=ago(10)),
                            to_state="in_review", actor=clinician)
    draft = Intake.objects.create(patient=patient)
    assert listed(clinician_client.get(QUEUE)) == [waiting.pk, reviewing.pk]
    assert listed(clinician_client.get(QUEUE, {"state": "all"})) == [
        waiting.pk, closed.pk, reviewing.pk]
    assert listed(clinician_client.get(QUEUE, {"state": "closed"})) == [closed.pk]
    assert draft.pk not in listed(clinician_client.get(QUEUE, {"state": "all"}))


def test_it_filters_by_level_flag_date_and_assignee(clinician_client, clinician,
                                                    other_clinician, patient):
    well = submitted_intake(patient, submitted_at=ago(60 * 24 * 3))
    iop = submitted_intake(patient, submitted_at=ago(60), **MODERATE_DEPRESSION)
    urgent = submitted_intake(patient, submitted_at=ago(30), **HIGH_SUICIDE_RISK)
    intake_assign(intake=iop, assignee=clinician, actor=clinician)
    intake_assign(intake=urgent, assignee=other_clinician, actor=clinician)

    assert listed(clinician_client.get(QUEUE, {"level": "iop"})) == [iop.pk]
    assert listed(clinician_client.get(QUEUE, {"level": "inpatient"})) == [urgent.pk]
    assert listed(clinician_client.get(QUEUE, {"flag": "urgent"})) == [urgent.pk]
    assert listed(clinician_client.get(QUEUE, {"flag": "safety_followup"})) == [iop.pk, urgent.pk][::-1]
    today = timezone.localdate().isoformat()
    assert set(listed(clinician_client.get(QUEUE, {"submitted_from": today}))) <= {
        iop.pk, urgent.pk}
    assert well.pk in listed(clinician_client.get(
        QUEUE, {"submitted_to": (timezone.localdate() - timedelta(days=2)).isoformat()}))
    assert listed(clinician_client.get(QUEUE, {"assignee": "me"})) == [iop.pk]
    assert listed(clinician_client.get(QUEUE, {"assignee": "none"})) == [well.pk]
    assert listed(clinician_client.get(QUEUE, {"assignee": str(other_clinician.pk)})) == [
        urgent.pk]


def test_it_reports_bad_filters_next_to_the_field_and_ignores_them(clinician_client, patient):
    intake = submitted_intake(patient)
    response = clinician_client.get(QUEUE, {"level": "nonsense", "submitted_from": "soon",
                                            "after": "garbage"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "level" in form.errors and "submitted_from" in form.errors
    assert listed(response) == [intake.pk]
    response = clinician_client.get(QUEUE, {"submitted_from": "2030-01-02",
                                            "submitted_to": "2030-01-01"})
    assert "submitted_to" in response.context["form"].errors


@pytest.mark.parametrize("name", ["submitted_from", "submitted_to"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2101-01-01", "1999-12-31"])
def test_it_refuses_a_date_out_of_range_next_to_the_field(clinician_client, patient, name,
                                                          day):
    intake = submitted_intake(patient)
    message = "Choose a date between 2000-01-01 and 2100-12-31."
    response = clinician_client.get(QUEUE, {name: day})
    assert response.status_code == 200
    assert response.context["form"].errors[name] == [message]
    assert message in response.content.decode()
    assert listed(response) == [intake.pk]
    # The filter form posts, then redirects to the query string: refused there too.
    response = clinician_client.post(QUEUE, {name: day, "state": "open"})
    assert response.status_code == 400
    assert response.context["form"].errors[name] == [message]


def test_its_selector_never_overflows_on_the_last_or_first_date(clinician, patient):
    intake = submitted_intake(patient)
    assert [row.pk for row in queue_page(user=clinician, filters=QueueFilters(
        submitted_from=date.min, submitted_to=date.max)).rows] == [intake.pk]
    assert queue_page(user=clinician, filters=QueueFilters(
        submitted_from=date.max)).rows == []


def test_it_searches_by_name_email_and_number_without_putting_them_in_the_url(
        clinician_client, patient, other_patient):
    mine = submitted_intake(patient)
    theirs = submitted_intake(other_patient)
    for q, expected in [("pat pat", [mine.pk]), ("OLIVE@EXAMPLE", [theirs.pk]),
                        (theirs.number, [theirs.pk]), (str(mine.pk), [mine.pk]),
                        ("nobody-like-this", [])]:
        response = clinician_client.post(QUEUE, {"q": q, "state": "open"})
        assert response.status_code == 302
        assert q.lower() not in response["Location"].lower() or q.isdigit()
        assert "search=1" in response["Location"]
        assert listed(clinician_client.get(response["Location"])) == expected, q
    # Without search=1 the remembered search is not applied.
    assert len(listed(clinician_client.get(QUEUE))) == 2
    event = AuditEvent.objects.filter(object_type="queue").latest("id")
    assert "pat" not in str(event.detail).lower()


def test_it_refuses_a_search_too_short_to_be_fast_keeping_what_was_typed(clinician_client,
                                                                         patient):
    submitted_intake(patient)
    response = clinician_client.post(QUEUE, {"q": "pa", "level": "iop"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "at least 3 characters" in form.errors["q"][0]
    assert 'value="pa"' in response.content.decode()


def test_it_pages_by_keyset_forwards_and_back(clinician, patient):
    intakes = [submitted_intake(patient, submitted_at=ago(100 - i)) for i in range(7)]
    urgent = [submitted_intake(patient, submitted_at=ago(50 - i), **HIGH_SUICIDE_RISK)
              for i in range(2)]
    order = [i.pk for i in urgent] + [i.pk for i in intakes]
    filters = QueueFilters()
    seen, after, pages = [], None, []
    while True:
        page = queue_page(user=clinician, filters=filters, after=after, per_page=4)
        pages.append(page)
        seen += [row.pk for row in page.rows]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen == order
    assert [len(p.rows) for p in pages] == [4, 4, 1]
    assert pages[0].prev_cursor is None and pages[0].is_first
    # Back from the last page lands on the middle page, then on the first.
    back = queue_page(user=clinician, filters=filters, before=pages[2].prev_cursor, per_page=4)
    assert [r.pk for r in back.rows] == order[4:8]
    first = queue_page(user=clinician, filters=filters, before=back.prev_cursor, per_page=4)
    assert [r.pk for r in first.rows] == order[:4] and first.prev_cursor is None
    assert pages[0].count == 9 and not pages[0].count_capped


def test_it_breaks_ties_on_the_same_submit_time_by_id(clinician, patient):
    moment = ago(10)
    same = [submitted_intake(patient, submitted_at=moment) for _ in range(5)]
    seen, after = [], None
    for _ in range(5):
        page = queue_page(user=clinician, filters=QueueFilters(), after=after, per_page=2)
        seen += [row.pk for row in page.rows]
        after = page.next_cursor
        if not after:
            break
    assert seen == [i.pk for i in same]


def test_it_caps_the_count(clinician, patient, monkeypatch):
    monkeypatch.setattr("review.selectors.COUNT_CAP", 3)
    for _ in range(5):
        submitted_intake(patient)
    page = queue_page(user=clinician, filters=QueueFilters(), per_page=2)
    assert page.count == 3 and page.count_capped


def test_it_ignores_a_cursor_that_is_not_one_of_ours():
    assert Cursor.decode("not-base64!") is None
    assert Cursor.decode("") is None
    assert Cursor.decode("MXxub3QtYS1kYXRlfDQy") is None  # "1|not-a-date|42"
    cursor = Cursor(urgent=True, respond_by=timezone.now(), pk=42)
    assert Cursor.decode(cursor.encode()) == cursor


def test_it_shows_each_intakes_time_left_or_how_overdue(clinician_client, patient):
    late = submitted_intake(patient, submitted_at=ago(70), **HIGH_SUICIDE_RISK)
    fresh = submitted_intake(patient, submitted_at=ago(5), **HIGH_SUICIDE_RISK)
    reached = submitted_intake(patient, submitted_at=ago(90), **HIGH_SUICIDE_RISK)
    Intake.objects.filter(pk=reached.pk).update(first_contact_at=ago(80))
    response = clinician_client.get(QUEUE)
    clocks = {row["intake"].pk: row["clock"] for row in response.context["rows"]}
    assert clocks[late.pk] == {"overdue": True, "words": "Overdue by 10 min"}
    assert clocks[fresh.pk]["words"] in ("55 min left", "54 min left")
    assert clocks[reached.pk] == {"overdue": False, "words": "First contact made"}
    assert "Overdue by 10 min" in response.content.decode()
    waits = {row["intake"].pk: row["waited"] for row in response.context["rows"]}
    assert waits[late.pk] == "1 h 10 min"


def test_it_filters_the_intakes_overdue_for_first_contact(clinician_client, patient):
    late = submitted_intake(patient, submitted_at=ago(70), **HIGH_SUICIDE_RISK)
    submitted_intake(patient, submitted_at=ago(5), **HIGH_SUICIDE_RISK)
    reached = submitted_intake(patient, submitted_at=ago(90), **HIGH_SUICIDE_RISK)
    Intake.objects.filter(pk=reached.pk).update(first_contact_at=ago(80))
    submitted_intake(patient, submitted_at=ago(60 * 24))  # routine: 10 business days
    response = clinician_client.post(QUEUE, {"overdue": "on"})
    assert response["Location"] == f"{QUEUE}?overdue=True"
    assert listed(clinician_client.get(response["Location"])) == [late.pk]


def test_it_writes_who_saw_which_intakes_listed(clinician_client, clinician, patient):
    intake = submitted_intake(patient)
    clinician_client.get(QUEUE)
    event = AuditEvent.objects.get(object_type="queue")
    assert event.actor == clinician and event.detail == {"intakes": [intake.pk],
                                                         "searched": False}


@pytest.mark.parametrize("size", [3, 12])
def test_it_runs_a_fixed_number_of_queries_per_page(clinician_client, clinician, patient,
                                                    other_clinician, django_assert_num_queries,
                                                    size):
    # Session, user, second-factor device and roles (4); the clinicians for the assignee
    # filter (1: by the clinician group's id, kept in the process, review/kept.py, so the
    # accounts are read by index, not all of them; review.selectors.clinicians_active), the
    # page's keys (one UNION), its rows, their flags with what each meant in the row's
    # pinned criteria (one query), the capped count and the audit row (5); not the published
    # criteria, for the flag filter and what each flag means (kept a minute, review/kept.py,
    # read by the warm-up request); no save of the session (its
    # idle-timeout stamp is written at most once a minute); the staff banner's two
    # checks in one query (who is on call, undelivered urgent alerts). The same for 3 rows or 12, any
    # page, any filter; on the first page the open drafts at
    # acute risk (1, unless a filter rules drafts out).
    for i in range(size):
        intake = submitted_intake(patient, submitted_at=ago(100 - i),
                                  **(HIGH_SUICIDE_RISK if i % 3 == 0 else {}))
        intake_assign(intake=intake, assignee=other_clinician if i % 2 else clinician,
                      actor=clinician)
    clinician_client.get(QUEUE)  # warm the session
    with django_assert_num_queries(12):
        first = clinician_client.get(QUEUE, {"per_page": "ignored"})
    with django_assert_num_queries(11):
        filtered = clinician_client.get(QUEUE, {"level": "inpatient", "flag": "urgent",
                                                "assignee": "me", "state": "all"})
    assert listed(filtered)
    cursor = Cursor.of(first.context["rows"][1]["intake"]).encode()
    with django_assert_num_queries(11):
        deeper = clinician_client.get(QUEUE, {"after": cursor})
    assert listed(deeper)


def test_it_pages_through_a_search_and_warns_when_it_is_too_broad(clinician, patient, people,
                                                                  monkeypatch):
    mine = [submitted_intake(patient, submitted_at=ago(50 - i),
                             **(HIGH_SUICIDE_RISK if i == 3 else {})) for i in range(5)]
    for person in people:
        submitted_intake(person)
    filters = QueueFilters(q="pat@exa")
    first = queue_page(user=clinician, filters=filters, per_page=2)
    second = queue_page(user=clinician, filters=filters, after=first.next_cursor, per_page=2)
    third = queue_page(user=clinician, filters=filters, after=second.next_cursor, per_page=2)
    order = [mine[3].pk] + [i.pk for i in mine if i is not mine[3]]
    assert [r.pk for r in first.rows + second.rows + third.rows] == order
    assert third.next_cursor is None and first.count == 5
    back = queue_page(user=clinician, filters=filters, before=third.prev_cursor, per_page=2)
    assert [r.pk for r in back.rows] == order[2:4]
    assert not first.people_capped
    monkeypatch.setattr("review.selectors.SEARCH_PEOPLE_CAP", 2)
    broad = queue_page(user=clinician, filters=QueueFilters(q="person"), per_page=10)
    assert broad.people_capped and len(broad.rows) == 2


def test_it_runs_one_more_query_for_a_search_by_name(clinician_client, patient,
                                                     django_assert_num_queries):
    for _ in range(3):
        submitted_intake(patient)
    response = clinician_client.post(QUEUE, {"q": "pat pat"})
    clinician_client.get(response["Location"])
    with django_assert_num_queries(13):
        assert len(listed(clinician_client.get(response["Location"]))) == 3
