"""The REST API: what an integration reads, how it is narrowed and paged, and what it costs
(audit, rate limit). Refusals by token and scope are in tests/foundation/test_access_matrix.py."""

import pytest
from django.utils import timezone

from api.models import ApiToken
from audit.models import AuditEvent
from intake.models import Intake
from review.services import intake_decide, intake_move
from tests.api.helpers import api_client, make_token
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, submitted_intake

pytestmark = pytest.mark.django_db


def test_it_lists_intakes_after_submit_oldest_first_without_names(reader, patient,
                                                                   other_patient):
    now = timezone.now()
    first = submitted_intake(patient, submitted_at=now - timezone.timedelta(hours=2))
    second = submitted_intake(other_patient, submitted_at=now - timezone.timedelta(hours=1))
    Intake.objects.create(patient=patient)  # a draft is not the clinic's yet
    response = reader.get("/api/v1/intakes/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [first.pk, second.pk]
    row = response.json()["results"][0]
    assert row["number"] == first.number and row["state"] == "submitted"
    assert row["recommended_level"] == "outpatient" and row["flags"] == []
    body = response.content.decode()
    for secret in (patient.full_name, patient.email, other_patient.email):
        assert secret not in body
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]


def test_the_filters_narrow_by_state_level_flag_and_date(reader, patient, other_patient,
                                                         clinician):
    day = timezone.now().replace(year=2026, month=3, day=10, hour=15)
    urgent = submitted_intake(patient, submitted_at=day, **HIGH_SUICIDE_RISK)
    iop = submitted_intake(other_patient, submitted_at=day + timezone.timedelta(days=2),
                           **MODERATE_DEPRESSION)
    intake_move(intake=iop, to_state=Intake.Status.IN_REVIEW, actor=clinician)

    def ids(query):
        response = reader.get("/api/v1/intakes/?" + query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids("state=in_review") == [iop.pk]
    assert ids("level=inpatient") == [urgent.pk]
    assert ids("flag=urgent") == [urgent.pk]
    assert ids("submitted_from=2026-03-11") == [iop.pk]
    assert ids("submitted_to=2026-03-10") == [urgent.pk]
    assert ids("submitted_from=2026-03-10&submitted_to=2026-03-12") == [urgent.pk, iop.pk]


@pytest.mark.parametrize("query, field", [
    ("state=draft", "state"), ("level=detox", "level"), ("flag=Pat%20Patient", "flag"),
    ("submitted_from=9999-12-31", "submitted_from"), ("submitted_from=yesterday",
                                                       "submitted_from"),
    ("submitted_from=2026-03-12&submitted_to=2026-03-10", "submitted_to"),
    ("email=pat%40example.com", "email"), ("q=Pat", "q"),
])
def test_a_bad_filter_is_a_400_naming_it(reader, query, field):
    response = reader.get("/api/v1/intakes/?" + query)
    assert response.status_code == 400
    assert field in response.json()


def test_pages_follow_the_cursor_without_skipping_or_repeating(reader, patient):
    start = timezone.now() - timezone.timedelta(days=1)
    made = [submitted_intake(patient, submitted_at=start + timezone.timedelta(minutes=n)).pk
            for n in range(5)]
    seen, url = [], "/api/v1/intakes/?page_size=2"
    while url:
        page = reader.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == made
    assert "cursor=" in reader.get("/api/v1/intakes/?page_size=2").json()["next"]


def test_one_intake_has_its_answers_recommendation_and_decision(reader, patient, clinician):
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)
    intake_move(intake=intake, to_state=Intake.Status.IN_REVIEW, actor=clinician)
    intake_decide(intake=intake, actor=clinician, indicated_level="iop")
    body = reader.get(f"/api/v1/intakes/{intake.pk}/").json()
    assert body["answers"]["phq9"] == MODERATE_DEPRESSION["phq9"]
    recommendation = body["recommendation"]
    assert recommendation["level"] == "iop"
    assert recommendation["criteria_version"] == intake.recommendation.criteria_version.version
    assert recommendation["scores"]["phq9"] == 14 and recommendation["bands"]["phq9"] == \
        "moderate"
    assert {"id", "level", "reason"} <= set(recommendation["reasons"][0])
    assert recommendation["flag_reasons"] == intake.recommendation.flag_reasons
    assert body["decision"]["accepted"] is True and body["decision"]["start_level"] == "iop"
    assert reader.get(f"/api/v1/intakes/{intake.pk}/recommendation/").json() == \
        recommendation
    assert reader.get(f"/api/v1/intakes/{intake.pk}/decision/").json()["indicated_level"] == \
        "iop"


def test_a_draft_or_undecided_intake_is_not_found(reader, patient):
    draft = Intake.objects.create(patient=patient)
    assert reader.get(f"/api/v1/intakes/{draft.pk}/").status_code == 404
    intake = submitted_intake(patient=patient.__class__.objects.create_user(
        email="x@example.com", full_name="X"))
    assert reader.get(f"/api/v1/intakes/{intake.pk}/decision/").status_code == 404


def test_criteria_versions_and_programs_are_listed(reader):
    versions = reader.get("/api/v1/criteria-versions/").json()
    published = [v for v in versions if v["status"] == "published"]
    assert len(published) == 1 and "rules" in published[0]["document"]
    assert reader.get(f"/api/v1/criteria-versions/{published[0]['id']}/").json()["version"] \
        == published[0]["version"]
    assert reader.get("/api/v1/programs/").status_code == 200


def test_every_call_is_audited_with_its_token_and_the_intakes_it_showed(admin_user, patient):
    token = make_token(admin_user, name="Reports")
    row = ApiToken.objects.get(name="Reports")
    intake = submitted_intake(patient)
    client = api_client(token)
    client.get("/api/v1/intakes/")
    client.get(f"/api/v1/intakes/{intake.pk}/")
    listed, opened = AuditEvent.objects.order_by("-id")[:2][::-1]
    assert listed.object_type == "intake_list" and listed.detail == {
        "api_token": row.pk, "intakes": [intake.pk]}
    assert opened.action == "view" and opened.intake_id == intake.pk
    assert opened.detail == {"api_token": row.pk} and opened.actor is None
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_calls_beyond_the_tokens_rate_are_refused_with_429(settings, admin_user):
    settings.API_RATE = "3/min"
    first, second = api_client(make_token(admin_user)), api_client(make_token(admin_user))
    assert [first.get("/api/v1/programs/").status_code for _ in range(4)] == [200] * 3 + [429]
    # Counted per token: another integration is not slowed by the first one.
    assert second.get("/api/v1/programs/").status_code == 200


def test_only_a_hash_of_the_token_is_stored(admin_user):
    token = make_token(admin_user, name="EHR")
    row = ApiToken.objects.get(name="EHR")
    assert token not in (row.key_hash, row.prefix) and len(row.key_hash) == 64
    assert token.startswith(row.prefix)
