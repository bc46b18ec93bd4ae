"""After the decision (SPEC §8b): amendments kept as versions and told to the person, closed
intakes reopened, the outcome followed to the first session, reminders when a first session
passes with nothing recorded, the queue's outcome filters."""

import os
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from intake.models import Intake
from review.decisions import DecisionContent, decision_amend, intake_decide, intake_reopen
from review.models import ContactAttempt, Decision, DecisionVersion, Notification, Program
from review.notifications import notification_send
from review.outcomes import OutcomeDetails, first_sessions_unrecorded_remind, outcome_record
from review.selectors import QueueFilters, queue_page
from review.services import intake_move
from review.state import Move, Outcome, ReviewError
from tests.conftest import signed_in
from tests.factories import MODERATE_DEPRESSION, submitted_intake

S = Intake.Status


@pytest.fixture
def programs(db):
    return {"evening": Program.objects.create(name="Evening IOP", level="iop",
                                              next_steps="Bring your ID."),
            "weekend": Program.objects.create(name="Weekend IOP", level="iop"),
            "outpatient": Program.objects.create(name="Weekly therapy", level="outpatient")}


@pytest.fixture
def decided(patient, clinician, programs):
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)  # recommends IOP
    intake_move(intake=intake, to_state=S.IN_REVIEW, actor=clinician)
    intake_decide(intake=intake, actor=clinician, indicated_level="iop",
                  program=programs["evening"])
    return Intake.objects.get(pk=intake.pk)


def url(name, intake, *args):
    return reverse(f"review:{name}", args=[intake.pk, *args])


def care_updates(intake) -> int:
    return Notification.objects.filter(intake=intake, kind=Notification.Kind.CARE_UPDATED).count()


def test_a_decision_without_versions_still_shows_its_intake(decided, clinician):
    # Decisions made before versions were kept (and those seed_intakes makes) have none.
    DecisionVersion.objects.filter(decision__intake=decided).delete()
    response = signed_in(clinician).get(url("intake", decided))
    assert response.status_code == 200


# --- amend ----------------------------------------------------------------------------


def test_an_amendment_keeps_every_version_and_says_what_changed(decided, clinician,
                                                                other_clinician, programs):
    decision_amend(intake=decided, actor=other_clinician,
                   content=DecisionContent(indicated_level="iop", program=programs["weekend"]),
                   amend_reason_code="wrong_program", amend_reason_text="Works evenings.")
    decision = Decision.objects.get(intake=decided)
    assert decision.version == 2 and decision.program == programs["weekend"]
    assert decision.submitted_at == decided.submitted_at  # copied for the reports
    assert decision.amended_at is not None
    first, second = DecisionVersion.objects.filter(decision=decision).order_by("number")
    assert (first.number, first.program, first.made_by) == (1, programs["evening"], clinician)
    assert (second.number, second.program, second.made_by) == (2, programs["weekend"],
                                                               other_clinician)
    assert second.amend_reason_code == "wrong_program"
    event = AuditEvent.objects.filter(intake_id=decided.pk, action="decide").latest("id")
    # Codes only in the log: the words typed stay on the version.
    assert event.detail["move"] == "amend" and event.detail["version"] == 2
    assert "program" in event.detail["changed"] and "Works evenings." not in str(event.detail)

    html = signed_in(clinician).get(url("intake", decided)).content.decode()
    assert "Versions of the decision" in html
    assert "Program: Evening IOP &rarr; Weekend IOP" in html
    assert "Wrong program or level recorded" in html and "Works evenings." in html
    assert "Drew Doctor" in html


def test_the_person_is_told_by_a_link_and_sees_the_latest(decided, other_clinician, patient,
                                                          programs):
    assert care_updates(decided) == 0
    decision_amend(intake=decided, actor=other_clinician,
                   content=DecisionContent(indicated_level="iop", program=programs["weekend"],
                                           next_steps="Saturday 9 am, room 4."),
                   amend_reason_code="wrong_program", amend_reason_text="Works evenings.")
    notification = Notification.objects.get(intake=decided,
                                            kind=Notification.Kind.CARE_UPDATED)
    assert notification_send(notification_id=notification.pk)
    message = mail.outbox[-1]
    assert message.to == [patient.email]
    body = message.subject + message.body
    assert reverse("intake:status", args=[decided.pk]) in body
    for clinical in ("Weekend", "IOP", "Saturday", "intensive", "Pat"):
        assert clinical not in body
    html = signed_in(patient).get(reverse("intake:status", args=[decided.pk])).content.decode()
    assert "Your care plan was updated" in html
    assert "Weekend IOP" in html and "Saturday 9 am, room 4." in html
    assert "Evening IOP" not in html


