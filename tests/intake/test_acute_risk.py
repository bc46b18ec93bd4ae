"""SPEC §8b, acute risk acted on at once: the save of the step that first shows acute risk
alerts the on-call clinicians and puts the draft in the queue, before any submit."""

import time

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from intake import services
from intake.models import Intake
from intake.steps import BY_SLUG
from intake.tasks import purge_stale_drafts, remind_unfinished_intakes
from review.models import Notification
from tests.conftest import signed_in
from tests.factories import HIGH_SUICIDE_RISK
from tests.factories import answers as complete_answers

from .helpers import fill_steps, sign, step_data

pytestmark = pytest.mark.django_db

INTENT = complete_answers(**HIGH_SUICIDE_RISK)
HARM_INTENT = complete_answers(harm_to_others="intent")
QUEUE = reverse("review:queue")
DAY = timezone.timedelta(days=1)


def draft_up_to_contact(client) -> Intake:
    """A draft with the steps before the safety questions saved, as the person left them."""
    response = client.post(reverse("intake:start"))
    intake = Intake.objects.get(pk=int(response["Location"].split("/")[2]))
    fill_steps(client, intake.pk, complete_answers(), upto="contact")
    return intake


def save_safety(client, intake: Intake, answers: dict):
    response = client.post(reverse("intake:step", args=[intake.pk, "safety"]),
                           step_data("safety", answers))
    assert response.status_code == 302, response.content.decode()[:2000]
    intake.refresh_from_db()
    return response


def urgent_alerts(intake: Intake) -> int:
    return Notification.objects.filter(intake=intake, kind=Notification.Kind.URGENT).count()


@pytest.fixture
def risky_draft(patient) -> Intake:
    client = signed_in(patient)
    intake = draft_up_to_contact(client)
    save_safety(client, intake, INTENT)
    return intake


def test_the_save_that_shows_intent_queues_one_urgent_alert_and_marks_the_draft(
        patient, django_capture_on_commit_callbacks):
    client = signed_in(patient)
    intake = draft_up_to_contact(client)
    assert urgent_alerts(intake) == 0 and intake.acute_risk_at is None
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        save_safety(client, intake, INTENT)
    assert intake.status == Intake.Status.DRAFT
    assert intake.acute_risk_at is not None and intake.urgent
    assert urgent_alerts(intake) == 1
    assert len(enqueued) == 1  # handed to the broker once the save has committed


def test_intent_to_harm_others_raises_it_too_and_lower_risk_does_not(patient, other_patient):
    for who, answers, raised in ((patient, HARM_INTENT, True),
                                 (other_patient, complete_answers(cssrs={
                                     "wish_dead": True, "suicidal_thoughts": True,
                                     "method": True, "intent": False, "plan": False,
                                     "behavior_lifetime": True,
                                     "behavior_past_3_months": False}), False)):
        client = signed_in(who)
        intake = draft_up_to_contact(client)
        save_safety(client, intake, answers)
        assert (intake.acute_risk_at is not None, urgent_alerts(intake)) == (raised, int(raised))


def test_the_alert_is_rolled_back_with_the_save(patient):
    client = signed_in(patient)
    intake = draft_up_to_contact(client)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.intake_step_save(intake=intake, step=BY_SLUG["safety"], part={
            "cssrs": INTENT["cssrs"], "harm_to_others": "none"})
        assert urgent_alerts(intake) == 1  # inside: written with the answers
        raise RuntimeError("the request failed after the save")
    intake.refresh_from_db()
    assert urgent_alerts(intake) == 0
    assert intake.acute_risk_at is None and "cssrs" not in intake.answers


def test_a_second_risky_save_does_not_alert_again(patient, risky_draft):
    client = signed_in(patient)
    save_safety(client, risky_draft, HARM_INTENT)  # changed: still acute, another reason
    save_safety(client, risky_draft, INTENT)
    assert urgent_alerts(risky_draft) == 1


