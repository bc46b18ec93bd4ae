"""The clinical catalogue is the one vocabulary: validation, facts, score ranges and the
publish checks take their values from it, and its wording is versioned."""

import json
import shutil
import subprocess
import sys

import pytest

from screening.engine import FACTS, AnswersError, validate_answers
from screening.engine import catalogue as C
from screening.engine.criteria import SCORE_RANGES
from screening.engine.properties import worsenings

from .conftest import DEFAULT_FILE, ROOT, well


def refused(answers) -> AnswersError:
    with pytest.raises(AnswersError) as caught:
        validate_answers(answers)
    return caught.value


def placed(path: str, value) -> dict:
    """Valid answers with `value` at `path`, its object filled in where it is optional."""
    answers = well(pcptsd5={"exposure": True, "items": [False] * 5},
                   mdq={"items": [False] * 13, "same_period": False, "problem": "none"},
                   psychotic_symptoms={"hallucinations": False, "paranoia": False},
                   height_cm=170, weight_kg=70)
    outer, _, inner = path.partition(".")
    if inner:
        answers[outer][inner] = value
    else:
        answers[outer] = [value] if C.answer(path).kind == "choices" else value
    return answers


LEAVES = [q for q in C.ANSWERS.values() if q.kind in ("boolean", "choice", "choices")]
RANGED = [q for q in C.ANSWERS.values() if q.kind in ("integer", "number")]


# --- the catalogue's values are exactly what validation accepts ----------------------------


@pytest.mark.parametrize("question", LEAVES, ids=lambda q: q.path)
def test_validation_accepts_every_value_the_catalogue_lists(question):
    for value in question.values:
        validate_answers(placed(question.path, value))


@pytest.mark.parametrize("question", LEAVES, ids=lambda q: q.path)
def test_validation_refuses_a_value_the_catalogue_does_not_list(question):
    stranger = "not_in_the_catalogue" if question.kind != "boolean" else "yes"
    error = refused(placed(question.path, stranger))
    expected = question.path + ("[0]" if question.kind == "choices" else "")
    assert error.field == expected


@pytest.mark.parametrize("question", RANGED, ids=lambda q: q.path)
def test_validation_accepts_the_catalogues_range_and_nothing_outside(question):
    step = 1 if question.kind == "integer" else 0.5
    for value in (question.low, question.high):
        validate_answers(placed(question.path, value))
    for value in (question.low - step, question.high + step):
        assert refused(placed(question.path, value)).field == question.path


@pytest.mark.parametrize("instrument", C.INSTRUMENTS.values(), ids=lambda i: i.key)
def test_validation_takes_each_instruments_items_and_points_from_the_catalogue(instrument):
    outer, _, inner = instrument.path.partition(".")

    def with_items(items):
        answers = placed("age", 30)
        if inner:
            answers[outer][inner] = items
        else:
            answers[outer] = items
        return answers

    lowest = [item.options[0].value for item in instrument.items]
    validate_answers(with_items(lowest))
    for index, item in enumerate(instrument.items):
        for option in item.options:
            validate_answers(with_items(lowest[:index] + [option.value] + lowest[index + 1:]))
    assert refused(with_items(lowest + lowest[:1])).field == instrument.path
    assert refused(with_items(lowest[:-1])).field == instrument.path
    last = instrument.items[-1]
    if last.kind == "integer":
        over = lowest[:-1] + [last.high + 1]
        assert refused(with_items(over)).field == f"{instrument.path}[{len(lowest) - 1}]"


@pytest.mark.parametrize("path", [p for p, q in C.ANSWERS.items() if q.kind == "object"])
def test_validation_knows_exactly_the_parts_of_each_object(path):
    answers = placed("age", 30)
    answers[path]["misspelt_part"] = True
    assert refused(answers).field == f"{path}.misspelt_part"
    required = [part for part in C.parts(path) if part.required]
    for part in required:
        answers = placed("age", 30)
        del answers[path][part.path.split(".")[1]]
        assert refused(answers).field == part.path


def test_the_required_top_level_fields_are_the_catalogues():
    for name in C.TOP_LEVEL:
        answers = placed("age", 30)
        answers.pop(name, None)
        if C.answer(name).required:
            assert refused(answers).field == name
        elif name not in ("height_cm", "weight_kg"):  # those two go together
            validate_answers(answers)


def test_an_unknown_top_level_field_is_refused():
    assert refused(well(housin="stable")).field == "housin"


# --- everything else reads the same values -------------------------------------------------


@pytest.mark.parametrize("fact", [name for name, spec in FACTS.items()
                                  if name in C.ANSWERS and spec.get("values") is not None])
def test_each_answer_fact_offers_the_catalogues_values_in_its_order(fact):
    expected = C.values(fact)
    if FACTS[fact]["kind"] == "boolean":
        expected = (False, True)
    assert tuple(FACTS[fact]["values"]) == tuple(expected)


