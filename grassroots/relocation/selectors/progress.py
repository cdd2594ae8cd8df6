"""The figures of the dashboards and the daily report, each one aggregate
query over the units the user may see (never a loop over units):

- the signing rate of a project, and per batch, village and worker;
- the count at each stage, as of today and as of yesterday (from the stage
  dates, ADR 0041), so the daily report shows yesterday's change;
- the cumulative signing curve by day.

The rate is signed / total as a percentage, rounded half up to two decimals
(11,650 / 11,698 = 99.5897… → 99.59%)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum

from grassroots.accounts.models import User
from grassroots.core.scoping import user_scope_path
from grassroots.regions.models import Node

from ..models import Batch, Project, Unit
from ..states import STAGES, State
from . import units_visible_to

SIGNED = Q(signed_on__isnull=False)
ROUNDING_NOTE = "签约率 = 已签约户数 ÷ 总户数,百分数四舍五入保留两位小数。"


def rate(part: int, whole: int) -> Decimal | None:
    """`part / whole` as a percentage rounded half up to two decimals (None for no units)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Row:
    key: Any
    label: str
    total: int
    signed: int

    @property
    def rate(self) -> Decimal | None:
        return rate(self.signed, self.total)


def counts(units: QuerySet[Unit]) -> Row:
    """Total and signed of a drill-down's rows (one aggregate; the label is the caller's)."""
    values = units.aggregate(total=Count("id"), signed=Count("id", filter=SIGNED))
    return Row(None, "", values["total"], values["signed"])


def project_units(*, user: Any, project: Project) -> QuerySet[Unit]:
    return units_visible_to(user=user).filter(project=project)


def projects_rates(*, user: Any, projects: list[Project]) -> dict[int, Row]:
    """Total and signed units of each project (one grouped query)."""
    rows = (
        units_visible_to(user=user)
        .filter(project__in=projects)
        .values("project_id")
        .annotate(total=Count("id"), signed=Count("id", filter=SIGNED))
    )
    names = {p.pk: p.name for p in projects}
    return {r["project_id"]: Row(r["project_id"], names[r["project_id"]], r["total"], r["signed"]) for r in rows}


def _grouped(units: QuerySet[Unit], key: str) -> list[Row]:
    rows = units.values(key).annotate(total=Count("id"), signed=Count("id", filter=SIGNED)).order_by()
    # The unassigned group last on every database (SQLite sorts NULL first, PostgreSQL last).
    counts = sorted(((r[key], r["total"], r["signed"]) for r in rows), key=lambda c: (c[0] is None, c[0] or 0))
    labels = _labels(key, [k for k, _t, _s in counts])
    return [Row(k, labels.get(k, "未分配"), total, signed) for k, total, signed in counts]


