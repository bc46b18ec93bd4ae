"""Measurement-based care (SPEC §8b): a person who started a program is invited to re-screen,
reminded, marked missed; the re-screen asks PHQ-9, GAD-7, the instruments positive at intake
and the safety questions, carries the rest over to confirm, is screened like an intake, and
suggests continue, step down or step up for a clinician to accept or override."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from care.invitations import rescreen_sweep
from care.models import RescreenInvitation, Suggestion
from intake.models import Intake
from review.clocks import SAFETY, URGENT, deadline
from review.decisions import intake_decide
from review.models import Notification, OutcomeEvent, Program
from review.notifications import notification_send
from review.outcomes import OutcomeDetails, outcome_record
from review.services import intake_move
from tests.conftest import signed_in
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, submitted_intake
from tests.intake.helpers import sign, step_data

S = Intake.Status
WELL_PHQ9 = [0] * 9
SEVERE_PHQ9 = [3, 3, 3, 3, 3, 2, 2, 2, 2]


@pytest.fixture
def program(db):
    return Program.objects.create(name="Evening IOP", level="iop", rescreen_every_weeks=2)


@pytest.fixture
def started(patient, clinician, program):
    """An intake recommending IOP, decided, scheduled and started 15 days ago."""
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)
    intake_move(intake=intake, to_state=S.IN_REVIEW, actor=clinician)
    intake_decide(intake=intake, actor=clinician, indicated_level="iop", program=program)
    outcome_record(intake=intake, actor=clinician, move="schedule", details=OutcomeDetails(
        program=program, first_session_at=timezone.now() - timedelta(days=15)))
    outcome_record(intake=intake, actor=clinician, move="start", details=OutcomeDetails())
    OutcomeEvent.objects.filter(decision__intake=intake, outcome="started").update(
        recorded_at=timezone.now() - timedelta(days=15))
    return Intake.objects.get(pk=intake.pk)


def _kinds(kind):
    return Notification.objects.filter(kind=kind)


# --- invitations ---------------------------------------------------------------------------


def test_it_invites_once_every_n_weeks_from_the_start(started):
    now = timezone.now()
    assert rescreen_sweep(now=now).invited == 1
    assert rescreen_sweep(now=now).invited == 0  # idempotent: a second run invites nobody
    invitation = RescreenInvitation.objects.get(intake=started)
    assert invitation.number == 1
    assert _kinds(Notification.Kind.RESCREEN_DUE).count() == 1
    # Two weeks later, the second; the first (never answered) is missed by then.
    count = rescreen_sweep(now=now + timedelta(weeks=2))
    assert count.invited == 1
    assert [(i.number, i.missed_at is None) for i in
            RescreenInvitation.objects.filter(intake=started)] == [(1, False), (2, True)]


def test_an_interval_changed_in_the_middle_of_care_invites_on_the_new_one(started, program):
    # Invited at 2 and 4 weeks; then the program moves to every 4 weeks. Counted from the
    # start, week 6 and week 8 would both fall on invitations already sent (numbers 1 and 2
    # at 4-week steps), and the person would wait until week 12: counted from the last
    # invitation, the next comes 4 weeks after it.
    now = timezone.now()
    rescreen_sweep(now=now)
    rescreen_sweep(now=now + timedelta(weeks=2))
    last_due = RescreenInvitation.objects.get(intake=started, number=2).due_at
    program.rescreen_every_weeks = 4
    program.save()
    assert rescreen_sweep(now=last_due + timedelta(weeks=4) - timedelta(hours=1)).invited == 0
    assert rescreen_sweep(now=last_due + timedelta(weeks=4, hours=1)).invited == 1
    third = RescreenInvitation.objects.get(intake=started, number=3)
    assert third.due_at == last_due + timedelta(weeks=4)


def test_nobody_is_invited_before_n_weeks_or_without_starting(started, program):
    program.rescreen_every_weeks = 4
    program.save()
    assert rescreen_sweep().invited == 0


def test_the_mail_is_a_link_only_in_the_persons_language(started, patient):
    patient.language = "es"
    patient.save()
    rescreen_sweep()
    notification_send(notification_id=_kinds(Notification.Kind.RESCREEN_DUE).get().pk)
    message = mail.outbox[-1]
    assert message.to == [patient.email]
    assert reverse("intake:home") in message.body
    assert "PHQ" not in message.body and "iop" not in message.body.lower()
    assert "988" in message.body
    assert message.subject != "Time for your check-in"  # translated


def test_a_reminder_after_3_days_then_missed_after_7(started):
    now = timezone.now()
    rescreen_sweep(now=now)
    assert rescreen_sweep(now=now + timedelta(days=2)).reminded == 0
    assert rescreen_sweep(now=now + timedelta(days=3, minutes=1)).reminded == 1
    assert rescreen_sweep(now=now + timedelta(days=4)).reminded == 0
    assert _kinds(Notification.Kind.RESCREEN_REMINDER).count() == 1
    due_at = RescreenInvitation.objects.get().due_at
    assert rescreen_sweep(now=due_at + timedelta(days=7, minutes=1)).missed == 1


def test_missed_re_screens_show_on_the_clinicians_page(started, clinician):
    now = timezone.now()
    rescreen_sweep(now=now)
    RescreenInvitation.objects.update(missed_at=now)
    html = signed_in(clinician).get(reverse("review:intake", args=[started.pk])).content.decode()
    assert "Missed re-screens" in html and "Re-screen 1" in html


# --- the re-screen -------------------------------------------------------------------------


def _rescreen(client, started, *, phq9, safety=None):
    """Start the invited re-screen and answer it as the person's browser would. Returns it."""
    invitation = RescreenInvitation.objects.filter(intake=started).order_by("-number").first()
    response = client.post(reverse("care:start", args=[invitation.pk]))
    assert response.status_code == 302
    rescreen = Intake.objects.get(follows=started, status=S.DRAFT)
    fresh = {"phq9": phq9, "gad7": [0] * 7,
             "cssrs": {"wish_dead": False, "suicidal_thoughts": False,
                       "behavior_lifetime": False}, "harm_to_others": "none",
             "dast10": [False] * 10, **(safety or {})}
    for slug in rescreen.asks:
        data = {"still_true": "on"} if slug == "confirm" else step_data(slug, fresh)
        response = client.post(reverse("intake:step", args=[rescreen.pk, slug]), data)
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
    response = sign(client, rescreen.pk)
    assert response.status_code == 302
    return Intake.objects.get(pk=rescreen.pk)


