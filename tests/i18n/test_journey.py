"""A Spanish-speaking person's whole journey without one English word (issue 17, SPEC §8b):
sign up, confirm the address from the mail, sign in, fill every step, save and finish later,
come back, submit, wait, read the decision; every page and every mail they get is read for
common English words, and each page must say <html lang="es">. The clinician reads the same
intake in English, with the language it was answered in."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountMail, User
from intake.models import Intake
from intake.services import intake_remind
from intake.steps import BY_SLUG, steps_for
from review.models import Notification, Program
from review.notifications import notification_send
from tests.conftest import PASSWORD, signed_in
from tests.factories import answers as complete_answers
from tests.intake.helpers import step_data

from .english_words import english_words, visible_text

pytestmark = pytest.mark.django_db

NAME, EMAIL, SIGNATURE = "Rosa Ruiz", "rosa.ruiz@example.org", "Rosa María Ruiz"
PROGRAM = "Evening IOP North"  # a program's name is the clinic's data, shown as it is
# Every concern ticked, so every questionnaire step is asked.
ANSWERS = complete_answers(
    concerns=["alcohol", "drugs", "depression", "anxiety", "bipolar", "trauma", "eating",
              "chronic_pain", "other"],
    cssrs={"wish_dead": True, "suicidal_thoughts": False, "behavior_lifetime": False},
    phq9=[2, 2, 2, 2, 2, 1, 1, 1, 1], functioning="some_difficulty",
    pcptsd5={"exposure": True, "items": [True, False, True, False, False]},
    scoff=[False] * 5, height_cm=165.0, weight_kg=61.0,
    mdq={"items": [False] * 13, "same_period": False, "problem": "none"}, peg=[4, 3, 3],
    availability=["weekday_evening"], hours_available_per_week=12)
# What the person typed: data, not words of the page.
CONTACT = {"phone": "(202) 555-0143", "phone_kind": "mobile", "may_call": "yes",
           "may_text": "yes", "may_leave_voicemail": "no", "best_times": ["evening"],
           "preferred_language": "Español", "interpreter_needed": "no"}
TYPED = (NAME, EMAIL, SIGNATURE, PROGRAM, "(202) 555-0143", "Español")


class Journey:
    """The person's browser: each page it gets is checked before the next."""

    def __init__(self):
        self.client = Client(HTTP_ACCEPT_LANGUAGE="es")
        self.pages: list[str] = []

    def read(self, name: str, response, status: int = 200) -> str:
        assert response.status_code == status, (name, response.status_code)
        html = response.content.decode()
        assert '<html lang="es">' in html, f"{name}: not lang=es"
        self.pages.append(name)
        assert_spanish(name, visible_text(html))
        return html

    def get(self, name: str, url: str, status: int = 200) -> str:
        return self.read(name, self.client.get(url), status)

    def post(self, name: str, url: str, data: dict, status: int = 200) -> str:
        return self.read(name, self.client.post(url, data, follow=True), status)


def assert_spanish(name: str, text: str) -> None:
    found = english_words(text, TYPED)
    assert found == [], f"English on {name}: {found}\n{' '.join(text.split())[:3000]}"


def read_mail(name: str, subject: str, body: str) -> None:
    assert_spanish(f"mail {name} (subject)", subject)
    assert_spanish(f"mail {name}", body)


