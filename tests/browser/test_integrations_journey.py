"""An admin makes an API token for the EHR, copies it from the one page that shows it, adds a
webhook, and revokes the token: every page passes the accessibility check."""

import pytest
from playwright.sync_api import expect

from api.models import ApiToken, Webhook

from .helpers import staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_makes_a_token_and_a_webhook_then_revokes_the_token(page, admin_user,
                                                                     check_page):
    staff_sign_in(page, admin_user)
    page.get_by_role("link", name="Integrations").click()
    expect(page.get_by_role("heading", name="Integrations", exact=True)).to_be_visible()
    check_page(page, "admin-integrations")

    page.get_by_role("link", name="Make a token").click()
    page.get_by_label("Integration").fill("EHR")
    page.get_by_label("Read and write (FHIR import)").check()
    check_page(page, "admin-token-new")
    page.get_by_role("button", name="Make the token").click()
    token = page.get_by_label("Token").input_value()
    assert token.startswith("iop_")
    check_page(page, "admin-token-made")
    assert ApiToken.objects.get().scope == ApiToken.Scope.READ_WRITE

    page.get_by_role("link", name="Back to integrations").click()
    expect(page.get_by_role("cell", name=token)).to_have_count(0)
    page.get_by_role("link", name="Add a webhook").click()
    page.get_by_label("Address").fill("https://ehr.example.org/hooks/iop")
    page.get_by_label("An intake is submitted").uncheck()
    page.get_by_role("button", name="Add the webhook").click()
    expect(page.get_by_role("heading", name="Webhook added")).to_be_visible()
    assert Webhook.objects.get().events == ["intake.decided"]
    page.get_by_role("link", name="See the webhook").click()
    expect(page.get_by_text("Nothing sent yet.")).to_be_visible()
    check_page(page, "admin-webhook")

    page.get_by_role("link", name="Back to integrations").click()
    page.get_by_role("button", name="Revoke now").click()
    expect(page.get_by_text("Revoked")).to_be_visible()
    assert ApiToken.objects.get().revoked_at is not None
