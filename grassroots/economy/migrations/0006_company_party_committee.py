"""One 联村党委 (ADR 0045), first step: the company gains a link to party's
organisation. The data move (0007) and the removal of economy's own committee
tables (0008) are migrations of their own: PostgreSQL will not alter a table
while rows changed in the same transaction still have pending constraint
triggers, in either direction."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("economy", "0005_project_register"),
        ("party", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="company",
            name="party_committee",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="party.branch",
            ),
        ),
    ]
