"""SPEC §8b, reaching the person: a phone checked and stored in E.164, consent, an emergency
contact, a guardian under 18; asked before the safety step, editable on the account page,
shown to clinicians with call and text links, every look audited, never in the answers."""

import logging

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from contacts.forms import BAD_PHONE
from contacts.models import ContactDetails
from intake.models import Intake
from intake.steps import STEPS
from tests.factories import answers as complete_answers
from tests.factories import submitted_intake
from tests.intake.helpers import CONTACT_POST, GUARDIAN_POST, fill_steps

pytestmark = pytest.mark.django_db

EDIT = reverse("contacts:edit")


def started(client, patient, **answers) -> Intake:
    client.post(reverse("intake:start"))
    intake = Intake.objects.get(patient=patient, status=Intake.Status.DRAFT)
    fill_steps(client, intake.pk, complete_answers(**answers), upto="concerns")
    return intake


def post_contact(client, intake, **changes):
    data = {**CONTACT_POST, **changes}
    return client.post(reverse("intake:step", args=[intake.pk, "contact"]), data)


def test_it_is_asked_after_the_concerns_and_before_the_safety_questions():
    slugs = [step.slug for step in STEPS]
    assert slugs.index("concerns") + 1 == slugs.index("contact") == slugs.index("safety") - 1


@pytest.mark.parametrize(("typed", "stored"), [
    ("(202) 555-0143", "+12025550143"),
    ("202.555.0143", "+12025550143"),
    ("+1 202 555 0143", "+12025550143"),
    ("+44 20 7946 0958", "+442079460958"),
])
def test_a_number_typed_any_way_is_stored_in_e164(patient, patient_client, typed, stored):
    intake = started(patient_client, patient)
    response = post_contact(patient_client, intake, phone=typed)
    assert response.status_code == 302
    details = ContactDetails.objects.get(patient=patient)
    assert details.phone.as_e164 == stored
    assert (details.may_call, details.may_text, details.may_leave_voicemail) == (True, True,
                                                                                 False)
    assert details.best_times == ["evening"]


@pytest.mark.parametrize("typed", ["12", "555-1234", "call me", "+44 20 79"])
def test_a_number_nobody_can_call_is_refused_by_name_and_nothing_typed_is_lost(
        patient, patient_client, typed):
    intake = started(patient_client, patient)
    response = post_contact(patient_client, intake, phone=typed,
                            emergency_name="Sam Sibling")
    assert response.status_code == 400
    html = response.content.decode()
    assert str(BAD_PHONE) in html
    assert "Sam Sibling" in html and 'value="English"' in html
    assert not ContactDetails.objects.filter(patient=patient).exists()
    intake.refresh_from_db()
    assert "contact" not in intake.steps_done


def test_the_phone_and_the_consents_are_required(patient, patient_client):
    intake = started(patient_client, patient)
    response = patient_client.post(reverse("intake:step", args=[intake.pk, "contact"]),
                                   {"preferred_language": "English"})
    assert response.status_code == 400
    form = response.context["form"]
    assert {"phone", "phone_kind", "may_call", "may_text", "may_leave_voicemail",
            "interpreter_needed"} <= set(form.errors)


def test_half_an_emergency_contact_is_asked_to_be_completed(patient, patient_client):
    intake = started(patient_client, patient)
    response = post_contact(patient_client, intake, emergency_name="Sam Sibling")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["emergency_phone"] == ["Add their phone number, or leave the emergency "
                                         "contact empty."]
    assert errors["emergency_may_call"] == ["Please answer this question."]
    response = post_contact(patient_client, intake, emergency_name="Sam Sibling",
                            emergency_relation="brother", emergency_phone="2025550188",
                            emergency_may_call="yes")
    assert response.status_code == 302
    details = ContactDetails.objects.get(patient=patient)
    assert (details.emergency_name, details.emergency_phone.as_e164,
            details.emergency_may_call) == ("Sam Sibling", "+12025550188", True)


def test_under_18_a_parent_or_guardian_is_required(patient, patient_client):
    intake = started(patient_client, patient, age=16)
    response = post_contact(patient_client, intake)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"guardian_name", "guardian_phone"}
    assert post_contact(patient_client, intake, **GUARDIAN_POST).status_code == 302
    details = ContactDetails.objects.get(patient=patient)
    assert (details.guardian_name, details.guardian_phone.as_e164) == ("Gale Guardian",
                                                                       "+12025550177")


def test_an_adult_is_not_asked_for_a_guardian(patient, patient_client):
    intake = started(patient_client, patient, age=18)
    page = patient_client.get(reverse("intake:step", args=[intake.pk, "contact"]))
    assert "guardian" not in page.content.decode().lower()


