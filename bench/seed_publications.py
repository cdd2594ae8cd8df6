"""Seed publications (晒事) into the benchmark database, after seed_matters.py:
a plan notice for N/2 matters that were handled, and a result notice for
those that were resolved or closed, dated after the matter (five working
days' period approximated as seven calendar days), so that the portal, the
LED boards and the feeds read a realistic table. Most are ended; those of
the last week are up. Bulk insert; does nothing when the database already
holds exactly --count seeded notices.

    .venv/bin/python bench/seed_publications.py [--count 20000] [--db grassroots_bench]"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections import Counter

import benchenv

BATCH = 1000
SEED_MARK = "bench"  # Publication.data["seed"] of seeded notices
PERIOD = datetime.timedelta(days=7)


def seed(count: int) -> None:
    from django.utils import timezone

    from grassroots.accounts.models import User
    from grassroots.core.search import bigrams, normalize
    from grassroots.core.search_models import SearchEntry
    from grassroots.matters.models import Matter
    from grassroots.publicity.models import Publication
    from grassroots.publicity.services import SEARCH_TYPE

    existing = Publication.objects.filter(data__seed=SEED_MARK).count()
    indexed = SearchEntry.objects.filter(object_type=SEARCH_TYPE).count()
    if existing == count and indexed >= count:
        print(f"seed: {existing} publications already there, nothing to do")
        return
    SearchEntry.objects.filter(object_type=SEARCH_TYPE).delete()
    Publication.objects.filter(data__seed=SEED_MARK).delete()
    user = User.objects.get(username=benchenv.BENCH_USER)
    today = timezone.localdate()
    matters = (
        Matter.objects.filter(state__in=["handling", "resolved", "closed"])
        .only("pk", "number", "node_id", "path", "title", "description", "state", "created_at", "resolved_at")
        .order_by("-created_at")
        .iterator(chunk_size=BATCH)
    )
    started = time.perf_counter()
    rows: list[Publication] = []
    numbers: dict[int, str] = {}
    made = 0

    def flush() -> None:
        nonlocal made, rows
        Publication.objects.bulk_create(rows, batch_size=BATCH)
        # What publication_index writes (title, content, matter number).
        entries = []
        for row in rows:
            text = normalize(" ".join([numbers.get(row.matter_id or 0, ""), row.title, row.content]))
            entries.append(
                SearchEntry(
                    object_type=SEARCH_TYPE,
                    object_id=str(row.pk),
                    path=row.path,
                    text=text,
                    bigrams=" ".join(bigrams(text)),
                )
            )
        SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
        made += len(rows)
        rows = []
        print(f"seed: {made}/{count} publications ({time.perf_counter() - started:.0f} s)", flush=True)

    for matter in matters:
        numbers[matter.pk] = matter.number
        start = timezone.localdate(matter.created_at) + datetime.timedelta(days=2)
        kinds = [("plan", start)]
        if matter.state in ("resolved", "closed") and matter.resolved_at is not None:
            kinds.append(("result", timezone.localdate(matter.resolved_at)))
        for kind, begin in kinds:
            if made + len(rows) >= count:
                break
            end = begin + PERIOD
            label = "理事方案" if kind == "plan" else "理事结果"
            rows.append(
                Publication(
                    kind=kind,
                    state="ended" if end < today else "published",
                    node_id=matter.node_id,
                    path=matter.path,
                    matter_id=matter.pk,
                    data={"seed": SEED_MARK},
                    title=f"关于“{matter.title}”的{label}公示"[:100],
                    content=matter.description[:5000],
                    starts_on=begin,
                    ends_on=end,
                    channels=["portal", "notice", "led", "wechat"],
                    created_by=user,
                    published_by=user,
                    published_at=matter.created_at,
                )
            )
        if len(rows) >= BATCH:
            flush()
        if made + len(rows) >= count:
            break
    if rows:
        flush()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE publicity_publication")
            cursor.execute("VACUUM ANALYZE core_searchentry")
    states = Counter(Publication.objects.filter(data__seed=SEED_MARK).values_list("state", flat=True))
    print(
        f"seed: {made} publications in {time.perf_counter() - started:.0f} s; "
        + ", ".join(f"{state} {n}" for state, n in sorted(states.items()))
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--db", default=benchenv.DEFAULT_DB)
    args = parser.parse_args(argv)
    benchenv.django_setup(args.db)
    seed(args.count)


if __name__ == "__main__":
    main(sys.argv[1:])
