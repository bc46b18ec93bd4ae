"""Versions go draft -> published -> retired; only drafts change; publishing is checked."""

import copy

import pytest
from django.db import connection, transaction
from django.urls import reverse

from audit.models import AuditEvent
from screening.models import CriteriaVersion
from screening.versions import (
    PublishRefused,
    VersionError,
    criteria_draft_create,
    criteria_draft_discard,
    criteria_draft_update,
    criteria_version_publish,
)
from tests.factories import HIGH_SUICIDE_RISK, submitted_intake


def audit_rows(version, action=None):
    rows = AuditEvent.objects.filter(object_type="criteria_version", object_id=str(version.pk))
    return rows.filter(action=action) if action else rows


def rule(document, rule_id):
    return next(r for r in document["rules"] if r["id"] == rule_id)


@pytest.fixture
def published(db):
    return CriteriaVersion.objects.get(status="published")


@pytest.fixture
def draft(admin_user, published):
    return criteria_draft_create(actor=admin_user, note="Trying a change")


# --- drafts -------------------------------------------------------------------------------


def test_it_starts_a_draft_as_a_copy_of_the_published_version(draft, published, admin_user):
    assert draft.status == "draft"
    assert draft.version.startswith("draft-")
    assert draft.based_on == published
    assert draft.created_by == admin_user
    assert {k: v for k, v in draft.document.items() if k != "version"} == \
        {k: v for k, v in published.document.items() if k != "version"}
    assert draft.document["version"] == draft.version
    assert audit_rows(draft, "create").count() == 1


def test_it_takes_an_admin_chosen_name_and_refuses_a_taken_or_bad_one(admin_user, published):
    named = criteria_draft_create(actor=admin_user, version_name="2026-Spring")
    assert named.version == "2026-spring"
    with pytest.raises(VersionError, match="already exists"):
        criteria_draft_create(actor=admin_user, version_name="2026-spring")
    with pytest.raises(VersionError, match="lowercase letters"):
        criteria_draft_create(actor=admin_user, version_name="no spaces please")