def test_score_ranges_are_the_catalogues_and_reachable():
    assert {key: i.score_range for key, i in C.INSTRUMENTS.items()} == SCORE_RANGES
    for key, instrument in C.INSTRUMENTS.items():
        best = sum(max(o.points for o in item.options) for item in instrument.items)
        if key == "peg":  # the mean of three items
            best = max(o.points for o in instrument.items[0].options)
        assert instrument.score_range == (0, best)


def test_the_band_edges_are_spec_section_4_as_the_shipped_default_has_them():
    shipped = json.loads(DEFAULT_FILE.read_text())["bands"]
    assert {key: i.bands for key, i in C.INSTRUMENTS.items()} == shipped


def test_a_worsening_follows_the_catalogues_order():
    answers = well(support="adequate", home_safe=True)
    made = dict(worsenings(answers))
    assert made["support limited instead of adequate"]["support"] == "limited"
    assert made["home_safe answered no"]["home_safe"] is False
    assert made["dast10 item 3 answered no"]["dast10"][2] is False


ADD_A_CHOICE = """
import json
from screening.engine import FACTS, load_criteria, screen
from screening.engine.properties import worsenings
criteria = load_criteria(json.load(open("screening/criteria/default-2.json")))
case = json.load(open("screening/criteria/cases/v16-severe-limited-support.json"))["answers"]
case.update(housing="shelter", support="strong")
print(screen(case, criteria).rules[0])
print(FACTS["housing"]["values"])
print([what for what, _ in worsenings(case) if what.startswith("housing")])
"""
UNSTABLE = '''("unstable", "Somewhere I may not be able to stay", "Unstable"),'''


