"""Urgent intakes nobody opened within URGENT_OPEN_WITHIN_MINUTES go to the on-call list again."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from intake.models import Intake
from review.models import Notification
from review.notifications import notification_send
from review.services import intakes_realert_unopened_urgent
from review.tasks import realert_unopened_urgent_intakes
from tests.factories import HIGH_SUICIDE_RISK, submitted_intake


def ago(minutes: int):
    return timezone.now() - timedelta(minutes=minutes)


@pytest.fixture(autouse=True)
def _fifteen_minutes(settings):
    settings.URGENT_OPEN_WITHIN_MINUTES = 15
    settings.ONCALL_EMAILS = ["oncall@example.com"]


def realerts() -> list[int]:
    return list(Notification.objects.filter(kind=Notification.Kind.URGENT_REALERT)
                .order_by("id").values_list("intake_id", flat=True))


def test_it_realerts_only_urgent_unopened_intakes_past_the_limit(patient, clinician):
    late = submitted_intake(patient, submitted_at=ago(20), **HIGH_SUICIDE_RISK)
    submitted_intake(patient, submitted_at=ago(5), **HIGH_SUICIDE_RISK)  # still in time
    submitted_intake(patient, submitted_at=ago(60))  # not urgent
    opened = submitted_intake(patient, submitted_at=ago(30), **HIGH_SUICIDE_RISK)
    Intake.objects.filter(pk=opened.pk).update(first_opened_at=ago(25))
    decided = submitted_intake(patient, submitted_at=ago(30), **HIGH_SUICIDE_RISK)
    Intake.objects.filter(pk=decided.pk).update(status=Intake.Status.DECIDED)
    assert realert_unopened_urgent_intakes() == 1
    assert realerts() == [late.pk]
    late.refresh_from_db()
    assert late.last_alerted_at is not None


def test_it_is_idempotent_within_the_period_and_repeats_after_it(patient):
    late = submitted_intake(patient, submitted_at=ago(40), **HIGH_SUICIDE_RISK)
    assert intakes_realert_unopened_urgent() == [late.pk]
    assert intakes_realert_unopened_urgent() == []  # the beat runs every 2 minutes
    Intake.objects.filter(pk=late.pk).update(last_alerted_at=ago(16))
    assert intakes_realert_unopened_urgent() == [late.pk]
    assert realerts() == [late.pk, late.pk]


def test_it_does_not_realert_right_after_the_first_alert(patient):
    late = submitted_intake(patient, submitted_at=ago(20), **HIGH_SUICIDE_RISK)
    Intake.objects.filter(pk=late.pk).update(last_alerted_at=ago(3))
    assert intakes_realert_unopened_urgent() == []


def test_it_mails_the_on_call_list_a_link_only(patient, clinician, other_clinician,
                                               django_capture_on_commit_callbacks):
    late = submitted_intake(patient, submitted_at=ago(20), **HIGH_SUICIDE_RISK)
    with django_capture_on_commit_callbacks() as enqueued:
        intakes_realert_unopened_urgent()
    assert len(enqueued) == 1  # handed to the broker once the transaction commits
    # Send it here, as the worker would.
    notification = Notification.objects.get(kind=Notification.Kind.URGENT_REALERT)
    notification_send(notification_id=notification.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == sorted([clinician.email, "oncall@example.com"])  # on call only
    assert f"/review/intakes/{late.pk}/" in mail.outbox[0].body
    assert "Pat" not in mail.outbox[0].body
