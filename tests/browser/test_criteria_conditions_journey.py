"""An admin builds a nested rule from nothing in the condition forms, then previews it: the
rule made in the forms fires on exactly the public test cases the shipped one fires on."""

import json
import re

import pytest
from playwright.sync_api import expect

from screening.engine import load_criteria, screen
from screening.models import CriteriaVersion
from screening.replay import SHIPPED_CASES, vignettes_load

from .helpers import staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RULE = "IP-NO-SAFE-BASE"
# Crispy marks a required field's label with an asterisk.
ID, FACT, TEST, VALUE = (re.compile(rf"^\s*{word}\*?\s*$") for word in ("Id", "Fact", "Test", "Value"))


def shipped_fires_on() -> set[str]:
    """The public cases the shipped default-2 rule fires on, by the engine itself."""
    shipped = json.loads((SHIPPED_CASES.parent / "default-2.json").read_text())
    criteria = load_criteria(shipped)
    return {case["id"] for case in vignettes_load()
            if RULE in [r.id for r in screen(case["answers"], criteria, case_id=case["id"]).reasons]}


def preview_fires_on(page) -> set[str]:
    """The cases whose 'Rules matched' cell on the preview page names the rule."""
    fired = set()
    for row in page.locator("tbody tr").all():
        case = row.locator("th").inner_text().split("\n")[0].strip()
        rules = row.locator("td").last.inner_text().replace(" ", "").split(",")
        if RULE in rules:
            fired.add(case)
    return fired


def add_to_group(page, group: str, what: str, fact: str, op: str, value: str) -> None:
    """A group's own "add" form, then the chosen fact's operator and value."""
    page.get_by_label(f"Add to {group}", exact=True).select_option(what)
    page.get_by_label(f"testing in {group}", exact=True).select_option(fact)
    page.get_by_role("button", name=f"Next: the test to add to {group}").click()
    name = "Add to group at the top" if group == "the top group" else f"Add to {group}"
    form = page.get_by_role("form", name=name, exact=True)
    form.get_by_role("combobox", name=TEST).select_option(op)
    form.get_by_role("combobox", name=VALUE).select_option(value)
    form.get_by_role("button", name="Add to this group").click()
    expect(page.get_by_role("status")).to_contain_text("Added" if what == "test" else
                                                       "Group added")


def test_an_admin_builds_ip_no_safe_base_in_forms_and_the_preview_matches(
        page, admin_user, check_page):
    expected = shipped_fires_on()
    assert expected == {"v12-no-support", "v13-homeless", "v14-unsafe-home"}
    staff_sign_in(page, admin_user)
    page.get_by_label("Name of the new draft").fill("safe-base-in-forms")
    page.get_by_role("button", name="Start a draft").click()
    expect(page.get_by_role("heading", name="safe-base-in-forms")).to_be_visible()
    draft = CriteriaVersion.objects.get(version="safe-base-in-forms")

    # From nothing: the shipped rule goes, and the preview shows what it did.
    page.get_by_role("link", name="Edit rules").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Remove {RULE}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Rule {RULE} removed")
    page.goto(f"/criteria/{draft.pk}/preview/")
    expect(page.get_by_text("3 of 36 change level")).to_be_visible()
    assert preview_fires_on(page) == set()

    # A new rule, same level, first test, then the nested "any" group, test by test.
    page.goto(f"/criteria/{draft.pk}/rules/")
    page.get_by_role("link", name="Add a rule").click()
    page.get_by_role("textbox", name=ID).fill(RULE)
    page.get_by_label("Level it recommends").select_option("inpatient")
    page.get_by_label("Reason, in plain words (shown to clinicians)").fill(
        "At least moderate symptoms and no safe base to recover from: no support, homeless, "
        "or an unsafe home.")
    # With JavaScript a fact chosen shows its tests at once, keeping what was typed.
    page.get_by_role("combobox", name=FACT).select_option("support")
    expect(page.locator("[data-scale]")).to_have_text(
        "Support goes from least to most worrying: strong, adequate, limited, none.")
    expect(page.get_by_role("textbox", name=ID)).to_have_value(RULE)
    page.get_by_role("combobox", name=FACT).select_option("severity")
    expect(page.locator("[data-scale]")).to_contain_text("The highest severity goes from")
    page.get_by_role("combobox", name=TEST).select_option("gte")
    page.get_by_role("combobox", name=VALUE).select_option("moderate")
    page.get_by_role("button", name="Add rule").click()
    expect(page.get_by_role("heading", name=f"Rule {RULE}")).to_be_visible()

    add_to_group(page, "the top group", "any", "support", "eq", "none")
    add_to_group(page, "group 2", "test", "housing", "eq", "homeless")
    # The scale's direction is said in words while the test is chosen.
    page.get_by_label("Add to group 2", exact=True).select_option("test")
    page.get_by_label("testing in group 2", exact=True).select_option("home_safe")
    page.get_by_role("button", name="Next: the test to add to group 2").click()
    form = page.get_by_role("form", name="Add to group 2", exact=True)
    form.get_by_role("combobox", name=TEST).select_option("eq")
    form.get_by_role("combobox", name=VALUE).select_option("false")
    form.get_by_role("button", name="Add to this group").click()
    words = ("the highest severity is at least moderate and (support is none or housing is "
             "homeless or home is safe: no)")
    expect(page.locator("[data-condition-words]")).to_have_text(words)
    check_page(page, "admin-condition-editor")

    built = next(r for r in CriteriaVersion.objects.get(pk=draft.pk).document["rules"]
                 if r["id"] == RULE)
    shipped = next(r for r in CriteriaVersion.objects.get(version="default-2").document["rules"]
                   if r["id"] == RULE)
    assert built["when"] == shipped["when"] and built["level"] == shipped["level"]

    page.goto(f"/criteria/{draft.pk}/preview/")
    expect(page.get_by_text("0 of 36 change level")).to_be_visible()
    assert preview_fires_on(page) == expected


