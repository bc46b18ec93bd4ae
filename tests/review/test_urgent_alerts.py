"""Urgent alerts (SPEC §8b): to whoever is on call, acknowledged in one click, escalated to
the backups and every clinician when nobody acknowledges in time, never "sent" to nobody.

The clock is moved by setting the alert's times in the past, never by sleeping.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_create_with_role
from audit.models import AuditEvent
from intake.models import Intake
from oncall.models import Shift
from review.alerts import ROSTER_EMPTY_MESSAGE, alert_acknowledge, alerts_escalate
from review.models import Notification, UrgentAlert
from review.notifications import NO_RECIPIENT, notification_queue, notification_send
from review.tasks import escalate_unacknowledged_urgent_alerts, send_pending_notifications
from tests.conftest import PASSWORD, put_on_call, signed_in
from tests.factories import HIGH_SUICIDE_RISK, submitted_intake

pytestmark = pytest.mark.django_db


def ago(minutes: float):
    return timezone.now() - timedelta(minutes=minutes)


@pytest.fixture(autouse=True)
def _fifteen_minutes(settings):
    settings.URGENT_ACKNOWLEDGE_WITHIN_MINUTES = 15
    settings.ONCALL_EMAILS = []
    settings.ONCALL_WEBHOOK_URL = ""


def urgent(patient, *, minutes_ago: float = 0) -> Intake:
    """An urgent intake whose alert went out `minutes_ago`."""
    intake = submitted_intake(patient, submitted_at=ago(minutes_ago), **HIGH_SUICIDE_RISK)
    notification_queue(kind=Notification.Kind.URGENT, intake=intake)
    UrgentAlert.objects.filter(intake=intake).update(last_alerted_at=ago(minutes_ago))
    return intake


def send_all() -> None:
    for pk in Notification.objects.filter(sent_at__isnull=True).values_list("pk", flat=True):
        notification_send(notification_id=pk)


def clinician_named(name: str):
    return user_create_with_role(email=f"{name.lower()}@example.com", full_name=name,
                                 password=PASSWORD, role="clinician")


def test_it_alerts_the_clinician_on_call_now_and_only_them(patient, clinician,
                                                           other_clinician):
    intake = urgent(patient)
    send_all()
    alert_mails = [m for m in mail.outbox if m.subject.startswith("URGENT")]
    assert [m.to for m in alert_mails] == [[clinician.email]]
    assert f"/review/intakes/{intake.pk}/" in alert_mails[0].body
    assert "Pat" not in alert_mails[0].body and "pat@example.com" not in alert_mails[0].body


def test_a_shift_that_ended_or_has_not_begun_is_not_on_call(patient, clinician,
                                                            other_clinician):
    Shift.objects.filter(clinician=clinician).update(ends_at=ago(1))
    Shift.objects.create(clinician=other_clinician, starts_at=ago(-60), ends_at=ago(-600))
    intake = urgent(patient)
    notification = Notification.objects.get(intake=intake, kind=Notification.Kind.URGENT)
    assert notification_send(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.sent_at is None and notification.last_error == NO_RECIPIENT


def test_with_nobody_on_call_an_alert_is_never_counted_as_sent(patient, other_clinician):
    intake = urgent(patient)
    notification = Notification.objects.get(intake=intake, kind=Notification.Kind.URGENT)
    for _ in range(12):  # the sweep keeps trying, past the usual cap of 10 attempts
        assert notification.pk in _pending()
        send_pending_notifications()
    notification.refresh_from_db()
    assert notification.sent_at is None and notification.last_error == NO_RECIPIENT
    assert not [m for m in mail.outbox if m.subject.startswith("URGENT")]
    # Someone goes on call: the next sweep delivers it.
    put_on_call(other_clinician)
    send_pending_notifications()
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.last_error == ""
    assert [m.to for m in mail.outbox] == [[other_clinician.email]]


def _pending() -> list[int]:
    from review.notifications import notifications_pending_ids

    Notification.objects.update(created_at=ago(5))
    return notifications_pending_ids()


def test_oncall_emails_get_the_alert_but_do_not_hide_an_empty_roster(patient, settings,
                                                                     admin_user):
    settings.ONCALL_EMAILS = ["pager@example.com"]
    urgent(patient)
    send_all()
    assert [m.to for m in mail.outbox] == [["pager@example.com"]]
    page = signed_in(admin_user).get(reverse("review:queue")).content.decode()
    assert ROSTER_EMPTY_MESSAGE in page


def test_a_clinician_acknowledges_in_one_click_and_it_is_recorded(patient, clinician,
                                                                  clinician_client):
    intake = urgent(patient)
    page = clinician_client.get(reverse("review:intake", args=[intake.pk])).content.decode()
    assert "I'm on it</button>" in page and "not acknowledged yet" in page
    response = clinician_client.post(reverse("review:acknowledge", args=[intake.pk]))
    assert response.status_code == 302
    alert = UrgentAlert.objects.get(intake=intake)
    assert alert.acknowledged_by == clinician and alert.acknowledged_at is not None
    event = AuditEvent.objects.get(object_type="urgent_alert")
    assert event.actor == clinician and event.intake_id == intake.pk
    page = clinician_client.get(reverse("review:intake", args=[intake.pk])).content.decode()
    assert "Urgent alert acknowledged by <strong>Casey Clinician</strong>" in page
    queue = clinician_client.get(reverse("review:queue")).content.decode()
    assert "Acknowledged by Casey Clinician" in queue


def test_the_first_acknowledgement_stands(patient, clinician, other_clinician):
    intake = urgent(patient)
    alert_acknowledge(intake=intake, actor=clinician)
    second = alert_acknowledge(intake=intake, actor=other_clinician)
    assert second.acknowledged_by == clinician
    assert AuditEvent.objects.filter(object_type="urgent_alert").count() == 1


def test_opening_the_intake_is_not_acknowledging_it(patient, clinician, clinician_client):
    intake = urgent(patient, minutes_ago=16)
    clinician_client.get(reverse("review:intake", args=[intake.pk]))
    assert alerts_escalate() == [UrgentAlert.objects.get(intake=intake).pk]


def test_unacknowledged_after_15_minutes_it_goes_to_the_backup_and_every_clinician(
        patient, clinician, other_clinician):
    backup = clinician_named("Blair")
    Shift.objects.filter(clinician=clinician).update(backup=backup)
    gone = clinician_named("Gone")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    late = [urgent(patient, minutes_ago=16) for _ in range(3)]
    urgent(patient, minutes_ago=5)  # still in its first period
    acknowledged = urgent(patient, minutes_ago=40)
    alert_acknowledge(intake=acknowledged, actor=clinician)
    decided = urgent(patient, minutes_ago=40)
    Intake.objects.filter(pk=decided.pk).update(status=Intake.Status.DECIDED)
    send_all()
    mail.outbox.clear()

    assert escalate_unacknowledged_urgent_alerts() == 3
    send_all()
    # One message per person, not one per intake; the inactive clinician gets none.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [clinician.email, other_clinician.email, backup.email])
    for message in mail.outbox:
        assert message.subject == "URGENT: 3 urgent intakes are not yet acknowledged"
        assert reverse("review:queue") in message.body
        assert "Pat" not in message.body
        for intake in late:
            assert f"/intakes/{intake.pk}/" not in message.body
    alerts = UrgentAlert.objects.filter(intake__in=late)
    assert {alert.escalations for alert in alerts} == {1}


def test_it_escalates_again_each_period_until_acknowledged(patient, clinician):
    intake = urgent(patient, minutes_ago=16)
    alert = UrgentAlert.objects.get(intake=intake)
    assert alerts_escalate() == [alert.pk]
    assert alerts_escalate() == []  # the beat runs every minute: not again this period
    UrgentAlert.objects.filter(pk=alert.pk).update(last_alerted_at=ago(15.5))
    assert alerts_escalate() == [alert.pk]
    alert_acknowledge(intake=intake, actor=clinician)
    UrgentAlert.objects.filter(pk=alert.pk).update(last_alerted_at=ago(60))
    assert alerts_escalate() == []
    assert Notification.objects.filter(kind=Notification.Kind.URGENT_ESCALATION).count() == 2


def test_an_alert_for_a_draft_with_no_recommendation_works(patient, clinician, settings):
    # The acute-risk save of a draft queues the alert before any submit (another branch).
    draft = Intake.objects.create(patient=patient)
    notification_queue(kind=Notification.Kind.URGENT, intake=draft)
    draft.refresh_from_db()
    assert draft.respond_by is not None  # the urgent clock runs from now
    assert draft.respond_by - draft.clock_started_at == timedelta(hours=1)
    send_all()
    assert [m.to for m in mail.outbox] == [[clinician.email]]
    UrgentAlert.objects.filter(intake=draft).update(last_alerted_at=ago(20))
    assert len(alerts_escalate()) == 1


def test_a_draft_and_its_later_submit_share_one_alert(patient, clinician):
    intake = urgent(patient)
    notification_queue(kind=Notification.Kind.URGENT, intake=intake)
    assert UrgentAlert.objects.filter(intake=intake).count() == 1


# --- the banner and /healthz -------------------------------------------------------------


def staff_pages(intake) -> list[str]:
    return [reverse("review:queue"), reverse("review:intake", args=[intake.pk]),
            reverse("review:metrics"), reverse("review:response-times")]


def admin_pages() -> list[str]:
    return [reverse("criteria:list"), reverse("audit:log"), reverse("oncall:roster"),
            reverse("oncall:shift-new")]


def test_an_empty_roster_is_a_red_banner_on_every_staff_page(patient, other_clinician,
                                                             admin_user):
    intake = submitted_intake(patient)
    for user, pages in ((other_clinician, staff_pages(intake)),
                        (admin_user, staff_pages(intake) + admin_pages())):
        client = signed_in(user)
        for url in pages:
            html = client.get(url).content.decode()
            assert 'role="alert"' in html and ROSTER_EMPTY_MESSAGE in html, (user, url)
    # Admins get the way to fix it; clinicians are told who can.
    admin_html = signed_in(admin_user).get(reverse("review:queue")).content.decode()
    assert f'href="{reverse("oncall:roster")}">Open the on-call roster' in admin_html
    clinician_html = signed_in(other_clinician).get(reverse("review:queue")).content.decode()
    assert "only admins change the on-call roster" in clinician_html


def test_the_banner_is_for_staff_only(patient_client, anon_client, db):
    for client, url in ((patient_client, reverse("intake:home")), (anon_client, "/login/")):
        assert ROSTER_EMPTY_MESSAGE not in client.get(url).content.decode()


def test_no_banner_when_someone_is_on_call_and_everything_was_delivered(clinician_client,
                                                                        patient):
    urgent(patient)
    send_all()
    assert 'class="alert alert-danger rounded-0' not in clinician_client.get(
        reverse("review:queue")).content.decode()


def test_an_undelivered_alert_is_on_the_banner_even_with_someone_on_call(
        patient, clinician_client, clinician):
    intake = urgent(patient)
    Notification.objects.filter(intake=intake, kind=Notification.Kind.URGENT).update(
        last_error="SMTPServerDisconnected")
    html = clinician_client.get(reverse("review:queue")).content.decode()
    assert "1 urgent alert could not be delivered yet" in html


def test_healthz_is_ok_with_someone_on_call(anon_client, clinician):
    response = anon_client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")


def test_healthz_reports_degraded_naming_the_checks(anon_client, patient, other_clinician):
    response = anon_client.get("/healthz")
    assert (response.status_code, response.content) == (200,
                                                        b"degraded\noncall_roster_empty\n")
    urgent(patient)
    send_all()  # nobody on call: it stays pending with its error
    response = anon_client.get("/healthz")
    assert response.content == b"degraded\noncall_roster_empty\nurgent_alerts_undelivered\n"
    assert b"Pat" not in response.content


def test_an_escalation_to_someone_who_left_meanwhile_is_closed_not_retried(patient, clinician,
                                                                           other_clinician):
    urgent(patient, minutes_ago=16)
    send_all()
    alerts_escalate()
    other_clinician.is_active = False
    other_clinician.save(update_fields=["is_active"])
    send_all()
    copy = Notification.objects.get(kind=Notification.Kind.URGENT_ESCALATION,
                                    recipient=other_clinician)
    assert copy.sent_at is not None and copy.last_error == "recipient left"
    assert [m.to for m in mail.outbox if "not yet acknowledged" in m.subject] == [
        [clinician.email]]
    assert "could not be delivered" not in signed_in(clinician).get(
        reverse("review:queue")).content.decode()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_real_worker_runs_the_sweep_and_mails_each_person_once(patient, clinician,
                                                                 other_clinician):
    import os

    from tests.review.test_notifications import SMTPSink
    from tests.workers import celery_worker

    for _ in range(2):
        urgent(patient, minutes_ago=16)
    Notification.objects.update(sent_at=timezone.now())  # the first alerts went out
    queue = f"test-escalate-{os.getpid()}"
    with SMTPSink() as smtp:
        env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "EMAIL_USE_TLS": "0",
               "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "", "ONCALL_WEBHOOK_URL": ""}
        with celery_worker(queue, env) as result:
            sweep = escalate_unacknowledged_urgent_alerts.apply_async(queue=queue).id
            assert result(sweep) == 2
            # The sweep handed the sends to the default queue; the outbox sweep (on this
            # test's queue) sends them here, as it would after a broker outage.
            Notification.objects.filter(sent_at__isnull=True).update(created_at=ago(1))
            assert result(send_pending_notifications.apply_async(queue=queue).id) == 2
    assert sorted(to[0] for to, _ in smtp.received) == sorted([clinician.email,
                                                              other_clinician.email])
    for _, message in smtp.received:
        assert "URGENT: 2 urgent intakes are not yet acknowledged" in message
        assert "Pat" not in message
