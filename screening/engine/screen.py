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
    matched = [rule for rule in criteria.rules if rule.test(facts)]
    if matched:
        if len(matched) > 1:
            matched.sort(key=_HIGHEST_FIRST)  # stable: criteria order kept within a level
        level = matched[0].level
    else:
        level = _LOWEST
    facts["level"] = level
    facts["rules"] = {rule.id for rule in matched}
    return Result(case_id, level, criteria.version,
                  tuple([rule.explained for rule in matched]),
                  tuple([flag.id for flag in criteria.flags if flag.test(facts)]),
                  facts["severity"], facts["suicide_risk"], facts["withdrawal_risk"],
                  facts["scores"], facts["bands"])


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