def test_a_change_only_to_the_reason_is_not_told_to_the_person(decided, clinician):
    decision_amend(intake=decided, actor=clinician,
                   content=DecisionContent(indicated_level="iop", reason_text="Kept as is.",
                                           program=decided.decision.program,
                                           next_steps="Bring your ID."),
                   amend_reason_code="other", amend_reason_text="Added a note.")
    assert Decision.objects.get(intake=decided).version == 2
    assert care_updates(decided) == 0


@pytest.mark.parametrize(("content", "reason_code", "reason_text", "field"), [
    (DecisionContent(indicated_level="outpatient"), "new_information", "x", "reason_code"),
    (DecisionContent(indicated_level="iop", start_level="outpatient",
                     reason_code="no_capacity"), "capacity", "x", "reason_text"),
    (DecisionContent(indicated_level="iop", program=None), "", "x", "amend_reason_code"),
    (DecisionContent(indicated_level="iop", program=None), "other", "  ", "amend_reason_text"),
])
def test_an_amendment_follows_the_decision_s_rules_and_needs_its_own_reason(
        decided, clinician, content, reason_code, reason_text, field):
    with pytest.raises(ReviewError) as refused:
        decision_amend(intake=decided, actor=clinician, content=content,
                       amend_reason_code=reason_code, amend_reason_text=reason_text)
    assert refused.value.field == field
    assert Decision.objects.get(intake=decided).version == 1


def test_an_amendment_that_changes_nothing_is_refused(decided, clinician, programs):
    with pytest.raises(ReviewError, match="Nothing in the decision was changed"):
        decision_amend(intake=decided, actor=clinician,
                       content=DecisionContent(indicated_level="iop",
                                               program=programs["evening"]),
                       amend_reason_code="other", amend_reason_text="Same.")


def test_a_new_placement_sends_a_booked_first_session_back_to_be_arranged(decided, clinician,
                                                                          programs):
    outcome_record(intake=decided, actor=clinician, move=Move.SCHEDULE,
                   details=OutcomeDetails(program=programs["evening"],
                                          first_session_at=timezone.now() + timedelta(days=2)))
    decision_amend(intake=decided, actor=clinician,
                   content=DecisionContent(indicated_level="iop", start_level="outpatient",
                                           reason_code="no_capacity", reason_text="Full.",
                                           program=programs["outpatient"]),
                   amend_reason_code="capacity", amend_reason_text="IOP full until March.")
    decision = Decision.objects.get(intake=decided)
    assert decision.outcome == Outcome.AWAITING and decision.first_session_at is None
    assert Intake.objects.get(pk=decided.pk).decided_level == "outpatient"


def test_the_amend_page_keeps_what_was_typed_and_says_what_is_missing(decided, clinician):
    client = signed_in(clinician)
    response = client.post(url("amend", decided), {
        "amend-outcome": "override", "amend-indicated_level": "outpatient",
        "amend-reason_text": "Improving fast.", "amend-amend_reason_code": "",
        "amend-amend_reason_text": "Seen again today."})
    assert response.status_code == 400
    form = response.context["amend_form"]
    assert form.errors["amend_reason_code"] == ["An amendment needs a reason: choose one."]
    assert form.errors["reason_code"] == ["An override needs a reason: choose one."]
    html = response.content.decode()
    assert "Improving fast." in html and "Seen again today." in html
    assert Decision.objects.get(intake=decided).version == 1


def test_the_amend_page_amends(decided, clinician, programs):
    response = signed_in(clinician).post(url("amend", decided), {
        "amend-outcome": "accept", "amend-program": str(programs["weekend"].pk),
        "amend-amend_reason_code": "wrong_program",
        "amend-amend_reason_text": "Weekend suits."}, follow=True)
    assert "Decision amended (version 2)" in response.content.decode()
    assert Decision.objects.get(intake=decided).program == programs["weekend"]


# --- close and reopen -----------------------------------------------------------------


