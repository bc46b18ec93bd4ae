import intake.models
from django.db import migrations, models


class Migration(migrations.Migration):
    """Every intake so far was asked the first wording, q-1; new ones get the current one."""

    dependencies = [
        ('intake', '0002_unfinished_pages'),
    ]

    operations = [
        migrations.AddField(
            model_name='intake',
            name='questionnaire_version',
            field=models.CharField(default='q-1', max_length=20),
        ),
        migrations.AlterField(
            model_name='intake',
            name='questionnaire_version',
            field=models.CharField(default=intake.models.questionnaire_current, max_length=20),
        ),
    ]
