import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DEFAULT_2 = Path(__file__).resolve().parent.parent / "criteria" / "default-2.json"
SHIPPED_BEFORE = "default-1"


def publish_default_2(apps, schema_editor):
    """SPEC v2 §6: default-2 replaces default-1 as the published criteria.

    Where default-1 is still the published version (or none is), it is retired and default-2
    published. A site whose admins published a version of their own keeps it: default-2
    arrives as a draft for them to preview and publish. Stored recommendations keep their
    version either way (nothing here touches them), so each stays reproducible.
    """
    CriteriaVersion = apps.get_model("screening", "CriteriaVersion")
    document = json.loads(DEFAULT_2.read_text())
    if CriteriaVersion.objects.filter(version=document["version"]).exists():
        return
    now = timezone.now()
    published = CriteriaVersion.objects.filter(status="published").first()
    shipped = CriteriaVersion.objects.filter(version=SHIPPED_BEFORE).first()
    if published is None or published.version == SHIPPED_BEFORE:
        if published is not None:
            # Retired first: only one version may be published at a time.
            published.status, published.retired_at = "retired", now
            published.save(update_fields=["status", "retired_at", "updated_at"])
        CriteriaVersion.objects.create(
            version=document["version"], status="published", document=document,
            based_on=shipped, published_at=now,
            note="The shipped default criteria of SPEC v2 §6: default-1's rules and five "
                 "more flags.")
    else:
        CriteriaVersion.objects.create(
            version=document["version"], status="draft", document=document, based_on=shipped,
            note=f"The shipped default of SPEC v2 §6 (default-1's rules and five more flags), "
                 f"as a draft: this site publishes {published.version}. Preview it against "
                 f"the test cases and past intakes, then publish it or copy what you need.")


class Migration(migrations.Migration):
    dependencies = [("screening", "0005_recommendation_flag_reasons")]
    # Not reversed: a published or retired version never changes back (0004's trigger).
    operations = [migrations.RunPython(publish_default_2, migrations.RunPython.noop)]
