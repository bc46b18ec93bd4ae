"""Scoring of every instrument (SPEC §4), with the band cut-offs taken from the criteria.

Scores are fixed by the instruments themselves; where a score falls (its band) is criteria
data, so a clinic can move a cut-off without code. A band table maps each band to the lowest
score in it; a score below the first cut-off is `none`.
"""

DAST10_REVERSED_ITEM = 2  # item 3, "always able to stop": scores 1 for no
PEG_ITEMS = 3
# Nudges a value written as x.x5 (stored in binary a hair below it) over the tie, so it
# rounds up as on paper. Scores here are at most a few hundred: far above float noise,
# far below any real difference between two answers.
HALF_UP_NUDGE = 1e-9


def one_decimal(value: float) -> float:
    """Round half up to one decimal, as a clinician would (12.25 -> 12.3, not banker's 12.2)."""
    return round(value + HALF_UP_NUDGE, 1)


def dast10_score(items: list) -> int:
    score = sum(items)  # True counts 1
    return score + (-1 if items[DAST10_REVERSED_ITEM] else 1)


def pcptsd5_score(value: dict) -> int:
    return sum(value["items"]) if value["exposure"] else 0


def mdq_score(value: dict) -> int:
    return sum(value["items"])


def peg_score(items: list) -> float:
    return one_decimal(sum(items) / PEG_ITEMS)


def bmi(height_cm: float, weight_kg: float) -> float:
    metres = height_cm / 100
    return one_decimal(weight_kg / (metres * metres))


def band_of(score, table: tuple) -> str:
    """The band of `score` in a compiled table ((lowest score, band), highest first)."""
    if score is None:
        return "none"
    for low, band in table:
        if score >= low:
            return band
    return "none"