def test_submitting_it_later_does_not_alert_a_second_time(patient, risky_draft):
    client = signed_in(patient)
    fill_steps(client, risky_draft.pk, INTENT)
    assert sign(client, risky_draft.pk).status_code == 302
    risky_draft.refresh_from_db()
    assert risky_draft.status == Intake.Status.SUBMITTED and risky_draft.urgent
    kinds = sorted(Notification.objects.filter(intake=risky_draft).values_list("kind",
                                                                               flat=True))
    assert kinds == [Notification.Kind.NEW_INTAKE, Notification.Kind.URGENT]


def test_it_heads_the_queue_as_urgent_not_submitted_for_clinicians(
        risky_draft, other_patient, clinician_client, admin_client_):
    from tests.factories import submitted_intake

    urgent_submitted = submitted_intake(other_patient, **HIGH_SUICIDE_RISK)
    for client in (clinician_client, admin_client_):
        response = client.get(QUEUE)
        rows = [row["intake"].pk for row in response.context["rows"]]
        assert rows == [risky_draft.pk, urgent_submitted.pk]
        html = response.content.decode()
        assert "Urgent, not submitted" in html
        assert "1 urgent draft not submitted yet, listed first" in html
    # A filter a draft cannot match (a level) leaves it out; a search for the person finds it.
    assert risky_draft.pk not in [r["intake"].pk for r in clinician_client.get(
        QUEUE, {"level": "inpatient"}).context["rows"]]
    page = clinician_client.get(clinician_client.post(QUEUE, {"q": "Pat Pat"})["Location"])
    assert [r["intake"].pk for r in page.context["rows"]] == [risky_draft.pk]


def test_the_queue_and_the_draft_are_not_for_a_patient(risky_draft, patient_client,
                                                       other_patient_client):
    assert patient_client.get(QUEUE).status_code == 403
    url = reverse("review:intake", args=[risky_draft.pk])
    assert patient_client.get(url).status_code == 403
    assert other_patient_client.get(reverse("intake:status", args=[risky_draft.pk])
                                    ).status_code == 404


