"""One 联村党委 (ADR 0045), second step: economy's own committee tables go and
the company's link to party's organisation takes the name `committee`. Apart
from 0007, whose data move leaves pending constraint triggers on PostgreSQL
until its transaction ends."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("economy", "0007_committee_in_party"),
    ]

    operations = [
        migrations.RemoveField(model_name="company", name="committee"),
        migrations.DeleteModel(name="CommitteeMember"),
        migrations.DeleteModel(name="JointCommittee"),
        migrations.RenameField(model_name="company", old_name="party_committee", new_name="committee"),
        migrations.AlterField(
            model_name="company",
            name="committee",
            field=models.ForeignKey(
                blank=True,
                limit_choices_to={"kind": "joint"},
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="companies",
                to="party.branch",
                verbose_name="联村党委",
            ),
        ),
    ]
