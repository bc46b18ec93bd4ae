"""Whose care is whose: the access matrix checks roles, these check objects. Patient B
changing an id in an address never reads or changes patient A's check-in, invitation or
history; a suggestion is decided once."""

import pytest
from django.urls import reverse

from care.invitations import rescreen_sweep
from care.models import RescreenInvitation, Suggestion
from intake.models import Intake
from tests.care import test_rescreen
from tests.care.test_rescreen import WELL_PHQ9, _rescreen
from tests.conftest import signed_in
from tests.factories import submitted_intake, submitted_rescreen
from tests.intake.helpers import step_data

program, started = test_rescreen.program, test_rescreen.started  # the same fixtures


@pytest.fixture
def begun(started, patient):
    """Patient A's invited re-screen, started (a draft)."""
    rescreen_sweep()
    invitation = RescreenInvitation.objects.get(intake=started)
    assert signed_in(patient).post(reverse("care:start", args=[invitation.pk])).status_code \
        == 302
    return Intake.objects.get(follows=started)


def test_another_person_cannot_open_or_answer_someone_elses_started_check_in(
        begun, other_patient):
    client = signed_in(other_patient)
    client.raise_request_exception = False
    for url in (reverse("intake:step", args=[begun.pk, begun.asks[0]]),
                reverse("intake:review", args=[begun.pk]),
                reverse("intake:status", args=[begun.pk]),
                reverse("intake:answers", args=[begun.pk])):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("intake:step", args=[begun.pk, "mood"]),
                           step_data("mood", {"phq9": [3] * 9}))
    assert response.status_code == 404
    begun.refresh_from_db()
    assert "phq9" not in begun.answers
    # Nor is it offered on their home page.
    assert "Start my check-in" not in client.get(reverse("intake:home")).content.decode()


def test_a_person_reads_the_history_of_their_own_care_only(started, patient, other_patient,
                                                           clinician):
    theirs = submitted_intake(other_patient)
    submitted_rescreen(theirs)
    client = signed_in(patient)
    assert client.get(reverse("care:history", args=[theirs.pk])).status_code == 404
    # Not by a re-screen's id either (a history is addressed by the first intake).
    rescreen = Intake.objects.get(follows=theirs)
    assert client.get(reverse("care:history", args=[rescreen.pk])).status_code == 404
    assert signed_in(other_patient).get(
        reverse("care:history", args=[started.pk])).status_code == 404


def test_a_suggestion_is_decided_once(started, patient, clinician, other_clinician):
    rescreen_sweep()
    rescreen = _rescreen(signed_in(patient), started, phq9=WELL_PHQ9)
    url = reverse("care:decide", args=[rescreen.pk])
    assert signed_in(clinician).post(url, {"outcome": "accept"}).status_code == 302
    response = signed_in(other_clinician).post(url, {
        "outcome": "override", "level": "inpatient", "reason_code": "clinical_judgement",
        "reason_text": "Second opinion."})
    assert response.status_code in (302, 400)
    suggestion = Suggestion.objects.get(rescreen=rescreen)
    assert (suggestion.accepted, suggestion.decided_by, suggestion.decided_level) == (
        True, clinician, "iop")


def test_an_amendment_after_a_re_screen_decision_sets_the_care_level(started, patient,
                                                                      clinician, program):
    # The re-screen page sends the clinician to amend the intake's decision to place the
    # person; what the amendment decides is then the level they are in, and the next
    # re-screen's suggestion is against it.
    from care.selectors import care_level_of
    from review.decisions import DecisionContent, decision_amend
    from review.models import Program

    rescreen_sweep()
    rescreen = _rescreen(signed_in(patient), started, phq9=WELL_PHQ9)
    assert signed_in(clinician).post(reverse("care:decide", args=[rescreen.pk]), {
        "outcome": "override", "level": "inpatient", "reason_code": "clinical_judgement",
        "reason_text": "Worse on the phone."}).status_code == 302
    assert care_level_of(started) == "inpatient"
    weekend = Program.objects.create(name="Weekend IOP", level="iop")
    decision_amend(intake=started, actor=clinician,
                   content=DecisionContent(indicated_level="iop", program=weekend),
                   amend_reason_code="change_in_condition",
                   amend_reason_text="Settled; back to IOP, weekends.")
    assert care_level_of(Intake.objects.get(pk=started.pk)) == "iop"


def test_a_check_in_begun_and_left_is_continued_from_the_next_invitation(begun, patient):
    # Started, left unfinished; two weeks later the next invitation comes (the first is
    # missed). Its button continues the draft, answers kept, not a server error.
    from django.utils import timezone

    client = signed_in(patient)
    assert client.post(reverse("intake:step", args=[begun.pk, "mood"]),
                       step_data("mood", {"phq9": WELL_PHQ9})).status_code == 302
    rescreen_sweep(now=timezone.now() + timezone.timedelta(weeks=2))
    second = RescreenInvitation.objects.get(intake=begun.follows, number=2)
    assert "Start my check-in" in client.get(reverse("intake:home")).content.decode()
    client.raise_request_exception = False
    response = client.post(reverse("care:start", args=[second.pk]))
    assert response.status_code == 302, response.status_code
    second.refresh_from_db()
    assert second.rescreen_id == begun.pk
    assert Intake.objects.get(pk=begun.pk).answers["phq9"] == WELL_PHQ9
    assert Intake.objects.filter(kind=Intake.Kind.RESCREEN).count() == 1


def test_an_old_pages_button_for_a_missed_invitation_starts_the_one_now_open(started, patient):
    from django.utils import timezone

    client = signed_in(patient)
    rescreen_sweep()
    first = RescreenInvitation.objects.get(intake=started, number=1)
    rescreen_sweep(now=timezone.now() + timezone.timedelta(weeks=2))  # the first is missed
    response = client.post(reverse("care:start", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    second = RescreenInvitation.objects.get(intake=started, number=2)
    assert first.rescreen_id is None and first.missed_at is not None
    assert second.rescreen_id == Intake.objects.get(kind=Intake.Kind.RESCREEN).pk


def test_no_check_in_reminder_while_its_acute_risk_alert_is_open(begun, patient):
    # As for a draft intake (intake.services.LEFT_ALONE): a person whose answers showed
    # acute risk is the clinic's to call, not a "your check-in is still waiting" mail.
    from datetime import timedelta

    from django.utils import timezone

    from review.models import Notification
    from tests.factories import HIGH_SUICIDE_RISK

    client = signed_in(patient)
    assert client.post(reverse("intake:step", args=[begun.pk, "safety"]), step_data(
        "safety", HIGH_SUICIDE_RISK | {"harm_to_others": "none"})).status_code == 302
    assert Intake.objects.get(pk=begun.pk).acute_risk_at is not None
    assert rescreen_sweep(now=timezone.now() + timedelta(days=3, minutes=1)).reminded == 0
    assert not Notification.objects.filter(kind=Notification.Kind.RESCREEN_REMINDER).exists()


def test_no_new_check_in_invitation_while_an_acute_risk_alert_is_open(begun, patient):
    from datetime import timedelta

    from django.utils import timezone

    from review.models import Notification
    from tests.factories import HIGH_SUICIDE_RISK

    client = signed_in(patient)
    assert client.post(reverse("intake:step", args=[begun.pk, "safety"]), step_data(
        "safety", HIGH_SUICIDE_RISK | {"harm_to_others": "none"})).status_code == 302
    assert rescreen_sweep(now=timezone.now() + timedelta(weeks=2, hours=1)).invited == 0
    assert Notification.objects.filter(kind=Notification.Kind.RESCREEN_DUE).count() == 1
