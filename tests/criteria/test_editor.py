"""Editing a draft without code: cut-offs, rules and flags, validated, audited, kept on error."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from screening.forms import CUTOFF_SECTION, WHEN
from screening.models import CriteriaVersion
from screening.versions import criteria_draft_create


@pytest.fixture
def draft(admin_user, db):
    return criteria_draft_create(actor=admin_user)


def fresh(version) -> dict:
    return CriteriaVersion.objects.get(pk=version.pk).document


def rule(document, rule_id):
    return next(r for r in document["rules"] if r["id"] == rule_id)


def changes(version):
    return AuditEvent.objects.filter(object_type="criteria_version", object_id=str(version.pk),
                                     action="change")


def cutoff_data(client, version) -> dict:
    """The cut-offs form as the page fills it in."""
    form = client.get(reverse("criteria:cutoffs", args=[version.pk])).context["form"]
    return {name: form[name].value() for name in form.fields}


def item_data(item: dict, **overrides) -> dict:
    """POST data for the rule/flag's id, level and reason form, as the page fills it in."""
    data = {"action": "item", "id": item["id"], "level": item.get("level", ""),
            "reason": item.get("reason", "")}
    data.update(overrides)
    return data


# --- cut-offs -----------------------------------------------------------------------------


def test_it_saves_a_cutoff_change_with_an_audit_row(admin_client_, draft):
    data = cutoff_data(admin_client_, draft)
    assert data["cut__phq9__moderate"] == 10
    data["cut__phq9__moderate"] = 12
    response = admin_client_.post(reverse("criteria:cutoffs", args=[draft.pk]), data)
    assert response.status_code == 302
    assert fresh(draft)[CUTOFF_SECTION]["phq9"]["moderate"] == 12
    assert changes(draft).get().detail["changes"] == [f"{CUTOFF_SECTION}/phq9/moderate"]