def test_it_shows_the_name_error_next_to_the_field(admin_client_, published):
    admin_client_.post(reverse("criteria:new"), {"version": "taken-1"})
    response = admin_client_.post(reverse("criteria:new"), {"version": "taken-1",
                                                            "note": "keep me"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "already exists" in html and "keep me" in html


def test_it_starts_a_draft_from_the_list_page(admin_client_, published):
    response = admin_client_.post(reverse("criteria:new"), {"version": "", "note": ""})
    draft = CriteriaVersion.objects.get(status="draft")
    assert response.status_code == 302
    assert response["Location"] == reverse("criteria:version", args=[draft.pk])


def test_it_saves_an_edit_to_a_draft_with_an_audit_row(draft, admin_user):
    document = copy.deepcopy(draft.document)
    rule(document, "IOP-SYMPTOMS")["reason"] = "Symptoms at least moderate (reworded)."
    criteria_draft_update(version=draft, document=document, actor=admin_user, section="rules")
    draft.refresh_from_db()
    assert rule(draft.document, "IOP-SYMPTOMS")["reason"].endswith("(reworded).")
    change = audit_rows(draft, "change").get()
    assert change.actor == admin_user
    assert "rules/IOP-SYMPTOMS/reason" in change.detail["changes"]


def test_it_discards_a_draft(draft, admin_user):
    criteria_draft_discard(version=draft, actor=admin_user)
    assert not CriteriaVersion.objects.filter(pk=draft.pk).exists()
    assert audit_rows(draft, "change").filter(detail__discarded=True).exists()


# --- published versions never change ------------------------------------------------------


def test_it_never_changes_a_published_version_through_the_services(published, admin_user):
    document = copy.deepcopy(published.document)
    rule(document, "IOP-SYMPTOMS")["reason"] = "changed"
    with pytest.raises(VersionError, match="never changes"):
        criteria_draft_update(version=published, document=document, actor=admin_user)
    with pytest.raises(VersionError):
        criteria_draft_discard(version=published, actor=admin_user)
    with pytest.raises(VersionError):
        criteria_version_publish(version=published, actor=admin_user)
    published.refresh_from_db()
    assert rule(published.document, "IOP-SYMPTOMS")["reason"] != "changed"


def test_it_never_changes_a_published_version_through_the_model(published):
    published.document = {**published.document, "rules": []}
    with pytest.raises(PermissionError):
        published.save()
    with pytest.raises(PermissionError):
        CriteriaVersion.objects.filter(pk=published.pk).update(document={})
    fresh = CriteriaVersion.objects.get(pk=published.pk)
    fresh.status = "draft"
    with pytest.raises(PermissionError):
        fresh.save()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_it_never_changes_a_published_version_even_by_raw_sql(published):
    with pytest.raises(Exception, match="never changes"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE screening_criteriaversion SET document = '{}' WHERE id = %s",
                       [published.pk])
    published.refresh_from_db()
    assert published.document["rules"]


def test_it_refuses_edit_pages_of_a_published_version(admin_client_, published):
    rule_id = published.document["rules"][0]["id"]
    for url in (reverse("criteria:cutoffs", args=[published.pk]),
                reverse("criteria:rule", args=[published.pk, rule_id]),
                reverse("criteria:rule-new", args=[published.pk]),
                reverse("criteria:publish", args=[published.pk])):
        before = CriteriaVersion.objects.get(pk=published.pk).document
        response = admin_client_.post(url, {"reason": "x"}, follow=True)
        assert "never changes" in response.content.decode(), url
        assert CriteriaVersion.objects.get(pk=published.pk).document == before


# --- publishing -------------------------------------------------------------------------


def test_it_publishes_a_harmless_change_and_retires_the_old_version(draft, published,
                                                                     admin_user):
    document = copy.deepcopy(draft.document)
    rule(document, "IOP-SYMPTOMS")["reason"] = "Symptoms are at least moderate."
    criteria_draft_update(version=draft, document=document, actor=admin_user)

    criteria_version_publish(version=draft, actor=admin_user)

    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == "published" and draft.published_by == admin_user
    assert draft.published_at is not None
    assert published.status == "retired" and published.retired_at is not None
    assert CriteriaVersion.objects.filter(status="published").count() == 1
    assert audit_rows(draft, "publish").count() == 1
    assert audit_rows(published, "change").filter(detail__retired=True).count() == 1


def test_it_pins_new_recommendations_to_the_new_version_and_keeps_old_ones(
        draft, published, admin_user, patient):
    before = submitted_intake(patient)
    criteria_version_publish(version=draft, actor=admin_user)
    after = submitted_intake(patient)
    assert before.recommendation.criteria_version == published
    assert after.recommendation.criteria_version == draft


def test_it_refuses_to_publish_a_rule_that_lowers_the_level_for_high_suicide_risk(
        draft, published, admin_user, admin_client_, patient):
    document = copy.deepcopy(draft.document)
    rule(document, "IP-SUICIDE")["level"] = "iop"
    criteria_draft_update(version=draft, document=document, actor=admin_user)

    with pytest.raises(PublishRefused) as refused:
        criteria_version_publish(version=draft, actor=admin_user)
    assert any(p.startswith("An acute risk must always give inpatient care")
               for p in refused.value.problems)

    response = admin_client_.post(reverse("criteria:publish", args=[draft.pk]))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Publishing was refused" in html and "An acute risk must always give" in html
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == "draft" and published.status == "published"
    assert not audit_rows(draft, "publish").exists()
    # And the published criteria still send high suicide risk to inpatient.
    assert submitted_intake(patient, **HIGH_SUICIDE_RISK).recommended_level == "inpatient"


def test_it_publishes_from_the_page_and_says_so(admin_client_, draft, published):
    response = admin_client_.post(reverse("criteria:publish", args=[draft.pk]), follow=True)
    assert response.status_code == 200
    assert "is now the published version" in response.content.decode()
    assert CriteriaVersion.objects.get(status="published") == draft


def test_it_keeps_exactly_one_published_version_when_publishing_twice(admin_user, published):
    first = criteria_draft_create(actor=admin_user)
    second = criteria_draft_create(actor=admin_user)
    criteria_version_publish(version=first, actor=admin_user)
    criteria_version_publish(version=second, actor=admin_user)
    statuses = dict(CriteriaVersion.objects.values_list("version", "status"))
    assert statuses == {"default-1": "retired", published.version: "retired",
                        first.version: "retired", second.version: "published"}


def test_it_shows_the_rules_of_a_published_version_read_only(admin_client_, published):
    html = admin_client_.get(reverse("criteria:rules", args=[published.pk])).content.decode()
    assert "IP-SUICIDE" in html
    assert 'value="remove"' not in html and "Add a rule" not in html
    response = admin_client_.post(reverse("criteria:rules", args=[published.pk]),
                                  {"item": "IP-SUICIDE", "action": "remove"}, follow=True)
    assert "never changes" in response.content.decode()
    assert any(r["id"] == "IP-SUICIDE"
               for r in CriteriaVersion.objects.get(pk=published.pk).document["rules"])


def test_a_refused_publish_says_why_in_plain_words_each_reason_once(admin_client_, draft):
    document = copy.deepcopy(draft.document)
    document["rules"] = [r for r in document["rules"] if r["id"] != "IP-SUICIDE"]
    criteria_draft_update(version=draft, document=document, actor=draft.created_by)
    response = admin_client_.post(reverse("criteria:publish", args=[draft.pk]))
    assert response.status_code == 409
    html = response.content.decode()
    assert "SPEC" not in html and "§" not in html
    problems = response.context["problems"]
    assert problems and problems[0].startswith(
        "An acute risk must always give inpatient care and the urgent flag")
    reasons = [part.rsplit(" (", 1)[0] for part in problems[0].split(": ", 1)[1].split("; ")]
    assert len(reasons) == len(set(reasons))  # each reason once, with how many cases
    assert "test cases)" in problems[0]
    assert "IP-SUICIDE removed (it recommended inpatient when suicide risk is high)" in html
