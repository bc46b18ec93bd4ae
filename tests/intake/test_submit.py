"""Submitting once, the page after it, the urgent path, and what the patient sees later."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from intake import services
from intake.models import Intake
from intake.steps import steps_for
from review.models import Decision, Notification, Program
from screening.models import Recommendation
from tests.conftest import signed_in
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION
from tests.factories import answers as complete_answers

from .helpers import fill_steps, sign

pytestmark = pytest.mark.django_db(transaction=True)


def submitted(client, **overrides) -> Intake:
    client.post(reverse("intake:start"))
    intake = Intake.objects.get(status=Intake.Status.DRAFT)
    fill_steps(client, intake.pk, complete_answers(**overrides))
    response = sign(client, intake.pk)
    assert response.url == reverse("intake:status", args=[intake.pk])
    intake.refresh_from_db()
    return intake


def test_it_submits_once_with_the_recommendation_pinned_to_the_published_version(patient):
    client = signed_in(patient)
    intake = submitted(client, **MODERATE_DEPRESSION)
    assert intake.status == Intake.Status.SUBMITTED and intake.submitted_at
    assert intake.signature_name == "Pat Patient" and intake.consented_at
    recommendation = Recommendation.objects.get(intake=intake)
    assert recommendation.level == "iop" and recommendation.criteria_version.version == "default-2"
    assert intake.recommended_level == "iop" and not intake.urgent
    assert list(Notification.objects.filter(intake=intake).values_list("kind", flat=True)) == [
        "new_intake"]


def test_a_double_submit_makes_no_second_intake_or_recommendation(patient):
    client = signed_in(patient)
    intake = submitted(client)
    for _ in range(2):  # the back button, a second tab, a double click
        response = sign(client, intake.pk)
        assert response.url == reverse("intake:status", args=[intake.pk])
    assert Intake.objects.filter(patient=patient).count() == 1
    assert Recommendation.objects.filter(intake__patient=patient).count() == 1
    assert Notification.objects.filter(intake=intake).count() == 1
    step = client.post(reverse("intake:step", args=[intake.pk, "about"]), {"age": "50"})
    assert step.url == reverse("intake:status", args=[intake.pk])
    intake.refresh_from_db()
    assert intake.answers["age"] == 34


def test_after_submit_it_says_what_happens_next_and_shows_under_review(patient):
    client = signed_in(patient)
    intake = submitted(client, **MODERATE_DEPRESSION)
    html = client.get(reverse("intake:status", args=[intake.pk])).content.decode()
    assert "under review" in html and "What happens next" in html
    assert "2 working days" in html
    # The patient never sees the engine's recommendation before a clinician decides.
    assert "Intensive outpatient" not in html and "IOP-SYMPTOMS" not in html


def test_an_urgent_result_puts_crisis_help_first_and_alerts_on_call(patient):
    client = signed_in(patient)
    intake = submitted(client, **HIGH_SUICIDE_RISK)
    assert intake.urgent
    html = client.get(reverse("intake:status", args=[intake.pk])).content.decode()
    main = html[html.index('<main'):]
    assert main.index("988") < main.index("<h1")
    assert "911" in main and "Suicide &amp; Crisis Lifeline" in main
    kinds = set(Notification.objects.filter(intake=intake).values_list("kind", flat=True))
    assert kinds == {"new_intake", "urgent"}


def test_the_patient_sees_the_decided_level_and_next_steps(patient, clinician):
    client = signed_in(patient)
    intake = submitted(client, **MODERATE_DEPRESSION)
    program = Program.objects.create(name="Evening IOP", level="iop",
                                     schedule="Mon, Wed, Thu 6-9 pm")
    Decision.objects.create(intake=intake, recommended_level="iop", indicated_level="iop",
                            start_level="iop", accepted=True, program=program,
                            next_steps="Come to the first group on Monday at 6 pm.",
                            decided_by=clinician)
    Intake.objects.filter(pk=intake.pk).update(status=Intake.Status.DECIDED,
                                               decided_at=timezone.now())
    html = client.get(reverse("intake:status", args=[intake.pk])).content.decode()
    assert "Decided: Intensive outpatient program (IOP)" in html
    assert "Evening IOP" in html and "first group on Monday" in html
    assert "under review" not in html


def test_the_patient_can_read_and_print_their_answers(patient):
    client = signed_in(patient)
    intake = submitted(client, **MODERATE_DEPRESSION)
    html = client.get(reverse("intake:answers", args=[intake.pk])).content.decode()
    assert "Little interest or pleasure in doing things" in html
    assert "More than half the days" in html and "data-print" in html
    assert "signed by Pat Patient" in html


def test_submit_takes_only_a_post(patient):
    client = signed_in(patient)
    client.post(reverse("intake:start"))
    intake = Intake.objects.get(patient=patient)
    assert client.get(reverse("intake:submit", args=[intake.pk])).status_code == 405


def test_when_the_engine_refuses_an_answer_it_sends_the_patient_to_that_step(patient):
    answers = complete_answers(pcptsd5={"exposure": False}, scoff=[False] * 5)
    answers["phq9"] = answers["phq9"][:8]  # as if a step's rules let a short list through
    intake = Intake.objects.create(patient=patient, answers=answers,
                                   steps_done=[s.slug for s in steps_for(answers)])
    client = signed_in(patient)
    response = sign(client, intake.pk)
    assert response.url == reverse("intake:step", args=[intake.pk, "mood"])
    page = client.get(response.url).content.decode()
    assert "Please check this answer again" in page
    intake.refresh_from_db()
    assert intake.status == Intake.Status.DRAFT
    assert not Recommendation.objects.filter(intake=intake).exists()


def test_two_submits_at_the_same_moment_make_one_recommendation(patient):
    """Two tabs submitting together: the row lock lets one through, the other finds it
    submitted. Real threads on the real database, not one after the other."""
    answers = complete_answers(pcptsd5={"exposure": False}, scoff=[False] * 5)
    intake = Intake.objects.create(patient=patient, answers=answers,
                                   steps_done=[s.slug for s in steps_for(answers)])
    barrier = threading.Barrier(2)
    errors = []

    def submit():
        try:
            barrier.wait()
            services.intake_submit(intake=intake, signature_name="Pat Patient")
        except Exception as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Recommendation.objects.filter(intake=intake).count() == 1
    assert Notification.objects.filter(intake=intake).count() == 1
    assert Intake.objects.filter(patient=patient).count() == 1


def test_starting_saving_and_submitting_are_in_the_audit_log(patient):
    client = signed_in(patient)
    intake = submitted(client)
    events = AuditEvent.objects.filter(intake_id=intake.pk, object_type="intake")
    assert events.filter(action="create").count() == 1
    assert events.filter(action="submit").count() == 1
    steps = {e.detail["step"] for e in events.filter(action="change")}
    assert {"about", "contact", "safety", "mood", "availability"} <= steps
    # Which step, never the answers.
    assert all(set(e.detail) <= {"step", "criteria_version"} for e in events)
    # The contact details given on their step: which fields, never the numbers.
    contact = AuditEvent.objects.get(intake_id=intake.pk, object_type="contact_details")
    assert contact.action == "create" and "phone" in contact.detail["fields"]
    assert "555" not in str(contact.detail)


def test_a_draft_purged_while_its_page_was_open_says_so_instead_of_failing(patient,
                                                                            monkeypatch):
    client = signed_in(patient)
    client.post(reverse("intake:start"))
    intake = Intake.objects.get(patient=patient)

    def purged_meanwhile(**kwargs):
        # The nightly purge deleted the row between the page's read and its locked write.
        raise Intake.DoesNotExist

    monkeypatch.setattr(services, "intake_submit", purged_meanwhile)
    monkeypatch.setattr(services, "intake_step_save", purged_meanwhile)
    response = client.post(reverse("intake:step", args=[intake.pk, "about"]),
                           {"age": "40", "sex_at_birth": "male"})
    assert response.url == reverse("intake:home")
    response = sign(client, intake.pk)
    assert response.url == reverse("intake:home")
    assert "was deleted" in client.get(reverse("intake:home")).content.decode()


def test_a_closed_intake_without_a_decision_says_closed_not_under_review(patient):
    client = signed_in(patient)
    intake = submitted(client)
    Intake.objects.filter(pk=intake.pk).update(status=Intake.Status.CLOSED)
    html = client.get(reverse("intake:status", args=[intake.pk])).content.decode()
    assert "This intake is closed" in html and "under review" not in html