def test_nothing_of_it_goes_into_the_answers(patient, patient_client):
    intake = started(patient_client, patient)
    before = dict(Intake.objects.get(pk=intake.pk).answers)
    post_contact(patient_client, intake)
    intake.refresh_from_db()
    assert intake.answers == before
    assert "contact" in intake.steps_done
    assert "555" not in str(intake.answers)


def test_the_step_shows_what_was_saved_when_the_person_comes_back(patient, patient_client):
    intake = started(patient_client, patient)
    post_contact(patient_client, intake, phone="+44 20 7946 0958")
    page = patient_client.get(reverse("intake:step", args=[intake.pk, "contact"]))
    assert "+44 20 7946 0958" in page.content.decode() or "+442079460958" in (
        page.content.decode())


def test_the_review_page_shows_the_number_to_check_before_signing(patient, patient_client):
    intake = started(patient_client, patient)
    post_contact(patient_client, intake)
    html = patient_client.get(reverse("intake:review", args=[intake.pk])).content.decode()
    assert "The clinic will call <strong class=\"contact-phone\">(202) 555-0143</strong>" in html
    assert reverse("intake:step", args=[intake.pk, "contact"]) in html


def test_the_person_edits_them_on_the_account_page(patient, patient_client):
    assert patient_client.get(EDIT).status_code == 200
    response = patient_client.post(EDIT, {**CONTACT_POST, "phone": "bad"})
    assert response.status_code == 400 and str(BAD_PHONE) in response.content.decode()
    response = patient_client.post(EDIT, {**CONTACT_POST, "phone": "617-555-0100",
                                          "may_text": "no"})
    assert response.status_code == 302
    details = ContactDetails.objects.get(patient=patient)
    assert details.phone.as_e164 == "+16175550100" and details.may_text is False
    page = patient_client.get(EDIT).content.decode()
    assert "+16175550100" in page or "(617) 555-0100" in page
    change = AuditEvent.objects.filter(object_type="contact_details").latest("pk")
    assert change.action == "create" and "617" not in str(change.detail)


def test_the_account_page_asks_a_minor_for_a_guardian(patient, patient_client):
    submitted_intake(patient, age=15)
    response = patient_client.post(EDIT, CONTACT_POST)
    assert response.status_code == 400
    assert "guardian_phone" in response.context["form"].errors


def test_staff_see_them_with_call_and_text_links_and_each_look_is_audited(
        patient, clinician_client, clinician):
    intake = submitted_intake(patient)
    ContactDetails.objects.create(
        patient=patient, phone="+12025550143", phone_kind="mobile", may_call=True,
        may_text=True, may_leave_voicemail=False, best_times=["morning"],
        emergency_name="Sam Sibling", emergency_phone="+12025550188", emergency_may_call=False,
        preferred_language="Spanish", interpreter_needed=True)
    url = reverse("review:intake", args=[intake.pk])
    for look in (1, 2):
        html = clinician_client.get(url).content.decode()
        assert 'href="tel:+12025550143"' in html and 'href="sms:+12025550143"' in html
        assert "(202) 555-0143" in html
        assert "interpreter needed" in html and "Spanish" in html
        assert "Not to be called" in html  # the emergency contact, without permission
        views = AuditEvent.objects.filter(object_type="contact_details", action="view",
                                          intake_id=intake.pk)
        assert views.count() == look
    assert views.latest("pk").actor == clinician


def test_no_text_link_when_texts_are_not_allowed(patient, clinician_client):
    intake = submitted_intake(patient)
    ContactDetails.objects.create(patient=patient, phone="+442079460958", phone_kind="home",
                                  may_call=True, may_text=False, may_leave_voicemail=True)
    html = clinician_client.get(reverse("review:intake", args=[intake.pk])).content.decode()
    assert 'href="tel:+442079460958"' in html and "+44 20 7946 0958" in html
    assert "sms:+44" not in html


def test_the_numbers_are_never_logged_nor_in_an_address(patient, patient_client, caplog):
    caplog.set_level(logging.DEBUG)
    intake = started(patient_client, patient)
    response = post_contact(patient_client, intake)
    assert "555" not in response["Location"]
    for record in caplog.records:
        assert "555" not in record.getMessage() and "0143" not in record.getMessage()
    assert "555" not in str(ContactDetails.objects.get(patient=patient))


def test_the_numbers_the_message_gives_as_examples_are_ones_it_accepts():
    """A person told "e.g. (555) 123-4567" who types it was refused again: 555 is no area code."""
    import re

    import phonenumbers

    examples = re.findall(r"\(\d{3}\) \d{3}-\d{4}|\+\d[\d ]+\d", str(BAD_PHONE))
    assert len(examples) == 2
    for example in examples:
        assert phonenumbers.is_valid_number(phonenumbers.parse(example, "US")), example
