"""A Spanish-speaking patient in a real browser: the language form (no script needed), the
sign-in and one intake step in Spanish, `lang="es"` on the page, axe-clean."""

import pytest
from playwright.sync_api import expect

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
