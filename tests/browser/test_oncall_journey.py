"""The on-call clinician gets the urgent alert by mail, follows its link, signs in with the
second factor, presses "I'm on it", and the queue shows the alert acknowledged."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from review.models import Notification, UrgentAlert
from review.notifications import notification_queue, notification_send
from tests.conftest import PASSWORD
from tests.factories import HIGH_SUICIDE_RISK, submitted_intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_on_call_clinician_acknowledges_from_the_alert_mail(page, patient, clinician,
                                                                other_clinician, check_page):
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    notification_queue(kind=Notification.Kind.URGENT, intake=intake)
    # Sent here, as the worker would: the mail goes to the locmem outbox.
    for row in Notification.objects.filter(kind=Notification.Kind.URGENT):
        notification_send(notification_id=row.pk)
    [alert_mail] = mail.outbox
    assert alert_mail.to == [clinician.email]  # on call; the other clinician is not
    link = re.search(r"Open it: (\S+)", alert_mail.body).group(1)
    assert "Pat" not in alert_mail.body

    # The link is behind sign-in: the password, then the authenticator code, then the intake.
    device, _ = TOTPDevice.objects.get_or_create(user=clinician, name="phone",
                                                 defaults={"confirmed": True})
    page.goto(urlsplit(link).path)
    page.get_by_label("E-mail address").fill(clinician.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("6-digit code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name=f"Intake {intake.number}")).to_be_visible()
    expect(page.locator(".urgent-alert")).to_contain_text("not acknowledged yet")
    check_page(page, "oncall-alert-unacknowledged")
    page.get_by_role("button", name="I'm on it").click()
    expect(page.locator(".urgent-alert")).to_contain_text(
        "Urgent alert acknowledged by Casey Clinician")
    assert UrgentAlert.objects.get(intake=intake).acknowledged_by == clinician
    check_page(page, "oncall-alert-acknowledged")

    page.get_by_role("link", name="Review queue").first.click()
    row = page.locator(f"table.queue-table tbody tr[data-intake='{intake.pk}']")
    expect(row).to_contain_text("Acknowledged by Casey Clinician")
    check_page(page, "oncall-queue-acknowledged")


def test_an_admin_sets_the_roster_and_the_banner_goes(page, admin_user, other_clinician,
                                                      check_page):
    from tests.browser.helpers import staff_sign_in

    staff_sign_in(page, admin_user)
    banner = page.locator(".oncall-problems")
    expect(banner).to_contain_text("No one is on call: urgent alerts cannot be delivered.")
    check_page(page, "oncall-empty-roster-banner")
    banner.get_by_role("link", name="Open the on-call roster").click()
    page.get_by_role("link", name="Add a shift").click()
    page.get_by_label("On call").select_option(label="Drew Doctor")
    page.get_by_label("From").fill("2026-01-01T00:00")
    page.get_by_label("To").fill("2099-01-01T00:00")
    check_page(page, "oncall-add-shift")
    page.get_by_role("button", name="Save the shift").click()
    expect(page.get_by_role("status")).to_contain_text("Shift added: Drew Doctor on call")
    expect(page.locator(".oncall-problems")).to_have_count(0)
