"""SPEC §8b, crisis help that fits the reason, on the intake's pages as soon as the saved
answers show it and on the status page; and the status page says which number the clinic
will call, and when."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from contacts.models import ContactDetails
from intake.models import Intake
from intake.risk import HARM_TO_OTHERS, MEDICAL, SUICIDE, WITHDRAWAL, crisis_reasons
from intake.steps import steps_for
from tests.factories import HIGH_SUICIDE_RISK, submitted_intake
from tests.factories import answers as complete_answers

pytestmark = pytest.mark.django_db

SUICIDE_WORDS = "thinking about ending your life"
WITHDRAWAL_WORDS = ("Do not stop drinking or taking benzodiazepines suddenly: withdrawal can "
                    "be dangerous, get medical help.")
SEVERE_WITHDRAWAL = {"withdrawal": {"current_symptoms": "severe",
                                    "history_seizures_or_dts": False, "daily_use": True}}
CASES = {
    SUICIDE: HIGH_SUICIDE_RISK,
    HARM_TO_OTHERS: {"harm_to_others": "intent"},
    WITHDRAWAL: SEVERE_WITHDRAWAL,
    MEDICAL: {"medical": {"unstable": True, "pregnant": False}},
}
WORDS = {SUICIDE: SUICIDE_WORDS, HARM_TO_OTHERS: "If you feel you might hurt someone",
         WITHDRAWAL: WITHDRAWAL_WORDS, MEDICAL: "needs a doctor's care now"}


@pytest.mark.parametrize("reason", list(CASES))
def test_each_reason_is_found_from_the_answers_alone(reason):
    assert crisis_reasons(complete_answers(**CASES[reason])) == [reason]


def test_no_reason_for_well_answers_and_all_of_them_in_urgent_order():
    assert crisis_reasons(complete_answers()) == []
    every = complete_answers(**{k: v for case in CASES.values() for k, v in case.items()})
    assert crisis_reasons(every) == [SUICIDE, HARM_TO_OTHERS, WITHDRAWAL, MEDICAL]
    # BMI under 15 (SPEC §6 IP-MEDICAL) is a medical danger too.
    assert crisis_reasons({"height_cm": 170, "weight_kg": 40}) == [MEDICAL]
    # A part not answered yet is no reason and no error.
    assert crisis_reasons({"age": 30}) == []


def draft_showing(patient, reason: str) -> Intake:
    answers = complete_answers(pcptsd5={"exposure": False}, scoff=[False] * 5,
                               **CASES[reason])
    return Intake.objects.create(patient=patient, answers=answers,
                                 steps_done=[s.slug for s in steps_for(answers)],
                                 updated_at=timezone.now())


@pytest.mark.parametrize("reason", list(CASES))
def test_the_panel_on_the_intake_pages_speaks_to_the_reason(patient, patient_client, reason):
    intake = draft_showing(patient, reason)
    for url in (reverse("intake:home"), reverse("intake:review", args=[intake.pk]),
                reverse("intake:step", args=[intake.pk, "availability"])):
        html = patient_client.get(url).content.decode()
        assert 'role="alert"' in html
        assert WORDS[reason] in html
        for other, words in WORDS.items():
            if other != reason:
                assert words not in html, (reason, other, url)


def test_a_withdrawal_only_case_never_gets_the_suicide_wording(patient, patient_client):
    intake = submitted_intake(patient, **SEVERE_WITHDRAWAL)
    assert intake.urgent
    html = patient_client.get(reverse("intake:status", args=[intake.pk])).content.decode()
    assert WITHDRAWAL_WORDS in html
    assert SUICIDE_WORDS not in html
    assert "Withdrawal can be dangerous: get medical help now" in html


def test_every_panel_has_each_way_to_reach_help_now():
    for reasons in ([SUICIDE], [HARM_TO_OTHERS], [WITHDRAWAL], [MEDICAL], []):
        html = render_to_string("intake/_crisis.html", {"crisis_reasons": reasons})
        for link in ('href="tel:988"', 'href="sms:988"', 'href="https://988lifeline.org/chat"',
                     'href="sms:741741?&amp;body=HOME"', 'href="tel:911"',
                     'href="https://findahelpline.com"'):
            assert link in html, (reasons, link)
        assert "text HOME to 741741" in html
        assert "Outside the US: call your local emergency number" in html
        assert 'role="alert"' in html and "<script" not in html


def test_no_panel_while_nothing_shows_acute_risk(patient, patient_client):
    intake = draft_showing(patient, SUICIDE)
    Intake.objects.filter(pk=intake.pk).update(answers=complete_answers())
    html = patient_client.get(reverse("intake:home")).content.decode()
    assert 'class="alert alert-danger crisis"' not in html


def test_the_status_page_says_which_number_the_clinic_will_call_today(patient,
                                                                     patient_client):
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    ContactDetails.objects.create(patient=patient, phone="+12025550143", phone_kind="mobile",
                                  may_call=True, may_text=False, may_leave_voicemail=False)
    html = patient_client.get(reverse("intake:status", args=[intake.pk])).content.decode()
    assert "will call you <strong>today</strong> on" in html
    assert "(202) 555-0143" in html and "+12025550143" not in html
    assert reverse("contacts:edit") in html


def test_the_status_page_without_a_number_asks_for_one(patient, patient_client):
    intake = submitted_intake(patient)
    html = patient_client.get(reverse("intake:status", args=[intake.pk])).content.decode()
    assert "2 working days" in html and "Tell us how to reach you" in html
