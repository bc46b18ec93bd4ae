"""Answers as staff and the person read them (intake.display, one module for every page):
the option's words, "Not asked" for a question never put, severity in words (issue 12)."""

import json

import pytest
from django.urls import reverse

from intake.display import NOT_ASKED, answer_sections
from review.display import severity_words
from tests.conftest import signed_in
from tests.factories import submitted_intake

pytestmark = pytest.mark.django_db

# PHQ-9 of 17: moderately severe.
MODERATELY_SEVERE = {"phq9": [2, 2, 2, 2, 2, 2, 2, 2, 1], "auditc": [3, 2, 1]}


def rows(answers, **kwargs):
    return {row.label: row for section in answer_sections(answers, **kwargs)
            for row in section.rows}


def test_audit_c_answers_read_as_the_options_words_with_their_points(patient):
    intake = submitted_intake(patient, **MODERATELY_SEVERE)
    staff = rows(intake.answers, for_staff=True)
    assert staff["AUDIT-C item 2: Drinks on a typical day"].answer == "5 or 6 (2 points)"
    assert staff["AUDIT-C item 1: How often a drink"].answer == "2 to 3 times a week (3 points)"
    person = rows(intake.answers)
    assert person["AUDIT-C item 2: Drinks on a typical day"].answer == "5 or 6"


def test_a_follow_up_never_asked_reads_not_asked_not_no(patient):
    intake = submitted_intake(patient)  # no to thoughts: Q3-Q5 and Q6's follow-up not asked
    staff = rows(intake.answers, for_staff=True)
    for label in ("Q3 Thought about how (method)", "Q4 Some intention of acting",
                  "Q6 follow-up: in the past 3 months"):
        assert staff[label].answer == NOT_ASKED, label
    assert staff["Q2 Suicidal thoughts"].answer == "No"


def test_the_clinician_page_print_and_export_read_the_same_words(clinician_client, patient):
    intake = submitted_intake(patient, **MODERATELY_SEVERE)
    assert intake.recommendation.severity == "moderately_severe"
    for name in ("intake", "print"):
        html = clinician_client.get(reverse(f"review:{name}", args=[intake.pk])).content.decode()
        assert "Severity moderately severe;" in html and "moderatelysevere" not in html, name
        assert "5 or 6 (2 points)" in html and NOT_ASKED in html, name
        assert "Drinks on a typical day</th><td>2</td>" not in html
    exported = json.loads(clinician_client.get(
        reverse("review:export", args=[intake.pk])).content)
    read = {row["label"]: row["answer"] for row in exported["answers_read"]}
    assert read["AUDIT-C item 2: Drinks on a typical day"] == "5 or 6 (2 points)"
    assert exported["answers"] == intake.answers  # the engine's shape is kept as it was


def test_the_persons_answers_page_shows_the_words_they_chose(patient):
    intake = submitted_intake(patient, **MODERATELY_SEVERE)
    html = signed_in(patient).get(reverse("intake:answers", args=[intake.pk])).content.decode()
    assert "How many standard drinks containing alcohol" in html and "5 or 6" in html
    assert "(2 points)" not in html and NOT_ASKED not in html


def test_severity_in_words():
    assert severity_words("moderately_severe") == "moderately severe"
    assert severity_words("none") == "none"


def test_staff_emphasis_follows_the_catalogues_order_from_least_to_most_worrying(patient):
    intake = submitted_intake(patient, support="none", housing="stable", firearm_access=True,
                              self_harm_past_month=False, phq9=[0] * 8 + [1])
    staff = rows(intake.answers, for_staff=True)
    assert staff["Support"].concern and not staff["Housing"].concern
    assert staff["Firearm at home or within easy reach"].concern
    assert not staff["Self-harm in the past month (not to die)"].concern
    assert staff["PHQ-9 item 9: Better off dead or self-harm thoughts"].concern
    assert not staff["PHQ-9 item 1: Little interest or pleasure"].concern
    assert not staff["Sex at birth"].concern


def test_staff_see_that_pregnancy_was_not_asked_after_male(patient):
    intake = submitted_intake(patient, sex_at_birth="male")
    assert rows(intake.answers, for_staff=True)["Pregnant"].answer == \
        "Not asked (male at birth)"
    assert "Pregnant" not in rows(intake.answers)
    female = rows(submitted_intake(patient).answers, for_staff=True)
    assert female["Pregnant"].answer == "No"


def test_a_flag_reads_as_the_criteria_pinned_to_its_recommendation_explain_it(
        clinician_client, patient):
    intake = submitted_intake(patient, phq9=[0] * 8 + [1])
    document = intake.recommendation.criteria_version.document
    reason = next(f["reason"] for f in document["flags"] if f["id"] == "safety_followup")
    html = clinician_client.get(reverse("review:intake", args=[intake.pk])).content.decode()
    assert "<strong>Safety follow-up</strong>: " + reason.replace("'", "&#x27;") in html
