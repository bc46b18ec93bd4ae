"""Measurement-based care in a real browser (issue 15): a person who started a program is
invited, answers two re-screens with falling scores, and a clinician accepts the step down
suggested; a worsening re-screen puts them back in the queue on its tier. The clinician's
decision, the booked first session and the start are clicked too."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from care.invitations import rescreen_sweep
from care.models import RescreenInvitation, Suggestion
from intake.models import Intake
from review.models import Notification, OutcomeEvent, Program
from review.services import intake_move
from tests.factories import MODERATE_DEPRESSION, submitted_intake

from .helpers import sign_in, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each visible radio group gets its calmest answer (0, no, none) unless told otherwise.
_ANSWER_PAGE = """(wanted) => {
  const calm = ["0", "no", "none", "False", "false"];
  const names = [...new Set([...document.querySelectorAll("form.intake-step input[type=radio]")]
                            .map((input) => input.name))];
  for (const name of names) {
    const inputs = [...document.getElementsByName(name)].filter((i) => i.offsetParent !== null);
    if (!inputs.length) continue;
    const pick = inputs.find((i) => name in wanted ? i.value === String(wanted[name])
                                                   : calm.includes(i.value)) || inputs[0];
    pick.click();
  }
}"""


def answer_check_in(person, **wanted) -> None:
    """From the home page: start the check-in, answer each page, confirm, sign, submit."""
    person.goto("/intake/")
    person.get_by_role("button", name="Start my check-in").click()
    while person.get_by_role("button", name="Save and continue").count():
        if person.get_by_label("The other answers from my last screen").count():
            expect(person.locator(".carried-answers")).to_contain_text("Support and home")
            person.get_by_label("The other answers from my last screen").check()
        else:
            person.evaluate(_ANSWER_PAGE, wanted)
        person.get_by_role("button", name="Save and continue").click()
        if person.get_by_role("link", name="Continue to sign and submit").count():
            break
    person.get_by_role("link", name="Continue to sign and submit").click()
    person.get_by_label("I agree that the clinic may use these answers").check()
    person.get_by_label("Type your full name as your signature").fill("Pat Patient")
    person.get_by_role("button", name="Submit my intake").click()
    expect(person.locator("main")).not_to_contain_text("Start my check-in")


def started_days_ago(intake: Intake, days: int) -> None:
    """Let time pass: the start, and each invitation since, that much further back (the
    next invitation is counted from the last one)."""
    event = OutcomeEvent.objects.get(decision__intake=intake, outcome="started")
    back = event.recorded_at - (timezone.now() - timedelta(days=days))
    OutcomeEvent.objects.filter(pk=event.pk).update(recorded_at=F("recorded_at") - back)
    RescreenInvitation.objects.filter(intake=intake).update(due_at=F("due_at") - back,
                                                            created_at=F("created_at") - back)


def test_two_falling_re_screens_then_a_step_down_then_a_worsening_alert(
        page, browser, live_server, patient, clinician, check_page):
    program = Program.objects.create(name="Evening IOP", level="iop", rescreen_every_weeks=2)
    # The intake as the patient journey submits it (tests/browser/test_patient_journey.py
    # types every step); from here on each step is clicked.
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)  # PHQ-9 14: IOP
    intake_move(intake=intake, to_state=Intake.Status.IN_REVIEW, actor=clinician)

    person = browser.new_context(base_url=live_server.url).new_page()
    person.set_default_timeout(15_000)
    sign_in(person, patient.email)
    staff_sign_in(page, clinician)

    # The clinician decides IOP in the Evening IOP, books the first session and records the
    # start, as after any decision.
    page.goto(f"/review/intakes/{intake.pk}/")
    decide = page.locator("#decide-form")
    decide.get_by_label("Program", exact=True).select_option(label=str(program))
    decide.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("recommendation accepted")
    booked = timezone.localtime() - timedelta(days=1)
    page.get_by_text("Schedule the first session", exact=True).click()
    schedule = page.locator("#outcome-schedule")
    schedule.get_by_label("Program", exact=True).select_option(label=str(program))
    schedule.get_by_label("First session").fill(booked.strftime("%Y-%m-%dT18:00"))
    schedule.get_by_role("button", name="Record").click()
    expect(page.locator(".decision-outcome")).to_have_text("First session scheduled")
    page.get_by_text("Started the program", exact=True).click()
    page.locator("#outcome-start").get_by_role("button", name="Record").click()
    expect(page.locator(".decision-outcome")).to_have_text("Started")

    # Two weeks in: the beat task invites; the home page offers the check-in.
    started_days_ago(intake, 15)
    assert rescreen_sweep().invited == 1
    person.goto("/intake/")
    expect(person.locator(".rescreen-due")).to_contain_text("A check-in is due")
    check_page(person, "patient-check-in-due")
    answer_check_in(person, phq9_1=1, phq9_2=1)  # PHQ-9 2: outpatient recommended
    first = Intake.objects.get(kind="rescreen", status="submitted")
    assert first.suggestion.move == "continue"  # one screen below is not yet a step down

    page.goto("/review/")
    expect(page.locator(f'tr[data-intake="{first.pk}"]')).to_contain_text("Re-screen")
    page.goto(f"/review/intakes/{first.pk}/")
    expect(page.locator(".suggestion-move")).to_have_text("Continue")
    page.locator("#suggestion-form").get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("suggestion accepted")

    # Four weeks in: the second, lower again: a step down to standard outpatient.
    started_days_ago(intake, 29)
    assert rescreen_sweep().invited == 1
    answer_check_in(person)  # PHQ-9 0
    second = Intake.objects.get(kind="rescreen", status="submitted")
    page.goto(f"/review/intakes/{second.pk}/")
    expect(page.locator(".suggestion-move")).to_have_text("Step down")
    expect(page.locator(".care-scores tbody tr")).to_have_count(3)
    expect(page.locator(".care-charts .score-chart svg").first).to_be_visible()
    check_page(page, "clinician-rescreen-step-down")
    page.locator("#suggestion-form").get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text(
        "suggestion accepted; the person's care is at Standard outpatient")
    assert Suggestion.objects.get(rescreen=second).decided_level == "outpatient"
    # The program follows the level by an amendment of the intake's decision.
    expect(page.locator(".suggestion-placement")).to_contain_text(
        f"amending the decision on intake {intake.number}")

    # The person's history shows the scores falling, drawn and in words (the screens dated
    # as they would be, a fortnight apart).
    for screen, days in ((intake, 29), (first, 14)):
        Intake.objects.filter(pk=screen.pk).update(
            submitted_at=timezone.now() - timedelta(days=days))
    person.goto(f"/care/intakes/{intake.pk}/history/")
    depression = person.locator(".care-history").filter(has_text="PHQ-9").first
    expect(depression.locator("svg")).to_be_visible()
    expect(depression.locator(".score-chart-table tbody tr")).to_have_count(3)
    expect(depression.locator(".score-summary")).to_contain_text(
        "Your depression score went from 14 to 0.")
    # Saved with the others (SCREENSHOT_DIR); docs/screenshots/patient-care-history.png is a
    # copy of one run's.
    check_page(person, "patient-care-history")

    # Six weeks in: worse. More care than the new level, and PHQ-9 item 9 again: a new
    # safety flag. In the queue on the 1-business-day tier, and the clinicians told.
    started_days_ago(intake, 43)
    assert rescreen_sweep().invited == 1
    answer_check_in(person, **{f"phq9_{n}": 3 for n in range(1, 10)})
    worse = Intake.objects.get(kind="rescreen", status="submitted")
    assert worse.suggestion.move == "step_up" and worse.suggestion.worsening
    assert Notification.objects.filter(intake=worse, kind="rescreen_worsened").exists()
    page.goto("/review/")
    row = page.locator(f'tr[data-intake="{worse.pk}"]')
    expect(row).to_contain_text("Re-screen")
    expect(row).to_contain_text("left")
    page.goto(f"/review/intakes/{worse.pk}/")
    expect(page.locator(".care-suggestion")).to_contain_text("Worsening")
    check_page(page, "clinician-rescreen-worsening")
    person.context.close()
