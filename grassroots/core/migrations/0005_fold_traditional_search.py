"""Re-normalise the search index now that `core.search.normalize` folds
traditional characters to simplified ones (樓道燈 → 楼道灯), so that rows
indexed before the change are found by simplified queries.

`SearchEntry.text` already holds normalised text, and normalising is
idempotent, so each row is recomputed from its own text: no app's objects are
read. The FTS5 triggers (SQLite) and the GIN index (PostgreSQL) follow the
updated `bigrams` column by themselves.

Reverse: nothing to undo. Folded text is still found by the older code for
simplified queries, which is all it could find before; the original
traditional spelling is kept in the apps' own rows and comes back at the next
reindex of each object.
"""

from django.db import migrations

BATCH = 500


def refold(apps, schema_editor):
    from grassroots.core.search import bigrams, normalize

    SearchEntry = apps.get_model("core", "SearchEntry")
    changed = []
    for entry in SearchEntry.objects.order_by("pk").iterator(chunk_size=BATCH):
        text = normalize(entry.text)
        tokens = " ".join(bigrams(text))
        if text != entry.text or tokens != entry.bigrams:
            entry.text, entry.bigrams = text, tokens
            changed.append(entry)
        if len(changed) >= BATCH:
            SearchEntry.objects.bulk_update(changed, ["text", "bigrams"])
            changed = []
    if changed:
        SearchEntry.objects.bulk_update(changed, ["text", "bigrams"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_sequence"),
    ]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
