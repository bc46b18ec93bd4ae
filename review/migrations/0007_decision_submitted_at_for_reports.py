# The outcome reports select and group decisions by when the intake was submitted: copied
# onto each decision (one UPDATE for the decisions already made), indexed.

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_submitted_at(apps, schema_editor):
    Decision = apps.get_model("review", "Decision")
    Intake = apps.get_model("intake", "Intake")
    Decision.objects.update(submitted_at=Subquery(
        Intake.objects.filter(pk=OuterRef("intake_id")).values("submitted_at")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0004_merge_0002_response_clock_0003_questionnaire_version'),
        ('review', '0006_program_schedules_and_wait_list'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='decision',
            name='submitted_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(copy_submitted_at, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='decision',
            index=models.Index(fields=['submitted_at'], name='decision_submitted_at'),
        ),
    ]
