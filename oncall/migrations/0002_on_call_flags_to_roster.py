from datetime import timedelta

from django.db import migrations
from django.utils import timezone


def flags_to_shifts(apps, schema_editor):
    """Clinicians marked on call (the flag the roster replaces) stay on call for a week from
    the upgrade, so no urgent alert goes to nobody on the day of it; by then admins have
    set the roster, or the red banner tells them to."""
    User = apps.get_model("accounts", "User")
    Shift = apps.get_model("oncall", "Shift")
    now = timezone.now()
    Shift.objects.bulk_create(
        Shift(clinician=user, starts_at=now, ends_at=now + timedelta(days=7))
        for user in User.objects.filter(on_call=True, is_active=True,
                                        groups__name="clinician").distinct())


class Migration(migrations.Migration):

    dependencies = [
        ("oncall", "0001_oncall_roster"),
        ("accounts", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(flags_to_shifts, migrations.RunPython.noop)]
