"""Whether the answers given so far show acute risk. SPEC §1: a patient sees crisis resources
at once when their answers show it, so the intake's pages show them from the moment the
safety step is saved, not only after the whole intake is submitted."""

from screening.engine.facts import suicide_risk


def shows_acute_risk(answers: dict) -> bool:
    """High suicide risk (C-SSRS intent, plan or recent behaviour) or intent to harm others:
    the two urgent reasons that crisis lines are for."""
    cssrs = answers.get("cssrs")
    return ((cssrs is not None and suicide_risk(cssrs) == "high")
            or answers.get("harm_to_others") == "intent")
