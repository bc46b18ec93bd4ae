from django.db import migrations


def normalise(apps, schema_editor):
    """Sign-in now looks addresses up stripped and lower-cased: accounts stored otherwise
    (made in the admin site before) are rewritten, unless that would collide with another
    account, which is left for an admin to resolve (it could not sign in either way)."""
    User = apps.get_model("accounts", "User")
    for user in User.objects.all().only("pk", "email"):
        normal = user.email.strip().lower()
        if normal != user.email and not User.objects.filter(email=normal).exists():
            User.objects.filter(pk=user.pk).update(email=normal)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_user_email_confirmed")]
    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