def test_a_re_screen_asks_the_tracked_and_positive_instruments_then_safety_then_confirm(
        started, patient):
    rescreen_sweep()
    client = signed_in(patient)
    assert "Start my check-in" in client.get(reverse("intake:home")).content.decode()
    invitation = RescreenInvitation.objects.get()
    response = client.post(reverse("care:start", args=[invitation.pk]))
    rescreen = Intake.objects.get(kind=Intake.Kind.RESCREEN)
    assert rescreen.follows == started
    assert rescreen.asks[:2] == ["mood", "anxiety"] and rescreen.asks[-2:] == ["safety",
                                                                                 "confirm"]
    assert response["Location"] == reverse("intake:step", args=[rescreen.pk, "mood"])
    # Asked again, never pre-filled; the rest carried over.
    assert "phq9" not in rescreen.answers and "cssrs" not in rescreen.answers
    assert rescreen.answers["housing"] == started.answers["housing"]
    # The confirm page shows what was carried over, each with a link to change it.
    page = client.get(reverse("intake:step", args=[rescreen.pk, "confirm"])).content.decode()
    assert reverse("intake:step", args=[rescreen.pk, "home"]) in page
    # A second start resumes the same re-screen where it was left.
    client.post(reverse("intake:step", args=[rescreen.pk, "mood"]),
                step_data("mood", {"phq9": WELL_PHQ9}))
    response = client.post(reverse("care:start", args=[invitation.pk]))
    assert response["Location"] == reverse("intake:step", args=[rescreen.pk, "anxiety"])
    assert Intake.objects.filter(kind=Intake.Kind.RESCREEN).count() == 1


def test_the_confirm_step_needs_the_tick(started, patient):
    rescreen_sweep()
    client = signed_in(patient)
    client.post(reverse("care:start", args=[RescreenInvitation.objects.get().pk]))
    rescreen = Intake.objects.get(kind=Intake.Kind.RESCREEN)
    response = client.post(reverse("intake:step", args=[rescreen.pk, "confirm"]), {})
    assert response.status_code == 400
    assert "Please tick to confirm" in response.content.decode()


