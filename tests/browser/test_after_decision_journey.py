"""After the decision, in a real browser: a clinician decides, amends the program, schedules
the first session, records the no-show, re-contacts the person with a new first session and
records the start; the person's status page follows each step."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import Intake
from review.models import Decision, Program
from review.services import intake_move
from tests.factories import MODERATE_DEPRESSION, submitted_intake

from .helpers import sign_in, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def evening_program(name: str) -> Program:
    program = Program.objects.create(name=name, level="iop", capacity=10, census=3)
    for weekday in (0, 2, 3):
        program.sessions.create(weekday=weekday, starts_at="18:00", ends_at="21:00")
    return program


def test_decide_amend_schedule_no_show_recontact_start(page, browser, live_server, patient,
                                                       clinician, check_page):
    evening_program("Evening IOP")
    north = evening_program("Evening IOP North")
    intake = submitted_intake(patient, **MODERATE_DEPRESSION,
                              availability=["weekday_evening"], hours_available_per_week=10)
    intake_move(intake=intake, to_state=Intake.Status.IN_REVIEW, actor=clinician)

    person = browser.new_context(base_url=live_server.url).new_page()
    person.set_default_timeout(15_000)
    sign_in(person, patient.email)

    def person_sees(text: str) -> None:
        person.goto(f"/intake/{intake.pk}/")
        expect(person.locator("main")).to_contain_text(text)

    staff_sign_in(page, clinician)
    page.goto(f"/review/intakes/{intake.pk}/")
    expect(page.locator(".program-fits")).to_contain_text(
        "fits: evenings Mon/Wed/Thu, 9 h a week: matches your weekday evenings")
    decide = page.locator("#decide-form")
    decide.get_by_label("Program", exact=True).select_option(label="Evening IOP (Intensive outpatient "
                                                       "program (IOP))")
    decide.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("recommendation accepted")
    person_sees("Program: Evening IOP")

    # Amend: the program was wrong.
    page.get_by_text("Amend the decision", exact=True).click()
    amend = page.locator("#amend-form")
    amend.get_by_label("Program", exact=True).select_option(label="Evening IOP North (Intensive outpatient "
                                                      "program (IOP))")
    amend.get_by_label("Why amend").select_option("wrong_program")
    amend.get_by_label("What changed and why").fill("Lives near the north site.")
    amend.get_by_role("button", name="Save the amendment").click()
    expect(page.get_by_role("status")).to_contain_text("Decision amended (version 2)")
    expect(page.locator(".decision-versions")).to_contain_text(
        "Program: Evening IOP → Evening IOP North")
    check_page(page, "clinician-amended")
    person_sees("Your care plan was updated")
    person_sees("Program: Evening IOP North")

    # Schedule the first session (it was yesterday evening), then the no-show.
    first = timezone.localtime() - timedelta(days=1)
    page.get_by_text("Schedule the first session", exact=True).click()
    schedule = page.locator("#outcome-schedule")
    schedule.get_by_label("Program", exact=True).select_option(label=str(north))
    schedule.get_by_label("First session").fill(first.strftime("%Y-%m-%dT18:00"))
    schedule.get_by_role("button", name="Record").click()
    expect(page.locator(".decision-outcome")).to_have_text("First session scheduled")
    person_sees(f"Your first session is booked with Evening IOP North on "
                f"{first:%A} {first.day} {first:%B %Y} at 18:00")

    page.get_by_text("Did not come", exact=True).click()
    page.locator("#outcome-no_show").get_by_role("button", name="Record").click()
    expect(page.locator(".decision-outcome")).to_have_text("Did not come to the first session")
    person_sees("We missed you at your first session")
    check_page(person, "patient-no-show")

    # Re-contact: reached by phone, a new first session next week.
    again = timezone.localtime() + timedelta(days=6)
    page.get_by_text("Re-contacted: new first session", exact=True).click()
    recontact = page.locator("#outcome-recontact")
    recontact.get_by_label("Reached again by").select_option("call")
    recontact.get_by_label("Program", exact=True).select_option(label=str(north))
    recontact.get_by_label("First session").fill(again.strftime("%Y-%m-%dT18:00"))
    recontact.get_by_role("button", name="Record").click()
    expect(page.locator(".decision-outcome")).to_have_text("First session scheduled")
    contact_log = page.locator("section").filter(
        has=page.get_by_role("heading", name="Contact log", exact=True))
    expect(contact_log).to_contain_text("Reached the person")
    person_sees(f"on {again:%A} {again.day} {again:%B %Y} at 18:00")

    page.get_by_text("Started the program", exact=True).click()
    page.locator("#outcome-start").get_by_role("button", name="Record").click()
    expect(page.locator(".decision-outcome")).to_have_text("Started")
    expect(page.locator(".outcome-events li")).to_have_count(4)
    check_page(page, "clinician-started")
    person_sees("You have started with Evening IOP North")
    check_page(person, "patient-started")

    decision = Decision.objects.get(intake=intake)
    assert (decision.version, decision.outcome, decision.program) == (2, "started", north)
    person.context.close()