def _labels(key: str, ids: list[Any]) -> dict[Any, str]:
    """The names of the groups (one small query; the aggregate itself joins nothing)."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    if key == "batch_id":
        return dict(Batch.objects.filter(pk__in=wanted).values_list("pk", "name"))
    if key == "village_id":
        return dict(Node.objects.filter(pk__in=wanted).values_list("pk", "name"))
    return {u.pk: str(u) for u in User.objects.filter(pk__in=wanted).only("pk", "username", "display_name")}


def by_batch(units: QuerySet[Unit]) -> list[Row]:
    return _grouped(units, "batch_id")


def by_village(units: QuerySet[Unit]) -> list[Row]:
    return _grouped(units, "village_id")


def by_worker(units: QuerySet[Unit]) -> list[Row]:
    return _grouped(units, "worker_id")


@dataclass(frozen=True)
class Stage:
    state: str
    label: str
    today: int
    yesterday: int

    @property
    def change(self) -> int:
        return self.today - self.yesterday


@dataclass(frozen=True)
class Summary:
    day: datetime.date
    total: int
    stages: list[Stage]
    agreed: Decimal
    paid: Decimal

    @property
    def signed(self) -> int:
        return next(s.today for s in self.stages if s.state == State.SIGNED)

    @property
    def signed_yesterday(self) -> int:
        return next(s.yesterday for s in self.stages if s.state == State.SIGNED)

    @property
    def rate(self) -> Decimal | None:
        return rate(self.signed, self.total)

    @property
    def rate_yesterday(self) -> Decimal | None:
        return rate(self.signed_yesterday, self.total)


def summary(units: QuerySet[Unit], *, day: datetime.date) -> Summary:
    """Units that reached each stage by the end of `day` and of the day
    before (one query): a stage reached is one whose date is set, and stages
    never go back, so the count at a stage is "at it or beyond it"."""
    yesterday = day - datetime.timedelta(days=1)
    aggregates: dict[str, Any] = {"total": Count("id"), "agreed": Sum("agreed_amount"), "paid": Sum("paid_amount")}
    for state, field in STAGES:
        aggregates[f"{state}_today"] = Count("id", filter=Q(**{f"{field}__lte": day}))
        aggregates[f"{state}_yesterday"] = Count("id", filter=Q(**{f"{field}__lte": yesterday}))
    values = units.aggregate(**aggregates)
    stages = [
        Stage(state, str(State(state).label), values[f"{state}_today"], values[f"{state}_yesterday"])
        for state, _field in STAGES
    ]
    return Summary(
        day=day,
        total=values["total"],
        stages=stages,
        agreed=values["agreed"] or Decimal("0"),
        paid=values["paid"] or Decimal("0"),
    )


def signing_curve(units: QuerySet[Unit]) -> dict[str, list[Any]]:
    """The cumulative number signed at the end of each day that had a
    signing (one grouped query; the loop runs over days, not units)."""
    days = units.filter(SIGNED).values("signed_on").annotate(n=Count("id")).order_by("signed_on")
    total = 0
    out: dict[str, list[Any]] = {"days": [], "signed": []}
    for row in days:
        total += row["n"]
        out["days"].append(row["signed_on"].isoformat())
        out["signed"].append(total)
    return out


@dataclass(frozen=True)
class Breakdown:
    summary: Summary
    batches: list[Row]
    villages: list[Row]
    workers: list[Row]


def breakdown(units: QuerySet[Unit], *, day: datetime.date) -> Breakdown:
    """The summary and the rates per batch, village and worker from one scan:
    one GROUP BY (batch, village, worker) with every count the summary needs,
    rolled up here over its few dozen groups, and the groups' names from
    three small lookups."""
    yesterday = day - datetime.timedelta(days=1)
    aggregates: dict[str, Any] = {
        "total": Count("id"),
        "signed": Count("id", filter=SIGNED),
        "agreed": Sum("agreed_amount"),
        "paid": Sum("paid_amount"),
    }
    for state, field in STAGES:
        aggregates[f"{state}_today"] = Count("id", filter=Q(**{f"{field}__lte": day}))
        aggregates[f"{state}_yesterday"] = Count("id", filter=Q(**{f"{field}__lte": yesterday}))
    rows = list(units.values("batch_id", "village_id", "worker_id").annotate(**aggregates).order_by())
    sums: dict[str, Any] = {name: 0 for name in aggregates}
    sums["agreed"] = sums["paid"] = Decimal("0")
    groups: dict[str, dict[Any, list[int]]] = {"batch_id": {}, "village_id": {}, "worker_id": {}}
    for row in rows:
        for name in aggregates:
            sums[name] += row[name] or 0
        for key, bucket in groups.items():
            counts = bucket.setdefault(row[key], [0, 0])
            counts[0] += row["total"]
            counts[1] += row["signed"]
    summary = Summary(
        day=day,
        total=sums["total"],
        stages=[
            Stage(state, str(State(state).label), sums[f"{state}_today"], sums[f"{state}_yesterday"])
            for state, _field in STAGES
        ],
        agreed=sums["agreed"],
        paid=sums["paid"],
    )

    def rollup(key: str) -> list[Row]:
        bucket = groups[key]
        labels = _labels(key, list(bucket))
        order = sorted(bucket, key=lambda k: (k is None, k or 0))
        return [Row(k, labels.get(k, "未分配"), bucket[k][0], bucket[k][1]) for k in order]

    return Breakdown(summary, rollup("batch_id"), rollup("village_id"), rollup("worker_id"))


# How long a computed set of figures may be served while nothing changed (the
# key below changes with every stage, import or new unit, so this only bounds
# how long an idle entry stays in the cache).
FIGURES_TTL = 600


@dataclass(frozen=True)
class Dashboard:
    figures: Breakdown
    curve: dict[str, list[Any]]


def dashboard(*, user: Any, project: Project, day: datetime.date) -> Dashboard:
    """The dashboard's figures for what `user` may see, recomputed whenever a
    unit of the project changed: the cache key holds the latest `updated_at`
    of its units (every stage, import and new unit sets it; one lookup on the
    (project, updated_at) index), the user's scope and the day. So the rate
    is live, and a dashboard that many people open between two changes costs
    one indexed query instead of two scans of the project's units."""
    units = project_units(user=user, project=project)
    latest = Unit.objects.filter(project=project).aggregate(latest=Max("updated_at"))["latest"]
    stamp = latest.isoformat() if latest else "-"
    key = f"relocation:dashboard:{project.pk}:{user_scope_path(user)}:{day.isoformat()}:{stamp}"
    cached = cache.get(key)
    if isinstance(cached, Dashboard):
        return cached
    result = Dashboard(breakdown(units, day=day), signing_curve(units))
    cache.set(key, result, FIGURES_TTL)
    return result
