"""Writes that run the engine: storing the recommendation for a submitted intake.

Screening owns the recommendation and nothing of the intake: the intake app calls this,
then copies what its queue needs onto its own rows (intake.services).
"""

from django.db import transaction

from screening.engine import Criteria, Result, screen

from .models import CriteriaVersion, Recommendation
from .selectors import criteria_compiled, criteria_version_published


@transaction.atomic
def recommendation_record(*, intake_id: int, answers: dict, case_id: str,
                          version: CriteriaVersion | None = None) -> Recommendation:
    """Screen these answers of intake `intake_id` and store the result, pinned to the
    criteria version. Returns the recommendation.

    Uses the published version unless `version` is given. Each matched rule and each flag is
    stored with its reason from that version, so staff read the words of the criteria that
    made the result. `case_id` names the intake in an engine error. Raises
    screening.engine.AnswersError when the answers are not valid engine input.
    """
    version = version or criteria_version_published()
    criteria = criteria_compiled(version)
    result = screen(answers, criteria, case_id=case_id)
    return Recommendation.objects.create(intake_id=intake_id, criteria_version=version,
                                         **recommendation_fields(result, criteria))


def recommendation_fields(result: Result, criteria: Criteria) -> dict:
    """What a Recommendation stores of an engine result (all but the intake and version):
    each matched rule and each flag with its words in `criteria`, which screened it.
    Also what the benchmark seeds store, so their rows are what a submit stores."""
    output = result.to_dict()
    flag_words = {flag.id: flag.reason for flag in criteria.flags}
    return {
        "level": output["level"],
        "rules": output["rules"],
        "reasons": [{"id": r.id, "level": r.level, "reason": r.reason} for r in result.reasons],
        "flags": output["flags"],
        "flag_reasons": [{"id": flag, "reason": flag_words[flag]} for flag in output["flags"]],
        "severity": output["severity"],
        "suicide_risk": output["suicide_risk"],
        "withdrawal_risk": output["withdrawal_risk"],
        "scores": output["scores"],
        "bands": output["bands"],
    }
