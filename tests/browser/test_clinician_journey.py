"""A clinician signs in with the second factor, finds an urgent intake at the top of the
queue, reads the reasons, overrides with a coded reason; the patient then sees the decision."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import Intake
from review.models import Decision
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, submitted_intake

from .helpers import sign_in, sign_out, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_overrides_an_urgent_intake_and_the_patient_sees_it(
        page, patient, other_patient, clinician, check_page):
    older = submitted_intake(other_patient, submitted_at=timezone.now() - timedelta(hours=3),
                             **MODERATE_DEPRESSION)
    urgent = submitted_intake(patient, submitted_at=timezone.now() - timedelta(minutes=5),
                              **HIGH_SUICIDE_RISK)

    # The real login page, then the TOTP page with the code of the clinician's app.
    staff_sign_in(page, clinician)
    expect(page.get_by_role("heading", name="Review queue", level=1)).to_be_visible()
    rows = page.locator("table.queue-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(urgent.number)
    expect(rows.nth(0)).to_contain_text("Urgent")
    expect(rows.nth(1)).to_contain_text(older.number)  # older, but not urgent: below
    check_page(page, "clinician-queue")

    rows.nth(0).get_by_role("link", name=urgent.number).click()
    expect(page.get_by_role("heading", name=f"Intake {urgent.number}")).to_be_visible()
    for reason in urgent.recommendation.reasons:
        expect(page.get_by_text(reason["reason"]).first).to_be_visible()
    expect(page.get_by_text("default-2").first).to_be_visible()
    # Beside the reasons: what would change the level, the safety answer marked.
    expect(page.locator(".level-change-safety")).to_contain_text(
        "IOP if suicide risk were moderate (now high)")
    check_page(page, "clinician-intake")

    page.get_by_role("button", name="Start review").click()
    expect(page.locator(".intake-state")).to_have_text("In review")
    decide = page.locator("#decide-form")
    expect(decide.get_by_label("Clinically indicated level")).to_be_hidden()  # accept chosen
    decide.get_by_label("Override: another level is clinically indicated").check()
    decide.get_by_label("Clinically indicated level").select_option("iop")
    decide.get_by_label("Reason", exact=True).select_option("clinical_judgement")
    decide.get_by_label("Why, in a few words").fill(
        "Seen in person today: intent resolved, safety plan agreed, strong family support.")
    decide.get_by_label("Next steps for the patient").fill(
        "Evening IOP starts Monday at 6 pm. Call 988 any time if things get worse.")
    check_page(page, "clinician-decide")
    decide.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("recommendation overridden")
    expect(page.locator(".decision")).to_contain_text("Clinical judgement")
    expect(page.locator(".history")).to_contain_text("decided")
    check_page(page, "clinician-decided")

    page.get_by_role("link", name="Print view").click()
    expect(page.get_by_role("heading", name=f"Intake {urgent.number} (urgent)")).to_be_visible()
    check_page(page, "clinician-print")

    decision = Decision.objects.get(intake=urgent)
    assert (decision.accepted, decision.recommended_level, decision.indicated_level,
            decision.reason_code) == (False, "inpatient", "iop", "clinical_judgement")
    assert Intake.objects.get(pk=urgent.pk).first_opened_at is not None

    sign_out(page)
    sign_in(page, patient.email)
    page.goto(f"/intake/{urgent.pk}/")
    expect(page.get_by_text("Decided: Intensive outpatient program (IOP)")).to_be_visible()
    expect(page.get_by_text("Evening IOP starts Monday at 6 pm.")).to_be_visible()
    check_page(page, "patient-decided")