def test_a_re_screen_is_screened_and_pinned_like_an_intake(started, patient, clinician):
    rescreen_sweep()
    rescreen = _rescreen(signed_in(patient), started, phq9=WELL_PHQ9)
    assert rescreen.status == S.SUBMITTED
    assert rescreen.recommendation.criteria_version.status == "published"
    assert rescreen.questionnaire_version
    assert rescreen.recommendation.scores["phq9"] == 0
    assert RescreenInvitation.objects.get().rescreen == rescreen
    # In the queue, labelled, on the routine tier; no new-intake mail for it.
    html = signed_in(clinician).get(reverse("review:queue")).content.decode()
    assert f'data-intake="{rescreen.pk}"' in html and "Re-screen</span>" in html
    assert not Notification.objects.filter(intake=rescreen, kind="new_intake").exists()
    assert rescreen.respond_by is not None


def test_acute_risk_on_a_re_screen_alerts_at_once_like_a_draft_intake(started, patient):
    rescreen_sweep()
    client = signed_in(patient)
    client.post(reverse("care:start", args=[RescreenInvitation.objects.get().pk]))
    rescreen = Intake.objects.get(kind=Intake.Kind.RESCREEN)
    response = client.post(reverse("intake:step", args=[rescreen.pk, "safety"]),
                           step_data("safety", HIGH_SUICIDE_RISK | {"harm_to_others": "none"}))
    assert response.status_code == 302
    rescreen.refresh_from_db()
    assert rescreen.acute_risk_at is not None and rescreen.urgent
    assert Notification.objects.filter(intake=rescreen, kind="urgent").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "988" in page


# --- the suggestion ------------------------------------------------------------------------


