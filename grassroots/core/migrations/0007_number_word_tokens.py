"""Re-tokenise the search index now that `core.search.bigrams` adds the
number-and-word tokens ("2单", "18号"): a query such as "2单元" asks the
index for them, so rows indexed before would no longer be found.

Each row is recomputed from its own normalised text (no app's objects are
read), as in 0005. The FTS5 triggers (SQLite) and the GIN index
(PostgreSQL) follow the updated `bigrams` column by themselves.

Reverse: nothing to undo. The new tokens are added to the old ones, so the
older code's queries find every row they found before.
"""

from django.db import migrations

BATCH = 500


def retokenise(apps, schema_editor):
    from grassroots.core.search import bigrams

    SearchEntry = apps.get_model("core", "SearchEntry")
    changed = []
    for entry in SearchEntry.objects.order_by("pk").iterator(chunk_size=BATCH):
        tokens = " ".join(bigrams(entry.text))
        if tokens != entry.bigrams:
            entry.bigrams = tokens
            changed.append(entry)
        if len(changed) >= BATCH:
            SearchEntry.objects.bulk_update(changed, ["bigrams"])
            changed = []
    if changed:
        SearchEntry.objects.bulk_update(changed, ["bigrams"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_holiday_override_updated_by_label"),
    ]

    operations = [migrations.RunPython(retokenise, migrations.RunPython.noop)]
