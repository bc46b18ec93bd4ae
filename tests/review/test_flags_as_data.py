"""The queue's flag filter and badges take flags from the criteria, not from a list in the
code: a flag an admin adds is offered in the filter once published, and each badge says
what the flag meant in the criteria pinned to that intake."""

import copy

import pytest
from django.urls import reverse

from screening.selectors import criteria_version_published
from screening.versions import (
    criteria_draft_create,
    criteria_draft_update,
    criteria_version_publish,
)
from tests.factories import MODERATE_DEPRESSION, submitted_intake

pytestmark = pytest.mark.django_db

QUEUE = reverse("review:queue")
POOR_SLEEP_REASON = "PHQ-9 of 10 or more: ask about sleep at the first session."


def _publish_with_new_flag(admin_user, reason: str = POOR_SLEEP_REASON):
    draft = criteria_draft_create(actor=admin_user, version_name=f"with-flag-{len(reason)}")
    document = copy.deepcopy(draft.document)
    document["flags"] = [flag for flag in document["flags"] if flag["id"] != "sleep_followup"]
    document["flags"].append({"id": "sleep_followup", "reason": reason,
                              "when": {"fact": "score.phq9", "op": "gte", "value": 10}})
    criteria_draft_update(version=draft, document=document, actor=admin_user)
    return criteria_version_publish(version=draft, actor=admin_user)


def _filter_choices(response) -> list[str]:
    return [value for value, _ in response.context["form"].fields["flag"].choices]


def test_a_flag_an_admin_adds_appears_in_the_queue_filter(clinician_client, admin_user,
                                                          patient):
    before = submitted_intake(patient, **MODERATE_DEPRESSION)
    assert "sleep_followup" not in _filter_choices(clinician_client.get(QUEUE))

    _publish_with_new_flag(admin_user)
    flagged = submitted_intake(patient, **MODERATE_DEPRESSION)
    assert "sleep_followup" in flagged.recommendation.flags
    response = clinician_client.get(QUEUE, {"flag": "sleep_followup"})
    assert "sleep_followup" in _filter_choices(response)
    assert not response.context["form"].errors
    rows = response.context["rows"]
    assert [row["intake"].pk for row in rows] == [flagged.pk]  # not the intake from before
    assert before.pk not in [row["intake"].pk for row in rows]
    html = response.content.decode()
    assert f'title="{POOR_SLEEP_REASON}"' in html and ">Sleep followup</span>" in html
    # Every flag the published criteria can raise is offered, and only those.
    published = criteria_version_published().document
    assert _filter_choices(response) == [""] + [flag["id"] for flag in published["flags"]]


def test_a_badge_says_what_the_flag_meant_in_the_criteria_pinned_to_the_intake(
        clinician_client, admin_user, patient):
    _publish_with_new_flag(admin_user)
    pinned = submitted_intake(patient, **MODERATE_DEPRESSION)
    _publish_with_new_flag(admin_user, reason="Reworded later: sleep problems, ask early.")
    html = clinician_client.get(QUEUE, {"flag": "sleep_followup"}).content.decode()
    assert f'title="{POOR_SLEEP_REASON}"' in html
    assert "Reworded later" not in html
    page = clinician_client.get(reverse("review:intake", args=[pinned.pk])).content.decode()
    assert POOR_SLEEP_REASON in page and "Reworded later" not in page


def test_a_flag_not_in_the_published_criteria_is_refused_in_words(clinician_client, patient):
    submitted_intake(patient)
    response = clinician_client.get(QUEUE, {"flag": "made_up"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
