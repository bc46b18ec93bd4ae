from django.db import migrations


def discard_unconfirmed(apps, schema_editor):
    """Unconfirmed TOTP devices were shown to anyone holding the password before the person
    confirmed them (issue 13): none is kept; enrolment now starts afresh in a session."""
    apps.get_model("otp_totp", "TOTPDevice").objects.filter(confirmed=False).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_groups"), ("otp_totp", "0003_add_timestamps")]
    operations = [migrations.RunPython(discard_unconfirmed, migrations.RunPython.noop)]
