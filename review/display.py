"""How an intake reads on the clinician's screen: scores, bands, flags, levels, waits.

Names come from the clinical catalogue; what a flag means from the criteria that raised it.

The answers themselves are shown by intake.display, the one module that turns stored
answers into words for the person and for staff alike.
"""

from screening.engine import EngineError
from screening.engine import catalogue as C
from screening.engine.counterfactual import level_changes
from screening.models import LEVEL_CHOICES
from screening.selectors import criteria_compiled

LEVEL_NAMES = dict(LEVEL_CHOICES)
LEVEL_SHORT = {"outpatient": "Outpatient", "iop": "IOP", "inpatient": "Inpatient"}


def instrument_rows(scores: dict, bands: dict) -> list[dict]:
    """Each instrument's score and band, in the SPEC's order; BMI last when measured."""
    rows = []
    for key, instrument in C.INSTRUMENTS.items():
        score = (scores or {}).get(key)
        band = (bands or {}).get(key, "none")
        top = instrument.score_range[1]
        rows.append({"key": key, "name": instrument.name, "topic": instrument.topic,
                     "score": score, "top": int(top) if top == int(top) else top,
                     "band": band, "band_name": C.BAND_NAMES.get(band, band),
                     "given": score is not None})
    if (scores or {}).get("bmi") is not None:
        rows.append({"key": "bmi", "name": "BMI", "topic": "body mass index",
                     "score": scores["bmi"], "top": None, "band": "", "band_name": "",
                     "given": True})
    return rows


def severity_words(severity: str) -> str:
    """A recommendation's overall severity in words: "moderately severe", not the id."""
    return C.BAND_NAMES.get(severity, severity.replace("_", " ").capitalize()).lower()


def flag_reasons(document: dict) -> dict[str, str]:
    """What each flag of a criteria document means, as that document says it."""
    return {flag["id"]: flag.get("reason", "") for flag in document.get("flags", ())}


def flag_name(flag: str) -> str:
    """A flag's short name: the catalogue's, or its id in words for a flag an admin added."""
    return C.FLAG_NAMES.get(flag, flag.replace("_", " ").capitalize())


def flag_choices(document: dict | None) -> list[tuple[str, str]]:
    """The flags a criteria document can raise, in its order, as (id, name) choices; the
    catalogue's names when there is no document (between a retire and a publish)."""
    if document is None:
        return list(C.FLAG_NAMES.items())
    return [(flag["id"], flag_name(flag["id"])) for flag in document.get("flags", ())]


def flag_rows(flags: list[str], reasons: dict[str, str] | None = None) -> list[dict]:
    """Each flag's short name (the catalogue's) and what it means (`reasons`, from the
    criteria that raised it)."""
    reasons = reasons or {}
    return [{"id": flag, "name": flag_name(flag), "about": reasons.get(flag, "")}
            for flag in flags or []]


def duration_words(delta) -> str:
    """A wait in the largest sensible units: '12 min', '3 h 05 min', '2 d 4 h'."""
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def level_change_rows(recommendation, answers: dict) -> dict | None:
    """What would change the level, for the clinician's intake page and print view: the
    smallest changes to the facts the pinned criteria test (screening/engine/
    counterfactual.py), lower level first. Pure computation on what the page has loaded:
    the answers and the recommendation's criteria version. None when there is nothing to
    show (no recommendation, or answers or criteria the engine refuses)."""
    if recommendation is None:
        return None
    try:
        changes = level_changes(answers, criteria_compiled(recommendation.criteria_version))
    except EngineError:
        return None
    if changes.level != recommendation.level:
        # Stored under another scoring of the same version (SPEC §6: DAST-10): a search
        # from another level would not explain the recommendation shown.
        return {"differs": LEVEL_SHORT.get(changes.level, changes.level)}
    directions = []
    for direction in (changes.down, changes.up):
        if direction is None:
            continue
        directions.append({
            "words": direction.words, "size": direction.size,
            "ways": [{"level": way.level, "words": way.words, "safety": way.safety,
                      "answers": "; ".join(change.answer for change in way.changes)}
                     for way in direction.ways]})
    return {"directions": directions, "max_facts": changes.max_facts,
            "safety": any(way["safety"] for row in directions for way in row["ways"])}
