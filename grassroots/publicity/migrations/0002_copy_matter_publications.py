"""Copy the matters app's publication records into publicity.Publication.
They were records of notices already posted, so each becomes published (or
ended, when its period is over), shown at its matter's place."""

import datetime

from django.db import migrations


def copy_forward(apps, schema_editor):
    Old = apps.get_model("matters", "Publication")
    New = apps.get_model("publicity", "Publication")
    today = datetime.date.today()
    rows = []
    for old in Old.objects.select_related("matter__node").order_by("id"):
        ended = old.ends_on < today
        rows.append(
            New(
                kind=old.kind,
                state="ended" if ended else "published",
                node=old.matter.node,
                path=old.matter.node.path,
                matter=old.matter,
                title=old.title,
                content=old.content,
                starts_on=old.starts_on,
                ends_on=old.ends_on,
                channels=old.channels,
                created_by_id=old.created_by_id,
                published_by_id=old.created_by_id,
                published_at=old.created_at,
            )
        )
    New.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0001_publications_and_objections"),
    ]

    operations = [migrations.RunPython(copy_forward, migrations.RunPython.noop)]
