"""Seed the standard address register for the address search benchmark
(see README.md, "Addresses"): the demo tree and bench account
(seed_matters.ensure_base), then `--count` room addresses spread over the
demo tree's 498 units (floors × six flats per unit, on one road per village),
inserted with bulk_create together with the SearchEntry rows that
`address_index` would write. Idempotent: a register of the right size is kept.

    .venv/bin/python bench/seed_addresses.py [--count 100000] [--db grassroots_bench_addresses]
"""

from __future__ import annotations

import argparse
import sys
import time

import benchenv
import seed_matters

BATCH = 2000
ROADS = ("人民路", "华光路", "金晶大道", "共青团路", "西六路", "柳泉路", "新村路", "北京路", "华侨路", "湖田路")


def seed(count: int) -> None:
    from django.db import connection, transaction

    from grassroots.addresses.models import Address, Kind
    from grassroots.addresses.services.addresses import SEARCH_TYPE
    from grassroots.addresses.services.parts import Parts, standard_text
    from grassroots.core.search import bigrams, normalize
    from grassroots.core.search_models import SearchEntry
    from grassroots.regions.models import Level, Node

    subdistrict, _user = seed_matters.ensure_base()
    if Address.objects.count() == count:
        print(f"{count} addresses already seeded")
        return
    started = time.perf_counter()
    SearchEntry.objects.filter(object_type=SEARCH_TYPE).delete()
    Address.objects.all().delete()
    villages = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("path"))
    units = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.UNIT).order_by("path"))
    buildings = {n.path: n for n in Node.objects.filter(path__startswith=subdistrict.path, level=Level.BUILDING)}
    village_of = {v.path: (i, v) for i, v in enumerate(villages)}
    step = Node.steplen
    per_unit = -(-count // len(units))
    rows: list[Address] = []
    for unit in units:
        index, village = village_of[unit.path[: 2 * step]]
        building = buildings[unit.path[:-step]]
        number = "".join(ch for ch in building.name if ch.isdigit())
        unit_no = "".join(ch for ch in unit.name if ch.isdigit())
        for i in range(per_unit):
            if len(rows) >= count:
                break
            parts = Parts(
                kind=Kind.ROOM,
                road=ROADS[index % len(ROADS)],
                door_number=str(2 * int(number)),
                building=number,
                unit=unit_no,
                room=f"{i // 6 + 1}{i % 6 + 1:02d}",
            )
            rows.append(
                Address(
                    node=unit,
                    path=unit.path,
                    kind=parts.kind,
                    division_code=village.code or "",
                    road=parts.road,
                    door_number=parts.door_number,
                    building=parts.building,
                    unit=parts.unit,
                    room=parts.room,
                    full_text=standard_text(parts, subdistrict.label + village.label),
                )
            )
    with transaction.atomic():
        for start in range(0, len(rows), BATCH):
            chunk = Address.objects.bulk_create(rows[start : start + BATCH])
            entries = []
            for a in chunk:
                text = normalize(f"{a.full_text} {a.division_code}")
                entries.append(
                    SearchEntry(
                        object_type=SEARCH_TYPE,
                        object_id=str(a.pk),
                        path=a.path,
                        text=text,
                        bigrams=" ".join(bigrams(text)),
                    )
                )
            SearchEntry.objects.bulk_create(entries)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE addresses_address")
            cursor.execute("VACUUM ANALYZE core_searchentry")
    print(f"seeded {len(rows)} addresses in {time.perf_counter() - started:.1f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--db", default="grassroots_bench_addresses")
    args = parser.parse_args(argv)
    benchenv.django_setup(args.db)
    seed(args.count)


if __name__ == "__main__":
    main(sys.argv[1:])
