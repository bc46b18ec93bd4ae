"""The questions come from the clinical catalogue in the wording of the intake's pinned
questionnaire version (SPEC §8b), and staff read each answer under the question as it was
asked. The four SPEC v2 safety questions are asked where the catalogue puts them."""

import pytest
from django.urls import reverse

from intake.display import answer_sections
from intake.forms import spec
from intake.models import Intake
from intake.steps import STEPS
from screening.engine import catalogue as C
from tests.conftest import signed_in
from tests.factories import answers as complete_answers
from tests.factories import submitted_intake

from .helpers import fill_steps, step_data

pytestmark = pytest.mark.django_db

Q6_EXAMPLES = ("collected pills", "gave away valuables", "wrote a will or suicide note",
               "took out pills but didn't swallow any")


@pytest.fixture
def client_(patient):
    return signed_in(patient)


def start(client) -> Intake:
    client.post(reverse("intake:start"))
    return Intake.objects.get(status=Intake.Status.DRAFT)


def page(client, intake, slug) -> str:
    return client.get(reverse("intake:step", args=[intake.pk, slug])).content.decode()


@pytest.mark.parametrize("version", C.QUESTIONNAIRE_VERSIONS)
def test_every_question_on_every_step_is_the_catalogues_in_its_version(version):
    answers = complete_answers(concerns=["eating", "bipolar", "chronic_pain"])
    for step in STEPS:
        if step.saves_contact_details:
            continue  # how to reach the person: beside the answers, not a question of them
        form = step.form(answers=answers, version=version, **step.form_kwargs(answers))
        assert form.paths, step.slug
        for name, path in form.paths.items():
            field, text = form.fields[name], C.question(path, version)
            if path in ("height_cm", "weight_kg"):
                continue  # asked in the person's units (intake/measures.py)
            assert text and text in str(field.label), (version, path)
            if spec(path).kind != "boolean":
                for value, label in getattr(field, "choices", ()):
                    assert C.option_label(path, value, version) == label, (path, value)


def test_a_new_intake_is_pinned_to_the_current_version(client_):
    intake = start(client_)
    assert intake.questionnaire_version == C.CURRENT_QUESTIONNAIRE == "q-2"


def test_the_person_reads_the_q6_examples_and_the_daily_use_wording(client_):
    intake = start(client_)
    safety = page(client_, intake, "safety")
    for example in Q6_EXAMPLES:
        assert example in safety.replace("&#x27;", "'"), example
    health = page(client_, intake, "health")
    assert "in a way that was not prescribed for you" in health
    assert "Medication taken as prescribed" in health and "does not count" in health
    assert "buprenorphine, methadone" in health


def test_an_intake_pinned_to_q1_is_asked_and_read_in_q1s_wording(client_, patient):
    intake = start(client_)
    Intake.objects.filter(pk=intake.pk).update(questionnaire_version="q-1")
    safety = page(client_, intake, "safety")
    assert C.question("cssrs.behavior_lifetime", "q-1") in safety.replace("&#x27;", "'")
    assert "collected pills" not in safety
    assert "gun (firearm)" not in safety  # q-1 did not ask it
    fill_steps(client_, intake.pk, complete_answers(), upto="safety")
    intake.refresh_from_db()
    assert "firearm_access" not in intake.answers


def test_staff_read_q6_as_it_was_asked_q1_for_an_old_intake_q2_for_a_new_one(
        clinician_client, patient, clinician):
    old = submitted_intake(patient)
    Intake.objects.filter(pk=old.pk).update(questionnaire_version="q-1")
    new = submitted_intake(clinician)  # any second person; pinned to q-2 at creation
    q1, q2 = (C.question("cssrs.behavior_lifetime", version) for version in ("q-1", "q-2"))
    html_old = clinician_client.get(reverse("review:intake", args=[old.pk])).content.decode()
    html_new = clinician_client.get(reverse("review:intake", args=[new.pk])).content.decode()
    html_old, html_new = (h.replace("&#x27;", "'") for h in (html_old, html_new))
    assert q1 in html_old and "collected pills" not in html_old
    assert q2 in html_new
    old.refresh_from_db()
    sections = answer_sections(old.answers, version=old.questionnaire_version, for_staff=True)
    row = next(r for s in sections for r in s.rows if r.label.startswith("Q6 Ever"))
    assert row.question == q1


def test_the_four_new_questions_are_asked_and_stored_in_the_engines_shape(client_):
    intake = start(client_)
    safety = page(client_, intake, "safety")
    assert C.question("firearm_access") in safety.replace("&#x27;", "'")
    assert C.question("self_harm_past_month") in safety
    assert C.question("overdose_past_year") in page(client_, intake, "drugs")
    health = page(client_, intake, "health")
    assert C.question("psychotic_symptoms.hallucinations") in health
    answers = complete_answers(firearm_access=True, self_harm_past_month=False,
                               overdose_past_year=True,
                               psychotic_symptoms={"hallucinations": False, "paranoia": True})
    fill_steps(client_, intake.pk, answers)
    intake.refresh_from_db()
    for name in ("firearm_access", "self_harm_past_month", "overdose_past_year",
                 "psychotic_symptoms"):
        assert intake.answers[name] == answers[name], name


def test_a_new_safety_question_left_unanswered_is_named(client_):
    intake = start(client_)
    data = step_data("safety", complete_answers())
    del data["firearm_access"]
    response = client_.post(reverse("intake:step", args=[intake.pk, "safety"]), data)
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()


def test_a_choice_added_to_the_catalogue_is_asked_and_shown_with_no_other_change(
        monkeypatch):
    """The catalogue is the one place a choice lives: patched there alone (as the catalogue's
    own change would be), the form asks it and both readings of the answers show it."""
    import dataclasses

    from intake.display import answer_sections
    from intake.forms import HomeForm

    housing = C.ANSWERS["housing"]
    shelter = C.Option("shelter", "A shelter or hostel", "Shelter")
    monkeypatch.setitem(C.ANSWERS, "housing", dataclasses.replace(
        housing, options=housing.options[:2] + (shelter,) + housing.options[2:]))
    monkeypatch.setitem(C.WORDING, "q-2", {**C.WORDING["q-2"],
                                           "housing=shelter": "A shelter or hostel"})
    assert ("shelter", "A shelter or hostel") in HomeForm().fields["housing"].choices
    answers = complete_answers(housing="shelter")
    staff = {r.label: r for s in answer_sections(answers, for_staff=True) for r in s.rows}
    person = {r.label: r for s in answer_sections(answers) for r in s.rows}
    assert staff["Housing"].answer == "Shelter" and staff["Housing"].concern
    assert person["Housing"].answer == "A shelter or hostel"
