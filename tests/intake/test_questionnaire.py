"""The questionnaire: every step, conditional questions, saving as you go and resuming."""

import pytest
from django.urls import reverse

from intake.models import Intake
from intake.steps import STEPS
from tests.conftest import signed_in
from tests.factories import answers as complete_answers

from .helpers import fill_steps, sign, step_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_(patient):
    return signed_in(patient)


def start(client) -> Intake:
    response = client.post(reverse("intake:start"))
    assert response.status_code == 302
    return Intake.objects.get(status=Intake.Status.DRAFT)


def test_it_starts_at_the_first_step_and_shows_progress(client_):
    intake = start(client_)
    page = client_.get(reverse("intake:step", args=[intake.pk, "about"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Step 1 of" in html and "About you" in html and "Sign and submit" in html


@pytest.mark.parametrize("step", [s.slug for s in STEPS if s.slug not in ("mood-swings",
                                                                          "pain")])
def test_every_step_saves_its_answers_in_the_engines_shape(client_, step):
    intake = start(client_)
    answers = complete_answers(concerns=["eating"], pcptsd5={"exposure": True,
                                                               "items": [True] * 5},
                               scoff=[True, False, False, False, False], height_cm=170.0,
                               weight_kg=60.5, availability=["weekend"],
                               hours_available_per_week=12, firearm_access=True,
                               self_harm_past_month=True, overdose_past_year=True,
                               psychotic_symptoms={"hallucinations": True,
                                                   "paranoia": False})
    client_.post(reverse("intake:step", args=[intake.pk, "concerns"]),
                 step_data("concerns", answers))
    response = client_.post(reverse("intake:step", args=[intake.pk, step]),
                            step_data(step, answers))
    assert response.status_code == 302
    intake.refresh_from_db()
    owned = next(s for s in STEPS if s.slug == step).form.owns
    for name in owned:
        assert intake.answers.get(name) == answers.get(name), name
    assert step in intake.steps_done


def test_mood_swings_and_pain_are_asked_only_with_those_concerns(client_):
    intake = start(client_)
    answers = complete_answers(concerns=["bipolar", "chronic_pain"],
                               mdq={"items": [True] * 9 + [False] * 4, "same_period": True,
                                    "problem": "serious"}, peg=[7, 8, 7])
    fill_steps(client_, intake.pk, answers)
    intake.refresh_from_db()
    assert intake.answers["mdq"]["problem"] == "serious" and intake.answers["peg"] == [7, 8, 7]
    # Unticking the concerns drops the steps and what was answered in them.
    client_.post(reverse("intake:step", args=[intake.pk, "concerns"]), {"concerns": ["anxiety"]})
    intake.refresh_from_db()
    assert "mdq" not in intake.answers and "peg" not in intake.answers
    assert "mood-swings" not in intake.steps_done
    response = client_.get(reverse("intake:step", args=[intake.pk, "pain"]))
    assert response.status_code == 302


def test_height_and_weight_are_asked_only_with_eating_concerns(client_):
    intake = start(client_)
    page = client_.get(reverse("intake:step", args=[intake.pk, "eating"])).content.decode()
    assert "height" not in page.lower()
    client_.post(reverse("intake:step", args=[intake.pk, "concerns"]), {"concerns": ["eating"]})
    page = client_.get(reverse("intake:step", args=[intake.pk, "eating"])).content.decode()
    assert "Your height" in page and "Kilograms and centimetres" in page
    data = step_data("eating", complete_answers(scoff=[False] * 5))
    response = client_.post(reverse("intake:step", args=[intake.pk, "eating"]), data)
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()


def test_cssrs_follow_ups_are_required_after_a_yes_to_thoughts(client_):
    intake = start(client_)
    data = step_data("safety", complete_answers(cssrs={"wish_dead": True,
                                                       "suicidal_thoughts": True,
                                                       "behavior_lifetime": False}))
    response = client_.post(reverse("intake:step", args=[intake.pk, "safety"]), data)
    assert response.status_code == 400
    assert "you said yes to thoughts of killing yourself" in response.content.decode()
    data.update(cssrs_method="yes", cssrs_intent="no", cssrs_plan="no")
    assert client_.post(reverse("intake:step", args=[intake.pk, "safety"]),
                        data).status_code == 302
    intake.refresh_from_db()
    assert intake.answers["cssrs"] == {"wish_dead": True, "suicidal_thoughts": True,
                                       "behavior_lifetime": False, "method": True,
                                       "intent": False, "plan": False}


def test_a_yes_to_a_cssrs_follow_up_is_kept_when_thoughts_is_changed_to_no(client_):
    intake = start(client_)
    data = step_data("safety", complete_answers())
    data.update(cssrs_suicidal_thoughts="no", cssrs_method="no", cssrs_intent="yes",
                cssrs_plan="no", cssrs_behavior_lifetime="no",
                cssrs_behavior_past_3_months="no")
    client_.post(reverse("intake:step", args=[intake.pk, "safety"]), data)
    intake.refresh_from_db()
    # The no's that did not apply are dropped; the yes to intent is never discarded.
    assert intake.answers["cssrs"] == {"wish_dead": False, "suicidal_thoughts": False,
                                       "behavior_lifetime": False, "intent": True}


def test_the_follow_ups_carry_the_show_when_markers_for_the_page_script(client_):
    intake = start(client_)
    html = client_.get(reverse("intake:step", args=[intake.pk, "safety"])).content.decode()
    assert 'data-show-when="cssrs_suicidal_thoughts=yes"' in html
    assert 'data-show-when="cssrs_behavior_lifetime=yes"' in html
    html = client_.get(reverse("intake:step", args=[intake.pk, "trauma"])).content.decode()
    assert 'data-show-when="pcptsd5_exposure=yes"' in html


def test_ptsd_items_are_required_only_after_exposure(client_):
    intake = start(client_)
    url = reverse("intake:step", args=[intake.pk, "trauma"])
    assert client_.post(url, {"pcptsd5_exposure": "no"}).status_code == 302
    intake.refresh_from_db()
    assert intake.answers["pcptsd5"] == {"exposure": False}
    response = client_.post(url, {"pcptsd5_exposure": "yes", "pcptsd5_1": "yes"})
    assert response.status_code == 400
    assert "you said yes to such an event" in response.content.decode()


def test_a_validation_error_keeps_everything_typed_and_says_what_to_fix(client_):
    intake = start(client_)
    data = step_data("mood", complete_answers(phq9=[1, 2, 3, 0, 1, 2, 3, 0, 1]))
    del data["phq9_5"]
    response = client_.post(reverse("intake:step", args=[intake.pk, "mood"]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please answer this question." in html and "Nothing you typed was lost" in html
    assert 'name="phq9_3" value="3"' in html.replace("\n", " ") or 'value="3" checked' in html
    intake.refresh_from_db()
    assert "phq9" not in intake.answers


def test_an_out_of_range_age_is_refused_with_a_message(client_):
    intake = start(client_)
    response = client_.post(reverse("intake:step", args=[intake.pk, "about"]),
                            {"age": "9", "sex_at_birth": "female"})
    assert response.status_code == 400
    assert "aged 12 and over" in response.content.decode()
    response = client_.post(reverse("intake:step", args=[intake.pk, "about"]),
                            {"age": "121", "sex_at_birth": "female"})
    assert response.status_code == 400
    assert "it can be at most 120" in response.content.decode()


def test_it_resumes_on_another_device_at_the_first_unfinished_step(client_, patient):
    intake = start(client_)
    answers = complete_answers()
    fill_steps(client_, intake.pk, answers, upto="mood")
    later = signed_in(patient)  # a new session, as on another device
    home = later.get(reverse("intake:home")).content.decode()
    resume = reverse("intake:step", args=[intake.pk, "anxiety"])
    assert f'href="{resume}"' in home
    page = later.get(reverse("intake:step", args=[intake.pk, "mood"])).content.decode()
    assert 'value="2" checked' in page or 'checked value="2"' in page or "checked" in page


def test_save_and_finish_later_goes_home_with_the_step_saved(client_):
    intake = start(client_)
    data = step_data("about", complete_answers())
    data["leave"] = "1"
    response = client_.post(reverse("intake:step", args=[intake.pk, "about"]), data)
    assert response.url == reverse("intake:home")
    intake.refresh_from_db()
    assert intake.answers["age"] == 34


def test_two_starts_make_one_draft(client_):
    first, second = (client_.post(reverse("intake:start")) for _ in range(2))
    assert first.url == second.url
    assert Intake.objects.filter(status=Intake.Status.DRAFT).count() == 1


def test_sign_is_refused_until_every_step_is_saved(client_):
    intake = start(client_)
    fill_steps(client_, intake.pk, complete_answers(), upto="mood")
    response = sign(client_, intake.pk)
    assert response.url == reverse("intake:step", args=[intake.pk, "anxiety"])
    intake.refresh_from_db()
    assert intake.status == Intake.Status.DRAFT


def test_sign_needs_consent_and_a_name(client_):
    intake = start(client_)
    fill_steps(client_, intake.pk, complete_answers())
    response = client_.post(reverse("intake:submit", args=[intake.pk]),
                           {"signature_name": " "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please tick to agree" in html and "Please type your name" in html


def test_the_past_3_months_follow_up_is_required_after_a_yes_to_ever_and_dropped_after_no(
        client_):
    intake = start(client_)
    url = reverse("intake:step", args=[intake.pk, "safety"])
    data = step_data("safety", complete_answers())
    data["cssrs_behavior_lifetime"] = "yes"
    response = client_.post(url, data)
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    data["cssrs_behavior_past_3_months"] = "yes"
    assert client_.post(url, data).status_code == 302
    intake.refresh_from_db()
    assert intake.answers["cssrs"]["behavior_past_3_months"] is True
    data.update(cssrs_behavior_lifetime="no", cssrs_behavior_past_3_months="no")
    client_.post(url, data)
    intake.refresh_from_db()
    assert "behavior_past_3_months" not in intake.answers["cssrs"]


def test_choosing_eating_concerns_later_asks_the_eating_step_again_for_height_and_weight(
        client_):
    intake = start(client_)
    answers = complete_answers()
    fill_steps(client_, intake.pk, answers, upto="eating")
    intake.refresh_from_db()
    assert "eating" in intake.steps_done and "height_cm" not in intake.answers
    client_.post(reverse("intake:step", args=[intake.pk, "concerns"]), {"concerns": ["eating"]})
    intake.refresh_from_db()
    assert "eating" not in intake.steps_done
    home = client_.get(reverse("intake:home")).content.decode()
    assert reverse("intake:step", args=[intake.pk, "eating"]) in home  # first unfinished


@pytest.mark.parametrize("step, time_frame, credit", [
    ("safety", "past month", "Columbia-Suicide Severity Rating Scale"),
    ("mood", "Over the last 2 weeks", "No permission required to reproduce"),
    ("anxiety", "Over the last 2 weeks", "educational grant from Pfizer Inc."),
    ("alcohol", "in the past year", "World Health Organization"),
    ("drugs", "past 12 months", "© 1982 Harvey A. Skinner"),
    ("trauma", "In the past month", "National Center for PTSD"),
    ("eating", "recently", "Morgan, Reid and Lacey"),
    ("mood-swings", "Has there ever been a period", "Hirschfeld"),
    ("pain", "in the past week", "Krebs et al."),
])
def test_each_instrument_page_states_its_time_frame_and_credits_its_source(client_, step,
                                                                            time_frame, credit):
    intake = start(client_)
    client_.post(reverse("intake:step", args=[intake.pk, "concerns"]),
                 {"concerns": ["bipolar", "chronic_pain"]})
    page = client_.get(reverse("intake:step", args=[intake.pk, step]))
    html = page.content.decode()
    assert page.status_code == 200
    assert time_frame in html and credit in html


def test_unticking_eating_concerns_drops_height_and_weight_but_keeps_the_scoff_answers(client_):
    intake = start(client_)
    answers = complete_answers(concerns=["eating"], scoff=[True, True, False, False, False],
                               height_cm=165.0, weight_kg=48.0)
    fill_steps(client_, intake.pk, answers, upto="eating")
    client_.post(reverse("intake:step", args=[intake.pk, "concerns"]), {"concerns": ["anxiety"]})
    intake.refresh_from_db()
    assert "height_cm" not in intake.answers and "weight_kg" not in intake.answers
    assert intake.answers["scoff"] == [True, True, False, False, False]
    assert "eating" in intake.steps_done


def test_the_safety_step_says_how_to_reach_help_now_before_the_questions(client_):
    intake = start(client_)
    html = client_.get(reverse("intake:step", args=[intake.pk, "safety"])).content.decode()
    assert html.index('aria-label="Help now"') < html.index('class="intake-step"')
    assert 'href="tel:988"' in html and 'href="tel:911"' in html


CRISIS = 'class="alert alert-danger crisis"'


@pytest.mark.parametrize("risk", [
    {"cssrs": {"wish_dead": True, "suicidal_thoughts": True, "method": True, "intent": False,
               "plan": True, "behavior_lifetime": False}},
    {"cssrs": {"wish_dead": False, "suicidal_thoughts": False, "behavior_lifetime": True,
               "behavior_past_3_months": True}},
    {"harm_to_others": "intent"},
])
def test_crisis_help_comes_first_on_every_page_once_the_safety_answers_show_acute_risk(
        client_, risk):
    intake = start(client_)
    answers = complete_answers(**risk)
    fill_steps(client_, intake.pk, answers, upto="safety")
    pages = [reverse("intake:step", args=[intake.pk, "mood"]), reverse("intake:home")]
    response = client_.post(reverse("intake:step", args=[intake.pk, "mood"]),
                            {**step_data("mood", answers), "leave": "1"}, follow=True)
    assert response.content.decode().count(CRISIS) == 1  # "Saved": home, help first
    fill_steps(client_, intake.pk, answers)
    pages += [reverse("intake:review", args=[intake.pk]),
              reverse("intake:sign", args=[intake.pk])]
    for url in pages:
        html = client_.get(url).content.decode()
        main = html[html.index("<main"):]
        assert main.index(CRISIS) < main.index("<h1"), url
        assert 'href="tel:988"' in main and 'href="tel:911"' in main


def test_no_crisis_block_when_the_answers_show_no_acute_risk(client_):
    intake = start(client_)
    answers = complete_answers(cssrs={"wish_dead": True, "suicidal_thoughts": False,
                                      "behavior_lifetime": True,
                                      "behavior_past_3_months": False},
                               harm_to_others="thoughts")  # moderate risk: not acute
    fill_steps(client_, intake.pk, answers)
    for url in (reverse("intake:step", args=[intake.pk, "mood"]), reverse("intake:home"),
                reverse("intake:review", args=[intake.pk])):
        assert CRISIS not in client_.get(url).content.decode(), url


def test_a_change_made_from_the_review_page_goes_to_the_step_it_reopened_or_back(client_):
    intake = start(client_)
    fill_steps(client_, intake.pk, complete_answers())
    concerns = reverse("intake:step", args=[intake.pk, "concerns"])
    response = client_.post(concerns, {"concerns": ["depression", "anxiety"]})
    assert response["Location"] == reverse("intake:review", args=[intake.pk])
    response = client_.post(concerns, {"concerns": ["depression", "eating"]})
    assert response["Location"] == reverse("intake:step", args=[intake.pk, "eating"])
