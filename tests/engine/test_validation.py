"""Bad answers are refused with a message naming the field (SPEC §3)."""

import pytest

from screening.engine import AnswersError, validate_answers

from .conftest import nested, well


def refused(answers) -> AnswersError:
    with pytest.raises(AnswersError) as caught:
        validate_answers(answers)
    return caught.value


def test_it_accepts_complete_answers():
    validate_answers(well())
    validate_answers(well(concerns=[], availability=["weekend"], hours_available_per_week=0,
                          pcptsd5={"exposure": False}, scoff=[False] * 5, height_cm=170.5,
                          weight_kg=60, peg=[0, 10, 5],
                          mdq={"items": [False] * 13, "same_period": False,
                               "problem": "none"}))


@pytest.mark.parametrize("field", ["age", "sex_at_birth", "cssrs", "harm_to_others", "phq9",
                                   "gad7", "auditc", "dast10", "withdrawal", "medical",
                                   "support", "housing", "home_safe", "recent_inpatient",
                                   "failed_outpatient", "functioning"])
def test_it_refuses_a_missing_required_field(field):
    answers = well()
    del answers[field]
    error = refused(answers)
    assert (error.field, error.message) == (field, "required")


@pytest.mark.parametrize("path", ["cssrs.wish_dead", "cssrs.suicidal_thoughts",
                                  "cssrs.behavior_lifetime", "withdrawal.current_symptoms",
                                  "withdrawal.history_seizures_or_dts", "withdrawal.daily_use",
                                  "medical.unstable", "medical.pregnant"])
def test_it_refuses_a_missing_nested_field(path):
    answers = well()
    outer, inner = path.split(".")
    del answers[outer][inner]
    assert refused(answers).field == path


@pytest.mark.parametrize("answers, field", [
    (well(suicidal_thougths=True), "suicidal_thougths"),
    (nested(well(), "cssrs.intnet", True), "cssrs.intnet"),
    (nested(well(), "medical.unstabel", True), "medical.unstabel"),
    (nested(well(), "withdrawal.extra", True), "withdrawal.extra"),
    (well(pcptsd5={"exposure": False, "itmes": []}), "pcptsd5.itmes"),
    (well(mdq={"items": [False] * 13, "same_period": False, "problem": "none", "x": 1}),
     "mdq.x"),
])
def test_it_refuses_an_unknown_field_at_any_level(answers, field):
    error = refused(answers)
    assert error.field == field and "unknown" in error.message


