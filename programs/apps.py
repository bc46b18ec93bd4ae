from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    """The programs admins keep (pages, not the Django admin). The models are review's:
    decisions point at them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"
    verbose_name = "Programs"
