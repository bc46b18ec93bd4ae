"""A Spanish-speaking patient in a real browser: the language form (no script needed), the
sign-in and one intake step in Spanish; then the last step, the signature, the page under
review and the decision; `lang="es"` on each page, axe-clean."""

import pytest
from playwright.sync_api import expect

from intake.models import Intake
from intake.steps import steps_for
from review.decisions import intake_decide
from review.models import Program
from review.services import intake_move
from tests.factories import MODERATE_DEPRESSION
from tests.factories import answers as complete_answers

from .helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_spanish_speaker_signs_in_and_answers_a_step_in_spanish(page, patient, check_page):
    patient.language = "es"  # chosen at sign-up
    patient.save(update_fields=["language"])
    page.goto("/login/")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Correo electrónico").fill(patient.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Iniciar sesión").click()

    page.get_by_role("button", name="Empezar mi cuestionario").click()
    expect(page.get_by_role("heading", name="Sobre usted")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check_page(page, "es-intake-about")
    page.get_by_label("¿Cuántos años tiene?").fill("5")
    page.locator('input[name="sex_at_birth"][value="female"]').check()
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.get_by_text("Este servicio es para personas de 12 años o más.")).to_be_visible()
    check_page(page, "es-intake-about-error")
    page.get_by_label("¿Cuántos años tiene?").fill("34")
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.get_by_role("heading", name="Qué le trae aquí")).to_be_visible()


def test_a_spanish_speaker_finishes_submits_and_reads_the_decision_in_spanish(
        page, patient, clinician, check_page):
    """The end of the journey in a real browser: the last step, the review, the signature,
    the page under review and the decision, each axe-clean with lang="es"."""
    patient.language = "es"
    patient.save(update_fields=["language"])
    answers = complete_answers(pcptsd5={"exposure": False}, scoff=[False] * 5,
                               **MODERATE_DEPRESSION)  # recommends IOP
    steps = [step.slug for step in steps_for(answers)]
    intake = Intake.objects.create(patient=patient, answers=answers, steps_done=steps[:-1])
    assert steps[-1] == "availability"

    page.goto("/login/")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.get_by_label("Correo electrónico").fill(patient.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("link", name="Continuar mi cuestionario").click()
    expect(page.get_by_role("heading", name="Disponibilidad")).to_be_visible()
    page.locator('input[name="availability"][value="weekday_evening"]').check()
    page.get_by_role("button", name="Guardar y continuar").click()
    page.get_by_role("link", name="Continuar para firmar y enviar").click()
    check_page(page, "es-intake-sign")
    page.get_by_label("Acepto que la clínica use estas respuestas").check()
    page.get_by_label("Escriba su nombre completo como firma").fill(patient.full_name)
    page.get_by_role("button", name="Enviar mi cuestionario").click()
    expect(page.locator("main")).to_contain_text("en revisión")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check_page(page, "es-intake-under-review")

    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED and intake.language == "es"
    program = Program.objects.create(name="Evening IOP North", level="iop")
    intake_move(intake=intake, to_state=Intake.Status.IN_REVIEW, actor=clinician)
    intake_decide(intake=intake, actor=clinician, indicated_level="iop", program=program)
    page.reload()
    expect(page.get_by_role("heading", name="Decisión: Programa ambulatorio intensivo (IOP)")
           ).to_be_visible()
    expect(page.locator("main")).to_contain_text("La clínica se comunicará con usted")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check_page(page, "es-intake-decision")