@pytest.mark.parametrize("answers, field", [
    (well(age=True), "age"),
    (well(age=30.0), "age"),
    (well(age="30"), "age"),
    (well(age=11), "age"),
    (well(age=121), "age"),
    (well(phq9=[0, 0, 0, 0, 0, 0, 0, 0, True]), "phq9[8]"),
    (well(phq9=[0, 0, 0, 1.0, 0, 0, 0, 0, 0]), "phq9[3]"),
    (well(phq9=[0, 0, "2", 0, 0, 0, 0, 0, 0]), "phq9[2]"),
    (well(phq9=[0, 0, 0, 0, 0, 0, 0, 0, 4]), "phq9[8]"),
    (well(phq9=[0, 0, 0, 0, 0, 0, 0, 0, -1]), "phq9[8]"),
    (well(phq9=[0] * 8), "phq9"),
    (well(phq9={"1": 0}), "phq9"),
    (well(gad7=[0] * 8), "gad7"),
    (well(auditc=[5, 0, 0]), "auditc[0]"),
    (well(dast10=[0] * 10), "dast10[0]"),
    (well(dast10=[False] * 9), "dast10"),
    (well(sex_at_birth="Female"), "sex_at_birth"),
    (well(harm_to_others="maybe"), "harm_to_others"),
    (well(support=None), "support"),
    (well(housing="stable "), "housing"),
    (well(home_safe=1), "home_safe"),
    (well(home_safe="true"), "home_safe"),
    (well(failed_outpatient=0), "failed_outpatient"),
    (well(functioning="fine"), "functioning"),
    (well(recent_inpatient="last_week"), "recent_inpatient"),
    (nested(well(), "cssrs.wish_dead", 0), "cssrs.wish_dead"),
    (nested(well(), "cssrs.intent", "yes"), "cssrs.intent"),
    (nested(well(), "withdrawal.current_symptoms", "extreme"), "withdrawal.current_symptoms"),
    (nested(well(), "medical.pregnant", None), "medical.pregnant"),
    (well(cssrs=[False, False, False]), "cssrs"),
    (well(concerns=["alcohol", "gambling"]), "concerns[1]"),
    (well(concerns="alcohol"), "concerns"),
    (well(availability=["sunday"]), "availability[0]"),
    (well(hours_available_per_week=41), "hours_available_per_week"),
    (well(hours_available_per_week=10.5), "hours_available_per_week"),
    (well(pcptsd5={"exposure": True}), "pcptsd5.items"),
    (well(pcptsd5={"items": [False] * 5}), "pcptsd5.exposure"),
    (well(pcptsd5={"exposure": True, "items": [True] * 4}), "pcptsd5.items"),
    (well(scoff=[True] * 6), "scoff"),
    (well(height_cm=170), "weight_kg"),
    (well(weight_kg=70), "height_cm"),
    (well(height_cm=99, weight_kg=70), "height_cm"),
    (well(height_cm=170, weight_kg=351), "weight_kg"),
    (well(height_cm=170, weight_kg=True), "weight_kg"),
    (well(height_cm=float("nan"), weight_kg=70), "height_cm"),
    (well(mdq={"items": [True] * 13, "same_period": True}), "mdq.problem"),
    (well(mdq={"items": [True] * 12, "same_period": True, "problem": "serious"}), "mdq.items"),
    (well(mdq={"items": [True] * 13, "same_period": True, "problem": "severe"}), "mdq.problem"),
    (well(peg=[11, 0, 0]), "peg[0]"),
    (well(peg=[5, 5]), "peg"),
])
def test_it_refuses_a_wrong_type_or_value_naming_the_field(answers, field):
    error = refused(answers)
    assert error.field == field
    assert str(error).startswith(f"{field}: ")


def test_it_refuses_answers_that_are_not_an_object():
    assert refused([1, 2]).field == "answers"


def test_its_messages_say_what_was_expected():
    assert refused(well(phq9=[0, 0, 0, 0, 0, 0, 0, 0, True])).message == \
        "expected a whole number from 0 to 3, got true"
    assert "one of none, thoughts, intent" in refused(well(harm_to_others="x")).message


def _leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    yield path


def test_the_quick_check_never_accepts_what_the_full_check_refuses():
    """Valid answers are recognised by a fast path; every answer it lets through must pass
    the field-by-field check too. Thousands of one-value mutations of valid answers."""
    import copy
    import random

    from screening.engine.answers import _explain, _quick_valid
    from screening.engine.properties import generate_cases

    rng = random.Random(5)
    odd_values = [True, False, 0, 1, 3, 4, 11, -1, 1.0, 2.5, float("nan"), "1", "yes", "none",
                  "female", "male", None, [], [0], {}, {"x": 1}]
    checked = 0
    for answers in generate_cases(400, seed=9):
        paths = [p for p in _leaves(answers) if p]
        for _ in range(12):
            mutated = copy.deepcopy(answers)
            path = rng.choice(paths)
            node = mutated
            for part in path[:-1]:
                node = node[part]
            if rng.random() < 0.1 and isinstance(node, dict):
                del node[path[-1]]
            else:
                node[path[-1]] = rng.choice(odd_values)
            if _quick_valid(mutated):
                _explain(mutated)  # raises AnswersError if the quick check was wrong
                checked += 1
    assert checked > 100  # some mutations are still valid answers (e.g. 1 for 0)
