"""Only admins reach the criteria editor: anonymous people sign in, everyone else gets 403."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from screening.models import CriteriaVersion, ReplayRun
from screening.versions import criteria_draft_create


@pytest.fixture
def draft(admin_user):
    return criteria_draft_create(actor=admin_user, version_name="draft-access")


@pytest.fixture
def run(draft, admin_user):
    return ReplayRun.objects.create(version=draft, started_by=admin_user,
                                    status=ReplayRun.Status.DONE)


def editor_urls(draft, run) -> list[tuple[str, str]]:
    rule_id = draft.document["rules"][0]["id"]
    flag_id = draft.document["flags"][0]["id"]
    return [
        ("get", reverse("criteria:list")),
        ("post", reverse("criteria:new")),
        ("get", reverse("criteria:diff") + f"?a={draft.based_on_id}&b={draft.pk}"),
        ("get", reverse("criteria:version", args=[draft.pk])),
        ("get", reverse("criteria:export", args=[draft.pk])),
        ("post", reverse("criteria:discard", args=[draft.pk])),
        ("get", reverse("criteria:cutoffs", args=[draft.pk])),
        ("post", reverse("criteria:cutoffs", args=[draft.pk])),
        ("get", reverse("criteria:rules", args=[draft.pk])),
        ("post", reverse("criteria:rules", args=[draft.pk])),
        ("get", reverse("criteria:rule-new", args=[draft.pk])),
        ("get", reverse("criteria:rule", args=[draft.pk, rule_id])),
        ("post", reverse("criteria:rule", args=[draft.pk, rule_id])),
        ("get", reverse("criteria:flags", args=[draft.pk])),
        ("get", reverse("criteria:flag-new", args=[draft.pk])),
        ("get", reverse("criteria:flag", args=[draft.pk, flag_id])),
        ("get", reverse("criteria:preview", args=[draft.pk])),
        ("post", reverse("criteria:replay-new", args=[draft.pk])),
        ("get", reverse("criteria:replay", args=[draft.pk, run.pk])),
        ("get", reverse("criteria:replay-progress", args=[draft.pk, run.pk])),
        ("get", reverse("criteria:publish", args=[draft.pk])),
        ("post", reverse("criteria:publish", args=[draft.pk])),
    ]


def test_it_sends_anonymous_people_to_sign_in_on_every_editor_url(anon_client, draft, run):
    for method, url in editor_urls(draft, run):
        response = getattr(anon_client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_it_refuses_patients_and_clinicians_on_every_editor_url(patient_client, clinician_client,
                                                                draft, run):
    for client in (patient_client, clinician_client):
        for method, url in editor_urls(draft, run):
            assert getattr(client, method)(url).status_code == 403, url
    # Nothing was changed, published, discarded or replayed by them.
    draft.refresh_from_db()
    assert draft.status == CriteriaVersion.Status.DRAFT
    assert ReplayRun.objects.count() == 1
    assert CriteriaVersion.objects.count() == 3  # default-1 (retired), default-2, the draft


def test_it_opens_every_editor_page_for_an_admin(admin_client_, draft, run):
    for method, url in editor_urls(draft, run):
        if method == "get":
            assert admin_client_.get(url).status_code == 200, url


def test_it_sends_staff_without_the_second_factor_to_it(admin_user, draft):
    from tests.conftest import signed_in

    client = signed_in(admin_user, verified=False)
    response = client.get(reverse("criteria:version", args=[draft.pk]))
    assert response.status_code == 302
    assert "/2fa" in response["Location"] or "2fa" in response["Location"]


def test_it_answers_404_for_an_unknown_version_or_replay(admin_client_, draft, run):
    assert admin_client_.get(reverse("criteria:version", args=[99999])).status_code == 404
    other = criteria_draft_create(actor=None, version_name="draft-other")
    url = reverse("criteria:replay", args=[other.pk, run.pk])  # run belongs to another draft
    assert admin_client_.get(url).status_code == 404


def test_opening_a_replay_that_lists_intakes_is_audited(admin_client_, admin_user, draft, run):
    ReplayRun.objects.filter(pk=run.pk).update(
        moved=[{"intake_id": 7, "from": "iop", "to": "outpatient"}], moved_total=1)
    assert admin_client_.get(reverse("criteria:replay", args=[draft.pk, run.pk])).status_code == 200
    event = AuditEvent.objects.get(object_type="replay_run")
    assert (event.actor, event.action, event.object_id) == (admin_user, "view", str(run.pk))
    assert event.detail == {"intakes_listed": 1}
