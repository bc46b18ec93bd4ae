"""screen_level, the replay's shortcut, gives the level screen gives, and refuses what screen
refuses, for the shipped criteria and for a draft with other cut-offs and rule order."""

import json

import pytest

from screening.engine import AnswersError, load_criteria, screen, screen_level
from screening.engine.properties import generate_cases

from .conftest import ROOT, default_document, nested, public_cases, well


def _documents():
    first = json.loads((ROOT / "screening" / "criteria" / "default-1.json").read_text())
    lowered = default_document()
    lowered["version"] = "test-phq9-moderate-8"
    lowered["bands"]["phq9"]["moderate"] = 8
    # Rules listed lowest level first: screen_level must still find the highest that matches.
    reversed_rules = default_document()
    reversed_rules["version"] = "test-reversed"
    reversed_rules["rules"] = list(reversed(reversed_rules["rules"]))
    return [default_document(), first, lowered, reversed_rules]


@pytest.mark.parametrize("document", _documents(), ids=lambda d: d["version"])
def test_it_gives_the_level_screen_gives(document):
    criteria = load_criteria(document)
    cases = list(generate_cases(3000, seed=19)) + [case["answers"] for case in public_cases()]
    levels = {screen(answers, criteria).level for answers in cases}
    assert len(levels) == 3  # the cases reach every level, so the check below means something
    for answers in cases:
        assert screen_level(answers, criteria) == screen(answers, criteria).level


def test_it_refuses_what_screen_refuses(criteria):
    for bad in (nested(well(), "cssrs.intent", "yes"), nested(well(), "phq9", [1] * 8),
                {**well(), "unknown": 1}):
        with pytest.raises(AnswersError) as from_screen:
            screen(bad, criteria)
        with pytest.raises(AnswersError) as from_level:
            screen_level(bad, criteria)
        assert str(from_level.value) == str(from_screen.value)
