from django.db import migrations, models


def flag_reasons_of(document: dict, flags: list) -> list:
    """[{"id", "reason"}] for `flags`, in their order, from a criteria document's flags."""
    reasons = {flag["id"]: flag.get("reason", "") for flag in document.get("flags", [])}
    return [{"id": flag, "reason": reasons.get(flag, "")} for flag in flags]


def fill_flag_reasons(apps, schema_editor):
    """Give every stored recommendation the reasons of its flags from its own version.

    One update per version and distinct set of flags (a few dozen), not one per row: a
    clinic may hold a million recommendations.
    """
    CriteriaVersion = apps.get_model("screening", "CriteriaVersion")
    Recommendation = apps.get_model("screening", "Recommendation")
    for version in CriteriaVersion.objects.all():
        pinned = Recommendation.objects.filter(criteria_version=version)
        for flags in pinned.values_list("flags", flat=True).distinct():
            pinned.filter(flags=flags).update(
                flag_reasons=flag_reasons_of(version.document, flags))


class Migration(migrations.Migration):

    dependencies = [
        ("screening", "0004_frozen_versions_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="recommendation",
            name="flag_reasons",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(fill_flag_reasons, migrations.RunPython.noop),
    ]
