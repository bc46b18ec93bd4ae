"""The patient side in Spanish (SPEC §8b): pages, errors, crisis help, mail and questions,
while staff read the same intake in English with the person's language shown."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import AccountMail, User
from intake.models import Intake
from review.models import Notification
from review.notifications import notification_send
from screening.engine import catalogue as C
from tests.conftest import PASSWORD, signed_in
from tests.factories import submitted_intake

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def spanish_patient(patient):
    patient.language = "es"
    patient.save(update_fields=["language"])
    return patient


# --- the catalogue and the .po are complete -------------------------------------------------

def test_the_catalogue_has_spanish_for_every_question_option_instruction_and_hint():
    english = {text for version in C.QUESTIONNAIRE_VERSIONS
               for text in C.WORDING[version].values()}
    english |= {q.hint for q in [*C.ANSWERS.values(), *C.item_questions().values()] if q.hint}
    for language, wording in C.TRANSLATIONS.items():
        missing = sorted(english - set(wording))
        assert missing == [], f"{language} lacks: {missing}"
        assert all(wording[text].strip() for text in english)
        # Each instrument says where its translation comes from, validated or not.
        assert set(C.INSTRUMENTS) | {"cssrs"} <= set(C.TRANSLATION_SOURCES[language])


def test_every_instruments_credit_line_has_its_spanish():
    from intake.steps import ATTRIBUTION, attribution_for
    for language in C.TRANSLATIONS:
        missing = [text for text in ATTRIBUTION.values() if text not in C.TRANSLATIONS[language]]
        assert missing == [], f"{language} lacks the credit: {missing}"
    assert attribution_for("drugs", "es").startswith("DAST-10: © 1982 Harvey A. Skinner, PhD, y")
    assert attribution_for("drugs") == C.DAST10.attribution
    assert attribution_for("about", "es") is None  # a step without an instrument


def test_lookups_take_a_language_and_default_to_english():
    assert C.question("phq9[0]") == "Little interest or pleasure in doing things"
    assert C.question("phq9[0]", language="es") == "Poco interés o placer en hacer cosas"
    assert C.option_label("phq9[0]", 3, language="es") == "Casi todos los días"
    # The q-2 rewording has its own Spanish; q-1's stays as it was asked.
    assert "Por ejemplo: juntó pastillas" in C.question("cssrs.behavior_lifetime", "q-2", "es")
    assert "Por ejemplo" not in C.question("cssrs.behavior_lifetime", "q-1", "es")
    assert C.question("phq9[0]", language="xx") == C.question("phq9[0]")


def test_every_patient_string_is_in_the_po_translated_and_not_fuzzy(tmp_path):
    """makemessages over a copy of the code: a string marked but missing from the .po, left
    untranslated or fuzzy fails here."""
    if shutil.which("msgattrib") is None:
        pytest.fail("GNU gettext is required: apt-get install gettext")
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "tests", "staticfiles", "test-artifacts", "bench", "*.mo",
        "__pycache__", "node_modules", "db.sqlite3"))
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location",
                    "-i", "scripts/*", "-i", "static/*"],
                   cwd=copy, check=True, capture_output=True)
    po = copy / "locale/es/LC_MESSAGES/django.po"
    for flag in ("--untranslated", "--only-fuzzy"):
        found = subprocess.run(["msgattrib", flag, "--no-obsolete", str(po)], check=True,
                               capture_output=True, text=True).stdout
        entries = [line for line in found.splitlines() if line.startswith("msgid ")]
        assert entries[1:] == [], f"{flag}: {found}"  # the first is the header


# --- a Spanish-speaking person's pages --------------------------------------------------------

def test_the_language_chosen_at_sign_up_is_stored_and_the_address_check_mail_is_in_it(
        db, anon_client):
    response = anon_client.post(reverse("accounts:signup"), {
        "full_name": "Rosa Ruiz", "email": "rosa@example.org", "password": PASSWORD,
        "language": "es"})
    assert response.status_code == 200
    assert User.objects.get(email="rosa@example.org").language == "es"
    sent = AccountMail.objects.get(to_address="rosa@example.org")
    assert sent.subject == "Confirme su correo electrónico para terminar de crear su cuenta"
    assert "abra este enlace y confirme" in sent.body


def test_the_sign_up_page_offers_both_languages_each_in_its_own_words(anon_client):
    page = anon_client.get(reverse("accounts:signup"), HTTP_ACCEPT_LANGUAGE="es").content
    page = page.decode()
    assert '<html lang="es">' in page and "Crear una cuenta" in page
    assert "English" in page and "Español" in page


def test_a_spanish_speaker_reads_the_intake_its_errors_and_the_crisis_help_in_spanish(
        spanish_patient):
    client = signed_in(spanish_patient)
    home = client.get(reverse("intake:home")).content.decode()
    assert '<html lang="es">' in home and "Mi cuestionario" in home
    assert "Empezar mi cuestionario" in home and "Start my intake" not in home
    client.post(reverse("intake:start"))
    intake = Intake.objects.get(patient=spanish_patient)
    step = reverse("intake:step", args=[intake.pk, "about"])
    page = client.get(step).content.decode()
    assert "¿Cuántos años tiene?" in page and "How old are you?" not in page
    assert "Guardar y continuar" in page and "Paso 1 de" in page
    refused = client.post(step, {"age": "5", "sex_at_birth": "female"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Este servicio es para personas de 12 años o más." in page
    assert "No se perdió nada de lo que escribió." in page
    mood = client.get(reverse("intake:step", args=[intake.pk, "mood"])).content.decode()
    assert "Poco interés o placer en hacer cosas" in mood and "Casi todos los días" in mood
    safety = client.get(reverse("intake:step", args=[intake.pk, "safety"])).content.decode()
    assert "marque 2" in safety and "AYUDA" in safety


def test_the_crisis_help_in_spanish_names_the_lines_spanish_services():
    with translation.override("es"):
        panel = render_to_string("intake/_crisis.html", {"crisis_reasons": ["suicide"]})
    assert "Si está pensando en quitarse la vida, hay ayuda ahora mismo" in panel
    assert "Línea 988 de Prevención del Suicidio y Crisis" in panel
    assert "llame al 988 y marque 2" in panel and "sms:988?&amp;body=AYUDA" in panel
    assert "sms:741741?&amp;body=AYUDA" in panel and "HOME" not in panel
    with translation.override("en"):
        panel = render_to_string("intake/_crisis.html", {"crisis_reasons": ["suicide"]})
    assert "text HOME to 741741" in panel


def test_the_mail_to_a_spanish_speaker_is_in_spanish_and_still_holds_no_answer(
        spanish_patient):
    intake = submitted_intake(spanish_patient)
    notification = Notification.objects.create(kind=Notification.Kind.DECIDED, intake=intake)
    notification_send(notification_id=notification.pk)
    sent = mail.outbox[-1]
    assert sent.to == [spanish_patient.email]
    assert sent.subject == "Su cuestionario de admisión fue revisado"
    assert "Inicie sesión para ver la atención" in sent.body and "marque 2" in sent.body
    assert reverse("intake:status", args=[intake.pk]) in sent.body


def test_the_language_form_changes_the_account_and_the_pages(patient):
    client = signed_in(patient)
    response = client.post(reverse("accounts:language"),
                           {"language": "es", "next": reverse("contacts:edit")})
    assert response.status_code == 302 and response["Location"] == reverse("contacts:edit")
    patient.refresh_from_db()
    assert patient.language == "es"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = client.get(reverse("contacts:edit")).content.decode()
    assert "Cómo comunicarnos con usted" in page and "Guardar mi idioma" in page
    # Somewhere else is never a place to be sent.
    away = client.post(reverse("accounts:language"),
                       {"language": "en", "next": "https://evil.example/"})
    assert away["Location"] == reverse("home")
    # Nor is markup, or a word that Django would take for a view's name (it was a 500).
    for target in ('"><img src=x onerror=alert(1)>', "home", "//evil.example/"):
        odd = client.post(reverse("accounts:language"), {"language": "en", "next": target})
        assert odd.status_code == 302 and odd["Location"] == reverse("home"), target
    unknown = client.post(reverse("accounts:language"), {"language": "xx"})
    assert unknown.status_code == 302
    patient.refresh_from_db()
    assert patient.language == "en"


def test_after_sign_in_the_pages_follow_the_account_not_the_browser(spanish_patient):
    client = signed_in(spanish_patient)
    page = client.get(reverse("intake:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mi cuestionario" in page


def test_a_clinician_reads_a_spanish_intake_in_english_with_the_language_shown(
        spanish_patient, clinician):
    intake = submitted_intake(spanish_patient)
    client = signed_in(clinician)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(reverse("review:intake", args=[intake.pk]),
                      HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en">' in page
    assert "Answered in: Spanish" in page
    warning = page.split("Not a validated translation in Spanish")[1].split("</dd>")[0]
    assert "GAD-7" in warning and "C-SSRS screener" in warning
    assert "PHQ-9" not in warning  # its published Spanish was used
    assert "PEG" not in warning  # not answered: no chronic pain
    assert "Little interest or pleasure in doing things" in page
    assert "Poco interés" not in page and "Cambiar idioma" not in page


def test_an_english_intake_shows_no_translation_warning(patient, clinician):
    intake = submitted_intake(patient)
    page = signed_in(clinician).get(reverse("review:intake", args=[intake.pk])).content
    assert "Answered in: English" in page.decode()
    assert "Not a validated translation" not in page.decode()


def test_the_intake_keeps_the_language_its_answers_were_given_in(spanish_patient, clinician):
    from tests.factories import answers
    from tests.intake.helpers import fill_steps, sign

    client = signed_in(spanish_patient)
    client.post(reverse("intake:start"))
    intake = Intake.objects.get(patient=spanish_patient)
    assert intake.language == ""  # nothing answered yet
    fill_steps(client, intake.pk, answers())
    intake.refresh_from_db()
    assert intake.language == "es"
    # The person turns the account to English and signs: the answers were given in Spanish.
    client.post(reverse("accounts:language"), {"language": "en"})
    assert sign(client, intake.pk).status_code == 302
    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED and intake.language == "es"
    page = signed_in(clinician).get(reverse("review:intake", args=[intake.pk])).content
    assert "Answered in: Spanish (answers shown in English)" in page.decode()
    assert "Not a validated translation in Spanish" in page.decode()
