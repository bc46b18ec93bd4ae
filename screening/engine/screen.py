"""Screening one intake: validate, score, derive the facts, run the rules, then the flags."""

from operator import attrgetter

from .answers import validate_answers
from .criteria import Criteria
from .facts import facts_of
from .levels import LEVELS
from .result import Result

_HIGHEST_FIRST = attrgetter("order")
_LOWEST = LEVELS[0]


def screen(answers: dict, criteria: Criteria, case_id=None) -> Result:
    """Screen one intake's answers (SPEC §3) with compiled criteria (see load_criteria).

    The level is the highest level among the matching rules, outpatient when none does.
    Returns a Result whose reasons list every matching rule, highest level first, then in
    the criteria's order. Raises AnswersError naming the first bad field.
    """
    validate_answers(answers)
    facts = facts_of(answers, criteria.bands)
    matched = rules_matched(facts, criteria)
    level = level_of(matched)
    facts["level"] = level
    facts["rules"] = {rule.id for rule in matched}
    return Result(case_id, level, criteria.version,
                  tuple([rule.explained for rule in matched]),
                  tuple([flag.id for flag in criteria.flags if flag.test(facts)]),
                  facts["severity"], facts["suicide_risk"], facts["withdrawal_risk"],
                  facts["scores"], facts["bands"])


def rules_matched(facts: dict, criteria: Criteria) -> list:
    """The rules that match these facts, highest level first, then in criteria order.

    `screen` and the search for what would change the level (counterfactual.py) both run
    the rules through here, so an explanation is always the engine's own answer."""
    matched = [rule for rule in criteria.rules if rule.test(facts)]
    if len(matched) > 1:
        matched.sort(key=_HIGHEST_FIRST)  # stable: criteria order kept within a level
    return matched


def level_of(matched: list) -> str:
    """The level of the highest matching rule; outpatient when none matches."""
    return matched[0].level if matched else _LOWEST


def screen_level(answers: dict, criteria: Criteria) -> str:
    """Only the level `screen` would give these answers, for a replay over many intakes:
    the same checks, facts and rules, without the flags and the explained result.
    Raises AnswersError naming the first bad field, as screen does."""
    validate_answers(answers)
    facts = facts_of(answers, criteria.bands)
    # The rules highest level first (criteria.by_level): the first that matches decides.
    for rule in criteria.by_level:
        if rule.test(facts):
            return rule.level
    return _LOWEST
