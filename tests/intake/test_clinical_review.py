"""What the outside clinical review found on the intake pages (issue 12), each with its fix:
height and weight in the person's units, "save and finish later" on a half-answered page,
pregnancy asked only when it can apply, MDQ with low mood."""

from decimal import Decimal

import pytest
from django.urls import reverse

from intake import measures
from intake.models import Intake
from screening.engine import validate_answers
from tests.conftest import signed_in
from tests.factories import answers as complete_answers

from .helpers import fill_steps, sign, step_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_(patient):
    return signed_in(patient)


def start(client) -> Intake:
    client.post(reverse("intake:start"))
    return Intake.objects.get(status=Intake.Status.DRAFT)


def eating_page(client, intake, **body):
    client.post(reverse("intake:step", args=[intake.pk, "concerns"]), {"concerns": ["eating"]})
    data = {**step_data("eating", complete_answers(scoff=[False] * 5)), **body}
    return client.post(reverse("intake:step", args=[intake.pk, "eating"]), data)


@pytest.mark.parametrize("text", ["5'6", "5'6\"", "5 ft 6 in", "5ft 6in", "5 feet 6 inches",
                                  "66 in", "167.64 cm", "1.6764 m"])
def test_a_height_in_feet_and_inches_or_metric_is_read_exactly(text):
    assert measures.read_height(text, measures.IMPERIAL).value == Decimal("167.6")


def test_a_bare_number_is_read_in_the_units_chosen():
    assert measures.read_height("5", measures.IMPERIAL).value == Decimal("152.4")
    assert measures.read_height("168", measures.METRIC).value == Decimal("168.0")
    # 120 lb = 54.4310844 kg exactly: rounded once, half up, to 0.1 kg.
    assert measures.read_weight("120", measures.IMPERIAL).value == Decimal("54.4")
    assert measures.read_weight("120", measures.METRIC).value == Decimal("120.0")
    # A unit typed with the number wins over the choice on the page.
    assert measures.read_weight("120 lb", measures.METRIC).value == Decimal("54.4")
    assert measures.read_weight("54.45 kg", measures.IMPERIAL).value == Decimal("54.5")


def test_pounds_and_feet_are_stored_in_the_engines_units_and_screened(client_):
    intake = start(client_)
    response = eating_page(client_, intake, body_units="imperial", height="5 ft 6 in",
                           weight="90")
    assert response.status_code == 302
    intake.refresh_from_db()
    assert (intake.answers["height_cm"], intake.answers["weight_kg"]) == (167.6, 40.8)
    # 40.8 kg at 1.676 m: BMI 14.5, the low weight the engine must see (not 32 from 90 kg).
    assert measures.bmi(Decimal("167.6"), Decimal("40.8")) == Decimal("14.5")


def test_a_height_django_could_not_read_gets_a_message_saying_how_to_type_it(client_):
    intake = start(client_)
    response = eating_page(client_, intake, body_units="metric", height="five six",
                           weight="60")
    html = response.content.decode()
    assert response.status_code == 400
    assert "for example 5 ft 6 in" in html and "Enter a number" not in html


def test_an_implausible_bmi_is_asked_again_saying_what_was_understood(client_):
    intake = start(client_)
    # 5 ft 6 in and "350" in kilograms chosen by mistake: BMI 124.6.
    response = eating_page(client_, intake, body_units="metric", height="5'6", weight="350")
    html = response.content.decode()
    assert response.status_code == 400
    assert "We read your height as 5 ft 6 in (167.6 cm) and your weight as 350 kilograms" in html
    assert "body mass index of 124.6" in html
    intake.refresh_from_db()
    assert "height_cm" not in intake.answers and "eating" not in intake.steps_done


def test_a_height_out_of_range_is_asked_again_saying_what_was_understood(client_):
    intake = start(client_)
    response = eating_page(client_, intake, body_units="imperial", height="66", weight="120")
    html = response.content.decode()
    assert response.status_code == 400
    assert "We read your height as 66 ft 0 in" in html and "between 100 and 250 cm" in html


def test_the_eating_page_asks_which_units(client_):
    intake = start(client_)
    client_.post(reverse("intake:step", args=[intake.pk, "concerns"]), {"concerns": ["eating"]})
    html = client_.get(reverse("intake:step", args=[intake.pk, "eating"])).content.decode()
    assert "Pounds, and feet and inches" in html and "Kilograms and centimetres" in html


def test_save_and_finish_later_keeps_every_valid_answer_of_a_half_done_page(client_):
    intake = start(client_)
    fill_steps(client_, intake.pk, complete_answers(), upto="safety")
    url = reverse("intake:step", args=[intake.pk, "mood"])
    data = {"phq9_1": "2", "phq9_2": "3", "phq9_3": "7", "leave": "1"}  # 7 is no option
    response = client_.post(url, data)
    assert response.url == reverse("intake:home")
    intake.refresh_from_db()
    assert intake.unfinished == {"mood": {"phq9_1": "2", "phq9_2": "3"}}
    # Nothing incomplete reaches the answers, and the step is still to do.
    assert "phq9" not in intake.answers and "mood" not in intake.steps_done
    html = client_.get(url).content.decode()
    assert html.count("checked") == 2
    assert 'name="phq9_2" value="3"' in html.replace("\n", " ").replace("  ", " ") or \
        'value="3"' in html
    # Answering the whole page saves it and forgets what was kept.
    answers = complete_answers(phq9=[2, 3, 0, 0, 0, 0, 0, 0, 0])
    assert client_.post(url, step_data("mood", answers)).status_code == 302
    intake.refresh_from_db()
    assert intake.answers["phq9"] == answers["phq9"] and intake.unfinished == {}


