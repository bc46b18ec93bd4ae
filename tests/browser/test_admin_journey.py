"""An admin changes a cut-off in a draft, previews the shift and publishes it."""

import pytest
from playwright.sync_api import expect

from screening.models import CriteriaVersion

from .helpers import staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_edits_a_cut_off_previews_and_publishes(page, admin_user, check_page):
    staff_sign_in(page, admin_user)
    expect(page.get_by_role("heading", name="Screening criteria")).to_be_visible()
    check_page(page, "admin-criteria-list")

    page.get_by_label("Name of the new draft").fill("phq9-moderate-13")
    page.get_by_role("button", name="Start a draft").click()
    expect(page.get_by_role("heading", name="phq9-moderate-13")).to_be_visible()
    check_page(page, "admin-draft")

    page.get_by_role("link", name="Edit cut-offs").click()
    field = page.get_by_role("group", name="PHQ-9 (depression)").get_by_label(
        "moderate from", exact=True)
    expect(field).to_have_value("10")
    check_page(page, "admin-cutoffs")
    field.fill("13")
    page.get_by_role("button", name="Save cut-offs").click()
    expect(page.get_by_role("heading", name="phq9-moderate-13")).to_be_visible()

    page.get_by_role("link", name="Preview on the test cases").click()
    expect(page.get_by_text("4 of 36 change level")).to_be_visible()
    expect(page.get_by_text("v03-moderate-depression").first).to_be_visible()
    check_page(page, "admin-preview")

    page.go_back()
    page.get_by_role("link", name="Publish…").click()
    check_page(page, "admin-publish")
    page.once("dialog", lambda dialog: dialog.accept())  # "Publish phq9-moderate-13 now?"
    page.get_by_role("button", name="Check and publish").click()
    expect(page.get_by_role("status")).to_contain_text("is now the published version")
    check_page(page, "admin-published")

    published = CriteriaVersion.objects.get(status=CriteriaVersion.Status.PUBLISHED)
    assert published.version == "phq9-moderate-13"
    assert published.document["bands"]["phq9"]["moderate"] == 13
    assert CriteriaVersion.objects.get(version="default-2").status == "retired"
