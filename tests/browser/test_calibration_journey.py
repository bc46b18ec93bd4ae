"""An admin opens a calibration round; a clinician rates a case blind, sees the engine's
answer, and reads the results once every case is rated."""

import pytest
from playwright.sync_api import expect

from calibration.models import CalibrationRound
from calibration.services import calibration_rate

from .helpers import sign_out, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_rates_blind_then_reads_the_agreement(page, admin_user, clinician,
                                                          other_clinician, check_page):
    staff_sign_in(page, admin_user)
    page.get_by_role("link", name="Calibration").click()
    page.get_by_label("Name of the round").fill("March, day team")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("heading", name="March, day team")).to_be_visible()
    round_ = CalibrationRound.objects.get()
    sign_out(page)

    staff_sign_in(page, clinician)
    page.get_by_role("link", name="Calibration").click()
    check_page(page, "clinician-calibration-rounds")
    page.get_by_role("link", name="March, day team", exact=True).click()
    first = round_.cases[0]
    page.get_by_role("link", name="Case 1", exact=True).click()
    expect(page.get_by_role("heading", name="Your decision")).to_be_visible()
    expect(page.get_by_text(first["id"])).to_have_count(0)
    check_page(page, "clinician-calibration-case-blind")
    page.get_by_label("Intensive outpatient program (IOP)").check()
    page.get_by_role("button", name="Record my level").click()
    expect(page.get_by_text("The engine recommended")).to_be_visible()
    check_page(page, "clinician-calibration-case-rated")

    page.goto(f"/calibration/{round_.pk}/results/")
    expect(page.get_by_text(f"Rate every case first: {len(round_.cases) - 1} left")) \
        .to_be_visible()
    for case in round_.cases[1:]:
        calibration_rate(round_=round_, clinician=clinician, case_id=case["id"],
                         level=case["engine"]["level"])
    for case in round_.cases:
        calibration_rate(round_=round_, clinician=other_clinician, case_id=case["id"],
                         level="iop")
    page.reload()
    expect(page.get_by_role("heading", name="Agreement with the engine")).to_be_visible()
    expect(page.get_by_role("heading", name="Where the disagreements with the engine sit")) \
        .to_be_visible()
    check_page(page, "clinician-calibration-results")
