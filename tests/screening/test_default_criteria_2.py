"""The data migrations of SPEC v2: default-2 published over default-1, or offered as a draft
to a site that published its own criteria; flag reasons filled in from each result's own
version. The migration functions run on rows prepared for each case."""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps

from screening.models import CriteriaVersion, Recommendation
from tests.factories import HIGH_SUICIDE_RISK, submitted_intake

pytestmark = pytest.mark.django_db

CRITERIA = Path(__file__).resolve().parents[2] / "screening" / "criteria"
publish_default_2 = importlib.import_module(
    "screening.migrations.0006_default_criteria_2").publish_default_2
fill_flag_reasons = importlib.import_module(
    "screening.migrations.0005_recommendation_flag_reasons").fill_flag_reasons


def shipped(name: str) -> dict:
    return json.loads((CRITERIA / f"{name}.json").read_text())


def site_before_spec_v2(*, own_version: str | None = None) -> CriteriaVersion:
    """The criteria rows of a site that has not run 0006: default-1, published unless the
    admins published `own_version`. Returns default-1."""
    CriteriaVersion.objects.all().delete()  # nothing is pinned to them in a fresh test
    if own_version is None:
        return CriteriaVersion.objects.create(version="default-1", status="published",
                                              document=shipped("default-1"))
    default_1 = CriteriaVersion.objects.create(version="default-1", status="retired",
                                               document=shipped("default-1"))
    own = {**shipped("default-1"), "version": own_version}
    own["bands"]["phq9"]["moderate"] = 9
    CriteriaVersion.objects.create(version=own_version, status="published", document=own,
                                   based_on=default_1)
    return default_1


def test_a_migrated_database_has_default_2_published_and_default_1_retired():
    default_1 = CriteriaVersion.objects.get(version="default-1")
    default_2 = CriteriaVersion.objects.get(version="default-2")
    assert default_1.status == "retired" and default_1.retired_at
    assert default_2.status == "published" and default_2.published_at
    assert default_2.document == shipped("default-2") and default_2.based_on == default_1


def test_where_default_1_is_published_default_2_replaces_it_and_old_results_stay_pinned(
        patient):
    default_1 = site_before_spec_v2()
    before = submitted_intake(patient, **HIGH_SUICIDE_RISK).recommendation
    publish_default_2(apps, None)
    default_1.refresh_from_db()
    assert default_1.status == "retired" and default_1.retired_at
    assert CriteriaVersion.objects.get(status="published").version == "default-2"
    before.refresh_from_db()
    assert before.criteria_version == default_1 and before.level == "inpatient"
    after = submitted_intake(patient).recommendation
    assert after.criteria_version.version == "default-2"


def test_where_the_admins_published_their_own_version_default_2_arrives_as_a_draft(patient):
    default_1 = site_before_spec_v2(own_version="clinic-2026")
    pinned = submitted_intake(patient).recommendation
    publish_default_2(apps, None)
    default_2 = CriteriaVersion.objects.get(version="default-2")
    assert default_2.status == "draft" and default_2.document == shipped("default-2")
    assert "clinic-2026" in default_2.note
    assert CriteriaVersion.objects.get(status="published").version == "clinic-2026"
    default_1.refresh_from_db()
    assert default_1.status == "retired"
    pinned.refresh_from_db()
    assert pinned.criteria_version.version == "clinic-2026"


def test_it_adds_default_2_once():
    site_before_spec_v2()
    publish_default_2(apps, None)
    publish_default_2(apps, None)
    assert CriteriaVersion.objects.filter(version="default-2").count() == 1
    assert CriteriaVersion.objects.filter(status="published").count() == 1


def test_stored_results_get_their_flag_reasons_from_their_own_version(patient):
    default_1 = site_before_spec_v2()
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    Recommendation.objects.filter(pk=intake.recommendation.pk).update(flag_reasons=[])
    publish_default_2(apps, None)
    newer = submitted_intake(patient, phq9=[0, 0, 0, 0, 0, 0, 0, 0, 1]).recommendation
    Recommendation.objects.filter(pk=newer.pk).update(flag_reasons=[])
    fill_flag_reasons(apps, None)
    words_1 = {f["id"]: f["reason"] for f in default_1.document["flags"]}
    words_2 = {f["id"]: f["reason"] for f in shipped("default-2")["flags"]}
    old = Recommendation.objects.get(pk=intake.recommendation.pk)
    assert old.flag_reasons == [{"id": "urgent", "reason": words_1["urgent"]},
                                {"id": "safety_followup", "reason": words_1["safety_followup"]}]
    newer.refresh_from_db()
    assert newer.flags == ["safety_followup", "safety_discordant"]
    assert newer.flag_reasons == [{"id": flag, "reason": words_2[flag]} for flag in newer.flags]
    assert words_1["safety_followup"] != words_2["safety_followup"]
