"""Screening one intake: validate, score, derive the facts, run the rules, then the flags."""

from .answers import validate_answers
from .criteria import Criteria
from .facts import facts_of
from .levels import LEVEL_RANK, LEVELS
from .result import Reason, Result


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
        # sorted() is stable: within a level the criteria's own order is kept.
        matched.sort(key=lambda rule: -LEVEL_RANK[rule.level])
        level = matched[0].level
    else:
        level = LEVELS[0]
    facts["level"] = level
    facts["rules"] = {rule.id for rule in matched}
    flags = tuple(flag.id for flag in criteria.flags if flag.test(facts))
    return Result(
        id=case_id,
        level=level,
        criteria_version=criteria.version,
        reasons=tuple(Reason(rule.id, rule.level, rule.reason) for rule in matched),
        flags=flags,
        severity=facts["severity"],
        suicide_risk=facts["suicide_risk"],
        withdrawal_risk=facts["withdrawal_risk"],
        scores=facts["scores"],
        bands=facts["bands"],
    )