def test_save_and_finish_later_never_keeps_an_invalid_answer(client_):
    intake = start(client_)
    url = reverse("intake:step", args=[intake.pk, "about"])
    response = client_.post(url, {"age": "9", "sex_at_birth": "male", "leave": "1"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.unfinished == {"about": {"sex_at_birth": "male"}}
    assert intake.answers == {}


def test_unfinished_pages_of_steps_that_no_longer_apply_are_dropped(client_):
    intake = start(client_)
    client_.post(reverse("intake:step", args=[intake.pk, "concerns"]),
                 {"concerns": ["chronic_pain"]})
    client_.post(reverse("intake:step", args=[intake.pk, "pain"]), {"peg_1": "5", "leave": "1"})
    intake.refresh_from_db()
    assert intake.unfinished == {"pain": {"peg_1": "5"}}
    client_.post(reverse("intake:step", args=[intake.pk, "concerns"]), {"concerns": ["anxiety"]})
    intake.refresh_from_db()
    assert intake.unfinished == {}


def test_pregnancy_is_not_asked_after_male_and_the_engine_gets_false(client_):
    intake = start(client_)
    answers = complete_answers(sex_at_birth="male", medical={"unstable": False,
                                                             "pregnant": False})
    fill_steps(client_, intake.pk, answers, upto="home")
    html = client_.get(reverse("intake:step", args=[intake.pk, "health"])).content.decode()
    assert "Are you pregnant?" not in html
    intake.refresh_from_db()
    assert intake.answers["medical"] == {"unstable": False, "pregnant": False}
    # A "yes" posted anyway (an old page, a crafted request) is not what was asked: not stored.
    data = {**step_data("health", answers), "pregnant": "yes"}
    client_.post(reverse("intake:step", args=[intake.pk, "health"]), data)
    intake.refresh_from_db()
    assert intake.answers["medical"]["pregnant"] is False


@pytest.mark.parametrize("sex", ["female", "intersex", "unknown"])
def test_pregnancy_is_asked_when_it_can_apply_and_says_whom_it_is_for(client_, sex):
    intake = start(client_)
    fill_steps(client_, intake.pk, complete_answers(sex_at_birth=sex), upto="about")
    url = reverse("intake:step", args=[intake.pk, "health"])
    html = client_.get(url).content.decode()
    assert "Are you pregnant?" in html and "Asked because you said your sex at birth" in html
    data = step_data("health", complete_answers())
    del data["pregnant"]
    response = client_.post(url, data)
    assert response.status_code == 400 and "Please answer this question." in \
        response.content.decode()


@pytest.mark.parametrize("concern", ["depression", "bipolar"])
def test_the_mood_swings_questions_open_with_low_mood_as_with_mood_swings(client_, concern):
    intake = start(client_)
    client_.post(reverse("intake:step", args=[intake.pk, "concerns"]), {"concerns": [concern]})
    assert client_.get(reverse("intake:step", args=[intake.pk, "mood-swings"])).status_code \
        == 200
    client_.post(reverse("intake:step", args=[intake.pk, "concerns"]), {"concerns": ["anxiety"]})
    assert client_.get(reverse("intake:step", args=[intake.pk, "mood-swings"])).status_code \
        == 302


def test_a_whole_intake_in_pounds_and_feet_submits_and_is_valid(client_):
    intake = start(client_)
    answers = complete_answers(concerns=["eating"], height_cm=167.6, weight_kg=54.4)
    fill_steps(client_, intake.pk, answers)
    assert sign(client_, intake.pk).status_code == 302
    intake.refresh_from_db()
    validate_answers(intake.answers)
    assert intake.recommendation.scores["bmi"] == pytest.approx(19.4, abs=0.05)


@pytest.mark.parametrize("kept", [{"cssrs_intent": "yes"}, {"cssrs_plan": "yes"},
                                  {"cssrs_behavior_past_3_months": "yes"},
                                  {"harm_to_others": "intent"}])
def test_a_half_answered_safety_page_showing_acute_risk_shows_crisis_help_first(client_, kept):
    intake = start(client_)
    client_.post(reverse("intake:step", args=[intake.pk, "safety"]), {**kept, "leave": "1"})
    intake.refresh_from_db()
    assert intake.unfinished == {"safety": kept} and "cssrs" not in intake.answers
    home = client_.get(reverse("intake:home")).content.decode()
    assert 'class="alert alert-danger crisis"' in home
    step = client_.get(reverse("intake:step", args=[intake.pk, "safety"])).content.decode()
    main = step[step.index("<main"):]
    assert main.index('class="alert alert-danger crisis"') < main.index("<h1")


def test_a_half_answered_safety_page_without_acute_risk_shows_no_crisis_block(client_):
    intake = start(client_)
    client_.post(reverse("intake:step", args=[intake.pk, "safety"]),
                 {"cssrs_wish_dead": "yes", "cssrs_intent": "no", "leave": "1"})
    assert 'class="alert alert-danger crisis"' not in client_.get(
        reverse("intake:home")).content.decode()
