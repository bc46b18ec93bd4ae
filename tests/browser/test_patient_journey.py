"""Patients in a real browser: sign up, fill the intake with questions appearing and
disappearing, leave and resume, submit; crisis help first when at risk; keyboard only."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import AccountMail, User
from intake.models import Intake
from intake.steps import steps_for
from tests.conftest import PASSWORD
from tests.factories import HIGH_SUICIDE_RISK
from tests.factories import answers as complete_answers

from .conftest import SCREENSHOT_DIR
from .helpers import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, name: str, value) -> None:
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def choose_all(page, prefix: str, count: int, value) -> None:
    for number in range(1, count + 1):
        choose(page, f"{prefix}_{number}", value)


def next_page(page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def answer_contact(page, *, phone: str = "(202) 555-0143") -> None:
    """The "How to reach you" step: a mobile phone, calls and texts allowed, no voicemail."""
    expect(page.get_by_role("heading", name="How to reach you")).to_be_visible()
    page.get_by_label("Your phone number").fill(phone)
    choose(page, "phone_kind", "mobile")
    for name, value in (("may_call", "yes"), ("may_text", "yes"),
                        ("may_leave_voicemail", "no"), ("interpreter_needed", "no")):
        choose(page, name, value)
    next_page(page)


def answer_health_home_and_history(page, *, support: str, functioning: str) -> None:
    """The withdrawal and health, support and home, and past treatment steps: no withdrawal
    or medical concern, a stable safe home, no recent or failed treatment."""
    choose(page, "current_symptoms", "none")
    for name in ("history_seizures_or_dts", "daily_use", "unstable", "hallucinations",
                 "paranoia"):
        choose(page, name, "no")
    if page.locator('input[name="pregnant"]').count():  # not asked after "male"
        choose(page, "pregnant", "no")
    next_page(page)
    choose(page, "support", support)
    choose(page, "housing", "stable")
    choose(page, "home_safe", "yes")
    next_page(page)
    choose(page, "recent_inpatient", "none")
    choose(page, "failed_outpatient", "no")
    choose(page, "functioning", functioning)
    next_page(page)


def test_a_new_patient_signs_up_fills_leaves_resumes_and_submits(page, check_page):
    page.goto("/")
    page.get_by_role("link", name="Create an account").first.click()
    check_page(page, "patient-signup")
    page.get_by_label("Your full name").fill("Robin Rivera")
    page.get_by_label("E-mail address").fill("robin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    # The link mailed to the address (read from the outbox row the worker would send).
    body = AccountMail.objects.get(to_address="robin@example.com").body
    page.goto(re.search(r"https?://[^/\s]+(/account/confirm/\S+/)", body).group(1))
    page.get_by_role("button", name="Confirm my address").click()
    sign_in(page, "robin@example.com")
    check_page(page, "patient-intake-home")
    page.get_by_role("button", name="Start my intake").click()

    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    check_page(page, "patient-step-about")
    page.get_by_label("How old are you?").fill("29")
    choose(page, "sex_at_birth", "female")
    next_page(page)

    page.get_by_label("Depression or low mood").check()
    page.get_by_label("Mood swings (highs and lows, bipolar disorder)").check()
    next_page(page)

    # How to reach the person, before the safety questions: a bad number is named.
    page.get_by_label("Your phone number").fill("12")
    choose(page, "phone_kind", "mobile")
    next_page(page)
    expect(page.get_by_text("Enter a phone number we can call")).to_be_visible()
    check_page(page, "patient-step-contact")
    answer_contact(page, phone="+44 20 7946 0958")

    # Safety: the follow-ups appear after a yes to thoughts and hide again after a no.
    method = page.get_by_text("Have you been thinking about how you might do this?")
    expect(method).to_be_hidden()
    choose(page, "cssrs_wish_dead", "yes")
    choose(page, "cssrs_suicidal_thoughts", "yes")
    expect(method).to_be_visible()
    check_page(page, "patient-step-safety")
    choose(page, "cssrs_suicidal_thoughts", "no")
    expect(method).to_be_hidden()
    choose(page, "cssrs_behavior_lifetime", "no")
    choose(page, "harm_to_others", "none")
    choose(page, "self_harm_past_month", "no")
    choose(page, "firearm_access", "no")
    next_page(page)

    expect(page.get_by_text("Over the last 2 weeks")).to_be_visible()
    choose_all(page, "phq9", 9, 1)
    choose(page, "phq9_1", 3)
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_text("Saved. You can come back")).to_be_visible()
    sign_out(page)

    sign_in(page, "robin@example.com")
    page.get_by_role("link", name="Continue my intake").click()
    expect(page.get_by_role("heading", name="Anxiety")).to_be_visible()
    page.get_by_role("link", name="Back to the previous page").click()
    expect(page.locator('input[name="phq9_1"][value="3"]')).to_be_checked()
    expect(page.locator('input[name="phq9_9"][value="1"]')).to_be_checked()
    next_page(page)

    choose_all(page, "gad7", 7, 1)
    next_page(page)
    check_page(page, "patient-step-alcohol")
    for number in (1, 2, 3):
        choose(page, f"auditc_{number}", 0)
    next_page(page)
    choose_all(page, "dast10", 10, "no")
    choose(page, "dast10_3", "yes")
    choose(page, "overdose_past_year", "no")
    next_page(page)

    items = page.get_by_text("In the past month, have you...")
    expect(items).to_be_hidden()
    choose(page, "pcptsd5_exposure", "yes")
    expect(items).to_be_visible()
    choose_all(page, "pcptsd5", 5, "no")
    next_page(page)
    choose_all(page, "scoff", 5, "no")
    next_page(page)

    expect(page.get_by_role("heading", name="Mood swings")).to_be_visible()
    check_page(page, "patient-step-mood-swings")
    choose_all(page, "mdq", 13, "no")
    choose(page, "mdq_same_period", "no")
    choose(page, "mdq_problem", "none")
    next_page(page)

    answer_health_home_and_history(page, support="adequate", functioning="some_difficulty")
    page.get_by_label("Weekday evenings").check()
    next_page(page)

    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    check_page(page, "patient-review")
    page.get_by_role("link", name="Continue to sign and submit").click()
    page.get_by_label("I agree that the clinic may use these answers").check()
    page.get_by_label("Type your full name as your signature").fill("Robin Rivera")
    check_page(page, "patient-sign")
    page.get_by_role("button", name="Submit my intake").click()

    expect(page.get_by_text("under review")).to_be_visible()
    check_page(page, "patient-submitted")
    intake = Intake.objects.get(patient__email="robin@example.com")
    assert intake.status == "submitted"
    assert intake.answers["phq9"] == [3, 1, 1, 1, 1, 1, 1, 1, 1]
    assert intake.answers["cssrs"] == {"wish_dead": True, "suicidal_thoughts": False,
                                       "behavior_lifetime": False}
    assert (intake.answers["firearm_access"], intake.answers["overdose_past_year"]) == (
        False, False)
    assert intake.questionnaire_version == "q-2"
    assert intake.recommendation.level == "iop"
    assert str(intake.patient.contact_details.phone) == "+442079460958"
    assert "phone" not in intake.answers


def ready_to_sign(patient, **overrides) -> Intake:
    """A draft with every step saved (as if filled earlier), waiting for the signature."""
    answers = complete_answers(pcptsd5={"exposure": False}, scoff=[False] * 5, **overrides)
    return Intake.objects.create(patient=patient, answers=answers,
                                 steps_done=[s.slug for s in steps_for(answers)],
                                 updated_at=timezone.now())


def test_a_patient_at_high_risk_sees_crisis_help_first(page, patient, check_page):
    intake = ready_to_sign(patient, **HIGH_SUICIDE_RISK)
    sign_in(page, patient.email)
    page.goto(f"/intake/{intake.pk}/sign/")
    page.get_by_label("I agree that the clinic may use these answers").check()
    page.get_by_label("Type your full name as your signature").fill(patient.full_name)
    page.get_by_role("button", name="Submit my intake").click()
    crisis = page.get_by_role("alert", name="If you are thinking about ending your life")
    expect(crisis).to_be_visible()
    expect(crisis).to_contain_text("988")
    expect(crisis).to_contain_text("911")
    first = page.locator("main > :not(.messages)").first
    expect(first).to_have_class("alert alert-danger crisis")
    check_page(page, "patient-crisis")


FORWARD = ("Save and continue", "Continue to sign and submit", "Submit my intake")


def keyboard_fill_page(page, *, name: str) -> None:
    """Answer every question of the page with the keyboard: Tab to each control, Space or
    the arrow keys to choose, type into boxes, Enter on the button."""
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return {tag: e.tagName, type: e.type || '', name: e.name || '',
                    text: (e.innerText || '').trim(), checked: !!e.checked,
                    inMain: !!e.closest('main')}; }""")
        if not focused["inMain"]:
            continue
        if focused["type"] == "radio" and focused["name"].startswith("emergency_"):
            continue  # the emergency contact is optional: left empty
        if focused["type"] == "radio" and not focused["checked"]:
            page.keyboard.press("Space")  # the first option
            if page.evaluate("() => document.activeElement.value") == "yes":
                page.keyboard.press("ArrowDown")  # "no" for every yes/no question
        elif focused["type"] == "number" and focused["name"] == "age":
            page.keyboard.type("41")
        elif focused["type"] == "text" and focused["name"] == "phone":
            page.keyboard.type("202 555 0143")
        elif focused["type"] == "checkbox" and focused["name"] == "consent":
            page.keyboard.press("Space")
        elif focused["type"] == "text" and focused["name"] == "signature_name":
            page.keyboard.type(name)
        elif focused["text"] in FORWARD:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"no way forward found with the keyboard on {page.url}")