def test_it_refuses_cutoffs_that_do_not_increase_and_keeps_what_was_typed(admin_client_,
                                                                            draft):
    data = cutoff_data(admin_client_, draft)
    data["cut__phq9__moderate"] = 4  # below mild (5)
    data["cut__gad7__severe"] = 99  # out of range
    data["cut__phq9__severe"] = 21  # a valid change that must not be lost on the page
    response = admin_client_.post(reverse("criteria:cutoffs", args=[draft.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Moderate must start above mild (5)" in html
    assert "less than or equal to 21" in html
    assert 'value="4"' in html and 'value="99"' in html and 'value="21"' in html
    assert fresh(draft)[CUTOFF_SECTION]["phq9"]["moderate"] == 10
    assert not changes(draft).exists()


def test_a_band_cannot_start_at_zero_said_beside_the_field(admin_client_, draft):
    data = cutoff_data(admin_client_, draft)
    data["cut__gad7__mild"] = 0
    response = admin_client_.post(reverse("criteria:cutoffs", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "greater than or equal to 1." in response.content.decode()
    assert not changes(draft).exists()


def test_it_edits_the_auditc_table_per_sex(admin_client_, draft):
    data = cutoff_data(admin_client_, draft)
    male = [k for k in data if k.startswith("cut__auditc__male__")]
    female = [k for k in data if k.startswith("cut__auditc__female__")]
    assert male and female
    data["cut__auditc__male__mild"] = 5
    admin_client_.post(reverse("criteria:cutoffs", args=[draft.pk]), data)
    assert fresh(draft)[CUTOFF_SECTION]["auditc"]["male"]["mild"] == 5


# --- rules --------------------------------------------------------------------------------


def test_it_edits_a_rule_level_and_reason_keeping_its_condition(admin_client_, draft):
    original = rule(draft.document, "IP-NO-SAFE-BASE")
    data = item_data(original, reason="No safe base to recover from.", level="iop")
    response = admin_client_.post(reverse("criteria:rule", args=[draft.pk, "IP-NO-SAFE-BASE"]),
                                  data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = rule(fresh(draft), "IP-NO-SAFE-BASE")
    assert saved["reason"] == "No safe base to recover from." and saved["level"] == "iop"
    assert saved[WHEN] == original[WHEN]  # the nested groups kept as they are
    assert [r["id"] for r in fresh(draft)["rules"]] == [r["id"] for r in draft.document["rules"]]


def test_it_renames_a_rule_and_refuses_an_id_already_used(admin_client_, draft):
    original = rule(draft.document, "IOP-SYMPTOMS")
    url = reverse("criteria:rule", args=[draft.pk, "IOP-SYMPTOMS"])
    response = admin_client_.post(url, item_data(original, id="IP-SUICIDE"))
    assert response.status_code == 400
    assert "IP-SUICIDE is already used" in response.content.decode()
    response = admin_client_.post(url, item_data(original, id="IOP-MODERATE"))
    assert response.status_code == 302
    assert rule(fresh(draft), "IOP-MODERATE")[WHEN] == original[WHEN]


def test_it_adds_a_rule_at_the_end_with_its_first_test(admin_client_, draft):
    response = admin_client_.post(reverse("criteria:rule-new", args=[draft.pk]), {
        "action": "create", "id": "IOP-ADOLESCENT", "level": "iop",
        "reason": "Adolescents with at least mild symptoms.", "test-fact": "age",
        "test-shown_fact": "age", "test-op": "lt", "test-value": "18", "test-what": "test"})
    assert response.status_code == 302, response.content.decode()[:3000]
    added = fresh(draft)["rules"][-1]
    assert added["id"] == "IOP-ADOLESCENT" and added["level"] == "iop"
    assert added[WHEN] == {"fact": "age", "op": "lt", "value": 18}
    assert changes(draft).count() == 1


def test_a_new_rule_with_a_used_id_or_no_value_is_refused_keeping_what_was_typed(
        admin_client_, draft):
    data = {"action": "create", "id": "IP-SUICIDE", "level": "iop", "reason": "x",
            "test-fact": "age", "test-shown_fact": "age", "test-op": "lt", "test-value": "18"}
    response = admin_client_.post(reverse("criteria:rule-new", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "IP-SUICIDE is already used" in response.content.decode()
    data.update({"id": "IOP-EMPTY", "test-value": ""})
    response = admin_client_.post(reverse("criteria:rule-new", args=[draft.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400 and "Give the value to compare with" in html
    assert 'value="IOP-EMPTY"' in html
    assert len(fresh(draft)["rules"]) == len(draft.document["rules"])


def test_it_reorders_and_removes_rules(admin_client_, draft):
    ids = [r["id"] for r in draft.document["rules"]]
    url = reverse("criteria:rules", args=[draft.pk])
    admin_client_.post(url, {"item": ids[1], "action": "up"})
    assert [r["id"] for r in fresh(draft)["rules"]][:2] == [ids[1], ids[0]]
    admin_client_.post(url, {"item": ids[1], "action": "down"})
    assert [r["id"] for r in fresh(draft)["rules"]] == ids
    admin_client_.post(url, {"item": "IOP-WITHDRAWAL", "action": "remove"})
    assert "IOP-WITHDRAWAL" not in [r["id"] for r in fresh(draft)["rules"]]
    response = admin_client_.post(url, {"item": ids[0], "action": "up"}, follow=True)
    assert "already first" in response.content.decode()
    assert changes(draft).count() == 3


def test_it_edits_a_flag_description_keeping_its_condition(admin_client_, draft):
    flag = next(f for f in draft.document["flags"] if f["id"] == "adolescent")
    data = item_data(flag, reason="Under 18: involve a parent or guardian.")
    data.pop("level")
    response = admin_client_.post(reverse("criteria:flag", args=[draft.pk, "adolescent"]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = next(f for f in fresh(draft)["flags"] if f["id"] == "adolescent")
    assert saved["reason"] == "Under 18: involve a parent or guardian."
    assert saved[WHEN] == flag[WHEN]


# --- history and diff ---------------------------------------------------------------------


def test_it_shows_a_readable_diff_between_two_versions(admin_client_, draft):
    data = cutoff_data(admin_client_, draft)
    data["cut__phq9__moderate"] = 12
    admin_client_.post(reverse("criteria:cutoffs", args=[draft.pk]), data)
    admin_client_.post(reverse("criteria:rules", args=[draft.pk]),
                       {"item": "IOP-WITHDRAWAL", "action": "remove"})
    response = admin_client_.get(reverse("criteria:diff"),
                                 {"a": draft.based_on_id, "b": draft.pk})
    html = response.content.decode()
    assert "PHQ-9: &#x27;moderate&#x27; starts at 12 (was 10)" in html
    assert ("IOP-WITHDRAWAL removed (it recommended IOP when withdrawal risk is moderate)"
            in html)
    assert "rules/" not in html.split("<details>")[0]  # no JSON paths above the fallback
    assert "--- default-2" in html  # the unified JSON diff as a fallback


def test_it_lists_who_changed_what_on_the_version_page(admin_client_, draft, admin_user):
    data = cutoff_data(admin_client_, draft)
    data["cut__phq9__moderate"] = 12
    admin_client_.post(reverse("criteria:cutoffs", args=[draft.pk]), data)
    html = admin_client_.get(reverse("criteria:version", args=[draft.pk])).content.decode()
    assert admin_user.full_name in html
    assert f"{CUTOFF_SECTION}/phq9/moderate" in html


def test_it_edits_a_flag_that_tests_the_matched_rules(admin_client_, draft):
    """`urgent` holds when certain rules matched: a fact only flags may use."""
    flag = next(f for f in draft.document["flags"] if f["id"] == "urgent")
    data = item_data(flag, reason="Acute risk: see now.")
    response = admin_client_.post(reverse("criteria:flag", args=[draft.pk, "urgent"]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = next(f for f in fresh(draft)["flags"] if f["id"] == "urgent")
    assert saved["reason"] == "Acute risk: see now." and saved[WHEN] == flag[WHEN]


def test_the_fact_list_names_facts_in_words_with_their_ids(admin_client_, draft):
    html = admin_client_.get(reverse("criteria:rule-new", args=[draft.pk])).content.decode()
    assert '<option value="home_safe">Home is safe (home_safe)</option>' in html
    assert '<optgroup label="Instrument scores">' in html
    assert 'value="level"' not in html  # known only to flags
    html = admin_client_.get(reverse("criteria:flag-new", args=[draft.pk])).content.decode()
    assert 'value="level"' in html


def test_a_rule_reason_longer_than_300_characters_is_refused_with_what_was_typed(
        admin_client_, draft):
    rule_ = next(r for r in draft.document["rules"] if r["id"] == "IOP-SYMPTOMS")
    long_reason = ("Moderate symptoms need more than a weekly session. " * 7).strip()  # 356
    response = admin_client_.post(reverse("criteria:rule", args=[draft.pk, "IOP-SYMPTOMS"]),
                                  item_data(rule_, reason=long_reason))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Keep the reason to 300 characters at most (it has 356)" in html
    assert long_reason in html
    assert next(r for r in fresh(draft)["rules"] if r["id"] == "IOP-SYMPTOMS")["reason"] == (
        rule_["reason"])
