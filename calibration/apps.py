from django.apps import AppConfig


class CalibrationConfig(AppConfig):
    """Clinicians rate the public test cases blind; the results give their agreement with
    the engine and with each other. Kept apart from intakes: nothing here is a patient."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "calibration"
    verbose_name = "Calibration"