def send_notifications(intake: Intake) -> None:
    """Send the intake's pending notifications now, as the worker would."""
    for notification in Notification.objects.filter(intake=intake, sent_at__isnull=True):
        notification_send(notification_id=notification.pk)


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_a_spanish_speaker_goes_from_sign_up_to_the_decision_without_one_english_word(
        clinician):
    person = Journey()
    person.get("home page", reverse("home"))
    person.get("sign-up page", reverse("accounts:signup"))
    person.post("sign-up refused (short password)", reverse("accounts:signup"), {
        "full_name": NAME, "email": EMAIL, "password": "short", "language": "es"})
    assert not User.objects.filter(email=EMAIL).exists()
    person.post("sign-up sent", reverse("accounts:signup"), {
        "full_name": NAME, "email": EMAIL, "password": PASSWORD, "language": "es"})
    user = User.objects.get(email=EMAIL)
    assert user.language == "es"

    # The address check, from the mail.
    sent = AccountMail.objects.get(to_address=EMAIL)
    read_mail("confirm address", sent.subject, sent.body)
    link = re.search(r"https?://[^/\s]+(/account/confirm/\S+/)", sent.body).group(1)
    person.get("confirm address", link)
    person.post("address confirmed, sign-in page", link, {})

    person.post("sign-in refused", reverse("login"), {"username": EMAIL, "password": "nope"})
    person.post("signed in", reverse("login"), {"username": EMAIL, "password": PASSWORD})
    person.get("my intake, nothing yet", reverse("intake:home"))
    person.post("first step", reverse("intake:start"), {})
    intake = Intake.objects.get(patient=user)
    step_url = lambda slug: reverse("intake:step", args=[intake.pk, slug])  # noqa: E731

    person.post("step refused (age 5)", step_url("about"), {"age": "5", "sex_at_birth": "female"},
                status=400)
    steps = [step.slug for step in steps_for(ANSWERS)]
    assert {"safety", "contact", "mood-swings", "pain", "eating", "trauma"} <= set(steps)
    half_way = steps[len(steps) // 2]
    for slug in steps:
        data = CONTACT if BY_SLUG[slug].saves_contact_details else step_data(slug, ANSWERS)
        if slug == half_way:
            # Half the page answered, then "Save and finish later"; back another day.
            first_field = dict(list(data.items())[:1])
            person.post("saved half a page, my intake", step_url(slug),
                        {**first_field, "leave": "1"})
            intake_remind(intake_id=intake.pk, now=timezone.now() + timedelta(days=3))
            send_notifications(intake)
            reminder = mails_to(EMAIL)[-1]
            read_mail("reminder", reminder.subject, reminder.body)
            person.post("signed out", reverse("logout"), {})
            person.post("signed in again", reverse("login"),
                        {"username": EMAIL, "password": PASSWORD})
            home = person.get("my intake, to continue", reverse("intake:home"))
            assert step_url(slug) in home
            person.get(f"step {slug}, resumed", step_url(slug))
        else:
            page = person.get(f"step {slug}", step_url(slug))
            if slug == "mood":  # the instrument's credit line, its names as published
                assert "PHQ-9: desarrollado por los Dres. Robert L. Spitzer" in page
        if slug == steps[-2]:
            person.post("saved a page and left", step_url(slug), {**data, "leave": "1"})
            continue
        person.post(f"after step {slug}", step_url(slug), data)

    person.get("review", reverse("intake:review", args=[intake.pk]))
    person.get("sign", reverse("intake:sign", args=[intake.pk]))
    person.post("sign refused (no consent)", reverse("intake:submit", args=[intake.pk]),
                {"signature_name": SIGNATURE}, status=400)
    page = person.post("under review", reverse("intake:submit", args=[intake.pk]),
                       {"consent": "on", "signature_name": SIGNATURE})
    assert "en revisión" in page
    # Dates as Spanish writes them: "2 de diciembre de 2026".
    spanish_date = re.compile(r"\d{1,2} de [a-z]+ de \d{4}")
    assert spanish_date.search(page)
    assert spanish_date.search(person.get("my answers",
                                          reverse("intake:answers", args=[intake.pk])))
    assert spanish_date.search(person.get("my intake, submitted", reverse("intake:home")))
    person.get("how to reach me", reverse("contacts:edit"))
    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED and intake.language == "es"

    # A clinician reads it in English, with the language it was answered in, and decides.
    program = Program.objects.create(name=PROGRAM, level=intake.recommendation.level)
    staff = signed_in(clinician)
    staff.post(reverse("review:move", args=[intake.pk]), {"to_state": "in_review"})
    clinician_reads(staff, intake)
    decided = staff.post(reverse("review:decide", args=[intake.pk]),
                         {"outcome": "accept", "program": str(program.pk)})
    assert decided.status_code == 302
    send_notifications(intake)
    reviewed = mails_to(EMAIL)[-1]
    read_mail("reviewed", reviewed.subject, reviewed.body)
    page = person.get("the decision", reverse("intake:status", args=[intake.pk]))
    assert "Decisión:" in page and PROGRAM in page

    first = timezone.localtime() + timedelta(days=5)
    staff.post(reverse("review:outcome", args=[intake.pk, "schedule"]), {
        "schedule-program": str(program.pk),
        "schedule-first_session_at": first.strftime("%Y-%m-%dT18:00")})
    send_notifications(intake)
    for message in mails_to(EMAIL)[2:]:
        read_mail("care updated", message.subject, message.body)
    page = person.get("first session booked", reverse("intake:status", args=[intake.pk]))
    assert "Su primera sesión está reservada" in page and "a las 18:00" in page
    person.get("my intake, decided", reverse("intake:home"))
    assert len(person.pages) > len(steps) * 2

    # The account later turns to English: the intake was still answered in Spanish.
    User.objects.filter(pk=user.pk).update(language="en")
    clinician_reads(staff, intake)


def clinician_reads(staff: Client, intake: Intake) -> None:
    page = staff.get(reverse("review:intake", args=[intake.pk]),
                     HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en">' in page
    assert "Answered in: Spanish (answers shown in English)" in page
    assert "Little interest or pleasure in doing things" in page  # PHQ-9's English wording
    assert "Poco interés" not in page and "Más de la mitad de los días" not in page


def test_the_check_finds_english_and_leaves_data_names_and_marked_english_alone():
    html = ('<html lang="es"><title>Paso 1 of 9</title><script>var next = 1;</script>'
            '<p>Guardar y <b>continue</b></p><input type="submit" value="Submit">'
            '<option lang="en">English</option><textarea>I typed this</textarea>'
            '<span aria-label="Close">x</span></html>')
    assert english_words(visible_text(html)) == ["of", "continue", "submit", "close"]
    assert english_words("Llame al 988, Crisis Text Line; rosa@example.org; IN-000042; "
                         "5 ft 6 in; Evening IOP North", ("Evening IOP North",)) == []


# --- every state of the decision page, beyond the one the journey reached ------------------

def spanish_status(patient, intake) -> str:
    client = signed_in(patient)
    response = client.get(reverse("intake:status", args=[intake.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="es">' in html
    return html


@pytest.fixture
def decided_in_spanish(patient, clinician):
    from review.decisions import intake_decide
    from review.services import intake_move
    from tests.factories import MODERATE_DEPRESSION, submitted_intake

    patient.language = "es"
    patient.save(update_fields=["language"])
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)  # recommends IOP
    intake_move(intake=intake, to_state=Intake.Status.IN_REVIEW, actor=clinician)
    # Started lower than indicated (no place yet), and on the waiting list for IOP.
    intake_decide(intake=intake, actor=clinician, indicated_level="iop",
                  start_level="outpatient", reason_code="no_capacity",
                  reason_text="No IOP place this month.")
    return Intake.objects.get(pk=intake.pk)


@pytest.mark.parametrize("outcome", ["awaiting", "scheduled", "started", "no_show",
                                     "declined", "referred", "could_not_reach"])
def test_each_outcome_of_the_decision_reads_in_spanish(decided_in_spanish, clinician,
                                                       outcome):
    from review.models import Decision, WaitListEntry

    intake = decided_in_spanish
    WaitListEntry.objects.create(intake=intake, level="iop", added_by=clinician)
    Decision.objects.filter(intake=intake).update(
        outcome=outcome, amended_at=timezone.now(),
        first_session_at=timezone.now() + timedelta(days=2))
    html = spanish_status(intake.patient, intake)
    assert_spanish(f"decision, {outcome}", visible_text(html))
    assert "lista de espera" in html and "Su plan de atención se actualizó" in html
    assert "usted empezará con atención ambulatoria estándar" in html


@pytest.mark.parametrize("urgent", [True, False])
@pytest.mark.parametrize("phone", [True, False])
def test_the_page_under_review_and_a_closed_intake_read_in_spanish(patient, urgent, phone):
    from contacts.services import contact_details_save
    from tests.factories import HIGH_SUICIDE_RISK, submitted_intake

    patient.language = "es"
    patient.save(update_fields=["language"])
    if phone:
        contact_details_save(patient=patient, data={
            "phone": "+12025550143", "phone_kind": "mobile", "may_call": True,
            "may_text": True, "may_leave_voicemail": False})
    intake = submitted_intake(patient, **(HIGH_SUICIDE_RISK if urgent else {}))
    assert intake.urgent is urgent
    html = spanish_status(patient, intake)
    assert_spanish(f"under review, urgent={urgent}, phone={phone}", visible_text(html))
    assert ("hoy" in html) is urgent
    Intake.objects.filter(pk=intake.pk).update(status=Intake.Status.CLOSED)
    html = spanish_status(patient, intake)
    assert_spanish("closed", visible_text(html))
    assert "Este cuestionario está cerrado" in html


def test_a_forgotten_password_and_a_wrong_address_read_in_spanish(patient):
    patient.language = "es"
    patient.save(update_fields=["language"])
    person = Journey()
    person.get("forgotten password", reverse("accounts:password_reset"))
    person.post("reset link sent", reverse("accounts:password_reset"), {"email": patient.email})
    sent = AccountMail.objects.get(to_address=patient.email)
    read_mail("password reset", sent.subject, sent.body)
    link = re.search(r"https?://[^/\s]+(/account/reset/\S+/)", sent.body).group(1)
    response = person.client.get(link, follow=True)
    new_password = person.read("choose a new password", response)
    assert "new_password1" in new_password
    person.post("new password refused", response.redirect_chain[-1][0], {
        "new_password1": "short", "new_password2": "short"})
    person.post("password changed", response.redirect_chain[-1][0], {
        "new_password1": PASSWORD + "-new", "new_password2": PASSWORD + "-new"})
    person.post("signed in", reverse("login"),
                {"username": patient.email, "password": PASSWORD + "-new"})
    person.get("no such page", "/intake/999999/", status=404)
    person.get("no such intake step", reverse("intake:step", args=[999999, "about"]),
               status=404)
