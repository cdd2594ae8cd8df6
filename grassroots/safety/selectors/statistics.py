"""The statistics of the safety inspections (issue 13, item 9), the figures a
monthly report needs, shared by the statistics page, its Excel export, its
charts and the API: per village (or, within one village, per grid) and per
premises kind, optionally in one month, and a twelve-month trend. Scoped to
the user's subtree; a fixed number of grouped queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DateField, Q, QuerySet
from django.db.models.functions import TruncMonth

from grassroots.core.scoping import scope_queryset, user_scope_path
from grassroots.regions.models import Level, Node

from ..models import Hazard, HazardLevel, Inspection, Premises, PremisesKind
from ..services.premises import PLACE_LEVELS
from ..states import HazardState, State

TREND_MONTHS = 12


@dataclass
class StatRow:
    label: str
    # The node's id (a place row) or the premises kind (a kind row); empty for the total.
    key: str = ""
    premises: int = 0
    inspections: int = 0
    hazards: int = 0
    major: int = 0
    noticed: int = 0
    closed: int = 0
    referred: int = 0
    overdue: int = 0

    @property
    def general(self) -> int:
        return self.hazards - self.major

    @property
    def rate(self) -> float:
        """整改率: closed among hazards that were given a notice."""
        return round(100 * self.closed / self.noticed, 1) if self.noticed else 0.0


@dataclass
class MonthRow:
    month: datetime.date
    inspections: int = 0
    hazards: int = 0
    closed: int = 0


@dataclass
class Statistics:
    month: datetime.date | None
    total: StatRow
    node: Node | None = None
    places: list[StatRow] = field(default_factory=list)
    kinds: list[StatRow] = field(default_factory=list)
    # The twelve months up to the chosen month (or this month), oldest first.
    trend: list[MonthRow] = field(default_factory=list)


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _months_back(last: datetime.date, count: int) -> list[datetime.date]:
    months = [last]
    for _ in range(count - 1):
        months.append((months[-1] - datetime.timedelta(days=1)).replace(day=1))
    return months[::-1]


def _place_nodes(user: Any, node: Node | None) -> list[Node]:
    """The rows of the place table: the villages of the subtree (a grid
    worker: their grid); within a chosen village its grids; a chosen grid itself."""
    if node is not None:
        if node.level == Level.GRID:
            return [node]
        children = Node.objects.filter(path__startswith=node.path, depth=node.depth + 1, level__in=PLACE_LEVELS)
        return list(children.order_by("path")) or [node]
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    villages = list(Node.objects.filter(path__startswith=prefix, level=Level.VILLAGE).order_by("path"))
    if villages:
        return villages
    return list(Node.objects.filter(path__startswith=prefix, level__in=PLACE_LEVELS).order_by("path")[:1]) or list(
        Node.objects.filter(path=prefix)
    )


def _within(rows: QuerySet[Any], user: Any, node: Node | None) -> QuerySet[Any]:
    rows = scope_queryset(rows, user)
    return rows.filter(path__startswith=node.path) if node is not None else rows


def safety_statistics(
    *, user: Any, month: datetime.date | None = None, node: Node | None = None, today: datetime.date
) -> Statistics:
    """Inspections and hazards per place and per premises kind, optionally in
    one `month` and under one `node` (a place in the user's subtree, found by
    the caller): found, major, given a notice, closed, referred, overdue and
    the rectification rate; and the monthly trend. Premises registered at a
    village itself, when the rows are its grids, have a row of their own."""
    places = {n.path: StatRow(label=str(n.label), key=str(n.pk)) for n in _place_nodes(user, node)}
    kinds = {value: StatRow(label=str(label), key=value) for value, label in PremisesKind.choices}
    total = StatRow(label="合计")

    def rows_for(path: str, kind: str) -> list[StatRow]:
        place = next((row for p, row in places.items() if path.startswith(p)), None)
        if place is None and node is not None and node.level != Level.GRID:
            place = places.setdefault(node.path, StatRow(label=f"{node.label}(未分网格)", key=str(node.pk)))
        return [r for r in (place, kinds.get(kind), total) if r is not None]

    premises = _within(Premises.objects.filter(state=State.OPERATING), user, node)
    for row in premises.values("path", "kind").annotate(n=Count("id")).order_by():
        for target in rows_for(row["path"], row["kind"]):
            target.premises += row["n"]
    inspections = _within(Inspection.objects.all(), user, node)
    hazards = _within(Hazard.objects.all(), user, node)
    in_month_inspections, in_month_hazards = inspections, hazards
    if month is not None:
        end = _next_month(month)
        in_month_inspections = inspections.filter(inspected_at__date__gte=month, inspected_at__date__lt=end)
        in_month_hazards = hazards.filter(created_at__date__gte=month, created_at__date__lt=end)
    for row in in_month_inspections.values("path", "premises__kind").annotate(n=Count("id")).order_by():
        for target in rows_for(row["path"], row["premises__kind"]):
            target.inspections += row["n"]
    grouped = in_month_hazards.values("path", "premises__kind", "state", "level").annotate(
        n=Count("id"), late=Count("id", filter=Q(state=HazardState.NOTICE_ISSUED, deadline__lt=today))
    )
    for row in grouped.order_by():
        for target in rows_for(row["path"], row["premises__kind"]):
            target.hazards += row["n"]
            target.major += row["n"] if row["level"] == HazardLevel.MAJOR else 0
            target.noticed += row["n"] if row["state"] != HazardState.FOUND else 0
            target.closed += row["n"] if row["state"] == HazardState.CLOSED else 0
            target.referred += row["n"] if row["state"] == HazardState.REFERRED else 0
            target.overdue += row["late"]
    return Statistics(
        month=month,
        node=node,
        total=total,
        places=list(places.values()),
        kinds=[row for row in kinds.values() if row.premises or row.inspections or row.hazards],
        trend=_trend(inspections, hazards, last=month or today.replace(day=1)),
    )


def _per_month(rows: QuerySet[Any], field_name: str, start: datetime.date, end: datetime.date) -> dict[Any, int]:
    counted = (
        rows.filter(**{f"{field_name}__date__gte": start, f"{field_name}__date__lt": end})
        .annotate(m=TruncMonth(field_name, output_field=DateField()))
        .values("m")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["m"]: row["n"] for row in counted}


def _trend(inspections: QuerySet[Any], hazards: QuerySet[Any], *, last: datetime.date) -> list[MonthRow]:
    """Inspections, hazards found and hazards closed per month: three grouped queries."""
    months = _months_back(last, TREND_MONTHS)
    start, end = months[0], _next_month(last)
    done = _per_month(inspections, "inspected_at", start, end)
    found = _per_month(hazards, "created_at", start, end)
    closed = _per_month(hazards.filter(state=HazardState.CLOSED), "closed_at", start, end)
    return [
        MonthRow(month=m, inspections=done.get(m, 0), hazards=found.get(m, 0), closed=closed.get(m, 0)) for m in months
    ]
