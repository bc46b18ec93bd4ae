import json
from pathlib import Path

from django.db import migrations

DEFAULT = Path(__file__).resolve().parent.parent / "criteria" / "default-1.json"


def load_default(apps, schema_editor):
    CriteriaVersion = apps.get_model("screening", "CriteriaVersion")
    document = json.loads(DEFAULT.read_text())
    if not CriteriaVersion.objects.filter(version=document["version"]).exists():
        CriteriaVersion.objects.create(
            version=document["version"], status="published", document=document,
            note="The shipped default criteria (SPEC §6).",
        )


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(load_default, migrations.RunPython.noop)]
