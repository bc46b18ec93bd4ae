"""The three roles of SPEC §1, held as auth groups."""

PATIENT = "patient"
CLINICIAN = "clinician"
ADMIN = "admin"
ROLES = (PATIENT, CLINICIAN, ADMIN)
