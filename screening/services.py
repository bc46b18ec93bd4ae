"""Writes that run the engine: storing a recommendation for a submitted intake."""

from django.db import transaction

from intake.models import Intake, IntakeFlag
from screening.engine import screen

from .models import CriteriaVersion, Recommendation
from .selectors import criteria_compiled, criteria_version_published


@transaction.atomic
def recommendation_record(*, intake: Intake,
                          version: CriteriaVersion | None = None) -> Recommendation:
    """Screen the intake's answers and store the result, pinned to the criteria version.

    Uses the published version unless `version` is given. Each matched rule and each flag is
    stored with its reason from that version, so staff read the words of the criteria that
    made the result. Copies the queue fields (urgent, recommended level, flag rows) onto the
    intake. Returns the recommendation.
    Raises screening.engine.AnswersError when the answers are not valid engine input.
    """
    version = version or criteria_version_published()
    criteria = criteria_compiled(version)
    result = screen(intake.answers, criteria, case_id=intake.number)
    output = result.to_dict()
    flag_words = {flag.id: flag.reason for flag in criteria.flags}
    recommendation = Recommendation.objects.create(
        intake=intake,
        criteria_version=version,
        level=output["level"],
        rules=output["rules"],
        reasons=[{"id": r.id, "level": r.level, "reason": r.reason} for r in result.reasons],
        flags=output["flags"],
        flag_reasons=[{"id": flag, "reason": flag_words[flag]} for flag in output["flags"]],
        severity=output["severity"],
        suicide_risk=output["suicide_risk"],
        withdrawal_risk=output["withdrawal_risk"],
        scores=output["scores"],
        bands=output["bands"],
    )
    intake.urgent = "urgent" in output["flags"]
    intake.recommended_level = output["level"]
    intake.save(update_fields=["urgent", "recommended_level", "updated_at"])
    IntakeFlag.objects.bulk_create([IntakeFlag(intake=intake, flag=f) for f in output["flags"]])
    return recommendation
