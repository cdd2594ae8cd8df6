"""Reads of the indicator ledger. Ledgers and values are scoped by the
node's path (outside the subtree → 404); definitions are not tree-scoped.

`indicator_table` answers a node's month — the figure as reported, the
month's figure, the year-to-date figure, year-on-year and month-on-month —
in two queries: the definitions, and every value of the node from January of
last year to the month (what the arithmetic needs)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.regions.models import Level, Node

from . import computations as calc
from .models import Indicator, Kind, Ledger, Unit, Value, ValueEvent

LEDGER_LEVELS = (Level.SUBDISTRICT, Level.VILLAGE)


def indicators_active() -> QuerySet[Indicator]:
    return Indicator.objects.filter(active=True).order_by("order", "id")


def ledgers_visible_to(*, user: Any) -> QuerySet[Ledger]:
    return scope_queryset(Ledger.objects.select_related("node"), user)


def ledger_get_visible(*, user: Any, pk: Any) -> Ledger:
    return get_in_scope_or_404(Ledger.objects.select_related("node", "entered_by", "reviewed_by"), user, pk=pk)


def ledger_find(*, node: Node, month: datetime.date) -> Ledger | None:
    return Ledger.objects.filter(node=node, month=month).select_related("entered_by", "reviewed_by").first()


def ledger_latest_month(*, node: Node) -> datetime.date | None:
    """The newest month `node` has a ledger for (None: it reports nothing)."""
    month: datetime.date | None = (
        Ledger.objects.filter(node=node).order_by("-month").values_list("month", flat=True).first()
    )
    return month


def values_visible_to(*, user: Any) -> QuerySet[Value]:
    return scope_queryset(Value.objects.select_related("ledger", "indicator"), user, path_field="ledger__path")


def value_get_visible(*, user: Any, pk: Any) -> Value:
    return get_in_scope_or_404(
        Value.objects.select_related("ledger__node", "indicator"), user, path_field="ledger__path", pk=pk
    )


def value_events(*, value: Value) -> QuerySet[ValueEvent]:
    return value.events.select_related("actor").order_by("created_at", "id")


def ledger_nodes_visible_to(*, user: Any) -> QuerySet[Node]:
    """The subdistricts and villages in the user's subtree (where ledgers are kept)."""
    return scope_queryset(Node.objects.filter(level__in=LEDGER_LEVELS), user).order_by("path")


def node_get_visible(*, user: Any, pk: Any) -> Node:
    return get_in_scope_or_404(Node.objects.filter(level__in=LEDGER_LEVELS), user, pk=pk)


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    value: Value | None  # the figure as reported this month
    monthly: Decimal | None
    cumulative: Decimal | None
    yoy: Decimal | None  # year-to-date against the same period last year
    mom: Decimal | None  # the month's figure against last month's

    @property
    def show(self) -> dict[str, str]:
        return {
            "monthly": calc.show_amount(self.monthly),
            "cumulative": calc.show_amount(self.cumulative),
            "yoy": calc.show_percent(self.yoy),
            "mom": calc.show_percent(self.mom),
        }


def _series(by_month: dict[datetime.date, Decimal], year: int) -> dict[int, Decimal | None]:
    return {m: by_month.get(datetime.date(year, m, 1)) for m in range(1, 13)}


def figures(indicator: Indicator, by_month: dict[datetime.date, Decimal], month: datetime.date) -> dict[str, Any]:
    """Monthly and cumulative figures of `indicator` for `month` and the
    months it is compared with, from its reported figures `by_month`."""
    this_year = _series(by_month, month.year)
    last_year = _series(by_month, month.year - 1)
    percent = indicator.unit == Unit.PERCENT

    def monthly(series: dict[int, Decimal | None], m: int) -> Decimal | None:
        if indicator.kind == Kind.CUMULATIVE and not percent:
            return calc.monthly_from_cumulative(series, m)
        return series.get(m)

    def cumulative(series: dict[int, Decimal | None], m: int) -> Decimal | None:
        if percent:
            return None  # a rate is not summed
        if indicator.kind == Kind.CUMULATIVE:
            return series.get(m)
        return calc.cumulative_from_monthly(series, m)

    m = month.month
    now_monthly = monthly(this_year, m)
    before = monthly(this_year, m - 1) if m > 1 else monthly(last_year, 12)
    now_cumulative = cumulative(this_year, m)
    if percent:
        yoy = calc.change_percent(now_monthly, monthly(last_year, m))
    else:
        yoy = calc.change_percent(now_cumulative, cumulative(last_year, m))
    return {
        "monthly": now_monthly,
        "cumulative": now_cumulative,
        "yoy": yoy,
        "mom": calc.change_percent(now_monthly, before),
    }


