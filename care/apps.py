from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "care"
    verbose_name = "Measurement-based care"

    def ready(self) -> None:
        from intake.signals import rescreen_submitted

        from .services import suggestion_make_on_submit

        rescreen_submitted.connect(suggestion_make_on_submit,
                                   dispatch_uid="care.suggestion_make_on_submit")