def test_adding_a_choice_to_the_catalogue_is_all_the_engine_needs(tmp_path):
    """A new housing answer between unstable and homeless, added to a copy of catalogue.py
    and nowhere else: accepted, ordered in the facts, matched by "housing at least
    unstable" and tried by the publish checks."""
    copy = tmp_path / "screening"
    shutil.copytree(ROOT / "screening", copy, ignore=shutil.ignore_patterns("__pycache__"))
    catalogue = copy / "engine" / "catalogue.py"
    text = catalogue.read_text()
    assert text.count(UNSTABLE) == 1
    catalogue.write_text(text.replace(
        UNSTABLE, UNSTABLE + ' ("shelter", "A shelter or hostel", "Shelter"),'))
    result = subprocess.run([sys.executable, "-c", ADD_A_CHOICE], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    rule, values, tried = result.stdout.splitlines()
    assert rule == "IP-SEVERE-FRAGILE"
    assert values == "('stable', 'unstable', 'shelter', 'homeless')"
    assert tried == "['housing homeless instead of shelter']"


# --- steps ---------------------------------------------------------------------------------


def test_every_step_is_a_step_of_the_intake():
    from intake.steps import BY_SLUG

    steps = {q.step for q in C.ANSWERS.values()} | {i.step for i in C.INSTRUMENTS.values()}
    assert steps <= set(BY_SLUG)


def test_each_field_the_intake_asks_today_is_on_the_step_that_asks_it():
    from intake.steps import FIELD_STEP

    for name, step in FIELD_STEP.items():
        assert C.answer(name).step == step, name


# --- wording by questionnaire version ------------------------------------------------------


def test_q1_is_the_wording_the_intake_asks_today():
    from intake import questions as Q

    assert [C.question(f"phq9[{n}]", "q-1") for n in range(9)] == Q.PHQ9
    assert [C.question(f"gad7[{n}]", "q-1") for n in range(7)] == Q.GAD7
    assert [C.question(f"dast10[{n}]", "q-1") for n in range(10)] == Q.DAST10
    assert [C.question(f"pcptsd5.items[{n}]", "q-1") for n in range(5)] == Q.PCPTSD5
    assert [C.question(f"scoff[{n}]", "q-1") for n in range(5)] == Q.SCOFF
    assert [C.question(f"mdq.items[{n}]", "q-1") for n in range(13)] == Q.MDQ
    assert [(C.question(f"auditc[{n}]", "q-1"),
             [C.option_label(f"auditc[{n}]", p, "q-1") for p in range(5)])
            for n in range(3)] == [(text, list(options)) for text, options in Q.AUDITC]
    assert [(C.question(f"peg[{n}]", "q-1"), C.INSTRUMENTS["peg"].items[n].hint)
            for n in range(3)] == list(Q.PEG)
    assert {name: C.question(f"cssrs.{name}", "q-1") for name in Q.CSSRS} == Q.CSSRS
    assert C.question("cssrs", "q-1") == Q.CSSRS_LEAD
    for key, lead in (("phq9", Q.PHQ9_LEAD), ("gad7", Q.GAD7_LEAD), ("auditc", Q.AUDITC_LEAD),
                      ("dast10", Q.DAST10_LEAD), ("pcptsd5.items", Q.PCPTSD5_LEAD),
                      ("mdq.items", Q.MDQ_LEAD)):
        assert C.question(key, "q-1") == lead
    assert C.question("pcptsd5.exposure", "q-1") == Q.PCPTSD5_EXPOSURE
    assert C.question("mdq.same_period", "q-1") == Q.MDQ_SAME_PERIOD
    assert C.question("mdq.problem", "q-1") == Q.MDQ_PROBLEM
    assert [(v, C.option_label("mdq.problem", v, "q-1")) for v in C.values("mdq.problem")] \
        == Q.MDQ_PROBLEM_CHOICES


def test_q1_has_the_intake_forms_questions_and_choices():
    from intake import forms as F

    for form in (F.AboutForm, F.HealthForm, F.HomeForm, F.HistoryForm, F.AvailabilityForm,
                 F.ConcernsForm):
        for name, field in form.base_fields.items():
            path = {"current_symptoms": "withdrawal.current_symptoms",
                    "history_seizures_or_dts": "withdrawal.history_seizures_or_dts",
                    "daily_use": "withdrawal.daily_use", "unstable": "medical.unstable",
                    "pregnant": "medical.pregnant"}.get(name, name)
            assert C.question(path, "q-1") == field.label, path
            for value, label in getattr(field, "choices", ()):
                if C.answer(path).kind != "boolean":
                    assert C.option_label(path, value, "q-1") == label, (path, value)
    safety = F.SafetyForm()
    harm = safety.fields["harm_to_others"]
    assert C.question("harm_to_others", "q-1") == harm.label
    assert [(v, C.option_label("harm_to_others", v, "q-1")) for v in
            C.values("harm_to_others")] == list(harm.choices)


def test_q2_is_q1_with_only_the_reworded_questions_and_the_new_ones_changed():
    q1, q2 = C.WORDING["q-1"], C.WORDING["q-2"]
    changed = {key for key in q1 if q1[key] != q2.get(key)}
    assert changed == set(C.REWORDED["q-2"])
    added = set(q2) - set(q1)
    new_fields = {"firearm_access", "self_harm_past_month",
                  "psychotic_symptoms.hallucinations", "psychotic_symptoms.paranoia",
                  "overdose_past_year"}
    assert {key.split("=")[0] for key in added} == new_fields


def test_the_new_questions_were_not_asked_in_q1():
    for path in ("firearm_access", "self_harm_past_month", "overdose_past_year",
                 "psychotic_symptoms.hallucinations", "psychotic_symptoms.paranoia"):
        assert C.question(path, "q-1") is None
        assert C.question(path, "q-2")


def test_q2_cssrs_question_6_gives_the_screeners_examples():
    text = C.question("cssrs.behavior_lifetime", "q-2")
    for example in ("collected pills", "obtained a gun", "gave away valuables",
                    "wrote a will or suicide note", "took out pills but didn't swallow any",
                    "held a gun but changed your mind or it was grabbed from your hand",
                    "went to the roof but didn't jump", "actually took pills",
                    "tried to shoot yourself", "cut yourself", "tried to hang yourself"):
        assert example in text
    assert "example" not in C.question("cssrs.behavior_lifetime", "q-1").lower()


def test_q2_daily_use_asks_about_use_not_as_prescribed():
    text = C.question("withdrawal.daily_use", "q-2")
    assert "not prescribed" in text and "does not count" in text
    for medication in ("buprenorphine", "methadone", "prescribed opioids or benzodiazepines"):
        assert medication in text


def test_every_answer_the_person_gives_has_wording_in_the_current_version():
    for path, spec in C.ANSWERS.items():
        if spec.kind not in ("object", "items"):
            assert C.question(path), path
    for path in C.item_questions():
        assert C.question(path), path


def test_option_labels_carry_the_points_a_person_scored():
    assert C.option_label("auditc[1]", 2) == "5 or 6"
    second = C.INSTRUMENTS["auditc"].items[1]
    assert [(o.label, o.points) for o in second.options][2] == ("5 or 6", 2)
    able_to_stop = C.INSTRUMENTS["dast10"].items[2]
    assert {o.value: o.points for o in able_to_stop.options} == {True: 0, False: 1}


def test_an_unknown_version_is_refused():
    with pytest.raises(KeyError):
        C.question("age", "q-0")


def test_staff_labels_read_as_words():
    assert C.staff_label("functioning", "some_difficulty") == "Some difficulty"
    assert C.staff_label("cssrs.intent", True) == "Yes"
    assert C.staff_label("auditc[1]", 2) == "5 or 6"
    assert C.BAND_NAMES["moderately_severe"] == "Moderately severe"


def test_every_default_flag_has_a_short_name():
    shipped = json.loads(DEFAULT_FILE.read_text())["flags"]
    assert [flag["id"] for flag in shipped] == list(C.FLAG_NAMES)


@pytest.mark.parametrize("instrument, panel, total", [
    ("phq9", "44249-1", "44261-6"), ("gad7", "69737-5", "70274-6"),
    ("auditc", "72109-2", "75626-2"), ("dast10", "82666-9", "82667-7"),
    ("peg", "91148-7", None), ("pcptsd5", None, None), ("scoff", None, None),
    ("mdq", None, None)])
def test_loinc_codes_where_they_were_verified(instrument, panel, total):
    assert (C.INSTRUMENTS[instrument].loinc_panel, C.INSTRUMENTS[instrument].loinc_total) \
        == (panel, total)
