"""The default indicator definitions of the subdistrict's monthly briefing."""

from django.db import migrations

from grassroots.indicators.definitions import DEFAULTS


def seed(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for name, unit, scope, kind, department, order in DEFAULTS:
        Indicator.objects.get_or_create(
            name=name, defaults={"unit": unit, "scope": scope, "kind": kind, "department": department, "order": order}
        )


def unseed(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(name__in=[row[0] for row in DEFAULTS], values__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