def indicator_table(*, node: Node, month: datetime.date) -> list[Row]:
    """The month's table for `node` (in two queries)."""
    indicators = list(indicators_active())
    start = datetime.date(month.year - 1, 1, 1)
    values = Value.objects.filter(ledger__node=node, ledger__month__gte=start, ledger__month__lte=month).values_list(
        "pk", "indicator_id", "ledger__month", "value"
    )
    reported: dict[int, dict[datetime.date, Decimal]] = defaultdict(dict)
    current: dict[int, Value] = {}
    for pk, indicator_id, value_month, amount in values:
        reported[indicator_id][value_month] = amount
        if value_month == month:
            current[indicator_id] = Value(pk=pk, indicator_id=indicator_id, value=amount)
    rows = []
    for indicator in indicators:
        computed = figures(indicator, reported[indicator.pk], month)
        rows.append(Row(indicator=indicator, value=current.get(indicator.pk), **computed))
    return rows


def indicator_trend(*, node: Node, indicator: Indicator, month: datetime.date) -> list[dict[str, Any]]:
    """The twelve months up to `month`: month, monthly, cumulative, year-on-year."""
    start = datetime.date(month.year - 2, 1, 1)
    by_month = dict(
        Value.objects.filter(
            ledger__node=node, indicator=indicator, ledger__month__gte=start, ledger__month__lte=month
        ).values_list("ledger__month", "value")
    )
    points = []
    for back in range(11, -1, -1):
        index = month.year * 12 + month.month - 1 - back
        m = datetime.date(index // 12, index % 12 + 1, 1)
        computed = figures(indicator, by_month, m)
        points.append({"month": m, **computed})
    return points


@dataclass(frozen=True)
class Rollup:
    """The villages' year-to-date figures added up (汇总), beside the
    subdistrict's own reported figure (ADR 0044 keeps those apart: the
    statistics office's totals include units that belong to no village)."""

    cumulative: Decimal
    villages: int  # villages with a figure this month

    @property
    def show(self) -> str:
        return calc.show_amount(self.cumulative)


def village_rollup(*, node: Node, month: datetime.date) -> dict[int, Rollup]:
    """Per indicator (not %): the sum of the year-to-date figures of the
    villages directly under `node` that have one for `month`; indicators no
    village reports are absent. One query."""
    if node.level != Level.SUBDISTRICT:
        return {}
    values = Value.objects.filter(
        ledger__node__level=Level.VILLAGE,
        ledger__path__startswith=node.path,
        ledger__month__gte=datetime.date(month.year, 1, 1),
        ledger__month__lte=month,
    ).values_list("ledger__node_id", "indicator_id", "ledger__month", "value")
    reported: dict[tuple[int, int], dict[datetime.date, Decimal]] = defaultdict(dict)
    for village_id, indicator_id, value_month, amount in values:
        reported[(indicator_id, village_id)][value_month] = amount
    indicators = {i.pk: i for i in indicators_active() if i.unit != Unit.PERCENT}
    sums: dict[int, Rollup] = {}
    for (indicator_id, _village), by_month in reported.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            continue
        cumulative = figures(indicator, by_month, month)["cumulative"]
        if cumulative is None:
            continue
        before = sums.get(indicator_id, Rollup(cumulative=Decimal(0), villages=0))
        sums[indicator_id] = Rollup(cumulative=before.cumulative + cumulative, villages=before.villages + 1)
    return sums
