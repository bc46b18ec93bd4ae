"""The ordered scales of SPEC §2, §4 and §5: every comparison in the engine uses these."""

LEVELS = ("outpatient", "iop", "inpatient")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

BANDS = ("none", "mild", "moderate", "moderately_severe", "severe")
BAND_RANK = {band: rank for rank, band in enumerate(BANDS)}

INSTRUMENTS = ("phq9", "gad7", "auditc", "dast10", "pcptsd5", "scoff", "mdq", "peg")
# Scores reported in SPEC §7's order: the instruments, then BMI.
SCORED = INSTRUMENTS + ("bmi",)
