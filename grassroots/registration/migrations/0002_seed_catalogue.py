"""Seed the service catalogue: the registration authority, the five services
with their legal basis, limits and materials, and one window with its
appointment slots (grassroots.registration.services.seed). The reverse
deletes the seeded rows (and fails, as it should, once applications or
appointments refer to them)."""

from django.db import migrations

from grassroots.registration.services.seed import migration_forward, migration_reverse


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migration_forward, migration_reverse),
    ]
