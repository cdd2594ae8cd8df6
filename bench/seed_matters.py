"""Seed the benchmark database fast: Hutian's tree and demo households, the
bench account with an API token, responsible units, and N matters (default
100,000) with their timeline events and search index rows, all by bulk
insert.

Texts: real messages from a city's government message board
(../shared/data/complaints/train_segmented.csv, read at run time and never
copied into the project), word segmentation undone. States, channels,
categories, places and dates are drawn from a fixed seed; older matters are
mostly closed, recent ones mostly open.

    .venv/bin/python bench/seed_matters.py [--count 100000] [--db grassroots_bench]

run.py calls this after `migrate`; it does nothing when the database already
holds exactly --count matters."""

from __future__ import annotations

import argparse
import csv
import datetime
import random
import re
import sys
import time
from collections import Counter
from typing import Any

import benchenv

BATCH = 1000
DAYS = 365
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CHANNEL_WEIGHTS = {"web": 35, "wechat": 20, "visit": 25, "hotline": 15, "walk_in": 5}
LEVEL_WEIGHTS = {5: 70, 3: 15, 4: 5, 2: 10}  # unit, grid, building, village
SURNAMES = "王张李刘孙赵陈杨徐马"
DEPARTMENTS = {
    "urban": "城管办",
    "safety": "安监站",
    "social": "社会事务办",
    "economy": "经管站",
    "construction": "规划建设办",
    "stability": "综治中心",
    "labour": "劳动保障所",
    "environment": "生态环境办",
}
SEED_MARK = "bench"  # channel_detail["seed"] of seeded matters
_CJK_EDGE = re.compile(r"[\u3400-\u9fff]")


def load_texts(limit: int = 20000) -> list[str]:
    """Messages with the segmentation spaces removed between Chinese words."""
    texts: list[str] = []
    with benchenv.COMPLAINTS_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            words = row["text_segmented"].split()
            if not words:
                continue
            text = words[0]
            for word in words[1:]:
                joined = _CJK_EDGE.match(text[-1]) and _CJK_EDGE.match(word[0])
                text += word if joined else f" {word}"
            texts.append(text)
            if len(texts) >= limit:
                break
    if not texts:
        raise SystemExit(f"no texts in {benchenv.COMPLAINTS_CSV}")
    return texts


def state_for(rng: random.Random, age_days: int) -> str:
    """Older matters are mostly finished; the last weeks are mostly open."""
    if age_days > 60:
        weights = {
            "closed": 78,
            "resolved": 6,
            "rejected": 6,
            "handling": 6,
            "accepted": 2,
            "deliberating": 1,
            "reported": 1,
        }
    elif age_days > 14:
        weights = {
            "closed": 40,
            "resolved": 20,
            "rejected": 5,
            "handling": 25,
            "accepted": 5,
            "deliberating": 2,
            "reported": 3,
        }
    else:
        weights = {
            "closed": 5,
            "resolved": 10,
            "rejected": 5,
            "handling": 35,
            "accepted": 20,
            "deliberating": 2,
            "reported": 23,
        }
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def ensure_base() -> tuple[Any, Any]:
    """Tree, demo households and the bench account; returns (subdistrict, user)."""
    from django.core.management import call_command

    from grassroots.accounts.models import User
    from grassroots.accounts.roles import Role
    from grassroots.regions.models import Level, Node

    call_command("load_hutian", verbosity=0)
    call_command("generate_demo", verbosity=0)
    subdistrict = Node.objects.get(code="370303003000", level=Level.SUBDISTRICT)
    user = User.objects.filter(username=benchenv.BENCH_USER).first()
    if user is None:
        user = User(username=benchenv.BENCH_USER, role=Role.SUBDISTRICT_STAFF, jurisdiction=subdistrict)
        user.display_name = "压测账号"
        user.set_password(benchenv.BENCH_PASSWORD)
        user.save()
    return subdistrict, user


