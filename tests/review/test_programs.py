"""Programs as data: admins keep them on their own pages, and the decision form ranks them
for the person with the reasons; with no place at the level, the person is wait-listed."""

from datetime import time

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from intake.models import Intake
from review.decisions import intake_decide
from review.models import Program, WaitListEntry
from review.services import intake_move
from tests.conftest import signed_in
from tests.factories import MODERATE_DEPRESSION, submitted_intake

NEW = reverse("programs:new")
GOOD = {"name": "Evening IOP", "level": "iop", "sessions": "Mon 18:00-21:00\nWed 18:00-21:00\n"
        "thu 18:00-21:00", "languages_text": "en, ES", "min_age": "18", "max_age": "",
        "capacity": "12", "census": "11", "next_steps": "", "contact": "", "active": "on"}


def test_an_admin_adds_a_program_with_its_weekly_sessions(admin_client_):
    response = admin_client_.post(NEW, GOOD, follow=True)
    assert "Program saved: Evening IOP, evenings Mon/Wed/Thu, 9 h a week." in (
        response.content.decode())
    program = Program.objects.get()
    assert [(s.weekday, s.starts_at, s.ends_at) for s in program.sessions.all()] == [
        (0, time(18), time(21)), (2, time(18), time(21)), (3, time(18), time(21))]
    assert program.hours_per_week == 9 and program.languages == ["en", "es"]
    assert (program.capacity, program.census, program.min_age) == (12, 11, 18)
    event = AuditEvent.objects.get(object_type="program")
    assert event.action == "create" and event.detail["sessions"] == 3
    listing = admin_client_.get(reverse("programs:list")).content.decode()
    assert "Mon 18:00-21:00" in listing and "11 of 12" in listing


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"sessions": "Mon 18:00-21:00\nFunday 9:00-10:00"}, "sessions",
     "Line 2, “Funday 9:00-10:00”: write a session as a day and two times"),
    ({"sessions": "Tue 21:00-18:00"}, "sessions", "the end must be after the start"),
    ({"sessions": "Tue 25:00-26:00"}, "sessions", "not a time of day"),
    ({"min_age": "18", "max_age": "17"}, "max_age", "The youngest age is above the oldest."),
    ({"languages_text": "en, spanish!"}, "languages_text", "is not a language code"),
])
def test_a_bad_program_is_refused_beside_its_field_keeping_what_was_typed(
        admin_client_, change, field, message):
    response = admin_client_.post(NEW, {**GOOD, **change})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert "Evening IOP" in response.content.decode()
    assert not Program.objects.exists()


def test_a_residential_unit_has_no_weekly_sessions(admin_client_):
    admin_client_.post(NEW, {**GOOD, "name": "Residential unit", "level": "inpatient",
                             "sessions": ""})
    unit = Program.objects.get()
    assert unit.schedule == "round the clock" and unit.hours_per_week is None
    assert not unit.sessions.exists()


def test_an_admin_changes_a_program_and_its_sessions_are_replaced(admin_client_):
    admin_client_.post(NEW, GOOD)
    program = Program.objects.get()
    page = admin_client_.get(reverse("programs:edit", args=[program.pk])).content.decode()
    assert "Wed 18:00-21:00" in page
    admin_client_.post(reverse("programs:edit", args=[program.pk]),
                       {**GOOD, "sessions": "Sat 09:00-14:00\nSun 09:00-14:00"})
    program.refresh_from_db()
    assert [str(s) for s in program.sessions.all()] == ["Sat 09:00-14:00", "Sun 09:00-14:00"]
    assert program.schedule == "weekends Sat/Sun, 10 h a week"
    assert AuditEvent.objects.filter(object_type="program", action="change").count() == 1


@pytest.fixture
def in_review(patient, clinician):
    intake = submitted_intake(patient, **MODERATE_DEPRESSION, availability=["weekday_evening"],
                              hours_available_per_week=10)
    return intake_move(intake=intake, to_state=Intake.Status.IN_REVIEW, actor=clinician)


def program(admin_user, **changes):
    signed_in(admin_user).post(NEW, {**GOOD, **changes})
    return Program.objects.get(name=changes.get("name", GOOD["name"]))


def test_the_decision_form_ranks_the_programs_with_why(in_review, clinician, admin_user):
    program(admin_user, name="Aurora morning IOP", sessions="Tue 09:00-12:00\nThu 09:00-12:00")
    program(admin_user)
    html = signed_in(clinician).get(reverse("review:intake", args=[in_review.pk])).content.decode()
    assert "Programs for intensive outpatient" in html.lower() or "best fit first" in html
    evening = html.index("Evening IOP</strong> &mdash; fits: evenings Mon/Wed/Thu, 9 h a week: "
                         "matches your weekday evenings; 1 open place")
    morning = html.index("Aurora morning IOP</strong> &mdash; does not fit: mornings Tue/Thu, 6 h a week:"
                         " not free weekday mornings")
    assert evening < morning
    assert "no-place" not in html
    # The form's program choices come in the same order (alphabetical would put Aurora first).
    field = signed_in(clinician).get(reverse("review:intake", args=[in_review.pk])).context[
        "decide_form"]["program"]
    assert [str(choice.choice_label) for choice in field][1:] == [
        "Evening IOP (Intensive outpatient program (IOP))",
        "Aurora morning IOP (Intensive outpatient program (IOP))"]


def test_no_place_at_the_level_records_no_capacity_and_a_wait_list_entry(
        in_review, clinician, admin_user, patient):
    program(admin_user, census="12")  # full
    client = signed_in(clinician)
    html = client.get(reverse("review:intake", args=[in_review.pk])).content.decode()
    assert "no-place" in html and "put on the wait list" in html
    intake_decide(intake=in_review, actor=clinician, indicated_level="iop",
                  start_level="outpatient", reason_code="no_capacity",
                  reason_text="Evening IOP full.")
    entry = WaitListEntry.objects.get(intake=in_review)
    assert entry.level == "iop" and entry.left_at is None
    status = signed_in(patient).get(reverse("intake:status", args=[in_review.pk]))
    assert "You are on the waiting list for intensive outpatient" in status.content.decode()


def test_the_person_s_preferred_language_narrows_the_fit(in_review, clinician, admin_user,
                                                         patient):
    from contacts.models import ContactDetails

    program(admin_user, languages_text="en")
    ContactDetails.objects.create(patient=patient, phone="+12025550143", phone_kind="mobile",
                                  may_call=True, may_text=True, may_leave_voicemail=True,
                                  preferred_language="Spanish")
    html = signed_in(clinician).get(reverse("review:intake", args=[in_review.pk])).content.decode()
    assert "Evening IOP</strong> &mdash; does not fit:" in html
    assert "not offered in es (en)" in html
