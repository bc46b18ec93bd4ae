"""The ordered scales of SPEC §2, §4 and §5: every comparison in the engine uses these."""

from .catalogue import INSTRUMENTS as CATALOGUE_INSTRUMENTS

LEVELS = ("outpatient", "iop", "inpatient")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

BANDS = ("none", "mild", "moderate", "moderately_severe", "severe")
BAND_RANK = {band: rank for rank, band in enumerate(BANDS)}

INSTRUMENTS = tuple(CATALOGUE_INSTRUMENTS)  # SPEC §4's order, as the catalogue has them
# Scores reported in SPEC §7's order: the instruments, then BMI.
SCORED = INSTRUMENTS + ("bmi",)
