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


def kept_answers_show_acute_risk(unfinished: dict) -> bool:
    """The same two reasons in a half-answered safety page kept by "save and finish later":
    a yes to intent, to a plan or to behaviour in the past 3 months, or intent to harm
    others, shows crisis help even before the page is complete."""
    kept = unfinished.get("safety", {})
    return (any(kept.get(f"cssrs_{name}") == "yes"
                for name in ("intent", "plan", "behavior_past_3_months"))
            or kept.get("harm_to_others") == "intent")


def intake_shows_acute_risk(intake) -> bool:
    """Crisis help first on the intake's pages: from its saved answers or a kept safety page."""
    return shows_acute_risk(intake.answers) or kept_answers_show_acute_risk(intake.unfinished)
