from django.db import migrations


class Migration(migrations.Migration):
    """Who is on call is the on-call roster's (oncall.Shift) alone: the flag's clinicians
    were moved onto it by oncall 0002 first."""

    dependencies = [
        ("accounts", "0002_role_groups"),
        ("oncall", "0002_on_call_flags_to_roster"),
    ]

    operations = [migrations.RemoveField(model_name="user", name="on_call")]