def test_the_whole_intake_can_be_completed_with_the_keyboard_alone(page, patient):
    sign_in(page, patient.email)
    page.goto("/intake/")
    page.get_by_role("button", name="Start my intake").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for _ in range(30):
        if "under review" in page.content():
            break
        keyboard_fill_page(page, name=patient.full_name)
    expect(page.get_by_text("under review")).to_be_visible()
    intake = Intake.objects.get(patient=patient)
    assert intake.status == "submitted" and intake.answers["age"] == 41
    assert intake.answers["harm_to_others"] == "none"
    assert User.objects.filter(email=patient.email).exists()


def test_the_intake_works_with_javascript_off(browser, live_server, patient):
    """Without the script every follow-up question is on the page; the server still decides
    what is asked and kept, and a missing answer is named with everything else kept."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, patient.email)
    page.goto("/intake/")
    page.get_by_role("button", name="Start my intake").click()
    page.get_by_label("How old are you?").fill("35")
    choose(page, "sex_at_birth", "male")
    next_page(page)
    page.get_by_label("Eating or weight").check()
    next_page(page)
    answer_contact(page)

    # No script to hide them: the follow-ups show, saying whom they are for.
    expect(page.get_by_text("If you answered yes to thoughts of killing yourself")).to_be_visible()
    expect(page.get_by_text("Have you been thinking about how you might do this?")).to_be_visible()
    # axe needs scripts to run, so this page is only photographed (it is checked with them on).
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "patient-step-safety-no-javascript.png"),
                    full_page=True)
    choose(page, "cssrs_wish_dead", "no")
    choose(page, "cssrs_suicidal_thoughts", "no")
    choose(page, "cssrs_behavior_lifetime", "no")
    choose(page, "harm_to_others", "none")
    choose(page, "self_harm_past_month", "no")
    choose(page, "firearm_access", "no")
    next_page(page)

    choose_all(page, "phq9", 8, 2)  # item 9 left unanswered
    next_page(page)
    expect(page.get_by_role("alert")).to_contain_text("Nothing you typed was lost")
    expect(page.get_by_text("Please answer this question.")).to_have_count(1)
    expect(page.locator('input[name="phq9_8"][value="2"]')).to_be_checked()
    choose(page, "phq9_9", 0)
    next_page(page)

    choose_all(page, "gad7", 7, 0)
    next_page(page)
    for number in (1, 2, 3):
        choose(page, f"auditc_{number}", 0)
    next_page(page)
    choose_all(page, "dast10", 10, "no")
    choose(page, "dast10_3", "yes")
    choose(page, "overdose_past_year", "no")
    next_page(page)
    choose(page, "pcptsd5_exposure", "no")
    next_page(page)
    choose_all(page, "scoff", 5, "no")
    choose(page, "body_units", "metric")
    page.get_by_label("Your height").fill("180")
    page.get_by_label("Your weight").fill("75.5")
    next_page(page)
    # Male at birth: the pregnancy question is not on the page.
    expect(page.get_by_text("Are you pregnant?")).to_have_count(0)
    answer_health_home_and_history(page, support="strong", functioning="independent")
    next_page(page)  # availability is optional

    page.get_by_role("link", name="Continue to sign and submit").click()
    page.get_by_label("I agree that the clinic may use these answers").check()
    page.get_by_label("Type your full name as your signature").fill(patient.full_name)
    page.get_by_role("button", name="Submit my intake").click()
    expect(page.get_by_text("under review")).to_be_visible()
    context.close()

    intake = Intake.objects.get(patient=patient)
    assert intake.status == "submitted"
    assert intake.answers["cssrs"] == {"wish_dead": False, "suicidal_thoughts": False,
                                       "behavior_lifetime": False}
    assert intake.answers["phq9"] == [2] * 8 + [0]
    assert (intake.answers["height_cm"], intake.answers["weight_kg"]) == (180.0, 75.5)
    assert intake.answers["medical"]["pregnant"] is False  # not asked: false to the engine
    assert intake.recommendation.level == "iop"  # PHQ-9 16: moderately severe


def test_height_and_weight_typed_in_feet_inches_and_pounds_give_the_right_bmi(
        page, patient, check_page):
    """5 ft 6 in and 120 lb: 167.6 cm and 54.4 kg, a BMI of 19.4 (read as kilograms it was
    42.7). A slip of the units is asked again, saying what was read."""
    intake = ready_to_sign(patient, concerns=["eating"], height_cm=150.0, weight_kg=50.0)
    sign_in(page, patient.email)
    page.goto(f"/intake/{intake.pk}/step/eating/")
    choose(page, "body_units", "metric")
    page.get_by_label("Your height").fill("5 ft 6 in")
    page.get_by_label("Your weight").fill("400")
    next_page(page)
    expect(page.locator("main")).to_contain_text(
        "We read your height as 5 ft 6 in (167.6 cm) and your weight as 400 kilograms")
    check_page(page, "patient-step-eating-units")
    choose(page, "body_units", "imperial")
    page.get_by_label("Your weight").fill("120")
    next_page(page)
    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    expect(page.locator("main")).to_contain_text("167.6 cm")
    expect(page.locator("main")).to_contain_text("54.4 kg")
    page.get_by_role("link", name="Continue to sign and submit").click()
    page.get_by_label("I agree that the clinic may use these answers").check()
    page.get_by_label("Type your full name as your signature").fill(patient.full_name)
    page.get_by_role("button", name="Submit my intake").click()
    expect(page.get_by_text("under review")).to_be_visible()
    intake.refresh_from_db()
    assert (intake.answers["height_cm"], intake.answers["weight_kg"]) == (167.6, 54.4)
    assert intake.recommendation.scores["bmi"] == pytest.approx(19.4, abs=0.05)
