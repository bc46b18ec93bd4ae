"""Scoring of every instrument (SPEC §4), with the band cut-offs taken from the criteria.

Scores are fixed by the instruments themselves; where a score falls (its band) is criteria
data, so a clinic can move a cut-off without code. A band table maps each band to the lowest
score in it; a score below the first cut-off is `none`.
"""

from decimal import ROUND_HALF_UP, Decimal

from .catalogue import DAST10_ABLE_TO_STOP as DAST10_REVERSED_ITEM
from .catalogue import DAST10_USES_DRUGS as DAST10_USES_DRUGS_ITEM
from .catalogue import PEG as _PEG

PEG_ITEMS = len(_PEG.items)
TENTH = Decimal("0.1")


def dast10_score(items: list) -> int:
    """Yes counts 1, except item 3, which counts 1 for no, and only for a person who uses
    drugs (item 1 yes): a "no" to "always able to stop" from someone who uses none says
    nothing about control (SPEC §4), and scored a non-user "mild"."""
    score = sum(items)  # True counts 1
    if items[DAST10_REVERSED_ITEM]:
        return score - 1
    return score + 1 if items[DAST10_USES_DRUGS_ITEM] else score


def pcptsd5_score(value: dict) -> int:
    return sum(value["items"]) if value["exposure"] else 0


def mdq_score(value: dict) -> int:
    return sum(value["items"])


def peg_score(items: list) -> float:
    # A sum of three whole numbers over 3 never ends in 5 at the second decimal, so plain
    # rounding to one decimal has no tie to break.
    return round(sum(items) / PEG_ITEMS, 1)


def bmi(height_cm: float, weight_kg: float) -> tuple[float, float]:
    """(BMI as measured, BMI to one decimal as reported), kg/m².

    Worked in decimal from the numbers as written, so 59.8 kg at 200 cm is 14.95 as on
    paper (binary floats land a hair either side) and rounds half up to 15.0. Rules compare
    the measured value: 14.95 is under 15 (the safer reading, docs/criteria.md).
    """
    metres = _decimal(height_cm) / 100
    measured = _decimal(weight_kg) / (metres * metres)
    return float(measured), float(measured.quantize(TENTH, rounding=ROUND_HALF_UP))


def _decimal(number: float) -> Decimal:
    return Decimal(repr(number)) if type(number) is float else Decimal(number)


def band_of(score, table: tuple) -> str:
    """The band of `score` in a compiled table ((lowest score, band), highest first)."""
    if score is None:
        return "none"
    for low, band in table:
        if score >= low:
            return band
    return "none"