def test_a_nested_group_is_built_and_moved_with_javascript_off(browser, live_server,
                                                               admin_user):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        staff_sign_in(page, admin_user)
        page.get_by_role("button", name="Start a draft").click()
        draft = CriteriaVersion.objects.filter(status="draft").get()
        page.goto(f"/criteria/{draft.pk}/rules/IP-SEVERE-FRAGILE/")
        # Group 2 (any) gets a group "all of" (age under 18, then BMI under 17.5): depth 3.
        page.get_by_label("Add to group 2", exact=True).select_option("all")
        page.get_by_label("testing in group 2", exact=True).select_option("age")
        page.get_by_role("button", name="Next: the test to add to group 2").click()
        form = page.get_by_role("form", name="Add to group 2", exact=True)
        expect(form.get_by_role("spinbutton", name=VALUE)).to_have_attribute("type", "number")
        form.get_by_role("combobox", name=TEST).select_option("lt")
        form.get_by_role("spinbutton", name=VALUE).fill("18")
        form.get_by_role("button", name="Add to this group").click()
        page.get_by_label("Add to group 2.3", exact=True).select_option("test")
        page.get_by_label("testing in group 2.3", exact=True).select_option("bmi")
        page.get_by_role("button", name="Next: the test to add to group 2.3").click()
        form = page.get_by_role("form", name="Add to group 2.3", exact=True)
        form.get_by_role("combobox", name=TEST).select_option("lt")
        form.get_by_role("spinbutton", name=VALUE).fill("17.5")
        form.get_by_role("button", name="Add to this group").click()
        page.get_by_role("button", name="Up the test: BMI is below 17.5").click()
        page.get_by_role("button", name="Up group 2.3").click()
        expect(page.locator("[data-condition-words]")).to_have_text(
            "the highest severity is severe and (support is at least as worrying as limited "
            "(limited or none) or (BMI is below 17.5 and age is below 18) or housing is at "
            "least as worrying as unstable (unstable or homeless))")
        page.screenshot(path="test-artifacts/screenshots/admin-condition-editor-no-js.png",
                        full_page=True)
        when = next(r for r in CriteriaVersion.objects.get(pk=draft.pk).document["rules"]
                    if r["id"] == "IP-SEVERE-FRAGILE")["when"]
        assert when["all"][1]["any"][1] == {"all": [
            {"fact": "bmi", "op": "lt", "value": 17.5}, {"fact": "age", "op": "lt",
                                                         "value": 18}]}
    finally:
        context.close()
