"""Opening a calibration round and recording a clinician's rating.

Not audited as views: the cases are the public synthetic test cases, not a patient's
answers (SPEC's audit is for patient data). Opening a round is an admin's change and is
written to the audit log like other changes.
"""

import logging

from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from audit.services import audit_record
from screening.engine import AnswersError, load_criteria, screen
from screening.replay import vignettes_load
from screening.selectors import criteria_version_published

from .models import LEVEL_CODES, CalibrationRating, CalibrationRound

logger = logging.getLogger(__name__)


class CalibrationError(Exception):
    """Why a round cannot be opened or a rating recorded, in words for the page."""


def _engine_answer(case: dict, criteria) -> dict:
    result = screen(case["answers"], criteria, case_id=case["id"])
    return {"level": result.level,
            "reasons": [{"id": r.id, "level": r.level, "reason": r.reason}
                        for r in result.reasons],
            "flags": list(result.flags), "scores": result.scores, "bands": result.bands}


@transaction.atomic
def calibration_round_open(*, actor, name: str, cases: list[dict] | None = None,
                           request=None) -> CalibrationRound:
    """Open a round over the public test cases (or `cases`), each screened now with the
    published criteria. A case the engine refuses is left out (and logged by id).

    Returns the round. Raises CalibrationError when no case can be screened.
    """
    version = criteria_version_published()
    criteria = load_criteria(version.document)
    kept = []
    for case in vignettes_load() if cases is None else cases:
        case_id = str(case.get("id", ""))
        try:
            engine = _engine_answer({**case, "id": case_id}, criteria)
        except AnswersError:
            logger.warning("test case %s is not valid answers: left out of calibration",
                           case_id)
            continue
        kept.append({"id": case_id, "note": str(case.get("note", "")),
                     "answers": case["answers"], "expect": case.get("expect") or {},
                     "engine": engine})
    if not kept:
        raise CalibrationError("There are no public test cases to rate.")
    round_ = CalibrationRound.objects.create(name=name, criteria_version=version, cases=kept,
                                             opened_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE,
                 object_type="calibration_round", object_id=round_.pk, request=request,
                 detail={"cases": len(kept), "criteria_version": version.version})
    return round_


def calibration_rate(*, round_: CalibrationRound, clinician, case_id: str, level: str,
                     note: str = "") -> CalibrationRating:
    """Record `clinician`'s level for one case of the round.

    Returns the rating. Raises CalibrationError when the case is not in the round, the
    level is unknown, or this clinician has rated the case already (a rating is final).
    """
    if round_.case(case_id) is None:
        raise CalibrationError("This case is not in the round.")
    if level not in LEVEL_CODES:
        raise CalibrationError("Choose one of the three levels of care.")
    try:
        with transaction.atomic():
            return CalibrationRating.objects.create(round=round_, clinician=clinician,
                                                    case_id=case_id, level=level, note=note)
    except IntegrityError:
        # Two tabs posting at once meet the unique constraint: the first rating stands.
        raise CalibrationError("You have rated this case already: a calibration rating "
                               "is final, so that it stays blind.") from None