def test_a_closed_intake_is_reopened_with_a_reason_and_can_be_amended(decided, clinician,
                                                                      programs):
    intake_move(intake=decided, to_state=S.CLOSED, actor=clinician)
    with pytest.raises(ReviewError, match="closed: reopen it first"):
        decision_amend(intake=decided, actor=clinician,
                       content=DecisionContent(indicated_level="iop",
                                               program=programs["weekend"]),
                       amend_reason_code="other", amend_reason_text="x")
    with pytest.raises(ReviewError) as refused:
        intake_reopen(intake=decided, actor=clinician, reason_code="needs_care",
                      reason_text=" ")
    assert refused.value.field == "reason_text"
    intake_reopen(intake=decided, actor=clinician, reason_code="needs_care",
                  reason_text="Called back, still struggling.")
    assert Intake.objects.get(pk=decided.pk).status == S.DECIDED
    event = AuditEvent.objects.filter(intake_id=decided.pk, action="state").latest("id")
    assert event.detail["move"] == "reopen" and event.detail["from"] == "closed"
    decision_amend(intake=decided, actor=clinician,
                   content=DecisionContent(indicated_level="iop", program=programs["weekend"]),
                   amend_reason_code="other", amend_reason_text="After reopening.")
    with pytest.raises(ReviewError):
        intake_reopen(intake=decided, actor=clinician, reason_code="needs_care",
                      reason_text="Again?")


def test_the_page_offers_reopening_only_on_a_closed_intake(decided, clinician, admin_user):
    client = signed_in(clinician)
    assert "reopen-form" not in client.get(url("intake", decided)).content.decode()
    intake_move(intake=decided, to_state=S.CLOSED, actor=clinician)
    html = client.get(url("intake", decided)).content.decode()
    assert "reopen-form" in html and "amend-form" not in html
    assert "reopen-form" not in signed_in(admin_user).get(url("intake", decided)).content.decode()
    response = client.post(url("reopen", decided), {"reopen-reason_code": "closed_in_error",
                                                    "reopen-reason_text": "Wrong intake."},
                           follow=True)
    assert "is reopened" in response.content.decode()
    assert "Closed in error" in response.content.decode()


# --- the outcome, through the pages, with the person's status page following -----------


def status_page(patient, intake) -> str:
    return signed_in(patient).get(reverse("intake:status", args=[intake.pk])).content.decode()


