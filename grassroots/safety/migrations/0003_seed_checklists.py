"""The default checklists, version 1 each: warehouse fire safety, the 九小场所,
hazardous chemicals. The subdistrict publishes later versions from the
checklist pages; this migration's rows are never edited."""

from django.db import migrations

from grassroots.safety.checklist_defaults import CHECKLISTS

def seed(apps, schema_editor):
    Checklist = apps.get_model("safety", "Checklist")
    ChecklistVersion = apps.get_model("safety", "ChecklistVersion")
    ChecklistItem = apps.get_model("safety", "ChecklistItem")
    for code, title, kinds, items in CHECKLISTS:
        checklist = Checklist.objects.create(code=code, title=title, kinds=kinds)
        version = ChecklistVersion.objects.create(checklist=checklist, number=1, note="初始版本")
        ChecklistItem.objects.bulk_create(
            ChecklistItem(version=version, position=n, text=text, legal_basis=basis)
            for n, (text, basis) in enumerate(items, start=1)
        )


def unseed(apps, schema_editor):
    Checklist = apps.get_model("safety", "Checklist")
    ChecklistVersion = apps.get_model("safety", "ChecklistVersion")
    ChecklistItem = apps.get_model("safety", "ChecklistItem")
    codes = [code for code, *_ in CHECKLISTS]
    ChecklistItem.objects.filter(version__checklist__code__in=codes).delete()
    ChecklistVersion.objects.filter(checklist__code__in=codes).delete()
    Checklist.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("safety", "0002_checklists")]

    operations = [migrations.RunPython(seed, unseed)]
