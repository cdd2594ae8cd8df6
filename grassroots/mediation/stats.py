"""Three-source governance (三源治理) statistics: counts and outcomes by source,
dispute type and area over time, and repeat disputes (the same parties, or
the same place) within a period. Every figure is one grouped query over the
user's scope; the page costs about ten queries whatever the number of cases."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr, TruncMonth

from grassroots.core.masking import mask_name
from grassroots.core.scoping import user_scope_path
from grassroots.regions.models import Level, Node

from .models import DisputeCase, DisputeType, Outcome, Party, Source
from .selectors import VILLAGE_PREFIX, cases_visible_to

REPEAT_MIN_CASES = 2


@dataclass
class OutcomeRow:
    key: str
    label: str
    total: int = 0
    open: int = 0
    agreed: int = 0
    failed: int = 0
    declined: int = 0

    def add(self, outcome: str, n: int) -> None:
        self.total += n
        if outcome == Outcome.AGREED:
            self.agreed += n
        elif outcome == Outcome.FAILED:
            self.failed += n
        elif outcome == Outcome.DECLINED:
            self.declined += n
        else:
            self.open += n

    @property
    def agreement_rate(self) -> float | None:
        """Agreements among the cases mediated to an end (percent, one decimal)."""
        ended = self.agreed + self.failed
        return round(100 * self.agreed / ended, 1) if ended else None


@dataclass
class RepeatGroup:
    """One person (or organisation) in several cases: matched by ID number,
    phone (blind indexes) or the same name in the same village."""

    label: str
    cases: list[tuple[int, str]] = field(default_factory=list)
    matched_by: set[str] = field(default_factory=set)


@dataclass
class RepeatPlace:
    node: Node
    cases: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Stats:
    start: datetime.date
    end: datetime.date
    total: OutcomeRow
    by_source: list[OutcomeRow]
    by_type: list[OutcomeRow]
    by_area: list[OutcomeRow]
    area_label: str
    months: list[datetime.date]
    month_counts: dict[str, list[int]]
    repeat_parties: list[RepeatGroup]
    repeat_places: list[RepeatPlace]

    def chart_data(self) -> dict[str, Any]:
        """What stats.js draws (through json_script)."""
        return {
            "months": [f"{m:%Y-%m}" for m in self.months],
            "series": [
                {"name": str(Source(key).label), "data": self.month_counts.get(key, [0] * len(self.months))}
                for key in Source.values
            ],
            "outcomes": {
                "categories": [row.label for row in self.by_source],
                "agreed": [row.agreed for row in self.by_source],
                "failed": [row.failed for row in self.by_source],
                "declined": [row.declined for row in self.by_source],
                "open": [row.open for row in self.by_source],
            },
        }


def month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def _grouped(base: QuerySet[DisputeCase], key: str, labels: dict[str, str]) -> list[OutcomeRow]:
    rows = {k: OutcomeRow(k, label) for k, label in labels.items()}
    for row in base.values(key, "outcome").annotate(n=Count("id")).order_by():
        rows.setdefault(row[key], OutcomeRow(row[key], row[key])).add(row["outcome"], row["n"])
    return list(rows.values())


def _area_rows(base: QuerySet[DisputeCase], user: Any) -> tuple[list[OutcomeRow], str]:
    prefix = user_scope_path(user) or ""
    length = max(len(prefix) + Node.steplen, VILLAGE_PREFIX)
    level = Level(min(length // Node.steplen, Level.UNIT))
    counts: dict[str, OutcomeRow] = {}
    for row in (
        base.annotate(area=Substr("path", 1, length)).values("area", "outcome").annotate(n=Count("id")).order_by()
    ):
        counts.setdefault(row["area"], OutcomeRow(row["area"], row["area"])).add(row["outcome"], row["n"])
    nodes = {n.path: n for n in Node.objects.filter(path__in=list(counts))}
    rows = []
    for path in sorted(counts):
        node = nodes.get(path)
        # A case placed above the area level (at the subdistrict) has a short path.
        counts[path].label = node.label if node else "街道本级"
        rows.append(counts[path])
    rows.sort(key=lambda r: -r.total)
    return rows, str(level.label)


def _repeat_parties(base: QuerySet[DisputeCase]) -> list[RepeatGroup]:
    parties = Party.objects.filter(case__in=base)
    at_least = Q(n__gte=REPEAT_MIN_CASES)
    ids = set(
        parties.exclude(id_number_index="")
        .values("id_number_index")
        .annotate(n=Count("case_id", distinct=True))
        .filter(at_least)
        .values_list("id_number_index", flat=True)
    )
    phones = set(
        parties.exclude(phone_index="")
        .values("phone_index")
        .annotate(n=Count("case_id", distinct=True))
        .filter(at_least)
        .values_list("phone_index", flat=True)
    )
    names = {
        (row["village"], row["name_key"])
        for row in parties.annotate(village=Substr("path", 1, VILLAGE_PREFIX))
        .values("village", "name_key")
        .annotate(n=Count("case_id", distinct=True))
        .filter(at_least)
    }
    if not (ids or phones or names):
        return []
    rows = list(
        parties.filter(
            Q(id_number_index__in=ids) | Q(phone_index__in=phones) | Q(name_key__in={n for _v, n in names})
        ).values_list("pk", "name", "path", "name_key", "id_number_index", "phone_index", "case_id", "case__number")
    )
    # Union-find over party rows: one person matched by ID and by phone is one group.
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_by_key: dict[tuple[str, str], int] = {}
    reasons: dict[int, set[str]] = defaultdict(set)
    for pk, _name, path, key, id_index, phone_index, _case, _number in rows:
        find(pk)
        for kind, value in (
            ("身份证号", id_index if id_index in ids else ""),
            ("联系电话", phone_index if phone_index in phones else ""),
            ("姓名(同村)", key if (path[:VILLAGE_PREFIX], key) in names else ""),
        ):
            if not value:
                continue
            group_key = (kind, f"{path[:VILLAGE_PREFIX]}|{value}" if kind == "姓名(同村)" else value)
            reasons[pk].add(kind)
            if group_key in first_by_key:
                parent[find(pk)] = find(first_by_key[group_key])
            else:
                first_by_key[group_key] = pk
    groups: dict[int, RepeatGroup] = {}
    for pk, name, _path, _key, _id, _phone, case_id, number in rows:
        if not reasons.get(pk):
            continue
        group = groups.setdefault(find(pk), RepeatGroup(label=mask_name(name)))
        group.matched_by |= reasons[pk]
        if (case_id, number) not in group.cases:
            group.cases.append((case_id, number))
    result = [g for g in groups.values() if len(g.cases) >= REPEAT_MIN_CASES]
    for group in result:
        group.cases.sort(key=lambda c: c[1])
    return sorted(result, key=lambda g: (-len(g.cases), g.cases[0][1]))


def _repeat_places(base: QuerySet[DisputeCase]) -> list[RepeatPlace]:
    low = base.filter(node__level__gte=Level.GRID)
    node_ids = list(
        low.values("node_id").annotate(n=Count("id")).filter(n__gte=REPEAT_MIN_CASES).values_list("node_id", flat=True)
    )
    if not node_ids:
        return []
    places = {n.pk: RepeatPlace(node=n) for n in Node.objects.filter(pk__in=node_ids)}
    for pk, number, node_id in (
        low.filter(node_id__in=node_ids).values_list("pk", "number", "node_id").order_by("number")
    ):
        places[node_id].cases.append((pk, number))
    return sorted(places.values(), key=lambda p: (-len(p.cases), p.node.path))


def dispute_stats(*, user: Any, start: datetime.date, end: datetime.date) -> Stats:
    base = cases_visible_to(user=user).filter(registered_on__range=(start, end))
    by_source = _grouped(base, "source", {str(k): str(v) for k, v in Source.choices})
    total = OutcomeRow("", "合计")
    for row in by_source:
        for outcome, n in (
            (Outcome.AGREED, row.agreed),
            (Outcome.FAILED, row.failed),
            (Outcome.DECLINED, row.declined),
        ):
            total.add(outcome, n)
        total.add(Outcome.NONE, row.open)
    by_type = _grouped(base, "dispute_type", {str(k): str(v) for k, v in DisputeType.choices})
    by_area, area_label = _area_rows(base, user)
    months = month_starts(start, end)
    index = {m: i for i, m in enumerate(months)}
    month_counts: dict[str, list[int]] = {}
    for month_row in (
        base.annotate(month=TruncMonth("registered_on")).values("month", "source").annotate(n=Count("id")).order_by()
    ):
        month = month_row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        series = month_counts.setdefault(month_row["source"], [0] * len(months))
        if month in index:
            series[index[month]] += month_row["n"]
    return Stats(
        start=start,
        end=end,
        total=total,
        by_source=by_source,
        by_type=by_type,
        by_area=by_area,
        area_label=area_label,
        months=months,
        month_counts=month_counts,
        repeat_parties=_repeat_parties(base),
        repeat_places=_repeat_places(base),
    )