def test_two_falling_re_screens_suggest_a_step_down_a_clinician_accepts(started, patient,
                                                                         clinician):
    client = signed_in(patient)
    rescreen_sweep()
    first = _rescreen(client, started, phq9=WELL_PHQ9)
    assert first.suggestion.move == "continue"
    # The rules that moved, against the intake, with the words of the criteria they ran on.
    moved = first.suggestion.rules_removed_worded
    assert moved == [{"id": reason["id"], "reason": reason["reason"]}
                     for reason in started.recommendation.reasons
                     if reason["id"] in first.suggestion.rules_removed]
    assert moved and all(rule["reason"] for rule in moved)
    html = signed_in(clinician).get(reverse("review:intake", args=[first.pk])).content.decode()
    assert "Rules no longer fired" in html and moved[0]["reason"] in html
    rescreen_sweep(now=timezone.now() + timedelta(weeks=2))
    second = _rescreen(client, started, phq9=WELL_PHQ9)
    suggestion = second.suggestion
    assert (suggestion.move, suggestion.level, suggestion.care_level) == (
        "step_down", "outpatient", "iop")
    assert not suggestion.worsening
    staff = signed_in(clinician)
    html = staff.get(reverse("review:intake", args=[second.pk])).content.decode()
    assert "Re-screen suggestion" in html and "Step down" in html
    response = staff.post(reverse("care:decide", args=[second.pk]), {"outcome": "accept"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    second.refresh_from_db()
    assert suggestion.accepted and suggestion.decided_level == "outpatient"
    assert second.status == S.DECIDED
    # The person hears their care changed (a link only).
    assert Notification.objects.filter(intake=started, kind="care_updated").exists()
    first_page = staff.get(reverse("review:intake", args=[started.pk])).content.decode()
    assert "Care level now: Standard outpatient" in first_page or "outpatient" in first_page


def test_an_override_needs_a_level_and_a_coded_reason(started, patient, clinician):
    rescreen_sweep()
    rescreen = _rescreen(signed_in(patient), started, phq9=WELL_PHQ9)
    staff = signed_in(clinician)
    response = staff.post(reverse("care:decide", args=[rescreen.pk]), {"outcome": "override"})
    assert response.status_code == 400
    assert "Choose the level of care decided." in response.content.decode()
    response = staff.post(reverse("care:decide", args=[rescreen.pk]), {
        "outcome": "override", "level": "outpatient", "reason_code": "patient_preference",
        "reason_text": "Wants weekly."})
    assert response.status_code == 302
    rescreen.suggestion.refresh_from_db()
    assert (rescreen.suggestion.accepted, rescreen.suggestion.reason_code) == (
        False, "patient_preference")


def test_a_patient_cannot_decide_and_the_intake_decision_form_refuses_a_re_screen(
        started, patient, clinician):
    rescreen_sweep()
    rescreen = _rescreen(signed_in(patient), started, phq9=WELL_PHQ9)
    response = signed_in(patient).post(reverse("care:decide", args=[rescreen.pk]),
                                       {"outcome": "accept"})
    assert response.status_code in (302, 403, 404)
    assert Suggestion.objects.get().decided_at is None
    intake_move(intake=rescreen, to_state=S.IN_REVIEW, actor=clinician)
    from review.state import ReviewError

    with pytest.raises(ReviewError):
        intake_decide(intake=rescreen, actor=clinician, indicated_level="iop")


def test_a_new_safety_flag_alerts_and_queues_on_the_1_business_day_tier(started, patient):
    client = signed_in(patient)
    rescreen_sweep()
    well = _rescreen(client, started, phq9=WELL_PHQ9)
    assert not well.suggestion.worsening
    assert well.respond_by == deadline(well.clock_started_at, "routine")
    assert not Notification.objects.filter(intake=well, kind="rescreen_worsened").exists()
    rescreen_sweep(now=timezone.now() + timedelta(weeks=2))
    # PHQ-9 item 9 answered again: safety_followup, not on the screen before.
    worse = _rescreen(client, started, phq9=[0] * 8 + [1])
    assert "safety_followup" in worse.suggestion.new_safety_flags
    assert worse.suggestion.worsening and not worse.urgent
    assert Notification.objects.filter(intake=worse, kind="rescreen_worsened").exists()
    assert worse.respond_by == deadline(worse.clock_started_at, SAFETY)


def test_an_urgent_re_screen_is_queued_urgent(started, patient):
    rescreen_sweep()
    client = signed_in(patient)
    rescreen = _rescreen(client, started, phq9=SEVERE_PHQ9, safety=HIGH_SUICIDE_RISK)
    assert rescreen.urgent and rescreen.suggestion.move == "step_up"
    assert rescreen.suggestion.level == "inpatient"
    assert rescreen.respond_by == deadline(rescreen.clock_started_at, URGENT)
    # Alerted once (at the safety step), not again at submit.
    assert Notification.objects.filter(intake=rescreen, kind="urgent").count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_real_worker_runs_the_beat_task_and_a_second_run_invites_nobody(patient, clinician):
    import os

    from care.tasks import sweep_rescreens
    from tests.workers import celery_worker

    program = Program.objects.create(name="Evening IOP", level="iop", rescreen_every_weeks=1)
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)
    intake_move(intake=intake, to_state=S.IN_REVIEW, actor=clinician)
    intake_decide(intake=intake, actor=clinician, indicated_level="iop", program=program)
    outcome_record(intake=intake, actor=clinician, move="schedule", details=OutcomeDetails(
        program=program, first_session_at=timezone.now() - timedelta(days=8)))
    outcome_record(intake=intake, actor=clinician, move="start", details=OutcomeDetails())
    OutcomeEvent.objects.filter(outcome="started").update(
        recorded_at=timezone.now() - timedelta(days=8))
    queue = f"test-rescreen-sweep-{os.getpid()}"
    with celery_worker(queue) as result:
        first = result(sweep_rescreens.apply_async(queue=queue).id)
        second = result(sweep_rescreens.apply_async(queue=queue).id)
    assert first == {"invited": 1, "reminded": 0, "missed": 0}
    assert second == {"invited": 0, "reminded": 0, "missed": 0}
    assert Notification.objects.filter(intake=intake, kind="rescreen_due").count() == 1


def test_the_check_in_is_offered_in_spanish_to_a_spanish_speaker(started, patient):
    patient.language = "es"
    patient.save()
    rescreen_sweep()
    client = signed_in(patient)
    client.cookies["django_language"] = "es"
    html = client.get(reverse("intake:home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Empezar mi control" in html and "Sus controles" in html


def test_another_person_cannot_start_or_read_someone_elses_check_in(started, other_patient):
    rescreen_sweep()
    client = signed_in(other_patient)
    invitation = RescreenInvitation.objects.get()
    assert client.post(reverse("care:start", args=[invitation.pk])).status_code == 404
    assert client.get(reverse("care:history", args=[started.pk])).status_code == 404
    assert not Intake.objects.filter(kind=Intake.Kind.RESCREEN).exists()