def test_a_clinician_reads_the_answers_so_far_without_a_recommendation(risky_draft,
                                                                      clinician_client):
    response = clinician_client.get(reverse("review:intake", args=[risky_draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "not submitted yet: answers so far" in html.lower()
    assert "Q4 Some intention of acting" in html  # the safety answers, as saved
    assert 'href="tel:+12025550143"' in html
    printed = clinician_client.get(reverse("review:print", args=[risky_draft.pk]))
    assert printed.status_code == 200 and "(202) 555-0143" in printed.content.decode()
    exported = clinician_client.get(reverse("review:export", args=[risky_draft.pk])).json()
    assert exported["status"] == "draft" and exported["recommendation"] is None
    assert "phone" not in exported["answers"]


def test_any_other_draft_stays_out_of_the_clinics_sight(patient, clinician_client):
    client = signed_in(patient)
    intake = draft_up_to_contact(client)
    save_safety(client, intake, complete_answers())
    assert clinician_client.get(reverse("review:intake", args=[intake.pk])).status_code == 404
    assert intake.pk not in [r["intake"].pk for r in clinician_client.get(QUEUE)
                             .context["rows"]]


def test_reminders_and_the_purge_leave_it_alone_until_a_clinician_closes_it(
        risky_draft, clinician, other_patient):
    Intake.objects.filter(pk=risky_draft.pk).update(updated_at=timezone.now() - 40 * DAY)
    plain = Intake.objects.create(patient=other_patient)
    Intake.objects.filter(pk=plain.pk).update(updated_at=timezone.now() - 2 * DAY)
    assert remind_unfinished_intakes() == 1  # the other draft only
    assert services.intake_remind(intake_id=risky_draft.pk) is False
    assert not Notification.objects.filter(intake=risky_draft, kind="reminder").exists()
    assert purge_stale_drafts() == 0
    assert Intake.objects.filter(pk=risky_draft.pk).exists()

    services.intake_acute_risk_close(intake=risky_draft, actor=clinician,
                                     reason="Reached by phone; safe; safety plan agreed.")
    assert purge_stale_drafts() == 1  # the clinician's decision: now it may go
    assert not Intake.objects.filter(pk=risky_draft.pk).exists()


def test_a_clinician_closes_the_alert_with_a_reason_and_it_leaves_the_queue(
        risky_draft, clinician, clinician_client, admin_client_):
    url = reverse("review:close-alert", args=[risky_draft.pk])
    response = clinician_client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Say in a few words what was done" in response.content.decode()
    assert admin_client_.post(url, {"reason": "Admins do not act on alerts"}
                              ).status_code == 403

    response = clinician_client.post(url, {"reason": "Reached by phone: safe, plan agreed."})
    assert response.status_code == 302
    risky_draft.refresh_from_db()
    assert risky_draft.acute_risk_closed_by == clinician
    assert risky_draft.acute_risk_close_reason == "Reached by phone: safe, plan agreed."
    assert risky_draft.pk not in [r["intake"].pk for r in clinician_client.get(QUEUE)
                                  .context["rows"]]
    page = clinician_client.get(reverse("review:intake", args=[risky_draft.pk]))
    assert "Alert closed" in page.content.decode()  # still readable, with who closed it
    assert AuditEvent.objects.filter(intake_id=risky_draft.pk, action="state",
                                     detail__acute_risk_alert="closed").count() == 1
    again = clinician_client.post(url, {"reason": "twice"}, follow=True)
    assert "no open urgent alert" in again.content.decode()


def test_the_person_can_carry_on_and_submit_after_the_alert_was_closed(patient, clinician,
                                                                      risky_draft):
    services.intake_acute_risk_close(intake=risky_draft, actor=clinician, reason="Called.")
    client = signed_in(patient)
    fill_steps(client, risky_draft.pk, INTENT)
    assert sign(client, risky_draft.pk).status_code == 302
    risky_draft.refresh_from_db()
    assert risky_draft.status == Intake.Status.SUBMITTED
    assert urgent_alerts(risky_draft) == 1


def test_the_person_is_told_a_clinician_will_call_and_on_which_number(patient, clinician,
                                                                     risky_draft):
    client = signed_in(patient)
    for url in (reverse("intake:home"), reverse("intake:step", args=[risky_draft.pk, "mood"])):
        html = client.get(url).content.decode()
        assert "A clinician has been alerted" in html and "(202) 555-0143" in html
    services.intake_acute_risk_close(intake=risky_draft, actor=clinician, reason="Called.")
    assert "A clinician has been alerted" not in client.get(reverse("intake:home")
                                                            ).content.decode()


def test_sign_up_and_the_safety_step_say_beforehand_that_a_clinician_will_be_alerted(
        client, patient):
    notice = "a clinician will be alerted right away"
    assert notice in client.get(reverse("accounts:signup")).content.decode()
    patient_client = signed_in(patient)
    intake = draft_up_to_contact(patient_client)
    safety = patient_client.get(reverse("intake:step", args=[intake.pk, "safety"]))
    assert notice in safety.content.decode()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_real_worker_mails_the_on_call_clinician_after_the_risky_save(patient, clinician):
    """The whole path, no submit: the save's commit hands the alert to the broker, a real
    worker sends it by SMTP, and the mail says only where to look."""
    from tests.review.test_notifications import SMTPSink
    from tests.workers import celery_worker

    client = signed_in(patient)
    intake = draft_up_to_contact(client)
    with SMTPSink() as smtp:
        env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "EMAIL_USE_TLS": "0",
               "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": ""}
        # The alert goes to the "urgent" queue, as in production: this worker takes it.
        with celery_worker("urgent", env, purge_first=True):
            save_safety(client, intake, INTENT)
            alert = Notification.objects.get(intake=intake, kind=Notification.Kind.URGENT)
            deadline = timezone.now() + timezone.timedelta(seconds=60)
            while alert.sent_at is None and timezone.now() < deadline:
                alert.refresh_from_db()
                time.sleep(0.05)
    assert alert.sent_at is not None
    [(recipients, message)] = smtp.received
    assert recipients == [clinician.email]
    assert f"/review/intakes/{intake.pk}/" in message
    for secret in ("Pat Patient", patient.email, "555", "+1202"):
        assert secret not in message