def ensure_units(subdistrict: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(village path → village committee unit, department code → unit)."""
    from grassroots.matters.models import ResponsibleUnit, UnitKind
    from grassroots.regions.models import Level, Node

    villages = {}
    for village in Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE):
        unit, _ = ResponsibleUnit.objects.get_or_create(
            node=village, name=f"{village.label}两委", defaults={"kind": UnitKind.VILLAGE}
        )
        villages[village.path] = unit
    departments = {}
    for code, name in DEPARTMENTS.items():
        unit, _ = ResponsibleUnit.objects.get_or_create(
            node=subdistrict, code=code, defaults={"name": name, "kind": UnitKind.SUBDISTRICT}
        )
        departments[code] = unit
    return villages, departments


def leaf_categories() -> list[Any]:
    from grassroots.matters.models import Category

    leaves = list(Category.objects.filter(parent__isnull=False, active=True))
    if not leaves:  # the seed migration is missing: a minimal set
        group, _ = Category.objects.get_or_create(code="bench-general", defaults={"name": "综合"})
        for code, name in (("bench-clutter", "楼道堆物"), ("bench-lamp", "路灯故障"), ("bench-noise", "噪音扰民")):
            Category.objects.get_or_create(code=code, defaults={"name": name, "parent": group})
        leaves = list(Category.objects.filter(parent__isnull=False, active=True))
    return leaves


def _tracking_codes(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(rng.choice(TRACKING_ALPHABET) for _ in range(10))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def seed(count: int, *, rng_seed: int = 2026) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from grassroots.core.search import bigrams, normalize
    from grassroots.core.search_models import SearchEntry
    from grassroots.matters.models import Channel, EventKind, Matter, MatterEvent
    from grassroots.matters.services.intake import SEARCH_TYPE
    from grassroots.matters.states import State
    from grassroots.regions.models import Node

    subdistrict, user = ensure_base()
    # Matters that earlier runs' create benchmark added go, so that every run
    # measures the same database.
    extra = list(Matter.objects.exclude(channel_detail__contains={"seed": SEED_MARK}).values_list("pk", flat=True))
    if extra:
        SearchEntry.objects.filter(object_type=SEARCH_TYPE, object_id__in=[str(pk) for pk in extra]).delete()
        Matter.objects.filter(pk__in=extra).delete()
        print(f"seed: removed {len(extra)} matters created by earlier benchmark runs")
    existing = Matter.objects.count()
    if existing == count:
        print(f"seed: {existing} matters already there, nothing to do")
        return
    if existing:
        raise SystemExit(f"seed: the database holds {existing} matters, not {count}; run with --reset")
    village_units, department_units = ensure_units(subdistrict)
    categories = leaf_categories()
    texts = load_texts()
    rng = random.Random(rng_seed)
    nodes_by_level: dict[int, list[tuple[int, str]]] = {level: [] for level in LEVEL_WEIGHTS}
    for pk, path, level in Node.objects.filter(path__startswith=subdistrict.path, level__gte=2).values_list(
        "pk", "path", "level"
    ):
        nodes_by_level[level].append((pk, path))
    levels = [lv for lv in LEVEL_WEIGHTS if nodes_by_level[lv]]
    level_weights = [LEVEL_WEIGHTS[lv] for lv in levels]
    channels = list(CHANNEL_WEIGHTS)
    channel_weights = list(CHANNEL_WEIGHTS.values())
    channel_labels = dict(Channel.choices)
    state_labels = dict(State.choices)

    # Seeded rows keep their own timestamps: switch auto_now(_add) off here only.
    for model, name in (
        (Matter, "created_at"),
        (Matter, "updated_at"),
        (MatterEvent, "created_at"),
        (SearchEntry, "updated_at"),
    ):
        field: Any = model._meta.get_field(name)
        field.auto_now = False
        field.auto_now_add = False

    now = timezone.now()
    moments = sorted(now - datetime.timedelta(seconds=rng.uniform(60, DAYS * 86400)) for _ in range(count))
    codes = _tracking_codes(rng, count, set())
    per_day: Counter[datetime.date] = Counter()
    started = time.perf_counter()
    made = Counter[str]()
    for offset in range(0, count, BATCH):
        matters: list[Matter] = []
        for index in range(offset, min(offset + BATCH, count)):
            created = moments[index]
            day = timezone.localtime(created).date()
            per_day[day] += 1
            age = (now - created).days
            state = state_for(rng, age)
            made[state] += 1
            level = rng.choices(levels, weights=level_weights)[0]
            node_id, path = rng.choice(nodes_by_level[level])
            text = rng.choice(texts)
            channel = rng.choices(channels, weights=channel_weights)[0]
            matter = Matter(
                number=f"SX{day:%Y%m%d}-{per_day[day]:04d}",
                tracking_code=codes[index],
                node_id=node_id,
                path=path,
                title=text[:20],
                description=text[:800],
                channel=channel,
                channel_detail={"seed": SEED_MARK},
                reporter_name="" if channel == "web" else f"{rng.choice(SURNAMES)}先生",
                reporter_phone=f"13{rng.randrange(10**9):09d}",
                created_by=None if channel == "web" else user,
                state=state,
                created_at=created,
                updated_at=created,
            )
            if state != State.REPORTED:
                category = rng.choice(categories)
                matter.category = category
                matter.deadline_days = category.deadline_days
                matter.accepted_at = min(created + datetime.timedelta(hours=rng.uniform(1, 30)), now)
                matter.due_date = (matter.accepted_at + datetime.timedelta(days=category.deadline_days * 1.4)).date()
                if category.unit_kind == "subdistrict" and category.department_code in department_units:
                    matter.responsible_unit = department_units[category.department_code]
                else:
                    matter.responsible_unit = village_units.get(path[: 2 * Node.steplen])
                matter.updated_at = matter.accepted_at
            if state == State.REJECTED:
                matter.rejection_reason = "不属于本街道受理范围,已告知反映人向相关部门反映。"
            if state in (State.RESOLVED, State.CLOSED):
                matter.result = "已现场处理完毕,并向反映人反馈。"
                matter.resolved_at = min(created + datetime.timedelta(days=rng.uniform(1, 10)), now)
                matter.updated_at = matter.resolved_at
            if state == State.CLOSED:
                matter.closed_at = min(
                    (matter.resolved_at or created) + datetime.timedelta(days=rng.uniform(1, 5)), now
                )
                matter.updated_at = matter.closed_at
            matters.append(matter)
        with transaction.atomic():
            Matter.objects.bulk_create(matters)
            events: list[MatterEvent] = []
            entries: list[SearchEntry] = []
            for matter in matters:
                events.append(
                    MatterEvent(
                        matter=matter,
                        kind=EventKind.CREATED,
                        actor_label="反映人",
                        text=f"通过“{channel_labels[matter.channel]}”反映",
                        public=True,
                        to_state=State.REPORTED,
                        created_at=matter.created_at,
                    )
                )
                if matter.state != State.REPORTED:
                    events.append(
                        MatterEvent(
                            matter=matter,
                            kind=EventKind.TRANSITION,
                            actor=user,
                            text=f"事项{state_labels[matter.state]}",
                            public=True,
                            from_state=State.REPORTED,
                            to_state=matter.state,
                            created_at=matter.updated_at,
                        )
                    )
                text = normalize(
                    " ".join(filter(None, [matter.number, matter.title, matter.description, matter.result]))
                )
                entries.append(
                    SearchEntry(
                        object_type=SEARCH_TYPE,
                        object_id=str(matter.pk),
                        path=matter.path,
                        text=text,
                        bigrams=" ".join(bigrams(text)),
                        updated_at=matter.updated_at,
                    )
                )
            MatterEvent.objects.bulk_create(events)
            SearchEntry.objects.bulk_create(entries)
        done = offset + len(matters)
        if done % 10000 == 0 or done == count:
            print(f"seed: {done}/{count} matters ({time.perf_counter() - started:.0f} s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print("seed: states " + ", ".join(f"{k} {v}" for k, v in sorted(made.items())))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--db", default=benchenv.DEFAULT_DB)
    args = parser.parse_args(argv)
    benchenv.django_setup(args.db)
    seed(args.count)


if __name__ == "__main__":
    main(sys.argv[1:])
