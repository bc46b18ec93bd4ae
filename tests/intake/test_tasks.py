"""Reminders of unfinished intakes after 1 and 3 days, and purging drafts left 30 days."""

import pytest
from django.utils import timezone

from intake.models import Intake
from intake.tasks import purge_stale_drafts, remind_unfinished_intakes
from review.models import Notification

pytestmark = pytest.mark.django_db

DAY = timezone.timedelta(days=1)


def draft_untouched_for(patient, days: float) -> Intake:
    intake = Intake.objects.create(patient=patient)
    Intake.objects.filter(pk=intake.pk).update(updated_at=timezone.now() - days * DAY)
    return intake


def reminders(intake) -> int:
    return Notification.objects.filter(intake=intake, kind="reminder").count()


def test_it_reminds_after_one_day_then_after_three_and_never_twice(patient):
    intake = draft_untouched_for(patient, 1.1)
    assert remind_unfinished_intakes() == 1
    assert remind_unfinished_intakes() == 0  # run again: nothing new
    assert reminders(intake) == 1
    Intake.objects.filter(pk=intake.pk).update(updated_at=timezone.now() - 3.1 * DAY)
    assert remind_unfinished_intakes() == 1
    assert remind_unfinished_intakes() == 0
    assert reminders(intake) == 2


def test_it_does_not_remind_a_fresh_draft(patient):
    draft_untouched_for(patient, 0.5)
    assert remind_unfinished_intakes() == 0


def test_it_deletes_drafts_untouched_for_30_days_only(patient, other_patient):
    old = draft_untouched_for(patient, 31)
    recent = draft_untouched_for(other_patient, 29)
    assert purge_stale_drafts() == 1
    assert not Intake.objects.filter(pk=old.pk).exists()
    assert Intake.objects.filter(pk=recent.pk).exists()


def test_the_reminder_email_carries_a_link_and_no_answers(patient, mailoutbox, settings):
    from review.notifications import notification_send

    intake = draft_untouched_for(patient, 1.1)
    Intake.objects.filter(pk=intake.pk).update(answers={"age": 34, "phq9": [3] * 9})
    remind_unfinished_intakes()
    notification = Notification.objects.get(intake=intake, kind="reminder")
    assert notification_send(notification_id=notification.pk)
    message = mailoutbox[-1]
    assert message.to == [patient.email]
    assert "/intake/" in message.body and "34" not in message.body
    assert "Pat" not in message.body


def test_each_purged_draft_is_logged_by_id(patient):
    from audit.models import AuditEvent

    old = draft_untouched_for(patient, 31)
    purge_stale_drafts()
    event = AuditEvent.objects.get(intake_id=old.pk)
    assert event.actor is None and event.detail == {"purged_draft_after_days": 30}


def test_a_submitted_intake_is_never_purged(patient):
    intake = draft_untouched_for(patient, 40)
    Intake.objects.filter(pk=intake.pk).update(status=Intake.Status.SUBMITTED)
    assert purge_stale_drafts() == 0
    assert Intake.objects.filter(pk=intake.pk).exists()
