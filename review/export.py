"""An intake as one JSON document, for the chart or another clinic system."""

from intake.display import answers_text
from intake.models import Intake


def _iso(value):
    return value.isoformat() if value else None


def intake_export_data(intake: Intake) -> dict:
    """Answers (SPEC §3 shape), the stored recommendation (SPEC §7 shape plus the reasons
    and the criteria version it was made with), the decision and the dates."""
    recommendation = getattr(intake, "recommendation", None)
    decision = getattr(intake, "decision", None)
    return {
        "intake": intake.number,
        "status": intake.status,
        "submitted_at": _iso(intake.submitted_at),
        "signed_by": intake.signature_name,
        "answers": intake.answers,
        # The same answers as the clinician reads them: each under its question, in words.
        "questionnaire_version": intake.questionnaire_version,
        "answers_read": answers_text(intake.answers, version=intake.questionnaire_version),
        "recommendation": None if recommendation is None else {
            "level": recommendation.level,
            "criteria_version": recommendation.criteria_version.version,
            "rules": recommendation.rules,
            "reasons": recommendation.reasons,
            "flags": recommendation.flags,
            "severity": recommendation.severity,
            "suicide_risk": recommendation.suicide_risk,
            "withdrawal_risk": recommendation.withdrawal_risk,
            "scores": recommendation.scores,
            "bands": recommendation.bands,
        },
        "decision": None if decision is None else {
            "accepted": decision.accepted,
            "indicated_level": decision.indicated_level,
            "start_level": decision.start_level,
            "reason_code": decision.reason_code,
            "reason_text": decision.reason_text,
            "program": decision.program.name if decision.program else None,
            "next_steps": decision.next_steps,
            "decided_by": decision.decided_by.email,
            "decided_at": _iso(decision.decided_at),
        },
    }
