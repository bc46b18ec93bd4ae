"""The intake page: answers, scores, reasons, flags, version, history; deciding through it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from intake.models import Intake
from review.models import Decision, Note
from review.services import intake_move
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, submitted_intake


@pytest.fixture
def intake(patient):
    return submitted_intake(patient, **MODERATE_DEPRESSION)


def url(name, intake):
    return reverse(f"review:{name}", args=[intake.pk])


def test_it_shows_answers_scores_reasons_flags_and_version(clinician_client, intake):
    html = clinician_client.get(url("intake", intake)).content.decode()
    recommendation = intake.recommendation
    assert f"Intake {intake.number}" in html
    assert "Pat Patient" in html and "pat@example.com" in html
    assert recommendation.get_level_display() in html
    assert recommendation.reasons  # the engine explained itself
    for reason in recommendation.reasons:
        assert reason["reason"] in html and reason["id"] in html
    assert "Safety follow-up" in html  # PHQ-9 item 9 answered 1
    assert recommendation.criteria_version.version in html
    assert "PHQ-9" in html and "14 of 27" in html and "Moderate" in html
    assert "Mood (PHQ-9, past 2 weeks)" in html and "Safety (C-SSRS screener" in html
    assert "Better off dead or self-harm thoughts" in html


def test_it_writes_one_audit_row_per_view(clinician_client, clinician, intake):
    before = AuditEvent.objects.count()
    clinician_client.get(url("intake", intake))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.action, event.object_type, event.intake_id) == (
        clinician, "view", "intake", intake.pk)
    assert event.ip_address == "127.0.0.1" and event.actor_role == "clinician"


def test_it_shows_the_history_from_the_audit_log(clinician_client, clinician, intake):
    intake_move(intake=intake, to_state="in_review", actor=clinician)
    response = clinician_client.get(url("intake", intake))
    assert [e.action for e in response.context["history"]] == ["view", "state"]
    assert "Casey Clinician (clinician): moved state submitted &rarr; in_review" in (
        response.content.decode())


def test_it_sets_first_opened_when_a_clinician_opens_it(clinician_client, patient):
    urgent = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    clinician_client.get(url("intake", urgent))
    urgent.refresh_from_db()
    assert urgent.first_opened_at is not None


def test_it_walks_submitted_to_closed_through_the_page(clinician_client, clinician, intake):
    response = clinician_client.post(url("move", intake), {"to_state": "in_review"})
    assert response.status_code == 302
    page = clinician_client.get(url("intake", intake))
    assert page.context["can_decide"]
    response = clinician_client.post(url("decide", intake), {
        "outcome": "override", "indicated_level": "inpatient",
        "reason_code": "clinical_judgement", "reason_text": "Rapid decline this week.",
        "next_steps": "We will call you today to arrange admission."})
    assert response.status_code == 302
    decision = Decision.objects.get(intake=intake)
    assert (decision.accepted, decision.indicated_level, decision.decided_by) == (
        False, "inpatient", clinician)
    html = clinician_client.get(url("intake", intake)).content.decode()
    assert "Overridden" in html and "Rapid decline this week." in html
    assert clinician_client.post(url("move", intake), {"to_state": "closed"}).status_code == 302
    intake.refresh_from_db()
    assert intake.status == Intake.Status.CLOSED and intake.decided_level == "inpatient"


def test_it_refuses_an_override_without_a_reason_keeping_what_was_typed(clinician_client,
                                                                        clinician, intake):
    intake_move(intake=intake, to_state="in_review", actor=clinician)
    response = clinician_client.post(url("decide", intake), {
        "outcome": "override", "indicated_level": "outpatient", "reason_code": "",
        "reason_text": "", "next_steps": "Weekly therapy with Dr Lee."})
    assert response.status_code == 400
    form = response.context["decide_form"]
    assert "An override needs a reason: choose one." in form.errors["reason_code"]
    assert "An override needs a few words on why." in form.errors["reason_text"]
    assert "Weekly therapy with Dr Lee." in response.content.decode()
    assert not Decision.objects.exists()


def test_it_refuses_an_override_to_the_recommended_level(clinician_client, clinician, intake):
    intake_move(intake=intake, to_state="in_review", actor=clinician)
    response = clinician_client.post(url("decide", intake), {
        "outcome": "override", "indicated_level": "iop", "reason_code": "other",
        "reason_text": "x"})
    assert response.status_code == 400
    assert "That is the recommended level" in response.context["decide_form"].errors[
        "indicated_level"][0]


def test_it_accepts_the_recommendation_in_one_click(clinician_client, clinician, intake):
    intake_move(intake=intake, to_state="in_review", actor=clinician)
    response = clinician_client.post(url("decide", intake), {"outcome": "accept"},
                                     follow=True)
    assert "recommendation accepted" in response.content.decode()
    assert Decision.objects.get(intake=intake).accepted


def test_it_refuses_to_decide_before_the_review_starts(clinician_client, intake):
    response = clinician_client.post(url("decide", intake), {"outcome": "accept"})
    assert response.status_code == 400
    assert page_messages(response) == [
        "Start the review before deciding: only an intake in review can be decided."]
    assert not Decision.objects.exists()


def page_messages(response) -> list[str]:
    """The messages shown at the top of the page (not the form's own errors)."""
    return [str(message) for message in response.context["messages"]]


def test_a_second_decision_is_refused_with_a_message_and_the_typed_reason_back(
        clinician_client, clinician, other_clinician, intake):
    from tests.conftest import signed_in

    intake_move(intake=intake, to_state="in_review", actor=clinician)
    other_client = signed_in(other_clinician)
    # Both have the page open with the form; A accepts first.
    assert other_client.get(url("intake", intake)).context["can_decide"]
    assert clinician_client.post(url("decide", intake),
                                 {"outcome": "accept"}).status_code == 302
    decided_at = timezone.localtime(Decision.objects.get().decided_at)
    # B overrides with a reason, from the form still open on their screen.
    response = other_client.post(url("decide", intake), {
        "outcome": "override", "indicated_level": "inpatient",
        "reason_code": "clinical_judgement", "reason_text": "Lives alone, rapid decline.",
        "next_steps": "Call Dr Lee."})
    assert response.status_code == 400
    shown = page_messages(response)
    assert shown[0] == (f"This intake has already been decided (by Casey Clinician at "
                        f"{decided_at:%Y-%m-%d %H:%M}); your decision was not recorded.")
    assert "Lives alone, rapid decline." in shown[1] and "Call Dr Lee." in shown[1]
    html = response.content.decode()
    assert "already been decided (by Casey Clinician" in html
    assert "Lives alone, rapid decline." in html
    assert "decide-form" not in html  # the decision is shown instead of the form
    assert Decision.objects.get().decided_by == clinician


def test_a_decision_refused_as_invalid_on_a_decided_intake_is_not_silent(
        clinician_client, clinician, intake):
    intake_move(intake=intake, to_state="in_review", actor=clinician)
    clinician_client.post(url("decide", intake), {"outcome": "accept"}, follow=True)
    # An override with no reason on an intake already decided: the state comes first.
    response = clinician_client.post(url("decide", intake), {
        "outcome": "override", "indicated_level": "inpatient",
        "reason_text": "Second thoughts."})
    assert response.status_code == 400
    shown = page_messages(response)
    assert "already been decided" in shown[0] and "Second thoughts." in shown[1]


def test_it_words_a_missing_reason_for_a_different_start_level(clinician_client, clinician,
                                                               intake):
    intake_move(intake=intake, to_state="in_review", actor=clinician)
    response = clinician_client.post(url("decide", intake), {
        "outcome": "accept", "start_level": "outpatient"})
    assert response.status_code == 400
    errors = response.context["decide_form"].errors
    assert errors["reason_code"] == [
        "A start level other than the indicated one needs a reason: choose one."]
    assert errors["reason_text"] == [
        "A start level other than the indicated one needs a few words on why."]


def test_it_reports_a_refused_move(clinician_client, intake):
    response = clinician_client.post(url("move", intake), {"to_state": "closed"}, follow=True)
    assert "cannot move to closed" in response.content.decode()
    response = clinician_client.post(url("move", intake), {"to_state": "bogus"}, follow=True)
    assert "not a state" in response.content.decode()
    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED


def test_it_assigns_and_takes_notes_through_the_page(clinician_client, other_clinician,
                                                     intake):
    response = clinician_client.post(url("assign", intake),
                                     {"assignee": str(other_clinician.pk)}, follow=True)
    assert "assigned to Drew Doctor" in response.content.decode()
    intake.refresh_from_db()
    assert intake.assigned_to == other_clinician
    bad = clinician_client.post(url("assign", intake), {"assignee": "99999"})
    assert bad.status_code == 400
    response = clinician_client.post(url("note", intake), {"text": "Prefers evenings."},
                                     follow=True)
    assert "Prefers evenings." in response.content.decode()
    empty = clinician_client.post(url("note", intake), {"text": "   "})
    assert empty.status_code == 400
    assert Note.objects.count() == 1


def test_it_prints_the_intake_and_records_the_print(clinician_client, clinician, intake):
    response = clinician_client.get(url("print", intake))
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-print" in html and "Confidential" in html
    assert intake.recommendation.reasons[0]["reason"] in html
    assert AuditEvent.objects.filter(intake_id=intake.pk, action="print",
                                     actor=clinician).count() == 1


def test_it_shows_admins_the_intake_without_decision_controls(admin_client_, clinician,
                                                             intake):
    intake_move(intake=intake, to_state="in_review", actor=clinician)
    response = admin_client_.get(url("intake", intake))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Record the decision" not in html and "Save the note" not in html


# Auth (4), no save of the session (the idle stamp is written at most once a minute); the
# intake with its patient, assignee, recommendation, version and decision in one join; the
# audit row in its savepoint (3); the clinicians for the assign form (1, by the clinician
# group's id kept in the process: review.selectors.clinicians_active); the history; the notes; the contact log; the
# staff banner's two checks in one query (who is on call, undelivered urgent alerts); on the intake page the
# programs for the decision form; the open programs ranked for the person (their sessions in
# one more query, when there are any: tests/review/test_after_decision.py checks the count
# stays fixed as they grow).
@pytest.mark.parametrize(("name", "queries"), [("intake", 16), ("print", 15)])
def test_it_runs_a_fixed_number_of_queries(clinician_client, clinician, intake, name, queries,
                                           django_assert_num_queries):
    intake_move(intake=intake, to_state="in_review", actor=clinician)
    clinician_client.get(url(name, intake))
    with django_assert_num_queries(queries):
        clinician_client.get(url(name, intake))


# Severe depression (PHQ-9 20) with limited support: inpatient by IP-SEVERE-FRAGILE alone.
SEVERE_LIMITED_SUPPORT = {"phq9": [3, 3, 3, 3, 3, 3, 1, 1, 0], "support": "limited"}


@pytest.mark.parametrize("name", ["intake", "print"])
def test_it_shows_what_would_change_the_level_beside_the_reasons(clinician_client, patient,
                                                                  name):
    intake = submitted_intake(patient, **SEVERE_LIMITED_SUPPORT)
    assert intake.recommendation.level == "inpatient"
    html = clinician_client.get(url(name, intake)).content.decode()
    reasons, changes = html.index('class="list-group mb-3 reasons"'), html.index(
        "What would change the level")
    assert reasons < changes < html.index("Flags</h3>")
    assert "Lower level: changing one answer" in html
    assert "IOP if support were adequate (now limited)" in html
    assert ("IOP if the depression score (PHQ-9) were in the moderately severe band "
            "(15\u201319; now 20, severe)") in html
    assert "it is not advice to the person" in html
    assert "Safety answer" not in html  # neither way goes through a safety answer


def test_a_way_through_a_safety_answer_is_marked(clinician_client, patient):
    intake = submitted_intake(patient, **HIGH_SUICIDE_RISK)
    html = clinician_client.get(url("intake", intake)).content.decode()
    assert "IOP if suicide risk were moderate (now high)" in html
    assert 'level-change level-change-safety' in html and "level-change-safety-note" in html


def test_the_person_never_sees_what_would_change_the_level(client, patient):
    intake = submitted_intake(patient, **SEVERE_LIMITED_SUPPORT)
    client.force_login(patient)
    for path in (reverse("intake:home"), reverse("intake:status", args=[intake.pk]),
                 reverse("intake:answers", args=[intake.pk])):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "What would change the level" not in html and "support were adequate" not in html


def test_it_says_so_rather_than_explain_another_level(clinician_client, patient):
    # A recommendation stored at another level than the engine now gives these answers
    # (as after a scoring change): the search would not explain the level shown.
    intake = submitted_intake(patient, **SEVERE_LIMITED_SUPPORT)
    intake.recommendation.level = "iop"
    intake.recommendation.save(update_fields=["level"])
    html = clinician_client.get(url("intake", intake)).content.decode()
    assert "Not shown: screening these answers again under this version gives Inpatient" in html
    assert "support were adequate" not in html
