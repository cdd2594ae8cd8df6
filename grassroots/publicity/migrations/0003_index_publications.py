"""Index the publications that exist (copied from matters in 0002) for the
bigram search (ADR 0007); new ones are indexed by the services."""

from django.db import migrations


def index_forward(apps, schema_editor):
    from grassroots.core.search import bigrams, normalize

    Publication = apps.get_model("publicity", "Publication")
    SearchEntry = apps.get_model("core", "SearchEntry")
    for publication in Publication.objects.select_related("matter").order_by("id").iterator(chunk_size=500):
        number = publication.matter.number if publication.matter_id else ""
        text = normalize(" ".join(filter(None, [number, publication.title, publication.content])))
        SearchEntry.objects.update_or_create(
            object_type="publicity.Publication",
            object_id=str(publication.pk),
            defaults={"path": publication.path, "text": text, "bigrams": " ".join(bigrams(text))},
        )


def index_backward(apps, schema_editor):
    apps.get_model("core", "SearchEntry").objects.filter(object_type="publicity.Publication").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_search_index"),
        ("publicity", "0002_copy_matter_publications"),
    ]

    operations = [migrations.RunPython(index_forward, index_backward)]
