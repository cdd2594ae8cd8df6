"""Link existing households to the standard address whose text matches
(one match in the household's unit; see services/linking.py, whose rule
this copies so that the migration stays as it ran). Households left
unlinked are listed on /addresses/households/ and by `link_households`."""

import unicodedata

from django.db import migrations

_SYNONYMS = (("号楼", "栋"), ("幢", "栋"), ("单元单元", "单元"))


def _key(text):
    key = "".join(unicodedata.normalize("NFKC", text or "").split())
    for old, new in _SYNONYMS:
        key = key.replace(old, new)
    return key


def _keys(address):
    tail = ""
    if address.building:
        tail += f"{address.building}栋"
    if address.unit:
        tail += f"{address.unit}单元"
    if address.room:
        tail += f"{address.room}室"
    place = address.full_text.split(f"{address.road}{address.door_number}号", 1)[0]
    return {_key(address.full_text), _key(place + tail)}


def link(apps, schema_editor):
    Address = apps.get_model("addresses", "Address")
    Household = apps.get_model("regions", "Household")
    candidates = {}
    for address in Address.objects.filter(kind="room").iterator():
        for key in _keys(address):
            candidates.setdefault((address.node_id, key), set()).add(address.pk)
    for household in Household.objects.filter(standard_address__isnull=True).iterator():
        found = candidates.get((household.unit_id, _key(household.address)), set())
        if len(found) == 1:
            Household.objects.filter(pk=household.pk).update(standard_address_id=next(iter(found)))


def unlink(apps, schema_editor):
    apps.get_model("regions", "Household").objects.update(standard_address=None)


class Migration(migrations.Migration):
    dependencies = [
        ("addresses", "0001_initial"),
        ("regions", "0002_household_standard_address"),
    ]

    operations = [migrations.RunPython(link, unlink)]
