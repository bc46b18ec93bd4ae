"""SPEC §8b in a real browser: a person answers intent on the safety step and closes the tab;
the on-call clinician's alert goes out on the next send; signed in, they see the draft at the
top of the queue as urgent, not submitted, open it, can call the person's number from the page,
and say "I'm on it"."""

import phonenumbers
import pytest
from django.core import mail
from playwright.sync_api import expect

from intake.models import Intake
from review.models import Notification, UrgentAlert
from review.notifications import notification_send
from tests.factories import submitted_intake

from .helpers import sign_in, staff_sign_in
from .test_patient_journey import answer_contact, choose, next_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_intent_on_the_safety_step_reaches_a_clinician_before_any_submit(
        browser, live_server, page, patient, other_patient, clinician, check_page):
    # Someone else's urgent intake, submitted already: the draft must still come first.
    submitted = submitted_intake(other_patient, harm_to_others="intent")

    person = browser.new_context(base_url=live_server.url)
    person.set_default_timeout(15_000)
    tab = person.new_page()
    sign_in(tab, patient.email)
    tab.goto("/intake/")
    tab.get_by_role("button", name="Start my intake").click()
    tab.get_by_label("How old are you?").fill("27")
    choose(tab, "sex_at_birth", "male")
    next_page(tab)
    tab.get_by_label("Depression or low mood").check()
    next_page(tab)
    answer_contact(tab, phone="(202) 555-0143")

    expect(tab.get_by_text("a clinician will be alerted right away")).to_be_visible()
    for name in ("cssrs_wish_dead", "cssrs_suicidal_thoughts"):
        choose(tab, name, "yes")
    choose(tab, "cssrs_method", "yes")
    choose(tab, "cssrs_intent", "yes")
    choose(tab, "cssrs_plan", "no")
    choose(tab, "cssrs_behavior_lifetime", "no")
    choose(tab, "harm_to_others", "none")
    choose(tab, "self_harm_past_month", "no")
    choose(tab, "firearm_access", "yes")
    next_page(tab)
    # The next page opens with help that fits: the person may leave at any moment now.
    crisis = tab.get_by_role("alert", name="If you are thinking about ending your life")
    expect(crisis).to_be_visible()
    expect(crisis.get_by_role("link", name="text 988")).to_have_attribute("href", "sms:988")
    person.close()  # the tab is closed: no submit, ever

    draft = Intake.objects.get(patient=patient)
    assert draft.status == Intake.Status.DRAFT and draft.acute_risk_at is not None
    alert_mail = Notification.objects.get(intake=draft, kind=Notification.Kind.URGENT,
                                          channel=Notification.Channel.EMAIL)
    assert notification_send(notification_id=alert_mail.pk)  # what the worker runs
    assert [message.to for message in mail.outbox] == [[clinician.email]]

    staff_sign_in(page, clinician)
    rows = page.locator("table.queue-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(draft.number)
    expect(rows.nth(0)).to_contain_text("Urgent, not submitted")
    expect(rows.nth(1)).to_contain_text(submitted.number)
    check_page(page, "clinician-queue-urgent-draft")

    rows.nth(0).get_by_role("link", name=draft.number).click()
    expect(page.get_by_text("Not submitted yet: answers so far").first).to_be_visible()
    contact = page.get_by_role("region", name="How to reach the person")
    number = contact.get_by_role("link", name="(202) 555-0143")
    expect(number).to_be_visible()
    href = number.get_attribute("href")
    assert href == "tel:+12025550143"
    # A tel: link a phone can dial: a valid number in E.164, nothing else in it.
    assert phonenumbers.is_valid_number(phonenumbers.parse(href.removeprefix("tel:")))
    expect(contact.get_by_role("link", name="Send a text")).to_have_attribute(
        "href", "sms:+12025550143")
    check_page(page, "clinician-intake-urgent-draft")
    page.get_by_role("button", name="I'm on it").click()
    expect(page.locator(".urgent-alert")).to_contain_text(
        "Urgent alert acknowledged by Casey Clinician")
    assert UrgentAlert.objects.get(intake=draft).acknowledged_by == clinician