def test_the_outcome_is_followed_and_the_person_sees_each_step(decided, clinician, patient,
                                                               programs):
    client = signed_in(clinician)
    first = timezone.localtime() - timedelta(days=1)
    response = client.post(url("outcome", decided, "schedule"), {
        "schedule-program": str(programs["evening"].pk),
        "schedule-first_session_at": first.strftime("%Y-%m-%dT%H:%M")}, follow=True)
    assert "The outcome is now “first session scheduled”" in response.content.decode()
    assert "Your first session is booked with" in status_page(patient, decided)
    assert f"{first:%H:%M}" in status_page(patient, decided)

    client.post(url("outcome", decided, "no_show"), {"no_show-note": "No answer at door."})
    assert "We missed you at your first session" in status_page(patient, decided)

    again = timezone.localtime() + timedelta(days=6)
    response = client.post(url("outcome", decided, "recontact"), {
        "recontact-channel": "call", "recontact-program": str(programs["evening"].pk),
        "recontact-first_session_at": again.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    assert ContactAttempt.objects.get(intake=decided).outcome == "reached"
    assert f"{again:%H:%M}" in status_page(patient, decided)

    client.post(url("outcome", decided, "start"), {})
    assert "You have started with" in status_page(patient, decided)
    decision = Decision.objects.get(intake=decided)
    assert decision.outcome == Outcome.STARTED
    assert [e.outcome for e in decision.outcomes.order_by("recorded_at", "pk")] == [
        "scheduled", "no_show", "scheduled", "started"]
    html = client.get(url("intake", decided)).content.decode()
    assert "Outcome so far" in html and "No answer at door." in html
    # Scheduling and re-contact told the person; the no-show and the start they lived.
    assert care_updates(decided) == 2


def test_a_refused_step_says_why_beside_the_field_and_keeps_what_was_typed(decided, clinician,
                                                                           programs):
    client = signed_in(clinician)
    response = client.post(url("outcome", decided, "schedule"), {
        "schedule-program": "", "schedule-note": "Prefers Tuesdays."})
    assert response.status_code == 400
    form = response.context["outcome_forms"][0]["form"]
    assert form.errors["program"] == ["Choose the program of the first session."]
    assert "Prefers Tuesdays." in response.content.decode()
    # A step the table does not allow now: said at the top, the typed note given back.
    response = client.post(url("outcome", decided, "no_show"), {"no_show-note": "Gone."})
    assert response.status_code == 400
    messages = [str(m) for m in response.context["messages"]]
    assert "cannot be recorded: the outcome is “not arranged yet”" in messages[0]
    assert "Gone." in messages[1]
    assert client.post(url("outcome", decided, "teleport"), {}).status_code == 404


@pytest.mark.parametrize(("move", "data", "words"), [
    ("decline", {"decline-decline_reason": "cost"}, "You told us you do not want this care"),
    ("refer", {"refer-referred_to": "County clinic", "refer-referred_level": "outpatient"},
     "referred you to another service"),
])
def test_a_decline_or_a_referral_is_shown_in_plain_words(decided, clinician, patient, move,
                                                         data, words):
    assert signed_in(clinician).post(url("outcome", decided, move), data).status_code == 302
    assert words in status_page(patient, decided)


def test_could_not_reach_follows_logged_attempts(decided, clinician, patient):
    with pytest.raises(ReviewError, match="Log the attempts"):
        outcome_record(intake=decided, actor=clinician, move=Move.COULD_NOT_REACH,
                       details=OutcomeDetails())
    ContactAttempt.objects.create(intake=decided, clinician=clinician, channel="call",
                                  outcome="no_answer")
    outcome_record(intake=decided, actor=clinician, move=Move.COULD_NOT_REACH,
                   details=OutcomeDetails())
    assert "tried to reach you and could not" in status_page(patient, decided)


def test_a_no_show_is_not_recorded_before_the_session(decided, clinician, programs):
    outcome_record(intake=decided, actor=clinician, move=Move.SCHEDULE,
                   details=OutcomeDetails(program=programs["evening"],
                                          first_session_at=timezone.now() + timedelta(hours=3)))
    with pytest.raises(ReviewError, match="has not happened yet"):
        outcome_record(intake=decided, actor=clinician, move=Move.NO_SHOW,
                       details=OutcomeDetails())


def test_a_first_session_is_booked_only_in_an_open_program_at_the_start_level(
        decided, clinician, programs):
    soon = timezone.now() + timedelta(days=1)
    with pytest.raises(ReviewError, match="at the level the person starts") as refused:
        outcome_record(intake=decided, actor=clinician, move=Move.SCHEDULE,
                       details=OutcomeDetails(program=programs["outpatient"],
                                              first_session_at=soon))
    assert refused.value.field == "program"
    with pytest.raises(ReviewError, match="date and time of the first session"):
        outcome_record(intake=decided, actor=clinician, move=Move.SCHEDULE,
                       details=OutcomeDetails(program=programs["evening"]))


# --- the reminder when a first session passes with nothing recorded --------------------


def test_a_passed_first_session_reminds_its_clinician_once(decided, clinician, other_clinician,
                                                           programs, settings):
    settings.FIRST_SESSION_OUTCOME_AFTER_HOURS = 4
    outcome_record(intake=decided, actor=clinician, move=Move.SCHEDULE,
                   details=OutcomeDetails(program=programs["evening"],
                                          first_session_at=timezone.now() - timedelta(hours=3)))
    assert first_sessions_unrecorded_remind() == []  # not yet 4 hours after
    later = timezone.now() + timedelta(hours=2)
    (reminder,) = first_sessions_unrecorded_remind(now=later)
    assert first_sessions_unrecorded_remind(now=later + timedelta(hours=1)) == []
    assert notification_send(notification_id=reminder.pk)
    message = mail.outbox[-1]
    assert message.to == [clinician.email]  # the assigned clinician only
    assert reverse("review:intake", args=[decided.pk]) in message.body
    assert "Pat" not in message.body and "IOP" not in message.body


def test_with_nobody_assigned_every_clinician_is_reminded(decided, clinician, other_clinician,
                                                          programs):
    Intake.objects.filter(pk=decided.pk).update(assigned_to=None)
    outcome_record(intake=decided, actor=clinician, move=Move.SCHEDULE,
                   details=OutcomeDetails(program=programs["evening"],
                                          first_session_at=timezone.now() - timedelta(days=1)))
    (reminder,) = first_sessions_unrecorded_remind()
    notification_send(notification_id=reminder.pk)
    assert sorted(mail.outbox[-1].to) == sorted([clinician.email, other_clinician.email])


def test_a_new_first_session_can_be_reminded_again(decided, clinician, programs):
    past = timezone.now() - timedelta(days=1)
    outcome_record(intake=decided, actor=clinician, move=Move.SCHEDULE,
                   details=OutcomeDetails(program=programs["evening"], first_session_at=past))
    assert len(first_sessions_unrecorded_remind()) == 1
    outcome_record(intake=decided, actor=clinician, move=Move.NO_SHOW, details=OutcomeDetails())
    assert first_sessions_unrecorded_remind() == []  # an outcome is recorded
    outcome_record(intake=decided, actor=clinician, move=Move.RECONTACT,
                   details=OutcomeDetails(program=programs["evening"], channel="text",
                                          first_session_at=past + timedelta(hours=12)))
    assert len(first_sessions_unrecorded_remind()) == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_real_worker_runs_the_beat_task(patient, clinician):

    from review.tasks import remind_first_sessions_unrecorded
    from tests.workers import celery_worker

    program = Program.objects.create(name="Evening IOP", level="iop")
    intake = submitted_intake(patient, **MODERATE_DEPRESSION)
    intake_move(intake=intake, to_state=S.IN_REVIEW, actor=clinician)
    intake_decide(intake=intake, actor=clinician, indicated_level="iop")
    outcome_record(intake=intake, actor=clinician, move=Move.SCHEDULE,
                   details=OutcomeDetails(program=program,
                                          first_session_at=timezone.now() - timedelta(days=1)))
    queue = f"test-first-session-{os.getpid()}"
    with celery_worker(queue) as result:
        assert result(remind_first_sessions_unrecorded.apply_async(queue=queue).id) == 1
    assert Notification.objects.filter(intake=intake,
                                       kind=Notification.Kind.OUTCOME_DUE).count() == 1
    assert Decision.objects.get(intake=intake).outcome_reminded_at is not None


# --- the queue's filters on the outcome --------------------------------------------------


def test_the_queue_filters_on_each_outcome(decided, clinician, patient, other_patient,
                                           programs):
    open_one = submitted_intake(other_patient, **MODERATE_DEPRESSION)
    outcome_record(intake=decided, actor=clinician, move=Move.SCHEDULE,
                   details=OutcomeDetails(program=programs["evening"],
                                          first_session_at=timezone.now() - timedelta(hours=1)))

    def listed(**filters) -> list[int]:
        return [i.pk for i in queue_page(user=clinician, filters=QueueFilters(**filters)).rows]

    assert listed() == [open_one.pk]
    assert listed(outcome="scheduled") == [decided.pk]
    assert listed(outcome="session_passed") == [decided.pk]
    assert listed(outcome="started") == []
    outcome_record(intake=decided, actor=clinician, move=Move.START, details=OutcomeDetails())
    assert listed(outcome="started") == [decided.pk]
    assert listed(outcome="session_passed") == []
    response = signed_in(clinician).get(reverse("review:queue"), {"outcome": "started"})
    assert [row["intake"].pk for row in response.context["rows"]] == [decided.pk]
    assert '<div class="small text-body-secondary queue-outcome">Started</div>' in (
        response.content.decode())


def test_a_decided_intake_page_runs_a_fixed_number_of_queries(decided, clinician, programs,
                                                              django_assert_max_num_queries):
    client = signed_in(clinician)
    client.get(url("intake", decided))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url("intake", decided))
    for n in range(3):
        decision_amend(intake=decided, actor=clinician,
                       content=DecisionContent(indicated_level="iop",
                                               next_steps=f"Step {n}",
                                               program=programs["evening"]),
                       amend_reason_code="other", amend_reason_text=f"Change {n}")
        outcome_record(intake=decided, actor=clinician, move=Move.SCHEDULE,
                       details=OutcomeDetails(program=programs["evening"],
                                              first_session_at=timezone.now()))
    for n in range(3):
        Program.objects.create(name=f"Extra {n}", level="iop").sessions.create(
            weekday=n, starts_at="18:00", ends_at="21:00")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url("intake", decided))
